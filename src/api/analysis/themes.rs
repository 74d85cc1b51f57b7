//! `…/themes` and `…/tags`: the codebook, its counts, suggestions, tags.

use super::*;

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
    let summaries = theme_service::overview(&state, &coordinator, slug.into_inner()).await?;
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
    let made = theme_service::create(
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
    let made =
        theme_service::update(&state, &coordinator, slug, id, input, origin_of(&req)).await?;
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
    theme_service::delete(&state, &coordinator, slug, id, origin_of(&req)).await?;
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
    let (row, found) = theme_service::suggestions(&state, &coordinator, slug, id).await?;
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
                excerpt: pieces(hit.excerpt),
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
    theme_service::dismiss(&state, &coordinator, slug, id, answer, origin_of(&req)).await?;
    Ok(HttpResponse::NoContent().finish())
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
    let found = theme_service::tags(&state, &coordinator, slug.into_inner(), which).await?;
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
    let made = theme_service::tag(
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
    theme_service::untag(&state, &coordinator, slug, id, origin_of(&req)).await?;
    Ok(HttpResponse::NoContent().finish())
}
