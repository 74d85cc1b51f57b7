//! An organisation's response to a round over the JSON API.

use super::body::Json;
use std::collections::BTreeMap;

use actix_web::{HttpRequest, HttpResponse, get, patch, post, put, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;
use validator::Validate;

use super::caller::As;
use crate::auth::identity::{SignedIn, origin_of};
use crate::domain::answers::AnswerValue;
use crate::domain::responses::{Progress, PublicationConsent};
use crate::error::{AppError, Problem};
use crate::services::authority::Coordinator;
use crate::services::responses::{self as service, AnswerWrite, ResponseView};
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct AnswerView {
    /// The answer's id (what tags and redactions name).
    pub id: i64,
    /// Shaped by the question's kind; `null` when cleared.
    pub value: Option<AnswerValue>,
    pub version: i32,
    pub updated_by: Option<String>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ResponseBody {
    pub status: Progress,
    pub submitted_at: Option<DateTime<Utc>>,
    /// Never chosen in advance: `none` until the response is submitted.
    pub publication_consent: PublicationConsent,
    pub answers: BTreeMap<String, AnswerView>,
    /// The collective contribution the response was prefilled from, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub established_from: Option<EstablishedFrom>,
}

/// Where a response comes from: a federation's published synthesis relayed to it.
#[derive(Debug, Serialize, ToSchema)]
pub struct EstablishedFrom {
    /// "Établie à partir de la contribution collective « … », version N".
    pub said: String,
    /// The published version's title.
    pub title: String,
    /// The round whose synthesis it is.
    pub round: String,
    pub version: i32,
    pub relayed_at: DateTime<Utc>,
}

impl From<ResponseView> for ResponseBody {
    fn from(v: ResponseView) -> Self {
        Self {
            status: v.status,
            submitted_at: v.submitted_at,
            publication_consent: v.publication_consent,
            established_from: v.established_from.map(|s| EstablishedFrom {
                said: s.said(),
                title: s.title,
                round: s.round,
                version: s.version,
                relayed_at: s.relayed_at.and_utc(),
            }),
            answers: v
                .answers
                .into_iter()
                .map(|a| {
                    (
                        a.question_code,
                        AnswerView {
                            id: a.id,
                            value: a.value,
                            version: a.version,
                            updated_by: a.updated_by,
                            updated_at: a.updated_at.and_utc(),
                        },
                    )
                })
                .collect(),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct AnswerRequest {
    /// Shaped by the question's kind (checked against it); `null` clears the answer.
    #[schema(value_type = Option<AnswerValue>)]
    pub value: Value,
    /// The version you saw; without it the write is unconditional.
    #[serde(default)]
    pub version: Option<i32>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct VersionView {
    pub version: i32,
}

/// Answers written by one request (the document says so beside the type; a unit test
/// keeps the two equal).
pub const MAX_ANSWERS_AT_ONCE: usize = 500;

#[derive(Debug, Deserialize, ToSchema)]
pub struct AnswersRequest {
    #[schema(schema_with = answers_by_code)]
    pub answers: BTreeMap<String, AnswerRequest>,
}

fn answers_by_code() -> utoipa::openapi::Object {
    use utoipa::openapi::{ObjectBuilder, Ref, RefOr, schema::AdditionalProperties};
    ObjectBuilder::new()
        .description(Some(format!(
            "By question code; 1 to {MAX_ANSWERS_AT_ONCE} of them."
        )))
        .additional_properties(Some(AdditionalProperties::RefOr(RefOr::Ref(
            Ref::from_schema_name("AnswerRequest"),
        ))))
        .min_properties(Some(1))
        .max_properties(Some(MAX_ANSWERS_AT_ONCE))
        .build()
}

#[derive(Debug, Serialize, ToSchema)]
pub struct VersionsView {
    pub versions: BTreeMap<String, i32>,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
pub struct SubmitRequest {
    /// `attributed`, `anonymous` or `none`.
    #[validate(length(max = 20))]
    pub publication_consent: String,
}

#[utoipa::path(tag = "responses", params(("slug" = String, Path), ("org" = i64, Path)), responses(
    (status = 200, description = "The response with its answers and versions", body = ResponseBody),
    (status = 404, description = "Unknown, or not the caller's organisation", body = Problem, content_type = "application/problem+json"),
))]
#[get("/api/v1/rounds/{slug}/responses/{org}")]
pub async fn show(
    state: web::Data<AppState>,
    user: SignedIn,
    path: web::Path<(String, i64)>,
) -> Result<HttpResponse, AppError> {
    let (slug, org) = path.into_inner();
    let view = service::read(&state, &user.0, slug, org).await?;
    Ok(HttpResponse::Ok().json(ResponseBody::from(view)))
}

#[utoipa::path(tag = "responses", params(("slug" = String, Path), ("org" = i64, Path), ("question_code" = String, Path)), request_body = AnswerRequest, responses(
    (status = 200, description = "Saved", body = VersionView),
    (status = 403, description = "Viewer, coordinator, or organisation not approved", body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "Stale version (with the current value), round not open, or response submitted", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "Invalid value", body = Problem, content_type = "application/problem+json"),
))]
#[put("/api/v1/rounds/{slug}/responses/{org}/answers/{question_code}")]
pub async fn put_answer(
    state: web::Data<AppState>,
    user: SignedIn,
    path: web::Path<(String, i64, String)>,
    body: Json<AnswerRequest>,
) -> Result<HttpResponse, AppError> {
    let (slug, org, code) = path.into_inner();
    let body = body.into_inner();
    let writes = BTreeMap::from([(
        code.clone(),
        AnswerWrite {
            value: body.value,
            version: body.version,
        },
    )]);
    let versions = service::write_answers(&state, &user.0, slug, org, writes).await?;
    Ok(HttpResponse::Ok().json(VersionView {
        version: versions[&code],
    }))
}

#[utoipa::path(tag = "responses", params(("slug" = String, Path), ("org" = i64, Path)), request_body = AnswersRequest, responses(
    (status = 200, description = "All saved", body = VersionsView),
    (status = 409, description = "A version is stale (nothing saved)", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "Every invalid answer listed (nothing saved)", body = Problem, content_type = "application/problem+json"),
))]
#[patch("/api/v1/rounds/{slug}/responses/{org}/answers")]
pub async fn patch_answers(
    state: web::Data<AppState>,
    user: SignedIn,
    path: web::Path<(String, i64)>,
    body: Json<AnswersRequest>,
) -> Result<HttpResponse, AppError> {
    if !(1..=MAX_ANSWERS_AT_ONCE).contains(&body.answers.len()) {
        return Err(AppError::invalid(
            "answers",
            "count",
            "Entre 1 et 500 réponses à la fois.",
        ));
    }
    let (slug, org) = path.into_inner();
    let writes = body
        .into_inner()
        .answers
        .into_iter()
        .map(|(code, a)| {
            (
                code,
                AnswerWrite {
                    value: a.value,
                    version: a.version,
                },
            )
        })
        .collect();
    let versions = service::write_answers(&state, &user.0, slug, org, writes).await?;
    Ok(HttpResponse::Ok().json(VersionsView { versions }))
}

#[utoipa::path(tag = "responses", params(("slug" = String, Path), ("org" = i64, Path)), request_body = SubmitRequest, responses(
    (status = 200, description = "Submitted; every member gets a receipt", body = ResponseBody),
    (status = 409, description = "Round not open, or already submitted (`conflict`), or required answers missing (`not_ready`, each listed by code and title in `errors`)", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "Unknown consent", body = Problem, content_type = "application/problem+json"),
))]
#[post("/api/v1/rounds/{slug}/responses/{org}/submit")]
pub async fn submit(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: SignedIn,
    path: web::Path<(String, i64)>,
    body: Json<SubmitRequest>,
) -> Result<HttpResponse, AppError> {
    body.validate()?;
    let (slug, org) = path.into_inner();
    let view = service::submit(
        &state,
        &user.0,
        slug,
        org,
        body.into_inner().publication_consent,
        origin_of(&req),
    )
    .await?;
    Ok(HttpResponse::Ok().json(ResponseBody::from(view)))
}

#[utoipa::path(tag = "responses", params(("slug" = String, Path), ("org" = i64, Path)), responses(
    (status = 200, description = "Back to draft", body = ResponseBody),
    (status = 409, description = "Round not open, or response not submitted", body = Problem, content_type = "application/problem+json"),
))]
#[post("/api/v1/rounds/{slug}/responses/{org}/reopen")]
pub async fn reopen(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: SignedIn,
    path: web::Path<(String, i64)>,
) -> Result<HttpResponse, AppError> {
    let (slug, org) = path.into_inner();
    let view = service::reopen(&state, &user.0, slug, org, origin_of(&req)).await?;
    Ok(HttpResponse::Ok().json(ResponseBody::from(view)))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProgressLine {
    pub organisation_id: i64,
    pub organisation_name: String,
    pub status: Progress,
    pub answered: i64,
    pub missing_required: i64,
    pub last_activity: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProgressTotals {
    pub organisations: usize,
    pub not_started: usize,
    pub draft: usize,
    pub submitted: usize,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProgressView {
    pub totals: ProgressTotals,
    pub organisations: Vec<ProgressLine>,
}

#[utoipa::path(tag = "responses", params(("slug" = String, Path)), responses(
    (status = 200, description = "Per eligible organisation: status, answered, missing required, last activity", body = ProgressView),
    (status = 403, description = "Not a coordinator", body = Problem, content_type = "application/problem+json"),
))]
#[get("/api/v1/rounds/{slug}/progress")]
pub async fn progress(
    state: web::Data<AppState>,
    As(coordinator): As<Coordinator>,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let (_, lines) = service::progress(&state, &coordinator, slug.into_inner()).await?;
    let count = |status: Progress| lines.iter().filter(|l| l.status == status).count();
    let totals = ProgressTotals {
        organisations: lines.len(),
        not_started: count(Progress::NotStarted),
        draft: count(Progress::Draft),
        submitted: count(Progress::Submitted),
    };
    let organisations = lines
        .into_iter()
        .map(|p| ProgressLine {
            organisation_id: p.organisation_id,
            organisation_name: p.organisation_name,
            status: p.status,
            answered: p.answered,
            missing_required: p.missing_required,
            last_activity: p.last_activity.map(|t| t.and_utc()),
        })
        .collect();
    Ok(HttpResponse::Ok().json(ProgressView {
        totals,
        organisations,
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RemindedView {
    /// Organisations reminded (those that had not submitted).
    pub reminded: usize,
}

#[utoipa::path(tag = "responses", params(("slug" = String, Path)), responses(
    (status = 200, description = "Reminder queued for every organisation that has not submitted", body = RemindedView),
    (status = 403, description = "Not a coordinator", body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "Round not open", body = Problem, content_type = "application/problem+json"),
))]
#[post("/api/v1/rounds/{slug}/reminders")]
pub async fn remind(
    req: HttpRequest,
    state: web::Data<AppState>,
    As(coordinator): As<Coordinator>,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let reminded =
        service::remind_now(&state, &coordinator, slug.into_inner(), origin_of(&req)).await?;
    Ok(HttpResponse::Ok().json(RemindedView { reminded }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HistoryEntry {
    pub value: Option<AnswerValue>,
    pub version: i32,
    pub changed_by: Option<String>,
    pub changed_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HistoryView {
    /// Newest first, the last 20 versions.
    pub versions: Vec<HistoryEntry>,
}

#[utoipa::path(tag = "responses", params(("slug" = String, Path), ("org" = i64, Path), ("question_code" = String, Path)), responses(
    (status = 200, description = "Who changed the answer, what and when", body = HistoryView),
    (status = 404, description = "Unknown, or not the caller's organisation", body = Problem, content_type = "application/problem+json"),
))]
#[get("/api/v1/rounds/{slug}/responses/{org}/answers/{question_code}/history")]
pub async fn history(
    state: web::Data<AppState>,
    user: SignedIn,
    path: web::Path<(String, i64, String)>,
) -> Result<HttpResponse, AppError> {
    let (slug, org, code) = path.into_inner();
    let versions = service::history(&state, &user.0, slug, org, code)
        .await?
        .into_iter()
        .map(|(value, version, changed_by, changed_at)| HistoryEntry {
            value,
            version,
            changed_by,
            changed_at,
        })
        .collect();
    Ok(HttpResponse::Ok().json(HistoryView { versions }))
}
