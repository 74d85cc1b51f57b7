//! `…/duplicates`: near-identical long answers, and campaigns.

use super::*;

#[derive(Debug, Deserialize, IntoParams)]
pub struct DuplicateParams {
    /// Estimated share of three-word sequences in common from which two answers are
    /// grouped, from 0.5 to 1 (identical); 0.8 when absent.
    #[param(minimum = 0.5, maximum = 1.0)]
    pub threshold: Option<f64>,
    /// `true`: drafts too (by default, submitted responses only).
    pub drafts: Option<bool>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GroupMember {
    pub answer_id: i64,
    pub response_id: i64,
    pub organisation: FoundOrganisation,
    pub question: String,
    /// `draft` or `submitted`.
    pub status: String,
    /// The answer's first 300 characters.
    pub beginning: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CampaignRef {
    pub id: i64,
    pub name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GroupView {
    pub size: usize,
    /// The campaign the whole group was marked as.
    pub campaign: Option<CampaignRef>,
    pub members: Vec<GroupMember>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Duplicates {
    pub threshold: f64,
    /// Long answers compared.
    pub compared: usize,
    /// Signatures computed for this request: the long answers written since the last.
    pub computed: usize,
    /// Groups of two answers or more, largest first.
    pub groups: Vec<GroupView>,
}

#[utoipa::path(tag = "analysis", params(("slug" = String, Path), DuplicateParams), responses(
    (status = 200, description = "Groups of identical or near-identical long answers", body = Duplicates),
    (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
    (status = 403, description = "Not a coordinator, or two-factor sign-in off", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "No such round", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "A threshold out of 0.5–1 (`threshold`)", body = Problem, content_type = "application/problem+json"),
))]
#[get("/api/v1/rounds/{slug}/duplicates")]
pub async fn find_duplicates(
    state: web::Data<AppState>,
    As(coordinator): As<SecuredCoordinator>,
    slug: web::Path<String>,
    params: web::Query<DuplicateParams>,
) -> Result<HttpResponse, AppError> {
    let threshold = params.threshold.unwrap_or(DEFAULT_THRESHOLD);
    let drafts = params.drafts.unwrap_or(false);
    let found =
        duplicate_service::duplicates(&state, &coordinator, slug.into_inner(), threshold, drafts)
            .await?;
    Ok(HttpResponse::Ok().json(Duplicates {
        threshold,
        compared: found.compared,
        computed: found.computed,
        groups: found
            .groups
            .into_iter()
            .map(|group| GroupView {
                size: group.members.len(),
                campaign: group.campaign.map(|(id, name)| CampaignRef { id, name }),
                members: group
                    .members
                    .into_iter()
                    .map(|m| GroupMember {
                        beginning: duplicate_service::beginning(&m, 300),
                        answer_id: m.answer_id,
                        response_id: m.response_id,
                        organisation: FoundOrganisation {
                            id: m.organisation_id,
                            name: m.organisation,
                            kind: m.organisation_kind,
                        },
                        question: m.question,
                        status: m.status,
                    })
                    .collect(),
            })
            .collect(),
    }))
}

/// A group marked as one organised campaign.
#[derive(Debug, Deserialize, Validate, ToSchema)]
pub struct CampaignRequest {
    #[validate(length(max = 1000))]
    pub name: String,
    /// The group's answers (long answers of the round, none in a campaign yet).
    #[schema(min_items = 2, max_items = 100000)]
    pub answers: Vec<i64>,
}

#[utoipa::path(tag = "analysis", params(("slug" = String, Path)), request_body = CampaignRequest, responses(
    (status = 201, description = "Marked", body = CampaignRef),
    (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
    (status = 403, description = "Not a coordinator, or two-factor sign-in off", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "No such round", body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "An answer already belongs to a campaign, or is not a long answer of the round (`answers`)", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "A name missing, fewer than two answers", body = Problem, content_type = "application/problem+json"),
))]
#[post("/api/v1/rounds/{slug}/duplicates/campaigns")]
pub async fn mark_campaign(
    req: HttpRequest,
    state: web::Data<AppState>,
    As(coordinator): As<SecuredCoordinator>,
    slug: web::Path<String>,
    body: Json<CampaignRequest>,
) -> Result<HttpResponse, AppError> {
    body.validate()?;
    let b = body.into_inner();
    let name = b.name.trim().to_owned();
    let id = duplicate_service::mark(
        &state,
        &coordinator,
        slug.into_inner(),
        b.name,
        b.answers,
        origin_of(&req),
    )
    .await?;
    Ok(HttpResponse::Created().json(CampaignRef { id, name }))
}

#[utoipa::path(tag = "analysis", params(("slug" = String, Path), ("id" = i64, Path)), responses(
    (status = 204, description = "No longer a campaign"),
    (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
    (status = 403, description = "Not a coordinator, or two-factor sign-in off", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "No such round, or no such campaign in it", body = Problem, content_type = "application/problem+json"),
))]
#[delete("/api/v1/rounds/{slug}/duplicates/campaigns/{id}")]
pub async fn unmark_campaign(
    req: HttpRequest,
    state: web::Data<AppState>,
    As(coordinator): As<SecuredCoordinator>,
    path: web::Path<(String, i64)>,
) -> Result<HttpResponse, AppError> {
    let (slug, id) = path.into_inner();
    duplicate_service::unmark(&state, &coordinator, slug, id, origin_of(&req)).await?;
    Ok(HttpResponse::NoContent().finish())
}
