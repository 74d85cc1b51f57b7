//! The coding of one response: passages chosen with the keyboard, tagged or masked.

use super::*;

/// One answer of the coding view.
pub struct AnswerShown {
    pub id: i64,
    pub question: String,
    pub prompt: String,
    /// The text (a text answer) or the answer as read (others).
    pub text: String,
    /// A passage of it can be chosen (a text answer).
    pub passages: bool,
    pub tags: Vec<TagShown>,
    /// (id, passage, reason, still found in the text).
    pub redactions: Vec<(i64, String, String, bool)>,
    /// (start, end, text, reason) of what looks like personal data.
    pub candidates: Vec<(usize, usize, String, String)>,
}

#[derive(Template)]
#[template(path = "coordination/coding.html")]
struct CodingPage {
    page: Page,
    form: FormState,
    slug: String,
    org: i64,
    organisation: String,
    themes: Vec<(i64, String)>,
    answers: Vec<AnswerShown>,
}

async fn coding_page(
    req: &HttpRequest,
    state: &AppState,
    coordinator: &SecuredCoordinator,
    (slug, org): (String, i64),
    form: FormState,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let mut page = Page::new(req);
    page.has_errors = form.has_errors();
    let coding = themes::coding(state, coordinator, slug.clone(), org).await?;
    let names: Vec<(i64, String, String)> = coding
        .themes
        .iter()
        .map(|t| (t.id, t.name.clone(), t.colour.clone()))
        .collect();
    let tags: Vec<TagShown> = coding
        .tags
        .into_iter()
        .map(|t| tag_shown(t, &names))
        .collect();
    let answers = coding
        .answers
        .into_iter()
        .map(|a| {
            let passages = SEARCHED_KINDS.contains(&a.kind.as_str());
            let text = match &a.value {
                Some(AnswerValue::Text(text)) => text.clone(),
                Some(other) => other.to_value().to_string(),
                None => String::new(),
            };
            AnswerShown {
                tags: tags
                    .iter()
                    .filter(|t| t.answer_id == a.answer_id)
                    .cloned()
                    .collect(),
                redactions: coding
                    .redactions
                    .iter()
                    .filter(|r| r.seen.row.answer_id == a.answer_id)
                    .map(|r| {
                        let found = matches!(r.located, Located::Found(..));
                        (
                            r.seen.row.id,
                            r.seen.row.passage.clone(),
                            r.seen.row.reason.clone(),
                            found,
                        )
                    })
                    .collect(),
                candidates: coding
                    .candidates
                    .iter()
                    .filter(|c| c.answer_id == a.answer_id)
                    .map(|c| {
                        let c = &c.candidate;
                        (c.start, c.end, c.text.clone(), c.looks.reason().to_owned())
                    })
                    .collect(),
                id: a.answer_id,
                question: a.question,
                prompt: a.prompt,
                text,
                passages,
            }
        })
        .collect();
    let template = CodingPage {
        page,
        form,
        slug,
        org,
        organisation: coding.organisation,
        themes: names.into_iter().map(|(id, name, _)| (id, name)).collect(),
        answers,
    };
    render_with_status(&template, status)
}

#[get("/coordination/consultations/{slug}/codage/{org}")]
pub async fn coding_view(
    req: HttpRequest,
    state: web::Data<AppState>,
    SecuredCoordinatorPage(coordinator): SecuredCoordinatorPage,
    path: web::Path<(String, i64)>,
) -> Result<HttpResponse, AppError> {
    let form = FormState::default();
    coding_page(
        &req,
        &state,
        &coordinator,
        path.into_inner(),
        form,
        StatusCode::OK,
    )
    .await
}

/// A passage chosen in the coding view: tagged (`theme`) or masked (`reason`).
#[derive(Deserialize)]
pub struct PassageForm {
    answer: i64,
    #[serde(default)]
    theme: String,
    #[serde(default)]
    start: String,
    #[serde(default)]
    end: String,
    #[serde(default)]
    reason: String,
}

/// A position typed in the form: empty is none; anything else must be a number.
pub(super) fn position(field: &str, value: &str) -> Result<Option<i64>, AppError> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    value.parse().map(Some).map_err(|_| {
        AppError::invalid(
            field,
            "invalid_number",
            "un numéro de caractère est attendu",
        )
    })
}

#[post("/coordination/consultations/{slug}/codage/{org}/{action}")]
pub async fn code_passage(
    req: HttpRequest,
    state: web::Data<AppState>,
    SecuredCoordinatorPage(coordinator): SecuredCoordinatorPage,
    path: web::Path<(String, i64, String)>,
    form: web::Form<PassageForm>,
) -> Result<HttpResponse, AppError> {
    let (slug, org, action) = path.into_inner();
    let f = form.into_inner();
    let origin = origin_of(&req);
    let outcome = async {
        let (start, end) = (position("start", &f.start)?, position("end", &f.end)?);
        match action.as_str() {
            "etiqueter" => {
                let theme = f
                    .theme
                    .parse()
                    .map_err(|_| AppError::invalid("theme", "required", "choisissez un thème"))?;
                let asked = NewTag {
                    theme,
                    answer: f.answer,
                    start,
                    end,
                };
                themes::tag(&state, &coordinator, slug.clone(), asked, origin).await?;
            }
            "masquer" => {
                let asked = NewRedaction {
                    answer: f.answer,
                    start: start.unwrap_or(-1),
                    end: end.unwrap_or(-1),
                    reason: f.reason.clone(),
                };
                redactions::redact(&state, &coordinator, slug.clone(), asked, origin).await?;
            }
            _ => return Err(AppError::NotFound),
        }
        Ok(())
    }
    .await;
    match outcome {
        Ok(()) => Ok(see_other(&format!(
            "{}/codage/{org}#reponse-{}",
            base(&slug),
            f.answer
        ))),
        Err(error) => {
            let mut form = FormState::with_values([
                ("start", f.start.as_str()),
                ("end", f.end.as_str()),
                ("reason", f.reason.as_str()),
            ]);
            let status = form.absorb(error, &Page::new(&req).t)?;
            coding_page(&req, &state, &coordinator, (slug, org), form, status).await
        }
    }
}

#[post("/coordination/consultations/{slug}/codage/{org}/retirer/{kind}/{id}")]
pub async fn uncode(
    req: HttpRequest,
    state: web::Data<AppState>,
    SecuredCoordinatorPage(coordinator): SecuredCoordinatorPage,
    path: web::Path<(String, i64, String, i64)>,
) -> Result<HttpResponse, AppError> {
    let (slug, org, kind, id) = path.into_inner();
    let origin = origin_of(&req);
    match kind.as_str() {
        "etiquette" => themes::untag(&state, &coordinator, slug.clone(), id, origin).await?,
        "masquage" => redactions::remove(&state, &coordinator, slug.clone(), id, origin).await?,
        _ => return Err(AppError::NotFound),
    }
    Ok(see_other(&format!("{}/codage/{org}", base(&slug))))
}
