//! The coordinators' reading pages (second factor required): the codebook with its
//! counts (`…/themes`), one theme's passages and suggestions (`…/themes/{id}`), the
//! coding of one response — passages chosen with the keyboard, tagged or masked
//! (`…/codage/{org}`) — and the near-identical answers (`…/doublons`). Every page works
//! without script; `concerto.js` only fills a passage's positions from a selection.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;

use super::charts::{Bar, horizontal};
use super::extract::SecuredCoordinatorPage;
use super::forms::FormState;
use super::pages::{Page, render_with_status};
use super::redirects::see_other;
use crate::auth::identity::origin_of;
use crate::domain::answers::AnswerValue;
use crate::domain::passages::Located;
use crate::domain::search::SEARCHED_KINDS;
use crate::domain::similarity::{DEFAULT_THRESHOLD, LOWEST_THRESHOLD};
use crate::error::AppError;
use crate::i18n::Tr;
use crate::services::authority::SecuredCoordinator;
use crate::services::duplicates;
use crate::services::redactions::{self, NewRedaction};
use crate::services::search::excerpt_pieces;
use crate::services::themes::{self, NewTag, TagFilter, TagState, ThemeInput};
use crate::state::AppState;

fn base(slug: &str) -> String {
    format!("/coordination/consultations/{slug}")
}

/// A count shown as a bar and as a table row: (label, answers).
pub struct Counted {
    pub svg: String,
    pub rows: Vec<(String, i64)>,
}

fn counted(rows: Vec<(String, i64)>, summary: &str) -> Counted {
    let bars: Vec<Bar<'_>> = rows
        .iter()
        .map(|(label, n)| Bar {
            label,
            count: *n as usize,
            value: n.to_string(),
        })
        .collect();
    let svg = horizontal(&bars, summary);
    Counted { svg, rows }
}

/// A kappa with two decimals, as the page's language writes it.
fn decimal(t: &Tr, value: f64) -> String {
    let text = format!("{value:.2}");
    match t.lang {
        crate::i18n::Lang::Fr => text.replace('.', ","),
        crate::i18n::Lang::En => text,
    }
}

pub struct ThemeShown {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub colour: String,
    pub parent: Option<String>,
    pub keywords: Vec<String>,
    pub answers: i64,
    pub by_chapter: Counted,
    pub by_kind: Counted,
    /// (first coder, second coder, answers both coded, kappa as written).
    pub agreement: Vec<(String, String, usize, String)>,
}

#[derive(Template)]
#[template(path = "coordination/themes.html")]
struct ThemesPage {
    page: Page,
    form: FormState,
    slug: String,
    themes: Vec<ThemeShown>,
    palette: &'static [&'static str],
}

async fn themes_page(
    req: &HttpRequest,
    state: &AppState,
    coordinator: &SecuredCoordinator,
    slug: String,
    form: FormState,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let mut page = Page::new(req);
    page.has_errors = form.has_errors();
    let summaries = themes::overview(state, coordinator, slug.clone()).await?;
    let names: Vec<(i64, String)> = summaries
        .iter()
        .map(|s| (s.theme.id, s.theme.name.clone()))
        .collect();
    let t = &page.t;
    let kappa = |k: Option<f64>| match k {
        Some(k) => decimal(t, k),
        None => t.get("themes-kappa-undefined"),
    };
    let themes = summaries
        .into_iter()
        .map(|s| {
            let kinds = s
                .by_kind
                .into_iter()
                .map(|(kind, n)| (t.label("org-kind", &kind), n))
                .collect();
            ThemeShown {
                id: s.theme.id,
                parent: s
                    .theme
                    .parent_id
                    .and_then(|p| names.iter().find(|(id, _)| *id == p))
                    .map(|(_, name)| name.clone()),
                by_chapter: counted(
                    s.by_chapter,
                    &t.with("themes-chart-chapters", "theme", &s.theme.name),
                ),
                by_kind: counted(kinds, &t.with("themes-chart-kinds", "theme", &s.theme.name)),
                agreement: s
                    .agreement
                    .into_iter()
                    .map(|a| (a.first.1, a.second.1, a.answers, kappa(a.kappa)))
                    .collect(),
                keywords: s.theme.keywords.lines().map(str::to_owned).collect(),
                name: s.theme.name,
                description: s.theme.description,
                colour: s.theme.colour,
                answers: s.answers,
            }
        })
        .collect();
    let template = ThemesPage {
        page,
        form,
        slug,
        themes,
        palette: &crate::domain::themes::PALETTE,
    };
    render_with_status(&template, status)
}

#[get("/coordination/consultations/{slug}/themes")]
pub async fn codebook(
    req: HttpRequest,
    state: web::Data<AppState>,
    SecuredCoordinatorPage(coordinator): SecuredCoordinatorPage,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let form = FormState::default();
    themes_page(
        &req,
        &state,
        &coordinator,
        slug.into_inner(),
        form,
        StatusCode::OK,
    )
    .await
}

#[derive(Deserialize)]
pub struct ThemeForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    colour: String,
    #[serde(default)]
    parent: String,
    #[serde(default)]
    keywords: String,
}

#[post("/coordination/consultations/{slug}/themes")]
pub async fn create_theme(
    req: HttpRequest,
    state: web::Data<AppState>,
    SecuredCoordinatorPage(coordinator): SecuredCoordinatorPage,
    slug: web::Path<String>,
    form: web::Form<ThemeForm>,
) -> Result<HttpResponse, AppError> {
    let (slug, f) = (slug.into_inner(), form.into_inner());
    let input = ThemeInput {
        name: f.name.clone(),
        description: f.description.clone(),
        colour: (!f.colour.is_empty()).then(|| f.colour.clone()),
        parent: f.parent.parse().ok(),
        keywords: f.keywords.clone(),
    };
    match themes::create(&state, &coordinator, slug.clone(), input, origin_of(&req)).await {
        Ok(made) => Ok(see_other(&format!(
            "{}/themes#theme-{}",
            base(&slug),
            made.id
        ))),
        Err(error) => {
            let mut form = FormState::with_values([
                ("name", f.name.as_str()),
                ("description", f.description.as_str()),
                ("colour", f.colour.as_str()),
                ("keywords", f.keywords.as_str()),
            ]);
            let status = form.absorb(error, &Page::new(&req).t)?;
            themes_page(&req, &state, &coordinator, slug, form, status).await
        }
    }
}

#[post("/coordination/consultations/{slug}/themes/{id}/supprimer")]
pub async fn delete_theme(
    req: HttpRequest,
    state: web::Data<AppState>,
    SecuredCoordinatorPage(coordinator): SecuredCoordinatorPage,
    path: web::Path<(String, i64)>,
) -> Result<HttpResponse, AppError> {
    let (slug, id) = path.into_inner();
    themes::delete(&state, &coordinator, slug.clone(), id, origin_of(&req)).await?;
    Ok(see_other(&format!("{}/themes", base(&slug))))
}

/// A tag as listed.
pub struct TagShown {
    pub id: i64,
    pub organisation: String,
    pub organisation_id: i64,
    pub question: String,
    /// `None`: the whole answer.
    pub passage: Option<String>,
    pub to_review: bool,
    pub coder: String,
    pub theme: String,
    pub colour: String,
}

/// A suggestion as listed.
pub struct SuggestionShown {
    pub answer_id: i64,
    pub organisation: String,
    pub organisation_id: i64,
    pub question: String,
    pub excerpt: Vec<(String, bool)>,
}

#[derive(Template)]
#[template(path = "coordination/theme.html")]
struct ThemePage {
    page: Page,
    slug: String,
    id: i64,
    name: String,
    colour: String,
    tags: Vec<TagShown>,
    suggestions: Vec<SuggestionShown>,
    has_rules: bool,
}

fn tag_shown(view: themes::TagView, names: &[(i64, String, String)]) -> TagShown {
    let (theme, colour) = names
        .iter()
        .find(|(id, _, _)| *id == view.seen.tag.theme_id)
        .map(|(_, n, c)| (n.clone(), c.clone()))
        .unwrap_or_default();
    TagShown {
        id: view.seen.tag.id,
        organisation: view.seen.organisation,
        organisation_id: view.seen.organisation_id,
        question: view.seen.question,
        passage: view.passage.map(|(_, _, text)| text),
        to_review: view.state == TagState::ToReview,
        coder: view.seen.coder.unwrap_or_default(),
        theme,
        colour,
    }
}

#[get("/coordination/consultations/{slug}/themes/{id}")]
pub async fn theme_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    SecuredCoordinatorPage(coordinator): SecuredCoordinatorPage,
    path: web::Path<(String, i64)>,
) -> Result<HttpResponse, AppError> {
    let (slug, id) = path.into_inner();
    let (row, found) = themes::suggestions(&state, &coordinator, slug.clone(), id).await?;
    let which = TagFilter {
        theme: Some(id),
        ..TagFilter::default()
    };
    let tags = themes::tags(&state, &coordinator, slug.clone(), which).await?;
    let names = [(row.id, row.name.clone(), row.colour.clone())];
    let template = ThemePage {
        page: Page::new(&req),
        id,
        has_rules: !row.keywords.is_empty(),
        tags: tags.into_iter().map(|t| tag_shown(t, &names)).collect(),
        suggestions: found
            .into_iter()
            .map(|hit| SuggestionShown {
                excerpt: excerpt_pieces(&hit.excerpt),
                answer_id: hit.answer_id,
                organisation: hit.organisation,
                organisation_id: hit.organisation_id,
                question: hit.question,
            })
            .collect(),
        name: row.name,
        colour: row.colour,
        slug,
    };
    render_with_status(&template, StatusCode::OK)
}

#[post("/coordination/consultations/{slug}/themes/{id}/suggestions/{answer}/{choice}")]
pub async fn settle_suggestion(
    req: HttpRequest,
    state: web::Data<AppState>,
    SecuredCoordinatorPage(coordinator): SecuredCoordinatorPage,
    path: web::Path<(String, i64, i64, String)>,
) -> Result<HttpResponse, AppError> {
    let (slug, theme, answer, choice) = path.into_inner();
    let origin = origin_of(&req);
    match choice.as_str() {
        "confirmer" => {
            let asked = NewTag {
                theme,
                answer,
                start: None,
                end: None,
            };
            themes::tag(&state, &coordinator, slug.clone(), asked, origin).await?;
        }
        "ecarter" => {
            themes::dismiss(&state, &coordinator, slug.clone(), theme, answer, origin).await?;
        }
        _ => return Err(AppError::NotFound),
    }
    Ok(see_other(&format!(
        "{}/themes/{theme}#suggestions",
        base(&slug)
    )))
}

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
    let mut tags: Vec<TagShown> = Vec::new();
    let mut answer_of_tag = Vec::new();
    for view in coding.tags {
        answer_of_tag.push(view.seen.tag.answer_id);
        tags.push(tag_shown(view, &names));
    }
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
                    .zip(&answer_of_tag)
                    .filter(|(_, answer)| **answer == a.answer_id)
                    .map(|(t, _)| TagShown {
                        id: t.id,
                        organisation: t.organisation.clone(),
                        organisation_id: t.organisation_id,
                        question: t.question.clone(),
                        passage: t.passage.clone(),
                        to_review: t.to_review,
                        coder: t.coder.clone(),
                        theme: t.theme.clone(),
                        colour: t.colour.clone(),
                    })
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
fn position(field: &str, value: &str) -> Result<Option<i64>, AppError> {
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

pub struct GroupShown {
    pub answers: String,
    pub campaign: Option<(i64, String)>,
    /// (organisation, organisation id, question, draft, beginning).
    pub members: Vec<(String, i64, String, bool, String)>,
}

#[derive(Template)]
#[template(path = "coordination/duplicates.html")]
struct DuplicatesPage {
    page: Page,
    slug: String,
    threshold: String,
    thresholds: Vec<String>,
    drafts: bool,
    /// How many groups among how many answers compared, as said.
    found: String,
    groups: Vec<GroupShown>,
}

#[derive(Deserialize)]
pub struct DuplicatesQuery {
    #[serde(default)]
    seuil: String,
    #[serde(default)]
    brouillons: Option<String>,
}

/// The thresholds offered: from the lowest the detection serves to identical.
fn thresholds() -> Vec<String> {
    let steps = ((1.0 - LOWEST_THRESHOLD) / 0.05).round() as usize;
    (0..=steps)
        .map(|i| format!("{:.2}", LOWEST_THRESHOLD + i as f64 * 0.05))
        .collect()
}

#[get("/coordination/consultations/{slug}/doublons")]
pub async fn duplicates_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    SecuredCoordinatorPage(coordinator): SecuredCoordinatorPage,
    slug: web::Path<String>,
    query: web::Query<DuplicatesQuery>,
) -> Result<HttpResponse, AppError> {
    let slug = slug.into_inner();
    // From a select box: a value it does not offer is the default.
    let threshold = query
        .seuil
        .parse::<f64>()
        .ok()
        .filter(|t| (LOWEST_THRESHOLD..=1.0).contains(t))
        .unwrap_or(DEFAULT_THRESHOLD);
    let drafts = query.brouillons.is_some();
    let found =
        duplicates::duplicates(&state, &coordinator, slug.clone(), threshold, drafts).await?;
    let groups: Vec<GroupShown> = found
        .groups
        .into_iter()
        .map(|g| GroupShown {
            answers: g
                .members
                .iter()
                .map(|m| m.answer_id.to_string())
                .collect::<Vec<_>>()
                .join(","),
            campaign: g.campaign,
            members: g
                .members
                .into_iter()
                .map(|m| {
                    let text = match m.value {
                        Some(AnswerValue::Text(text)) => text,
                        _ => String::new(),
                    };
                    let beginning: String = text.chars().take(240).collect();
                    let draft =
                        m.status != crate::domain::responses::ResponseStatus::Submitted.as_str();
                    (
                        m.organisation,
                        m.organisation_id,
                        m.question,
                        draft,
                        beginning,
                    )
                })
                .collect(),
        })
        .collect();
    let page = Page::new(&req);
    let found = page.t.numbers(
        "duplicates-found",
        &[("groups", groups.len()), ("compared", found.compared)],
    );
    let template = DuplicatesPage {
        page,
        slug,
        threshold: format!("{threshold:.2}"),
        thresholds: thresholds(),
        drafts,
        found,
        groups,
    };
    render_with_status(&template, StatusCode::OK)
}

#[derive(Deserialize)]
pub struct CampaignForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    answers: String,
    #[serde(default)]
    back: String,
}

#[post("/coordination/consultations/{slug}/doublons/campagnes")]
pub async fn mark_campaign(
    req: HttpRequest,
    state: web::Data<AppState>,
    SecuredCoordinatorPage(coordinator): SecuredCoordinatorPage,
    slug: web::Path<String>,
    form: web::Form<CampaignForm>,
) -> Result<HttpResponse, AppError> {
    let (slug, f) = (slug.into_inner(), form.into_inner());
    let answers: Vec<i64> = f
        .answers
        .split(',')
        .filter_map(|a| a.trim().parse().ok())
        .collect();
    // A name left empty: the page's word for one.
    let name = match f.name.trim() {
        "" => Page::new(&req).t.get("duplicates-campaign-default"),
        given => given.to_owned(),
    };
    let origin = origin_of(&req);
    duplicates::mark(&state, &coordinator, slug.clone(), name, answers, origin).await?;
    Ok(see_other(&duplicates_link(&slug, &f.back)))
}

/// The duplicates page as it was (its threshold and drafts choice), from a form's field.
fn duplicates_link(slug: &str, back: &str) -> String {
    let query: String = back
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '=' | '&' | '.'))
        .collect();
    format!("{}/doublons?{query}", base(slug))
}

#[post("/coordination/consultations/{slug}/doublons/campagnes/{id}/retirer")]
pub async fn unmark_campaign(
    req: HttpRequest,
    state: web::Data<AppState>,
    SecuredCoordinatorPage(coordinator): SecuredCoordinatorPage,
    path: web::Path<(String, i64)>,
    form: web::Form<CampaignForm>,
) -> Result<HttpResponse, AppError> {
    let (slug, id) = path.into_inner();
    duplicates::unmark(&state, &coordinator, slug.clone(), id, origin_of(&req)).await?;
    Ok(see_other(&duplicates_link(&slug, &form.back)))
}
