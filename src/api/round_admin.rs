//! Building and running rounds over the JSON API (coordinators).

use super::body::Json;
use actix_web::{HttpRequest, HttpResponse, delete, patch, post, put, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use super::caller::As;
use super::rounds::RoundView;
use crate::auth::identity::origin_of;
use crate::domain::rounds::{QuestionSpec, RoundDetail};
use crate::error::{AppError, Problem};
use crate::services::authority::{Coordinator, SecuredCoordinator};
use crate::services::round_admin::{
    self as service, ChapterInput, Part, QuestionInput, RoundInput, RoundPatch,
};
use crate::state::AppState;

#[derive(Debug, Deserialize, Validate, ToSchema)]
pub struct CreateRoundRequest {
    /// Lower-case letters, digits and single hyphens, 3 to 80 characters.
    #[validate(length(max = 200))]
    #[schema(min_length = 3, max_length = 80, pattern = "^[a-z0-9]+(-[a-z0-9]+)*$")]
    pub slug: String,
    #[validate(length(max = 1000))]
    pub title: String,
    #[validate(length(max = 10000))]
    #[serde(default)]
    pub summary: String,
    /// Markdown.
    #[validate(length(max = 200000))]
    pub body: Option<String>,
    pub opens_at: Option<DateTime<Utc>>,
    pub closes_at: DateTime<Utc>,
    /// `all_approved` or `invited`.
    #[validate(length(max = 20))]
    pub audience: String,
}

/// Distinguishes an absent field (keep) from `null` (clear).
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

#[derive(Debug, Default, Deserialize, Validate, ToSchema)]
pub struct PatchRoundRequest {
    #[validate(length(max = 1000))]
    pub title: Option<String>,
    #[validate(length(max = 10000))]
    pub summary: Option<String>,
    #[validate(length(max = 200000))]
    pub body: Option<String>,
    /// `null` removes the planned opening date.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<DateTime<Utc>>)]
    pub opens_at: Option<Option<DateTime<Utc>>>,
    pub closes_at: Option<DateTime<Utc>>,
    #[validate(length(max = 20))]
    pub audience: Option<String>,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
pub struct ChapterRequest {
    /// An upper-case letter, then up to 15 upper-case letters or digits (`E1`).
    #[validate(length(max = 40))]
    #[schema(pattern = "^[A-Z][A-Z0-9]{0,15}$")]
    pub code: String,
    #[validate(length(max = 1000))]
    pub title: String,
    #[validate(length(max = 20000))]
    pub description: Option<String>,
}

/// A question: `code`, `prompt`, `help`, `required`, then `kind` and its settings.
#[derive(Debug, Deserialize, Validate, ToSchema)]
pub struct QuestionRequest {
    /// Letters, digits, dots, hyphens and underscores, a letter or digit first (`E1.Q3`).
    #[validate(length(max = 64))]
    #[schema(pattern = "^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")]
    pub code: String,
    #[validate(length(max = 8000))]
    pub prompt: String,
    #[validate(length(max = 20000))]
    pub help: Option<String>,
    #[serde(default)]
    pub required: bool,
    #[serde(flatten)]
    pub spec: QuestionSpec,
}

impl From<QuestionRequest> for QuestionInput {
    fn from(q: QuestionRequest) -> Self {
        Self {
            code: q.code,
            prompt: q.prompt,
            help: q.help.unwrap_or_default(),
            required: q.required,
            spec: q.spec,
        }
    }
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
pub struct MoveRequest {
    /// `up` or `down`.
    #[validate(length(max = 10))]
    #[schema(pattern = "^(up|down)$")]
    pub direction: String,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
pub struct RoundInvitationsRequest {
    #[validate(length(min = 1, max = 1000))]
    pub organisation_ids: Vec<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InvitedView {
    /// How many organisations were newly invited.
    pub invited: usize,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
pub struct DuplicateRequest {
    #[validate(length(max = 200))]
    #[schema(min_length = 3, max_length = 80, pattern = "^[a-z0-9]+(-[a-z0-9]+)*$")]
    pub slug: String,
    /// The copy's title; the original's when absent.
    #[validate(length(max = 1000))]
    pub title: Option<String>,
}

fn view(state: &AppState, detail: RoundDetail) -> RoundView {
    RoundView::new(detail, state.clock.now())
}

#[utoipa::path(tag = "rounds", request_body = CreateRoundRequest, responses(
    (status = 201, description = "Created as a draft", body = RoundView),
    (status = 403, description = "Not a coordinator", body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "Slug already used", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "Invalid values", body = Problem, content_type = "application/problem+json"),
))]
#[post("/api/v1/rounds")]
pub async fn create(
    req: HttpRequest,
    state: web::Data<AppState>,
    As(coordinator): As<Coordinator>,
    body: Json<CreateRoundRequest>,
) -> Result<HttpResponse, AppError> {
    body.validate()?;
    let b = body.into_inner();
    let input = RoundInput {
        slug: b.slug,
        title: b.title,
        summary: b.summary,
        body: b.body.unwrap_or_default(),
        opens_at: b.opens_at,
        closes_at: b.closes_at,
        audience: b.audience,
    };
    let detail = service::create(&state, &coordinator, input, origin_of(&req)).await?;
    Ok(HttpResponse::Created().json(view(&state, detail)))
}

#[utoipa::path(tag = "rounds", params(("slug" = String, Path)), request_body = PatchRoundRequest, responses(
    (status = 200, description = "Updated", body = RoundView),
    (status = 409, description = "Not allowed in the round's state", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "Invalid values", body = Problem, content_type = "application/problem+json"),
))]
#[patch("/api/v1/rounds/{slug}")]
pub async fn update(
    req: HttpRequest,
    state: web::Data<AppState>,
    As(coordinator): As<Coordinator>,
    slug: web::Path<String>,
    body: Json<PatchRoundRequest>,
) -> Result<HttpResponse, AppError> {
    body.validate()?;
    let b = body.into_inner();
    let patch = RoundPatch {
        title: b.title,
        summary: b.summary,
        body: b.body,
        opens_at: b.opens_at,
        closes_at: b.closes_at,
        audience: b.audience,
    };
    let detail = service::update(
        &state,
        &coordinator,
        slug.into_inner(),
        patch,
        origin_of(&req),
    )
    .await?;
    Ok(HttpResponse::Ok().json(view(&state, detail)))
}

#[utoipa::path(tag = "rounds", params(("slug" = String, Path)), request_body = ChapterRequest, responses(
    (status = 201, description = "Chapter added", body = RoundView),
    (status = 409, description = "Duplicate code, or the round is open", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "Invalid values", body = Problem, content_type = "application/problem+json"),
))]
#[post("/api/v1/rounds/{slug}/chapters")]
pub async fn add_chapter(
    state: web::Data<AppState>,
    As(coordinator): As<Coordinator>,
    slug: web::Path<String>,
    body: Json<ChapterRequest>,
) -> Result<HttpResponse, AppError> {
    body.validate()?;
    let b = body.into_inner();
    let input = ChapterInput {
        code: b.code,
        title: b.title,
        description: b.description.unwrap_or_default(),
    };
    let detail = service::add_chapter(&state, &coordinator, slug.into_inner(), input).await?;
    Ok(HttpResponse::Created().json(view(&state, detail)))
}

#[utoipa::path(tag = "rounds", params(("slug" = String, Path), ("code" = String, Path, description = "Chapter code")), request_body = QuestionRequest, responses(
    (status = 201, description = "Question added", body = RoundView),
    (status = 409, description = "Duplicate code, or the round is open", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "Invalid settings", body = Problem, content_type = "application/problem+json"),
))]
#[post("/api/v1/rounds/{slug}/chapters/{code}/questions")]
pub async fn add_question(
    state: web::Data<AppState>,
    As(coordinator): As<Coordinator>,
    path: web::Path<(String, String)>,
    body: Json<QuestionRequest>,
) -> Result<HttpResponse, AppError> {
    body.validate()?;
    let (slug, chapter) = path.into_inner();
    let detail = service::add_question(
        &state,
        &coordinator,
        slug,
        chapter,
        body.into_inner().into(),
    )
    .await?;
    Ok(HttpResponse::Created().json(view(&state, detail)))
}

#[utoipa::path(tag = "rounds", params(("slug" = String, Path), ("code" = String, Path, description = "Question code")), request_body = QuestionRequest, responses(
    (status = 200, description = "Rewritten (once open: wording only, audited)", body = RoundView),
    (status = 409, description = "More than a wording fix on an open round", body = Problem, content_type = "application/problem+json"),
))]
#[put("/api/v1/rounds/{slug}/questions/{code}")]
pub async fn update_question(
    req: HttpRequest,
    state: web::Data<AppState>,
    As(coordinator): As<Coordinator>,
    path: web::Path<(String, String)>,
    body: Json<QuestionRequest>,
) -> Result<HttpResponse, AppError> {
    body.validate()?;
    let (slug, code) = path.into_inner();
    let mut input: QuestionInput = body.into_inner().into();
    if input.code != code {
        return Err(AppError::invalid(
            "code",
            "code_mismatch",
            "Le code d'une question ne change pas.",
        ));
    }
    input.code = code;
    let detail =
        service::update_question(&state, &coordinator, slug, input, origin_of(&req)).await?;
    Ok(HttpResponse::Ok().json(view(&state, detail)))
}

fn step(direction: &str) -> Result<i32, AppError> {
    match direction {
        "up" => Ok(-1),
        "down" => Ok(1),
        _ => Err(AppError::invalid(
            "direction",
            "invalid_direction",
            "Direction attendue : up ou down.",
        )),
    }
}

#[utoipa::path(tag = "rounds", params(("slug" = String, Path), ("code" = String, Path)), request_body = MoveRequest, responses(
    (status = 200, description = "Moved", body = RoundView),
    (status = 409, description = "The round is open, or already first or last", body = Problem, content_type = "application/problem+json"),
))]
#[post("/api/v1/rounds/{slug}/chapters/{code}/move")]
pub async fn move_chapter(
    state: web::Data<AppState>,
    As(coordinator): As<Coordinator>,
    path: web::Path<(String, String)>,
    body: Json<MoveRequest>,
) -> Result<HttpResponse, AppError> {
    let (slug, code) = path.into_inner();
    let detail = service::reorder(
        &state,
        &coordinator,
        slug,
        Part::Chapter,
        code,
        step(&body.direction)?,
    )
    .await?;
    Ok(HttpResponse::Ok().json(view(&state, detail)))
}

#[utoipa::path(tag = "rounds", params(("slug" = String, Path), ("code" = String, Path)), request_body = MoveRequest, responses(
    (status = 200, description = "Moved within its chapter", body = RoundView),
    (status = 409, description = "The round is open, or already first or last", body = Problem, content_type = "application/problem+json"),
))]
#[post("/api/v1/rounds/{slug}/questions/{code}/move")]
pub async fn move_question(
    state: web::Data<AppState>,
    As(coordinator): As<Coordinator>,
    path: web::Path<(String, String)>,
    body: Json<MoveRequest>,
) -> Result<HttpResponse, AppError> {
    let (slug, code) = path.into_inner();
    let detail = service::reorder(
        &state,
        &coordinator,
        slug,
        Part::Question,
        code,
        step(&body.direction)?,
    )
    .await?;
    Ok(HttpResponse::Ok().json(view(&state, detail)))
}

#[utoipa::path(tag = "rounds", params(("slug" = String, Path), ("code" = String, Path)), responses(
    (status = 200, description = "Deleted with its questions", body = RoundView),
    (status = 404, description = "No such round or chapter", body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "The round is no longer a draft: its structure is frozen", body = Problem, content_type = "application/problem+json"),
))]
#[delete("/api/v1/rounds/{slug}/chapters/{code}")]
pub async fn delete_chapter(
    req: HttpRequest,
    state: web::Data<AppState>,
    As(coordinator): As<Coordinator>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (slug, code) = path.into_inner();
    let detail = service::remove(
        &state,
        &coordinator,
        slug,
        Part::Chapter,
        code,
        origin_of(&req),
    )
    .await?;
    Ok(HttpResponse::Ok().json(view(&state, detail)))
}

#[utoipa::path(tag = "rounds", params(("slug" = String, Path), ("code" = String, Path)), responses(
    (status = 200, description = "Deleted", body = RoundView),
    (status = 404, description = "No such round or question", body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "The round is no longer a draft: its structure is frozen", body = Problem, content_type = "application/problem+json"),
))]
#[delete("/api/v1/rounds/{slug}/questions/{code}")]
pub async fn delete_question(
    req: HttpRequest,
    state: web::Data<AppState>,
    As(coordinator): As<Coordinator>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (slug, code) = path.into_inner();
    let detail = service::remove(
        &state,
        &coordinator,
        slug,
        Part::Question,
        code,
        origin_of(&req),
    )
    .await?;
    Ok(HttpResponse::Ok().json(view(&state, detail)))
}

#[utoipa::path(tag = "rounds", params(("slug" = String, Path)), responses(
    (status = 200, description = "Open (or scheduled when opens_at is still to come)", body = RoundView),
    (status = 403, description = "Not a coordinator, or two-factor sign-in off", body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "Not a draft (`conflict`), or not ready: no question, or deadline passed (`not_ready`, each named in `errors`)", body = Problem, content_type = "application/problem+json"),
))]
#[post("/api/v1/rounds/{slug}/open")]
pub async fn open(
    req: HttpRequest,
    state: web::Data<AppState>,
    As(coordinator): As<SecuredCoordinator>,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let detail = service::open(&state, &coordinator, slug.into_inner(), origin_of(&req)).await?;
    Ok(HttpResponse::Ok().json(view(&state, detail)))
}

#[utoipa::path(tag = "rounds", params(("slug" = String, Path)), responses(
    (status = 200, description = "Closed", body = RoundView),
    (status = 403, description = "Not a coordinator, or two-factor sign-in off", body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "Not open", body = Problem, content_type = "application/problem+json"),
))]
#[post("/api/v1/rounds/{slug}/close")]
pub async fn close(
    req: HttpRequest,
    state: web::Data<AppState>,
    As(coordinator): As<SecuredCoordinator>,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let detail = service::close(&state, &coordinator, slug.into_inner(), origin_of(&req)).await?;
    Ok(HttpResponse::Ok().json(view(&state, detail)))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct ArchiveParams {
    /// `keep` (default): the answers stay after archiving; `purge`: they are deleted
    /// once the retention period of archived answers has passed (`[privacy]
    /// archived_answers_months`). Drafts are deleted after their own period either way.
    #[param(pattern = "^(keep|purge)$")]
    pub answers: Option<String>,
}

#[utoipa::path(tag = "rounds", params(("slug" = String, Path), ArchiveParams), responses(
    (status = 200, description = "Archived", body = RoundView),
    (status = 403, description = "Not a coordinator, or two-factor sign-in off", body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "Not closed", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "`answers` neither keep nor purge", body = Problem, content_type = "application/problem+json"),
))]
#[post("/api/v1/rounds/{slug}/archive")]
pub async fn archive(
    req: HttpRequest,
    state: web::Data<AppState>,
    As(coordinator): As<SecuredCoordinator>,
    slug: web::Path<String>,
    params: web::Query<ArchiveParams>,
) -> Result<HttpResponse, AppError> {
    let kept = answers_kept(params.answers.as_deref())?;
    let slug = slug.into_inner();
    let detail = service::archive(&state, &coordinator, slug, origin_of(&req), kept).await?;
    Ok(HttpResponse::Ok().json(view(&state, detail)))
}

#[utoipa::path(tag = "rounds", params(("slug" = String, Path)), request_body = RoundInvitationsRequest, responses(
    (status = 200, description = "Invited", body = InvitedView),
    (status = 409, description = "The round is open to every approved organisation, or closed", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "An organisation unknown or not approved", body = Problem, content_type = "application/problem+json"),
))]
#[post("/api/v1/rounds/{slug}/invitations")]
pub async fn invite(
    req: HttpRequest,
    state: web::Data<AppState>,
    As(coordinator): As<Coordinator>,
    slug: web::Path<String>,
    body: Json<RoundInvitationsRequest>,
) -> Result<HttpResponse, AppError> {
    body.validate()?;
    let invited = service::invite(
        &state,
        &coordinator,
        slug.into_inner(),
        body.into_inner().organisation_ids,
        origin_of(&req),
    )
    .await?;
    Ok(HttpResponse::Ok().json(InvitedView { invited }))
}

#[utoipa::path(tag = "rounds", params(("slug" = String, Path)), request_body = DuplicateRequest, responses(
    (status = 201, description = "A new draft with the same structure", body = RoundView),
    (status = 409, description = "Slug already used", body = Problem, content_type = "application/problem+json"),
))]
#[post("/api/v1/rounds/{slug}/duplicate")]
pub async fn duplicate(
    req: HttpRequest,
    state: web::Data<AppState>,
    As(coordinator): As<Coordinator>,
    slug: web::Path<String>,
    body: Json<DuplicateRequest>,
) -> Result<HttpResponse, AppError> {
    body.validate()?;
    let b = body.into_inner();
    let detail = service::duplicate(
        &state,
        &coordinator,
        slug.into_inner(),
        b.slug,
        b.title,
        origin_of(&req),
    )
    .await?;
    Ok(HttpResponse::Created().json(view(&state, detail)))
}

/// `keep` (or nothing) or `purge`, as the API and the page say it.
pub(crate) fn answers_kept(said: Option<&str>) -> Result<bool, AppError> {
    match said {
        None | Some("") | Some("keep") => Ok(true),
        Some("purge") => Ok(false),
        Some(_) => Err(AppError::invalid(
            "answers",
            "unknown",
            "Valeur attendue : keep (garder les réponses) ou purge (les effacer après le délai de conservation).",
        )),
    }
}
