//! Reading a response: the printable copy, and one answer's history.

use super::*;

#[derive(Template)]
#[template(path = "responses/copy.html")]
pub(super) struct CopyPage {
    pub(super) page: Page,
    pub(super) notice: Option<String>,
    pub(super) round_title: String,
    pub(super) organisation: String,
    pub(super) status: Progress,
    pub(super) submitted_at: Option<String>,
    /// The publication chosen, once submitted.
    pub(super) consent: Option<String>,
    pub(super) chapters: Vec<ChapterAnswers>,
    pub(super) slug: String,
    pub(super) org_id: i64,
    /// A member who may write, while the round is open: the copy offers to reopen.
    pub(super) reopenable: bool,
}

/// The printable copy of the response (print stylesheet), for members at any time.
#[get("/consultations/{slug}/reponse/{org}/copie")]
pub async fn copy(
    req: HttpRequest,
    state: web::Data<AppState>,
    SignedInPage(identity): SignedInPage,
    path: web::Path<(String, i64)>,
    query: web::Query<ChapterQuery>,
) -> Result<HttpResponse, AppError> {
    let (slug, org) = path.into_inner();
    let ctx = context(&req, &state, &identity, &slug, org).await?;
    let page = Page::new(&req);
    let submitted = ctx.response.status == Progress::Submitted;
    let reopenable = submitted
        && ctx.role.is_some_and(MemberRole::can_write)
        && ctx.detail.round.status_at(state.clock.now()) == RoundStatus::Open;
    let template = CopyPage {
        consent: submitted.then(|| {
            page.t.with(
                "copy-consent",
                "choice",
                &page
                    .t
                    .label("consent", ctx.response.publication_consent.as_str()),
            )
        }),
        slug: slug.clone(),
        org_id: org,
        reopenable,
        notice: (!query.fait.is_empty()).then(|| page.t.get("copy-submitted")),
        round_title: ctx.detail.round.title.clone(),
        status: ctx.response.status,
        submitted_at: ctx.response.submitted_at.map(|t| page.t.datetime(t)),
        chapters: answers_by_chapter(&ctx),
        organisation: ctx.organisation,
        page,
    };
    render_with_status(&template, StatusCode::OK)
}

#[derive(Template)]
#[template(path = "responses/history.html")]
pub(super) struct HistoryPage {
    pub(super) page: Page,
    pub(super) back: String,
    pub(super) code: String,
    pub(super) prompt: String,
    /// (version, when, who, answer as text), newest first.
    pub(super) versions: Vec<(i32, String, String, String)>,
}

/// Who changed an answer, what and when (the last 20 versions), for the members.
#[get("/consultations/{slug}/reponse/{org}/historique/{code}")]
pub async fn history(
    req: HttpRequest,
    state: web::Data<AppState>,
    SignedInPage(identity): SignedInPage,
    path: web::Path<(String, i64, String)>,
) -> Result<HttpResponse, AppError> {
    let (slug, org, code) = path.into_inner();
    let versions = service::history(&state, &identity, slug.clone(), org, code.clone()).await?;
    let detail = rounds::visible_round(&state.db, Some(&identity), slug.clone()).await?;
    let chapter = detail
        .chapters
        .iter()
        .find(|c| c.questions.iter().any(|q| q.code == code))
        .ok_or(AppError::NotFound)?;
    let question = chapter
        .questions
        .iter()
        .find(|q| q.code == code)
        .ok_or(AppError::NotFound)?;
    let page = Page::new(&req);
    let versions = versions
        .into_iter()
        .map(|(value, version, by, at)| {
            (
                version,
                page.t.datetime(at),
                by.unwrap_or_else(|| page.t.get("former-member")),
                for_reading(&question.spec, value.as_ref()),
            )
        })
        .collect();
    let template = HistoryPage {
        back: format!(
            "/consultations/{slug}/reponse/{org}?chapitre={}#question-{code}",
            chapter.chapter.code
        ),
        prompt: question.prompt.clone(),
        code,
        versions,
        page,
    };
    render_with_status(&template, StatusCode::OK)
}
