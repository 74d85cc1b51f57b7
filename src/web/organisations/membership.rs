//! Joining and leaving: invitations sent, resent, cancelled and accepted, members'
//! roles changed, members removed.

use super::*;

#[derive(Deserialize, Validate)]
pub struct InviteForm {
    #[validate(length(max = 320))]
    pub(super) email: String,
    #[validate(length(max = 20))]
    pub(super) role: String,
}

#[post("/organisations/{id}/invitations")]
pub async fn invite(
    req: HttpRequest,
    state: web::Data<AppState>,
    SignedInPage(identity): SignedInPage,
    id: web::Path<i64>,
    form: web::Form<InviteForm>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    form.validate()?;
    let outcome = service::invite(
        &state,
        &identity,
        id,
        &form.email,
        &form.role,
        origin_of(&req),
    )
    .await
    .map(|_| "invitation");
    act(
        &req,
        &state,
        &identity,
        id,
        FormState::with_values([("email", form.email.as_str())]),
        outcome,
    )
    .await
}

#[post("/organisations/{id}/invitations/{invitation}/renvoyer")]
pub async fn resend_invitation(
    req: HttpRequest,
    state: web::Data<AppState>,
    SignedInPage(identity): SignedInPage,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, AppError> {
    let (id, invitation) = path.into_inner();
    let outcome = service::resend_invitation(&state, &identity, id, invitation, origin_of(&req))
        .await
        .map(|_| "invitation-renvoyee");
    act(&req, &state, &identity, id, FormState::default(), outcome).await
}

#[post("/organisations/{id}/invitations/{invitation}/annuler")]
pub async fn cancel_invitation(
    req: HttpRequest,
    state: web::Data<AppState>,
    SignedInPage(identity): SignedInPage,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, AppError> {
    let (id, invitation) = path.into_inner();
    let outcome = service::cancel_invitation(&state, &identity, id, invitation, origin_of(&req))
        .await
        .map(|_| "invitation-annulee");
    act(&req, &state, &identity, id, FormState::default(), outcome).await
}

#[derive(Deserialize)]
pub struct RoleForm {
    pub(super) role: String,
}

#[post("/organisations/{id}/membres/{user}/role")]
pub async fn change_role(
    req: HttpRequest,
    state: web::Data<AppState>,
    SignedInPage(identity): SignedInPage,
    path: web::Path<(i64, i64)>,
    form: web::Form<RoleForm>,
) -> Result<HttpResponse, AppError> {
    let (id, member) = path.into_inner();
    let outcome = service::change_role(&state, &identity, id, member, &form.role, origin_of(&req))
        .await
        .map(|_| "membres");
    act(&req, &state, &identity, id, FormState::default(), outcome).await
}

#[post("/organisations/{id}/membres/{user}/retirer")]
pub async fn remove_member(
    req: HttpRequest,
    state: web::Data<AppState>,
    SignedInPage(identity): SignedInPage,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, AppError> {
    let (id, member) = path.into_inner();
    match service::remove_member(&state, &identity, id, member, origin_of(&req)).await {
        // Leaving one's own organisation: its page is no longer visible.
        Ok(()) if member == identity.account.id => Ok(see_other("/organisations")),
        outcome => {
            act(
                &req,
                &state,
                &identity,
                id,
                FormState::default(),
                outcome.map(|_| "membres"),
            )
            .await
        }
    }
}

#[derive(Template)]
#[template(path = "organisations/accept.html")]
pub(super) struct AcceptPage {
    pub(super) page: Page,
    pub(super) token: String,
    pub(super) back: String,
    /// "Camille invites you to join APO as an editor", or None: the link is no longer
    /// valid.
    pub(super) offer: Option<String>,
}

#[derive(Deserialize)]
pub struct TokenQuery {
    #[serde(default)]
    pub(super) jeton: String,
}

/// The invitation link: signed in, a button to accept; otherwise, sign in or sign up
/// first and come back.
#[get("/invitations/accepter")]
pub async fn accept_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: web::Query<TokenQuery>,
) -> Result<HttpResponse, AppError> {
    let token = query.into_inner().jeton;
    let back = format!("/invitations/accepter?jeton={token}");
    let page = Page::new(&req);
    let offer = service::invitation(&state, &token)
        .await?
        .map(|(organisation, role, inviter)| {
            let role = page.t.label("member-role", role.as_str()).to_lowercase();
            let args = [("organisation", organisation.as_str()), ("role", &role)];
            match inviter {
                Some(inviter) => page.t.texts(
                    "invite-accept-offer",
                    &[args[0], args[1], ("inviter", &inviter)],
                ),
                None => page.t.texts("invite-accept-offer-anonymous", &args),
            }
        });
    let mut response = render_with_status(
        &AcceptPage {
            page,
            token,
            back,
            offer,
        },
        StatusCode::OK,
    )?;
    response.headers_mut().insert(
        actix_web::http::header::REFERRER_POLICY,
        actix_web::http::header::HeaderValue::from_static("no-referrer"),
    );
    Ok(response)
}

#[derive(Deserialize, Validate)]
pub struct AcceptForm {
    #[validate(length(max = 200))]
    pub(super) token: String,
}

#[post("/invitations/accepter")]
pub async fn accept(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: MaybeSignedIn,
    form: web::Form<AcceptForm>,
) -> Result<HttpResponse, AppError> {
    // Signed out meanwhile: back to the invitation itself (its token is in the form, not
    // in the page's address a `Referer` would give).
    let Some(identity) = user.0 else {
        let back = format!("/invitations/accepter?jeton={}", form.token);
        return Ok(crate::web::redirects::sign_in_first(&back));
    };
    form.validate()?;
    let org = service::accept_invitation(&state, &identity, &form.token, origin_of(&req)).await?;
    Ok(see_other(&format!("/organisations/{org}?fait=membres")))
}
