//! Coding and redacting a round's answers, for coordinators with the second factor:
//! `…/themes` (the codebook, its counts and the coders' agreement, suggestions), `…/tags`,
//! `…/redactions` and `…/duplicates` (near-identical answers, campaigns). Each handler reads the request, calls one service, shapes the
//! answer.

use actix_web::{HttpRequest, HttpResponse, delete, get, post, put, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use super::body::Json;
use super::caller::As;
use super::search::{FoundOrganisation, Piece, pieces};
use crate::auth::identity::origin_of;
use crate::domain::answers::AnswerValue;
use crate::domain::passages::Located;
use crate::domain::personal_data::Looks;
use crate::domain::similarity::DEFAULT_THRESHOLD;
use crate::error::{AppError, Problem};
use crate::services::authority::SecuredCoordinator;
use crate::services::duplicates;
use crate::services::redactions::{self, NewRedaction, RedactionView};
use crate::services::themes::{
    self, NewTag, TagFilter, TagView, ThemeInput, ThemeRow, ThemeSummary,
};
use crate::state::AppState;

/// A theme as a coordinator writes it.
#[derive(Debug, Deserialize, Validate, ToSchema)]
pub struct ThemeRequest {
    #[validate(length(max = 1000))]
    pub name: String,
    #[serde(default)]
    #[validate(length(max = 10000))]
    pub description: String,
    /// `#rrggbb`; the palette's next colour when absent (on creation) or kept (on update).
    #[schema(pattern = "^#[0-9a-fA-F]{6}$")]
    #[validate(length(max = 20))]
    pub colour: Option<String>,
    /// A theme of the same round to file this one under.
    pub parent: Option<i64>,
    /// Search queries that suggest answers, one a line (words, "phrases", prefixes*); a
    /// line without a word is dropped.
    #[serde(default)]
    #[validate(length(max = 20000))]
    pub keywords: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Theme {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub colour: String,
    pub parent: Option<i64>,
    /// The keyword rules, one query each.
    pub keywords: Vec<String>,
}

fn theme(row: ThemeRow) -> Theme {
    Theme {
        id: row.id,
        name: row.name,
        description: row.description,
        colour: row.colour,
        parent: row.parent_id,
        keywords: row.keywords.lines().map(str::to_owned).collect(),
    }
}

/// Answers tagged in one part of the round.
#[derive(Debug, Serialize, ToSchema)]
pub struct Count {
    /// A chapter's or question's code, or an organisation kind.
    pub key: String,
    pub answers: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Coder {
    pub id: i64,
    pub name: String,
}

/// Two coders' agreement on the theme, over the answers both coded.
#[derive(Debug, Serialize, ToSchema)]
pub struct AgreementView {
    pub first: Coder,
    pub second: Coder,
    pub answers: usize,
    /// Cohen's kappa; `null` when not defined (one same decision everywhere).
    pub kappa: Option<f64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ThemeCounts {
    #[serde(flatten)]
    pub theme: Theme,
    /// Answers tagged with the theme, by anyone.
    pub answers: i64,
    pub by_chapter: Vec<Count>,
    pub by_question: Vec<Count>,
    pub by_kind: Vec<Count>,
    pub agreement: Vec<AgreementView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Codebook {
    pub themes: Vec<ThemeCounts>,
}

fn counts(pairs: Vec<(String, i64)>) -> Vec<Count> {
    pairs
        .into_iter()
        .map(|(key, answers)| Count { key, answers })
        .collect()
}

fn counted(summary: ThemeSummary) -> ThemeCounts {
    let coder = |(id, name): (i64, String)| Coder { id, name };
    ThemeCounts {
        theme: theme(summary.theme),
        answers: summary.answers,
        by_chapter: counts(summary.by_chapter),
        by_question: counts(summary.by_question),
        by_kind: counts(summary.by_kind),
        agreement: summary
            .agreement
            .into_iter()
            .map(|a| AgreementView {
                first: coder(a.first),
                second: coder(a.second),
                answers: a.answers,
                kappa: a.kappa,
            })
            .collect(),
    }
}

fn input(body: ThemeRequest) -> ThemeInput {
    ThemeInput {
        name: body.name,
        description: body.description,
        colour: body.colour,
        parent: body.parent,
        keywords: body.keywords,
    }
}

#[utoipa::path(tag = "analysis", params(("slug" = String, Path)), responses(
    (status = 200, description = "The codebook with each theme's counts and the coders' agreement", body = Codebook),
    (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
    (status = 403, description = "Not a coordinator, or two-factor sign-in off", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "No such round", body = Problem, content_type = "application/problem+json"),
))]
#[get("/api/v1/rounds/{slug}/themes")]
pub async fn list_themes(
    state: web::Data<AppState>,
    As(coordinator): As<SecuredCoordinator>,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let summaries = themes::overview(&state, &coordinator, slug.into_inner()).await?;
    Ok(HttpResponse::Ok().json(Codebook {
        themes: summaries.into_iter().map(counted).collect(),
    }))
}

#[utoipa::path(tag = "analysis", params(("slug" = String, Path)), request_body = ThemeRequest, responses(
    (status = 201, description = "Created", body = Theme),
    (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
    (status = 403, description = "Not a coordinator, or two-factor sign-in off", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "No such round", body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "A name another theme of the round has (`name`), a parent not of the round or a cycle (`parent`)", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "Invalid values, each named", body = Problem, content_type = "application/problem+json"),
))]
#[post("/api/v1/rounds/{slug}/themes")]
pub async fn create_theme(
    req: HttpRequest,
    state: web::Data<AppState>,
    As(coordinator): As<SecuredCoordinator>,
    slug: web::Path<String>,
    body: Json<ThemeRequest>,
) -> Result<HttpResponse, AppError> {
    body.validate()?;
    let made = themes::create(
        &state,
        &coordinator,
        slug.into_inner(),
        input(body.into_inner()),
        origin_of(&req),
    )
    .await?;
    Ok(HttpResponse::Created().json(theme(made)))
}

#[utoipa::path(tag = "analysis", params(("slug" = String, Path), ("id" = i64, Path)), request_body = ThemeRequest, responses(
    (status = 200, description = "Replaced", body = Theme),
    (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
    (status = 403, description = "Not a coordinator, or two-factor sign-in off", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "No such round, or no such theme in it", body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "A name another theme of the round has (`name`), a parent not of the round or a cycle (`parent`)", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "Invalid values, each named", body = Problem, content_type = "application/problem+json"),
))]
#[put("/api/v1/rounds/{slug}/themes/{id}")]
pub async fn update_theme(
    req: HttpRequest,
    state: web::Data<AppState>,
    As(coordinator): As<SecuredCoordinator>,
    path: web::Path<(String, i64)>,
    body: Json<ThemeRequest>,
) -> Result<HttpResponse, AppError> {
    body.validate()?;
    let (slug, id) = path.into_inner();
    let input = input(body.into_inner());
    let made = themes::update(&state, &coordinator, slug, id, input, origin_of(&req)).await?;
    Ok(HttpResponse::Ok().json(theme(made)))
}

#[utoipa::path(tag = "analysis", params(("slug" = String, Path), ("id" = i64, Path)), responses(
    (status = 204, description = "Deleted with its tags; its sub-themes stay, without a parent"),
    (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
    (status = 403, description = "Not a coordinator, or two-factor sign-in off", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "No such round, or no such theme in it", body = Problem, content_type = "application/problem+json"),
))]
#[delete("/api/v1/rounds/{slug}/themes/{id}")]
pub async fn delete_theme(
    req: HttpRequest,
    state: web::Data<AppState>,
    As(coordinator): As<SecuredCoordinator>,
    path: web::Path<(String, i64)>,
) -> Result<HttpResponse, AppError> {
    let (slug, id) = path.into_inner();
    themes::delete(&state, &coordinator, slug, id, origin_of(&req)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// An answer a theme's keyword rules propose. Confirm it by tagging it (`POST …/tags`),
/// or dismiss it.
#[derive(Debug, Serialize, ToSchema)]
pub struct SuggestionView {
    pub answer_id: i64,
    pub response_id: i64,
    pub organisation: String,
    pub chapter: String,
    pub question: String,
    /// Where the answer matches a rule, its matches marked.
    pub excerpt: Vec<Piece>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Suggestions {
    pub theme: Theme,
    pub suggestions: Vec<SuggestionView>,
}

#[utoipa::path(tag = "analysis", params(("slug" = String, Path), ("id" = i64, Path)), responses(
    (status = 200, description = "Submitted answers the theme's rules match, not yet tagged with it nor dismissed (50 at most); nothing is tagged", body = Suggestions),
    (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
    (status = 403, description = "Not a coordinator, or two-factor sign-in off", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "No such round, or no such theme in it", body = Problem, content_type = "application/problem+json"),
))]
#[get("/api/v1/rounds/{slug}/themes/{id}/suggestions")]
pub async fn suggestions(
    state: web::Data<AppState>,
    As(coordinator): As<SecuredCoordinator>,
    path: web::Path<(String, i64)>,
) -> Result<HttpResponse, AppError> {
    let (slug, id) = path.into_inner();
    let (row, found) = themes::suggestions(&state, &coordinator, slug, id).await?;
    Ok(HttpResponse::Ok().json(Suggestions {
        theme: theme(row),
        suggestions: found
            .into_iter()
            .map(|hit| SuggestionView {
                answer_id: hit.answer_id,
                response_id: hit.response_id,
                organisation: hit.organisation,
                chapter: hit.chapter,
                question: hit.question,
                excerpt: pieces(&hit.excerpt),
            })
            .collect(),
    }))
}

#[utoipa::path(tag = "analysis", params(("slug" = String, Path), ("id" = i64, Path), ("answer" = i64, Path)), responses(
    (status = 204, description = "Not proposed again for this theme"),
    (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
    (status = 403, description = "Not a coordinator, or two-factor sign-in off", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "No such round, or no such theme in it", body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "No such answer in the round, or an empty one (`answer`)", body = Problem, content_type = "application/problem+json"),
))]
#[post("/api/v1/rounds/{slug}/themes/{id}/suggestions/{answer}/dismiss")]
pub async fn dismiss(
    req: HttpRequest,
    state: web::Data<AppState>,
    As(coordinator): As<SecuredCoordinator>,
    path: web::Path<(String, i64, i64)>,
) -> Result<HttpResponse, AppError> {
    let (slug, id, answer) = path.into_inner();
    themes::dismiss(&state, &coordinator, slug, id, answer, origin_of(&req)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// A passage: characters `start..end` of the answer as it is now (Unicode scalar values,
/// from 0, end excluded).
#[derive(Debug, Serialize, ToSchema)]
pub struct PassageView {
    pub start: usize,
    pub end: usize,
    pub text: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TagOut {
    pub id: i64,
    pub theme: i64,
    pub answer_id: i64,
    pub response_id: i64,
    pub organisation: String,
    pub organisation_kind: String,
    pub chapter: String,
    pub question: String,
    pub coder: Option<String>,
    /// `null`: the whole answer.
    pub passage: Option<PassageView>,
    /// `current`, or `to_review` when the passage was edited since it was tagged.
    #[schema(pattern = "^(current|to_review)$")]
    pub state: String,
}

fn tag_out(view: TagView) -> TagOut {
    let seen = view.seen;
    TagOut {
        id: seen.tag.id,
        theme: seen.tag.theme_id,
        answer_id: seen.tag.answer_id,
        response_id: seen.response_id,
        organisation: seen.organisation,
        organisation_kind: seen.organisation_kind,
        chapter: seen.chapter,
        question: seen.question,
        coder: seen.coder,
        passage: view
            .passage
            .map(|(start, end, text)| PassageView { start, end, text }),
        state: view.state.as_str().to_owned(),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TagList {
    pub tags: Vec<TagOut>,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct TagParams {
    /// Only this theme's tags.
    pub theme: Option<i64>,
    /// Only the tags on this response's answers.
    pub response: Option<i64>,
    /// Only the tags on this answer.
    pub answer: Option<i64>,
}

#[utoipa::path(tag = "analysis", params(("slug" = String, Path), TagParams), responses(
    (status = 200, description = "The tags, newest first (500 at most), each passage where it is now", body = TagList),
    (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
    (status = 403, description = "Not a coordinator, or two-factor sign-in off", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "No such round, or no such theme in it", body = Problem, content_type = "application/problem+json"),
))]
#[get("/api/v1/rounds/{slug}/tags")]
pub async fn list_tags(
    state: web::Data<AppState>,
    As(coordinator): As<SecuredCoordinator>,
    slug: web::Path<String>,
    params: web::Query<TagParams>,
) -> Result<HttpResponse, AppError> {
    let which = TagFilter {
        theme: params.theme,
        response: params.response,
        answer: params.answer,
    };
    let found = themes::tags(&state, &coordinator, slug.into_inner(), which).await?;
    Ok(HttpResponse::Ok().json(TagList {
        tags: found.into_iter().map(tag_out).collect(),
    }))
}

/// A theme put on an answer: the whole answer, or the passage `start..end` of a text
/// answer (characters, from 0, end excluded; one end alone runs to the text's other).
#[derive(Debug, Deserialize, ToSchema)]
pub struct TagRequest {
    pub theme: i64,
    pub answer: i64,
    #[schema(minimum = 0)]
    pub start: Option<i64>,
    #[schema(minimum = 1)]
    pub end: Option<i64>,
}

#[utoipa::path(tag = "analysis", params(("slug" = String, Path)), request_body = TagRequest, responses(
    (status = 201, description = "Tagged", body = TagOut),
    (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
    (status = 403, description = "Not a coordinator, or two-factor sign-in off", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "No such round", body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "You already put this theme on this passage; or, named by their field, a theme or answer not of the round, an empty answer, a passage outside the answer's text or blank, a passage of an answer that is not a text", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "Unreadable values, each named", body = Problem, content_type = "application/problem+json"),
))]
#[post("/api/v1/rounds/{slug}/tags")]
pub async fn tag(
    req: HttpRequest,
    state: web::Data<AppState>,
    As(coordinator): As<SecuredCoordinator>,
    slug: web::Path<String>,
    body: Json<TagRequest>,
) -> Result<HttpResponse, AppError> {
    let b = body.into_inner();
    let asked = NewTag {
        theme: b.theme,
        answer: b.answer,
        start: b.start,
        end: b.end,
    };
    let made = themes::tag(
        &state,
        &coordinator,
        slug.into_inner(),
        asked,
        origin_of(&req),
    )
    .await?;
    Ok(HttpResponse::Created().json(tag_out(made)))
}

#[utoipa::path(tag = "analysis", params(("slug" = String, Path), ("id" = i64, Path)), responses(
    (status = 204, description = "Untagged"),
    (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
    (status = 403, description = "Not a coordinator, or two-factor sign-in off", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "No such round, or no such tag in it", body = Problem, content_type = "application/problem+json"),
))]
#[delete("/api/v1/rounds/{slug}/tags/{id}")]
pub async fn untag(
    req: HttpRequest,
    state: web::Data<AppState>,
    As(coordinator): As<SecuredCoordinator>,
    path: web::Path<(String, i64)>,
) -> Result<HttpResponse, AppError> {
    let (slug, id) = path.into_inner();
    themes::untag(&state, &coordinator, slug, id, origin_of(&req)).await?;
    Ok(HttpResponse::NoContent().finish())
}

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
    let found = redactions::list(&state, &coordinator, slug.into_inner(), params.response).await?;
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
    let made = redactions::redact(
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
    redactions::remove(&state, &coordinator, slug, id, origin_of(&req)).await?;
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
#[get("/api/v1/rounds/{slug}/redactions/candidates")]
pub async fn candidates(
    state: web::Data<AppState>,
    As(coordinator): As<SecuredCoordinator>,
    slug: web::Path<String>,
    params: web::Query<CandidateParams>,
) -> Result<HttpResponse, AppError> {
    let found =
        redactions::candidates(&state, &coordinator, slug.into_inner(), params.response).await?;
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

/// The first `n` characters of a text, with an ellipsis when cut.
fn beginning(text: &str, n: usize) -> String {
    match text.char_indices().nth(n) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_owned(),
    }
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
        duplicates::duplicates(&state, &coordinator, slug.into_inner(), threshold, drafts).await?;
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
                        answer_id: m.answer_id,
                        response_id: m.response_id,
                        organisation: FoundOrganisation {
                            id: m.organisation_id,
                            name: m.organisation,
                            kind: m.organisation_kind,
                        },
                        question: m.question,
                        status: m.status,
                        beginning: match m.value {
                            Some(AnswerValue::Text(text)) => beginning(&text, 300),
                            _ => String::new(),
                        },
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
    let id = duplicates::mark(
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
    duplicates::unmark(&state, &coordinator, slug, id, origin_of(&req)).await?;
    Ok(HttpResponse::NoContent().finish())
}
