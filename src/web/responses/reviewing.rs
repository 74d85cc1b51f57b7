//! The review page: every answer by chapter, what is missing, the publication
//! consent (never ticked in advance), submission and reopening.

use super::*;

pub struct AnswerLine {
    pub code: String,
    pub prompt: String,
    pub required: bool,
    /// Required and unanswered: a submission would be refused for it.
    pub missing: bool,
    pub text: String,
}

pub struct ChapterAnswers {
    pub code: String,
    pub title: String,
    pub answers: Vec<AnswerLine>,
}

pub struct MissingLine {
    pub chapter: String,
    pub code: String,
    pub prompt: String,
}

pub(super) fn answers_by_chapter(ctx: &Context) -> Vec<ChapterAnswers> {
    ctx.detail
        .chapters
        .iter()
        .map(|c| ChapterAnswers {
            code: c.chapter.code.clone(),
            title: c.chapter.title.clone(),
            answers: c
                .questions
                .iter()
                .map(|q| AnswerLine {
                    code: q.code.clone(),
                    prompt: q.prompt.clone(),
                    required: q.required,
                    missing: q.required && !service::answered(&ctx.response.answers, &q.code),
                    text: for_reading(&q.spec, stored_value(&ctx.response, &q.code).0.as_ref()),
                })
                .collect(),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "responses/review.html")]
pub(super) struct ReviewPage {
    pub(super) page: Page,
    pub(super) form: FormState,
    pub(super) notice: Option<String>,
    /// (sentence, source round) when prefilled from a collective contribution.
    pub(super) established_from: Option<(String, String)>,
    pub(super) slug: String,
    pub(super) org_id: i64,
    pub(super) round_title: String,
    pub(super) organisation: String,
    pub(super) status: Progress,
    pub(super) writable: bool,
    pub(super) reopenable: bool,
    pub(super) chapters: Vec<ChapterAnswers>,
    pub(super) missing: Vec<MissingLine>,
    /// Required questions still unanswered, shown before the Submit button is pressed.
    pub(super) to_complete: Vec<MissingLine>,
    /// The consent shown chosen: the one just sent back with a refusal, else the one
    /// of a response submitted before (and reopened); never a default.
    pub(super) consent: String,
    pub(super) consents: &'static [PublicationConsent],
}

pub(super) async fn review_page(
    req: &HttpRequest,
    state: &AppState,
    identity: &Identity,
    (slug, org): (String, i64),
    form: FormState,
    notice_key: Option<&str>,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let ctx = context(req, state, identity, &slug, org).await?;
    let mut page = Page::new(req);
    page.has_errors = form.has_errors();
    let now = state.clock.now();
    let writer = ctx.role.is_some_and(MemberRole::can_write)
        && ctx.detail.round.status_at(now) == RoundStatus::Open;
    // Missing answers are listed with links to their question, by chapter.
    let missing = form
        .errors
        .iter()
        .filter_map(|e| {
            let code = e.field.strip_prefix("answers.")?;
            let chapter = ctx
                .detail
                .chapters
                .iter()
                .find(|c| c.questions.iter().any(|q| q.code == code))?;
            let q = chapter.questions.iter().find(|q| q.code == code)?;
            Some(MissingLine {
                chapter: chapter.chapter.code.clone(),
                code: code.to_owned(),
                prompt: q.prompt.clone(),
            })
        })
        .collect();
    let consent = match form.value("publication_consent") {
        "" if ctx.response.submitted_at.is_some() => {
            ctx.response.publication_consent.as_str().to_owned()
        }
        chosen => chosen.to_owned(),
    };
    let to_complete = service::missing_required(&ctx.detail, &ctx.response.answers)
        .map(|(chapter, q)| MissingLine {
            chapter: chapter.to_owned(),
            code: q.code.clone(),
            prompt: q.prompt.clone(),
        })
        .collect();
    let template = ReviewPage {
        to_complete,
        consent,
        consents: PublicationConsent::ALL,
        notice: notice_key.map(|k| page.t.get(k)),
        established_from: super::established_from(&page, &ctx.response),
        round_title: ctx.detail.round.title.clone(),
        status: ctx.response.status,
        writable: writer && ctx.response.status != Progress::Submitted,
        reopenable: writer && ctx.response.status == Progress::Submitted,
        chapters: answers_by_chapter(&ctx),
        organisation: ctx.organisation,
        slug,
        org_id: org,
        missing,
        form,
        page,
    };
    render_with_status(&template, status)
}

#[get("/consultations/{slug}/reponse/{org}/relecture")]
pub async fn review(
    req: HttpRequest,
    state: web::Data<AppState>,
    SignedInPage(identity): SignedInPage,
    path: web::Path<(String, i64)>,
) -> Result<HttpResponse, AppError> {
    let (slug, org) = path.into_inner();
    review_page(
        &req,
        &state,
        &identity,
        (slug, org),
        FormState::default(),
        None,
        StatusCode::OK,
    )
    .await
}

#[derive(Deserialize)]
pub struct SubmitForm {
    #[serde(default)]
    pub(super) publication_consent: String,
}

#[post("/consultations/{slug}/reponse/{org}/soumettre")]
pub async fn submit(
    req: HttpRequest,
    state: web::Data<AppState>,
    SignedInPage(identity): SignedInPage,
    path: web::Path<(String, i64)>,
    form: web::Form<SubmitForm>,
) -> Result<HttpResponse, AppError> {
    let (slug, org) = path.into_inner();
    match service::submit(
        &state,
        &identity,
        slug.clone(),
        org,
        form.publication_consent.clone(),
        crate::auth::identity::origin_of(&req),
    )
    .await
    {
        Ok(_) => Ok(see_other(&format!(
            "/consultations/{slug}/reponse/{org}/copie?fait=1"
        ))),
        Err(error) => {
            // The choice made stays made.
            let mut shown = FormState::with_values([(
                "publication_consent",
                form.publication_consent.as_str(),
            )]);
            let status = shown.absorb(error, &Page::new(&req).t)?;
            review_page(&req, &state, &identity, (slug, org), shown, None, status).await
        }
    }
}

#[post("/consultations/{slug}/reponse/{org}/rouvrir")]
pub async fn reopen(
    req: HttpRequest,
    state: web::Data<AppState>,
    SignedInPage(identity): SignedInPage,
    path: web::Path<(String, i64)>,
) -> Result<HttpResponse, AppError> {
    let (slug, org) = path.into_inner();
    match service::reopen(
        &state,
        &identity,
        slug.clone(),
        org,
        crate::auth::identity::origin_of(&req),
    )
    .await
    {
        Ok(_) => Ok(see_other(&format!("/consultations/{slug}/reponse/{org}"))),
        Err(error) => {
            let mut shown = FormState::default();
            let status = shown.absorb(error, &Page::new(&req).t)?;
            review_page(&req, &state, &identity, (slug, org), shown, None, status).await
        }
    }
}
