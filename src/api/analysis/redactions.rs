//! `…/redactions`: personal data masked in what is published, and its candidates.

use super::*;

#[derive(Debug, Serialize, ToSchema)]
pub struct RedactionOut {
    pub id: i64,
    pub answer_id: i64,
    pub response_id: i64,
    /// The passage as marked.
    pub passage: PassageView,
    pub reason: String,
    pub by: Option<String>,
    /// Where the passage is in the answer now; `null` when an edit removed it (nothing
    /// left to mask).
    pub now: Option<PassageView>,
}

fn redaction_out(view: RedactionView) -> RedactionOut {
    let row = view.seen.row;
    let now = match view.located {
        Located::Found(start, end) => Some(PassageView {
            start,
            end,
            text: row.passage.clone(),
        }),
        Located::ToReview => None,
    };
    RedactionOut {
        id: row.id,
        answer_id: row.answer_id,
        response_id: view.seen.response_id,
        passage: PassageView {
            start: row.passage_start as usize,
            end: row.passage_end as usize,
            text: row.passage,
        },
        reason: row.reason,
        by: view.seen.by,
        now,
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RedactionList {
    pub redactions: Vec<RedactionOut>,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct ResponseParam {
    /// Only this response's answers.
    pub response: Option<i64>,
}

#[utoipa::path(tag = "analysis", params(("slug" = String, Path), ResponseParam), responses(
    (status = 200, description = "The redactions, oldest first", body = RedactionList),
    (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
    (status = 403, description = "Not a coordinator, or two-factor sign-in off", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "No such round", body = Problem, content_type = "application/problem+json"),
))]
#[get("/api/v1/rounds/{slug}/redactions")]
pub async fn list_redactions(
    state: web::Data<AppState>,
    As(coordinator): As<SecuredCoordinator>,
    slug: web::Path<String>,
    params: web::Query<ResponseParam>,
) -> Result<HttpResponse, AppError> {
    let found =
        redaction_service::list(&state, &coordinator, slug.into_inner(), params.response).await?;
    Ok(HttpResponse::Ok().json(RedactionList {
        redactions: found.into_iter().map(redaction_out).collect(),
    }))
}

/// Personal data marked in a text answer: characters `start..end` (from 0, end excluded).
#[derive(Debug, Deserialize, Validate, ToSchema)]
pub struct RedactionRequest {
    pub answer: i64,
    #[schema(minimum = 0)]
    pub start: i64,
    #[schema(minimum = 1)]
    pub end: i64,
    /// Why: "nom d'un patient", "âge", "lieu"…
    #[validate(length(max = 1000))]
    pub reason: String,
}

#[utoipa::path(tag = "analysis", params(("slug" = String, Path)), request_body = RedactionRequest, responses(
    (status = 201, description = "Masked in what is published from now on; the answer itself is unchanged", body = RedactionOut),
    (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
    (status = 403, description = "Not a coordinator, or two-factor sign-in off", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "No such round", body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "This passage is already masked; or, named by their field, an answer not of the round or empty, a passage outside the answer's text or blank, an answer that is not a text", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "A reason missing, or unreadable values, each named", body = Problem, content_type = "application/problem+json"),
))]
#[post("/api/v1/rounds/{slug}/redactions")]
pub async fn redact(
    req: HttpRequest,
    state: web::Data<AppState>,
    As(coordinator): As<SecuredCoordinator>,
    slug: web::Path<String>,
    body: Json<RedactionRequest>,
) -> Result<HttpResponse, AppError> {
    body.validate()?;
    let b = body.into_inner();
    let asked = NewRedaction {
        answer: b.answer,
        start: b.start,
        end: b.end,
        reason: b.reason,
    };
    let made = redaction_service::redact(
        &state,
        &coordinator,
        slug.into_inner(),
        asked,
        origin_of(&req),
    )
    .await?;
    Ok(HttpResponse::Created().json(redaction_out(made)))
}

#[utoipa::path(tag = "analysis", params(("slug" = String, Path), ("id" = i64, Path)), responses(
    (status = 204, description = "No longer masked"),
    (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
    (status = 403, description = "Not a coordinator, or two-factor sign-in off", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "No such round, or no such redaction in it", body = Problem, content_type = "application/problem+json"),
))]
#[delete("/api/v1/rounds/{slug}/redactions/{id}")]
pub async fn unredact(
    req: HttpRequest,
    state: web::Data<AppState>,
    As(coordinator): As<SecuredCoordinator>,
    path: web::Path<(String, i64)>,
) -> Result<HttpResponse, AppError> {
    let (slug, id) = path.into_inner();
    redaction_service::remove(&state, &coordinator, slug, id, origin_of(&req)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Something that looks like personal data, for a person to confirm.
#[derive(Debug, Serialize, ToSchema)]
pub struct CandidateView {
    pub answer_id: i64,
    pub question: String,
    pub passage: PassageView,
    pub looks: Looks,
    /// The reason a confirmation would record.
    pub reason: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CandidateList {
    pub candidates: Vec<CandidateView>,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct CandidateParams {
    /// The response whose text answers are read.
    pub response: i64,
}

#[utoipa::path(tag = "analysis", params(("slug" = String, Path), CandidateParams), responses(
    (status = 200, description = "E-mail addresses, phone numbers, dates, ages and first name + name pairs found in the response's text answers and not yet masked; nothing is masked until confirmed (`POST …/redactions`)", body = CandidateList),
    (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
    (status = 403, description = "Not a coordinator, or two-factor sign-in off", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "No such round", body = Problem, content_type = "application/problem+json"),
))]
#[get("/api/v1/rounds/{slug}/redaction-candidates")]
pub async fn candidates(
    state: web::Data<AppState>,
    As(coordinator): As<SecuredCoordinator>,
    slug: web::Path<String>,
    params: web::Query<CandidateParams>,
) -> Result<HttpResponse, AppError> {
    let found =
        redaction_service::candidates(&state, &coordinator, slug.into_inner(), params.response)
            .await?;
    Ok(HttpResponse::Ok().json(CandidateList {
        candidates: found
            .into_iter()
            .map(|p| CandidateView {
                answer_id: p.answer_id,
                question: p.question,
                reason: p.candidate.looks.reason().to_owned(),
                looks: p.candidate.looks,
                passage: PassageView {
                    start: p.candidate.start,
                    end: p.candidate.end,
                    text: p.candidate.text,
                },
            })
            .collect(),
    }))
}
