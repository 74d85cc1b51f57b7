//! Organisations over the JSON API.

use super::body::Json;
use actix_web::{HttpRequest, HttpResponse, delete, get, post, put, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use super::caller::As;
use crate::auth::identity::{SignedIn, origin_of};
use crate::domain::organisations::{MemberRole, OrganisationKind, OrganisationStatus};
use crate::error::{AppError, Problem};
use crate::services::authority::Coordinator;
use crate::services::organisations::{self as service, Decision, Registration};
use crate::state::AppState;
use crate::store::organisations::{Filter, OrganisationRow};

#[derive(Debug, Serialize, ToSchema)]
pub struct OrganisationView {
    pub id: i64,
    pub name: String,
    pub acronym: Option<String>,
    pub kind: OrganisationKind,
    /// RNA (`W` + 9 digits) or SIREN (9 digits).
    pub legal_id: String,
    pub website: Option<String>,
    pub contact_email: String,
    pub description: String,
    pub status: OrganisationStatus,
    /// Why it was rejected or suspended.
    pub status_reason: Option<String>,
    pub created_at: DateTime<Utc>,
    /// The caller's role in it, if a member.
    pub my_role: Option<MemberRole>,
}

impl OrganisationView {
    pub fn new(row: OrganisationRow, my_role: Option<MemberRole>) -> Self {
        Self {
            kind: row.kind(),
            status: row.status(),
            id: row.id,
            name: row.name,
            acronym: row.acronym,
            legal_id: row.legal_id,
            website: row.website,
            contact_email: row.contact_email,
            description: row.description,
            status_reason: row.status_reason,
            created_at: row.created_at.and_utc(),
            my_role,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OrganisationList {
    pub organisations: Vec<OrganisationView>,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
pub struct RegisterOrganisationRequest {
    #[validate(length(max = 400))]
    pub name: String,
    #[validate(length(max = 60))]
    pub acronym: Option<String>,
    /// One of `patient_association`, `user_association`, `federation`,
    /// `consumer_association`, `professional_body`, `public_body`, `other`.
    #[validate(length(max = 40))]
    pub kind: String,
    #[validate(length(max = 40))]
    pub legal_id: String,
    #[validate(length(max = 600))]
    pub website: Option<String>,
    #[validate(length(max = 320))]
    pub contact_email: String,
    #[validate(length(max = 4000))]
    pub description: Option<String>,
}

/// What an organisation's owners may change after registering (its name, kind and legal
/// identifier stay as approved).
#[derive(Debug, Deserialize, Validate, ToSchema)]
pub struct ContactRequest {
    #[validate(length(max = 60))]
    pub acronym: Option<String>,
    #[validate(length(max = 600))]
    pub website: Option<String>,
    #[validate(length(max = 320))]
    pub contact_email: String,
    #[validate(length(max = 4000))]
    pub description: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct ListQuery {
    /// Coordinators only: `pending`, `approved`, `rejected`, `suspended`.
    pub status: Option<String>,
    /// Coordinators only: an organisation kind.
    pub kind: Option<String>,
    /// Coordinators only: part of the name, acronym or legal identifier.
    pub q: Option<String>,
}

#[derive(Debug, Default, Deserialize, Validate, ToSchema)]
pub struct ReasonRequest {
    /// Sent to the organisation's owners.
    #[validate(length(max = 4000))]
    pub reason: Option<String>,
}

/// A rejection's body, as documented: the same shape as [`ReasonRequest`] (the handler
/// reads that), with the reason required.
#[derive(Debug, ToSchema)]
#[allow(dead_code)]
pub struct RejectRequest {
    /// Sent to the organisation's owners.
    pub reason: String,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
pub struct InvitationRequest {
    #[validate(length(max = 320))]
    pub email: String,
    /// `owner`, `editor` or `viewer`.
    #[validate(length(max = 20))]
    pub role: String,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
pub struct AcceptRequest {
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    pub token: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AcceptedView {
    pub organisation_id: i64,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
pub struct RoleRequest {
    /// `owner`, `editor` or `viewer`.
    #[validate(length(max = 20))]
    pub role: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MemberView {
    pub user_id: i64,
    pub email: String,
    pub display_name: String,
    pub role: MemberRole,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MemberList {
    pub members: Vec<MemberView>,
}

#[utoipa::path(
    tag = "organisations",
    request_body = RegisterOrganisationRequest,
    responses(
        (status = 201, description = "Registered, pending approval; the caller is its owner", body = OrganisationView),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Legal identifier already registered", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid values", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/api/v1/organisations")]
pub async fn register(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: SignedIn,
    body: Json<RegisterOrganisationRequest>,
) -> Result<HttpResponse, AppError> {
    body.validate()?;
    let b = body.into_inner();
    let input = Registration {
        name: b.name,
        acronym: b.acronym,
        kind: b.kind,
        legal_id: b.legal_id,
        website: b.website,
        contact_email: b.contact_email,
        description: b.description,
    };
    let row = service::register(&state, &user.0, input, origin_of(&req)).await?;
    Ok(HttpResponse::Created().json(OrganisationView::new(row, Some(MemberRole::Owner))))
}

#[utoipa::path(
    tag = "organisations",
    params(ListQuery),
    responses(
        (status = 200, description = "Coordinators: every organisation (filtered); others: their own", body = OrganisationList),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/api/v1/organisations")]
pub async fn list(
    state: web::Data<AppState>,
    user: SignedIn,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let query = query.into_inner();
    let filter = Filter {
        status: query.status.as_deref().and_then(OrganisationStatus::parse),
        kind: query.kind.as_deref().and_then(OrganisationKind::parse),
        search: query.q,
    };
    let rows = service::list(&state, &user.0, filter).await?;
    Ok(HttpResponse::Ok().json(OrganisationList {
        organisations: rows
            .into_iter()
            .map(|(o, r)| OrganisationView::new(o, r))
            .collect(),
    }))
}

#[utoipa::path(
    tag = "organisations",
    params(("org" = i64, Path, description = "The organisation's id")),
    responses(
        (status = 200, description = "The organisation", body = OrganisationView),
        (status = 404, description = "Unknown, or not visible to the caller", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/api/v1/organisations/{org}")]
pub async fn show(
    state: web::Data<AppState>,
    user: SignedIn,
    org: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let (row, role) = service::visible(&state, &user.0, org.into_inner()).await?;
    Ok(HttpResponse::Ok().json(OrganisationView::new(row, role)))
}

#[utoipa::path(
    tag = "organisations",
    params(("org" = i64, Path, description = "The organisation's id")),
    request_body = ContactRequest,
    responses(
        (status = 200, description = "Changed (audited)", body = OrganisationView),
        (status = 403, description = "A member who is not an owner, or a coordinator", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Unknown, or not the caller's", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid values", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/api/v1/organisations/{org}/contact")]
pub async fn change_contact(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: SignedIn,
    org: web::Path<i64>,
    body: Json<ContactRequest>,
) -> Result<HttpResponse, AppError> {
    body.validate()?;
    let b = body.into_inner();
    let contact = service::Contact {
        acronym: b.acronym,
        website: b.website,
        contact_email: b.contact_email,
        description: b.description,
    };
    let row = service::change_contact(&state, &user.0, org.into_inner(), contact, origin_of(&req))
        .await?;
    Ok(HttpResponse::Ok().json(OrganisationView::new(row, Some(MemberRole::Owner))))
}

async fn decide(
    req: HttpRequest,
    state: web::Data<AppState>,
    As(coordinator): As<Coordinator>,
    org: i64,
    decision: Decision,
    body: Option<Json<ReasonRequest>>,
) -> Result<HttpResponse, AppError> {
    let body = body.map(Json::into_inner).unwrap_or_default();
    body.validate()?;
    let row = service::decide(
        &state,
        &coordinator,
        org,
        decision,
        body.reason,
        origin_of(&req),
    )
    .await?;
    Ok(HttpResponse::Ok().json(OrganisationView::new(row, None)))
}

#[utoipa::path(tag = "organisations", params(("org" = i64, Path)), responses(
    (status = 200, description = "Approved", body = OrganisationView),
    (status = 403, description = "Not a coordinator", body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "Not pending", body = Problem, content_type = "application/problem+json"),
))]
#[post("/api/v1/organisations/{org}/approve")]
pub async fn approve(
    req: HttpRequest,
    state: web::Data<AppState>,
    who: As<Coordinator>,
    org: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    decide(req, state, who, org.into_inner(), Decision::Approve, None).await
}

#[utoipa::path(tag = "organisations", params(("org" = i64, Path)), request_body = RejectRequest, responses(
    (status = 200, description = "Rejected; owners emailed with the reason", body = OrganisationView),
    (status = 403, description = "Not a coordinator", body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "Not pending", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "Reason missing", body = Problem, content_type = "application/problem+json"),
))]
#[post("/api/v1/organisations/{org}/reject")]
pub async fn reject(
    req: HttpRequest,
    state: web::Data<AppState>,
    who: As<Coordinator>,
    org: web::Path<i64>,
    body: Option<Json<ReasonRequest>>,
) -> Result<HttpResponse, AppError> {
    decide(req, state, who, org.into_inner(), Decision::Reject, body).await
}

#[utoipa::path(tag = "organisations", params(("org" = i64, Path)), request_body = ReasonRequest, responses(
    (status = 200, description = "Suspended: keeps its data, cannot write", body = OrganisationView),
    (status = 403, description = "Not a coordinator", body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "Not approved", body = Problem, content_type = "application/problem+json"),
))]
#[post("/api/v1/organisations/{org}/suspend")]
pub async fn suspend(
    req: HttpRequest,
    state: web::Data<AppState>,
    who: As<Coordinator>,
    org: web::Path<i64>,
    body: Option<Json<ReasonRequest>>,
) -> Result<HttpResponse, AppError> {
    decide(req, state, who, org.into_inner(), Decision::Suspend, body).await
}

#[utoipa::path(tag = "organisations", params(("org" = i64, Path)), responses(
    (status = 200, description = "Approved again", body = OrganisationView),
    (status = 403, description = "Not a coordinator", body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "Not suspended", body = Problem, content_type = "application/problem+json"),
))]
#[post("/api/v1/organisations/{org}/reinstate")]
pub async fn reinstate(
    req: HttpRequest,
    state: web::Data<AppState>,
    who: As<Coordinator>,
    org: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    decide(req, state, who, org.into_inner(), Decision::Reinstate, None).await
}

#[utoipa::path(tag = "organisations", params(("org" = i64, Path)), request_body = InvitationRequest, responses(
    (status = 201, description = "Invitation emailed (single use, 7 days)", body = crate::api::auth::StatusView),
    (status = 403, description = "Member but not owner", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "Not a member", body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "Already a member", body = Problem, content_type = "application/problem+json"),
))]
#[post("/api/v1/organisations/{org}/invitations")]
pub async fn invite(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: SignedIn,
    org: web::Path<i64>,
    body: Json<InvitationRequest>,
) -> Result<HttpResponse, AppError> {
    body.validate()?;
    service::invite(
        &state,
        &user.0,
        org.into_inner(),
        &body.email,
        &body.role,
        origin_of(&req),
    )
    .await?;
    Ok(HttpResponse::Created().json(crate::api::auth::StatusView { status: "invited" }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InvitationView {
    pub id: i64,
    pub email: String,
    pub role: MemberRole,
    /// Who sent it (absent when that account is gone).
    pub invited_by: Option<String>,
    pub created_at: DateTime<Utc>,
    /// Past: the link no longer works; send it again for a new one.
    pub expires_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InvitationList {
    pub invitations: Vec<InvitationView>,
}

#[utoipa::path(tag = "organisations", params(("org" = i64, Path)), responses(
    (status = 200, description = "Invitations not yet used (expired ones included), newest first", body = InvitationList),
    (status = 403, description = "Member but not owner", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "Not a member", body = Problem, content_type = "application/problem+json"),
))]
#[get("/api/v1/organisations/{org}/invitations")]
pub async fn invitations(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: SignedIn,
    org: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let pending =
        service::pending_invitations(&state, &user.0, org.into_inner(), origin_of(&req)).await?;
    let invitations = pending
        .into_iter()
        .map(|i| InvitationView {
            id: i.id,
            email: i.email,
            role: MemberRole::parse(&i.role).unwrap_or(MemberRole::Viewer),
            invited_by: i.invited_by,
            created_at: i.created_at.and_utc(),
            expires_at: i.expires_at.and_utc(),
        })
        .collect();
    Ok(HttpResponse::Ok().json(InvitationList { invitations }))
}

#[utoipa::path(tag = "organisations", params(("org" = i64, Path), ("invitation" = i64, Path)), responses(
    (status = 200, description = "Emailed again with a new link (the old one stops working) and a new expiry", body = crate::api::auth::StatusView),
    (status = 403, description = "Not an owner, or the organisation is not approved", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "No such unused invitation", body = Problem, content_type = "application/problem+json"),
))]
#[post("/api/v1/organisations/{org}/invitations/{invitation}/resend")]
pub async fn resend_invitation(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: SignedIn,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, AppError> {
    let (org, invitation) = path.into_inner();
    service::resend_invitation(&state, &user.0, org, invitation, origin_of(&req)).await?;
    Ok(HttpResponse::Ok().json(crate::api::auth::StatusView { status: "invited" }))
}

#[utoipa::path(tag = "organisations", params(("org" = i64, Path), ("invitation" = i64, Path)), responses(
    (status = 204, description = "Cancelled: its link no longer works"),
    (status = 403, description = "Not an owner", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "No such unused invitation", body = Problem, content_type = "application/problem+json"),
))]
#[delete("/api/v1/organisations/{org}/invitations/{invitation}")]
pub async fn cancel_invitation(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: SignedIn,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, AppError> {
    let (org, invitation) = path.into_inner();
    service::cancel_invitation(&state, &user.0, org, invitation, origin_of(&req)).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[utoipa::path(tag = "organisations", request_body = AcceptRequest, responses(
    (status = 200, description = "Joined", body = AcceptedView),
    (status = 403, description = "Invitation for another address", body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "Unknown, used or expired invitation (`invalid_token`)", body = Problem, content_type = "application/problem+json"),
))]
#[post("/api/v1/invitations/accept")]
pub async fn accept(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: SignedIn,
    body: Json<AcceptRequest>,
) -> Result<HttpResponse, AppError> {
    body.validate()?;
    let organisation_id =
        service::accept_invitation(&state, &user.0, &body.token, origin_of(&req)).await?;
    Ok(HttpResponse::Ok().json(AcceptedView { organisation_id }))
}

#[utoipa::path(tag = "organisations", params(("org" = i64, Path)), responses(
    (status = 200, description = "Members, owners first", body = MemberList),
    (status = 404, description = "Unknown, or not visible", body = Problem, content_type = "application/problem+json"),
))]
#[get("/api/v1/organisations/{org}/members")]
pub async fn members(
    state: web::Data<AppState>,
    user: SignedIn,
    org: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let members = service::members(&state, &user.0, org.into_inner()).await?;
    let members = members
        .into_iter()
        .map(|(role, a)| MemberView {
            user_id: a.id,
            email: a.email,
            display_name: a.display_name,
            role,
        })
        .collect();
    Ok(HttpResponse::Ok().json(MemberList { members }))
}

#[utoipa::path(tag = "organisations", params(("org" = i64, Path), ("user" = i64, Path)), request_body = RoleRequest, responses(
    (status = 200, description = "Role changed", body = crate::api::auth::StatusView),
    (status = 403, description = "Not an owner", body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "Would leave no owner", body = Problem, content_type = "application/problem+json"),
))]
#[put("/api/v1/organisations/{org}/members/{user}")]
pub async fn change_role(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: SignedIn,
    path: web::Path<(i64, i64)>,
    body: Json<RoleRequest>,
) -> Result<HttpResponse, AppError> {
    body.validate()?;
    let (org, member) = path.into_inner();
    service::change_role(&state, &user.0, org, member, &body.role, origin_of(&req)).await?;
    Ok(HttpResponse::Ok().json(crate::api::auth::StatusView { status: "updated" }))
}

#[utoipa::path(tag = "organisations", params(("org" = i64, Path), ("user" = i64, Path)), responses(
    (status = 204, description = "Removed (or left)"),
    (status = 403, description = "Not an owner", body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "Would leave no owner", body = Problem, content_type = "application/problem+json"),
))]
#[delete("/api/v1/organisations/{org}/members/{user}")]
pub async fn remove_member(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: SignedIn,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, AppError> {
    let (org, member) = path.into_inner();
    service::remove_member(&state, &user.0, org, member, origin_of(&req)).await?;
    Ok(HttpResponse::NoContent().finish())
}
