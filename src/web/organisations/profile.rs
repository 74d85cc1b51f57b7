//! An organisation's page: its profile, members and invitations, and the coordinators'
//! decisions on it.

use super::*;

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
pub(super) struct ShowPage {
    pub(super) page: Page,
    pub(super) title: String,
    pub(super) form: FormState,
    pub(super) notice: Option<String>,
    pub(super) org: OrganisationRow,
    pub(super) coordinator: bool,
    pub(super) owner: bool,
    pub(super) decisions: Vec<&'static str>,
    pub(super) members: Vec<MemberLine>,
    pub(super) invitations: Vec<InvitationLine>,
    pub(super) roles: Vec<&'static str>,
}

pub(super) async fn show_page(
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
    // The owners' contact form starts from what is stored.
    let form = if owner {
        form.or_value("acronym", org.acronym.as_deref().unwrap_or_default())
            .or_value("website", org.website.as_deref().unwrap_or_default())
            .or_value("contact_email", &org.contact_email)
            .or_value("description", &org.description)
    } else {
        form
    };
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
    pub(super) fait: String,
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
        "coordonnees" => Some("org-done-contact"),
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
pub(super) async fn act(
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
    pub(super) decision: String,
    #[serde(default)]
    #[validate(length(max = 4000))]
    pub(super) reason: String,
}

#[post("/organisations/{id}/decision")]
pub async fn decide(
    req: HttpRequest,
    state: web::Data<AppState>,
    CoordinatorPage(coordinator): CoordinatorPage,
    id: web::Path<i64>,
    form: web::Form<DecisionForm>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
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
        &coordinator,
        id,
        decision,
        Some(form.reason.clone()),
        origin_of(&req),
    )
    .await
    .map(|_| "decision");
    act(
        &req,
        &state,
        &coordinator,
        id,
        FormState::default(),
        outcome,
    )
    .await
}

#[derive(Deserialize)]
pub struct ContactForm {
    #[serde(default)]
    acronym: String,
    #[serde(default)]
    website: String,
    #[serde(default)]
    contact_email: String,
    #[serde(default)]
    description: String,
}

/// The owners rectify their organisation's contact data.
#[post("/organisations/{id}/coordonnees")]
pub async fn change_contact(
    req: HttpRequest,
    state: web::Data<AppState>,
    SignedInPage(identity): SignedInPage,
    id: web::Path<i64>,
    form: web::Form<ContactForm>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let f = form.into_inner();
    let contact = service::Contact {
        acronym: Some(f.acronym.clone()),
        website: Some(f.website.clone()),
        contact_email: f.contact_email.clone(),
        description: Some(f.description.clone()),
    };
    let outcome = service::change_contact(&state, &identity, id, contact, origin_of(&req))
        .await
        .map(|_| "coordonnees");
    let values = FormState::with_values([
        ("acronym", f.acronym.as_str()),
        ("website", f.website.as_str()),
        ("contact_email", f.contact_email.as_str()),
        ("description", f.description.as_str()),
    ]);
    act(&req, &state, &identity, id, values, outcome).await
}
