//! Organisation pages: register one, see it and its members, invite colleagues; the
//! coordinators' list with filters, and their decisions.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;
use validator::Validate;

use super::extract::SignedInPage;
use super::forms::FormState;
use super::pages::{Page, render_with_status};
use super::redirects::see_other;
use crate::auth::identity::{Identity, MaybeSignedIn, origin_of};
use crate::domain::organisations::{MemberRole, OrganisationKind, OrganisationStatus};
use crate::error::AppError;
use crate::services::organisations::{self as service, Decision, Registration};
use crate::state::AppState;
use crate::store::organisations::{Filter, OrganisationRow};

fn kinds() -> Vec<&'static str> {
    OrganisationKind::ALL.iter().map(|k| k.as_str()).collect()
}

pub struct OrgLine {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub legal_id: String,
    pub status: String,
    pub role: Option<&'static str>,
}

#[derive(Template)]
#[template(path = "organisations/list.html")]
struct ListPage {
    page: Page,
    coordinator: bool,
    organisations: Vec<OrgLine>,
    statuses: Vec<&'static str>,
    kinds: Vec<&'static str>,
    filter_status: String,
    filter_kind: String,
    filter_q: String,
}

#[derive(Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    statut: String,
    #[serde(default, rename = "type")]
    kind: String,
    #[serde(default)]
    q: String,
}

#[get("/organisations")]
pub async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    SignedInPage(identity): SignedInPage,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let query = query.into_inner();
    let filter = Filter {
        status: OrganisationStatus::parse(&query.statut),
        kind: OrganisationKind::parse(&query.kind),
        search: Some(query.q.clone()).filter(|q| !q.trim().is_empty()),
    };
    let organisations = service::list(&state, &identity, filter)
        .await?
        .into_iter()
        .map(|(o, role)| OrgLine {
            id: o.id,
            name: o.name,
            kind: o.kind,
            legal_id: o.legal_id,
            status: o.status,
            role: role.map(MemberRole::as_str),
        })
        .collect();
    render_with_status(
        &ListPage {
            page: Page::new(&req),
            coordinator: identity.account.is_coordinator(),
            organisations,
            statuses: OrganisationStatus::ALL.iter().map(|s| s.as_str()).collect(),
            kinds: kinds(),
            filter_status: query.statut,
            filter_kind: query.kind,
            filter_q: query.q,
        },
        StatusCode::OK,
    )
}

#[derive(Template)]
#[template(path = "organisations/new.html")]
struct NewPage {
    page: Page,
    form: FormState,
    kinds: Vec<&'static str>,
}

#[derive(Deserialize, Validate)]
pub struct NewForm {
    #[validate(length(max = 400))]
    name: String,
    #[validate(length(max = 60))]
    acronym: String,
    #[validate(length(max = 40))]
    kind: String,
    #[validate(length(max = 40))]
    legal_id: String,
    #[validate(length(max = 600))]
    website: String,
    #[validate(length(max = 320))]
    contact_email: String,
    #[validate(length(max = 4000))]
    description: String,
}

#[get("/organisations/nouvelle")]
pub async fn new_page(req: HttpRequest, _: SignedInPage) -> Result<HttpResponse, AppError> {
    render_with_status(
        &NewPage {
            page: Page::new(&req),
            form: FormState::default(),
            kinds: kinds(),
        },
        StatusCode::OK,
    )
}

#[post("/organisations/nouvelle")]
pub async fn create(
    req: HttpRequest,
    state: web::Data<AppState>,
    SignedInPage(identity): SignedInPage,
    form: web::Form<NewForm>,
) -> Result<HttpResponse, AppError> {
    let f = form.into_inner();
    let outcome = match f.validate() {
        Err(e) => Err(AppError::from(e)),
        Ok(()) => {
            let input = Registration {
                name: f.name.clone(),
                acronym: Some(f.acronym.clone()),
                kind: f.kind.clone(),
                legal_id: f.legal_id.clone(),
                website: Some(f.website.clone()),
                contact_email: f.contact_email.clone(),
                description: Some(f.description.clone()),
            };
            service::register(&state, &identity, input, origin_of(&req)).await
        }
    };
    match outcome {
        Ok(org) => Ok(see_other(&format!(
            "/organisations/{}?fait=inscrite",
            org.id
        ))),
        Err(error) => {
            let mut page = Page::new(&req);
            let mut shown = FormState::with_values([
                ("name", f.name.as_str()),
                ("acronym", f.acronym.as_str()),
                ("kind", f.kind.as_str()),
                ("legal_id", f.legal_id.as_str()),
                ("website", f.website.as_str()),
                ("contact_email", f.contact_email.as_str()),
                ("description", f.description.as_str()),
            ]);
            let status = shown.absorb(error, &page.t)?;
            page.has_errors = true;
            render_with_status(
                &NewPage {
                    page,
                    form: shown,
                    kinds: kinds(),
                },
                status,
            )
        }
    }
}

pub struct MemberLine {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub role: &'static str,
}

/// An invitation not yet used, as the owners' list shows it.
pub struct InvitationLine {
    pub id: i64,
    pub email: String,
    pub role: &'static str,
    /// "Envoyée par Camille Martin le 03/12/2026 à 10:00 (heure de Paris)".
    pub sent: String,
    /// "Valable jusqu'au …", or "Expirée le …".
    pub validity: String,
    pub expired: bool,
}

#[derive(Template)]
#[template(path = "organisations/show.html")]
struct ShowPage {
    page: Page,
    title: String,
    form: FormState,
    notice: Option<String>,
    org: OrganisationRow,
    coordinator: bool,
    owner: bool,
    decisions: Vec<&'static str>,
    members: Vec<MemberLine>,
    invitations: Vec<InvitationLine>,
    roles: Vec<&'static str>,
}

async fn show_page(
    req: &HttpRequest,
    state: &AppState,
    identity: &Identity,
    id: i64,
    form: FormState,
    notice_key: Option<&str>,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let (org, role) = service::visible(state, identity, id).await?;
    let members = service::members(state, identity, id)
        .await?
        .into_iter()
        .map(|(role, a)| MemberLine {
            id: a.id,
            name: a.display_name,
            email: a.email,
            role: role.as_str(),
        })
        .collect();
    let decisions = match org.status() {
        OrganisationStatus::Pending => vec!["approve", "reject"],
        OrganisationStatus::Approved => vec!["suspend"],
        OrganisationStatus::Suspended => vec!["reinstate"],
        OrganisationStatus::Rejected => vec![],
    };
    let mut page = Page::new(req);
    page.has_errors = form.has_errors();
    let owner = role == Some(MemberRole::Owner);
    let invitations = if owner {
        let (t, now) = (&page.t, state.clock.now());
        service::pending_invitations(state, identity, id, origin_of(req))
            .await?
            .into_iter()
            .map(|i| {
                let (created, expires) = (i.created_at.and_utc(), i.expires_at.and_utc());
                let expired = expires <= now;
                InvitationLine {
                    id: i.id,
                    email: i.email,
                    role: MemberRole::parse(&i.role)
                        .unwrap_or(MemberRole::Viewer)
                        .as_str(),
                    sent: match &i.invited_by {
                        Some(name) => t.with_two(
                            "org-invitation-sent-by",
                            "name",
                            name,
                            "date",
                            &t.datetime(created),
                        ),
                        None => t.with("org-invitation-sent", "date", &t.datetime(created)),
                    },
                    validity: t.with(
                        if expired {
                            "org-invitation-expired"
                        } else {
                            "org-invitation-valid-until"
                        },
                        "date",
                        &t.datetime(expires),
                    ),
                    expired,
                }
            })
            .collect()
    } else {
        Vec::new()
    };
    let notice = notice_key.map(|k| page.t.get(k));
    let template = ShowPage {
        page,
        title: org.name.clone(),
        form,
        notice,
        org,
        coordinator: identity.account.is_coordinator(),
        owner,
        decisions,
        members,
        invitations,
        roles: MemberRole::ALL.iter().map(|r| r.as_str()).collect(),
    };
    render_with_status(&template, status)
}

#[derive(Deserialize)]
pub struct DoneQuery {
    #[serde(default)]
    fait: String,
}

#[get("/organisations/{id}")]
pub async fn show(
    req: HttpRequest,
    state: web::Data<AppState>,
    SignedInPage(identity): SignedInPage,
    id: web::Path<i64>,
    query: web::Query<DoneQuery>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let notice = match query.fait.as_str() {
        "inscrite" => Some("org-done-registered"),
        "decision" => Some("org-done-decision"),
        "invitation" => Some("org-done-invited"),
        "invitation-renvoyee" => Some("org-done-invitation-resent"),
        "invitation-annulee" => Some("org-done-invitation-cancelled"),
        "membres" => Some("org-done-members"),
        _ => None,
    };
    show_page(
        &req,
        &state,
        &identity,
        id,
        FormState::default(),
        notice,
        StatusCode::OK,
    )
    .await
}

/// Runs an action; refusals come back on the organisation page, with the errors.
async fn act(
    req: &HttpRequest,
    state: &AppState,
    identity: &Identity,
    id: i64,
    values: FormState,
    outcome: Result<&str, AppError>,
) -> Result<HttpResponse, AppError> {
    match outcome {
        Ok(done) => Ok(see_other(&format!("/organisations/{id}?fait={done}"))),
        Err(error) => {
            let mut form = values;
            let status = form.absorb(error, &Page::new(req).t)?;
            show_page(req, state, identity, id, form, None, status).await
        }
    }
}

#[derive(Deserialize, Validate)]
pub struct DecisionForm {
    #[validate(length(max = 20))]
    decision: String,
    #[serde(default)]
    #[validate(length(max = 4000))]
    reason: String,
}

#[post("/organisations/{id}/decision")]
pub async fn decide(
    req: HttpRequest,
    state: web::Data<AppState>,
    SignedInPage(identity): SignedInPage,
    id: web::Path<i64>,
    form: web::Form<DecisionForm>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    // Refused up front, the same way whoever asks (members included).
    crate::services::admin::require_coordinator(&state, &identity, &origin_of(&req)).await?;
    let decision = match form.decision.as_str() {
        "approve" => Decision::Approve,
        "reject" => Decision::Reject,
        "suspend" => Decision::Suspend,
        "reinstate" => Decision::Reinstate,
        _ => {
            return Err(AppError::invalid(
                "decision",
                "unknown_decision",
                "Décision inconnue.",
            ));
        }
    };
    form.validate()?;
    let outcome = service::decide(
        &state,
        &identity,
        id,
        decision,
        Some(form.reason.clone()),
        origin_of(&req),
    )
    .await
    .map(|_| "decision");
    act(&req, &state, &identity, id, FormState::default(), outcome).await
}

#[derive(Deserialize, Validate)]
pub struct InviteForm {
    #[validate(length(max = 320))]
    email: String,
    #[validate(length(max = 20))]
    role: String,
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
    role: String,
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
struct AcceptPage {
    page: Page,
    token: String,
    back: String,
    /// "Camille invites you to join APO as an editor", or None: the link is no longer
    /// valid.
    offer: Option<String>,
}

#[derive(Deserialize)]
pub struct TokenQuery {
    #[serde(default)]
    jeton: String,
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
    token: String,
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
        return Ok(super::redirects::sign_in_first(&back));
    };
    form.validate()?;
    let org = service::accept_invitation(&state, &identity, &form.token, origin_of(&req)).await?;
    Ok(see_other(&format!("/organisations/{org}?fait=membres")))
}
