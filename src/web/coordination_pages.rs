//! Coordinators' pages: the rounds list and the round builder (settings, chapters,
//! questions, lifecycle with confirmation, invitations, duplication).

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use askama::Template;
use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use serde::Deserialize;

use super::extract::CoordinatorPage;
use super::forms::FormState;
use super::pages::{Page, render_with_status};
use super::redirects::see_other;
use crate::auth::identity::{Identity, origin_of};
use crate::domain::FieldError;
use crate::domain::organisations::OrganisationStatus;
use crate::domain::responses::Progress;
use crate::domain::rounds::{ChoiceOption, QuestionSpec, RoundDetail, RoundStatus, ScaleSpec};
use crate::error::AppError;
use crate::i18n::Tr;
use crate::services::round_admin::{
    self as service, ChapterInput, Part, QuestionInput, RoundInput, RoundPatch,
};
use crate::services::{organisations, rounds};
use crate::state::AppState;
use crate::store::organisations::Filter;

/// A `datetime-local` value is Paris time; the rest of Concerto speaks UTC.
fn paris_to_utc(field: &str, value: &str) -> Result<Option<DateTime<Utc>>, FieldError> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    let invalid = || {
        FieldError::new(
            field,
            "invalid_datetime",
            "Date et heure attendues (jj/mm/aaaa hh:mm).",
        )
    };
    let naive = NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M").map_err(|_| invalid())?;
    chrono_tz::Europe::Paris
        .from_local_datetime(&naive)
        .earliest()
        .map(|t| Some(t.with_timezone(&Utc)))
        .ok_or_else(invalid)
}

fn utc_to_paris_input(t: DateTime<Utc>) -> String {
    t.with_timezone(&chrono_tz::Europe::Paris)
        .format("%Y-%m-%dT%H:%M")
        .to_string()
}

/// Service errors name fields as the API does (`code`); a page with several forms
/// prefixes them (`chapter_code`).
fn prefixed(error: AppError, prefix: &str) -> AppError {
    match error {
        AppError::Validation(errors) => AppError::Validation(
            errors
                .into_iter()
                .map(|e| FieldError {
                    field: format!("{prefix}{}", e.field),
                    ..e
                })
                .collect(),
        ),
        other => other,
    }
}

pub struct RoundLine {
    pub slug: String,
    pub title: String,
    pub status: &'static str,
    pub closes_at: String,
}

#[derive(Template)]
#[template(path = "coordination/rounds.html")]
struct RoundsPage {
    page: Page,
    form: FormState,
    rounds: Vec<RoundLine>,
}

async fn rounds_page(
    req: &HttpRequest,
    state: &AppState,
    identity: &Identity,
    form: FormState,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let mut page = Page::new(req);
    page.has_errors = form.has_errors();
    let now = state.clock.now();
    let lines = rounds::visible_rounds(&state.db, Some(identity))
        .await?
        .into_iter()
        .map(|(r, _)| RoundLine {
            status: r.status_at(now).as_str(),
            closes_at: page.t.datetime(r.closes_at),
            slug: r.slug,
            title: r.title,
        })
        .collect();
    render_with_status(
        &RoundsPage {
            page,
            form,
            rounds: lines,
        },
        status,
    )
}

#[get("/coordination/consultations")]
pub async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    CoordinatorPage(identity): CoordinatorPage,
) -> Result<HttpResponse, AppError> {
    rounds_page(
        &req,
        &state,
        &identity,
        FormState::default(),
        StatusCode::OK,
    )
    .await
}

#[derive(Deserialize)]
pub struct NewRoundForm {
    slug: String,
    title: String,
    #[serde(default)]
    summary: String,
    closes_at: String,
    audience: String,
}

#[post("/coordination/consultations")]
pub async fn create(
    req: HttpRequest,
    state: web::Data<AppState>,
    CoordinatorPage(identity): CoordinatorPage,
    form: web::Form<NewRoundForm>,
) -> Result<HttpResponse, AppError> {
    let f = form.into_inner();
    let outcome = async {
        let closes_at = paris_to_utc("closes_at", &f.closes_at).and_then(|at| {
            at.ok_or_else(|| {
                FieldError::new("closes_at", "required", "Indiquez la date de clôture.")
            })
        });
        let input = |closes_at| RoundInput {
            slug: f.slug.clone(),
            title: f.title.clone(),
            summary: f.summary.clone(),
            body: String::new(),
            opens_at: None,
            closes_at,
            audience: f.audience.clone(),
        };
        match closes_at {
            Ok(at) => service::create(&state, &identity, input(at), origin_of(&req)).await,
            // The date unread: the other fields are checked all the same (with a stand-in
            // date the check does not read), so that every error shows at once.
            Err(date) => {
                let mut errors = service::new_round_errors(&input(state.clock.now()));
                errors.push(date);
                Err(AppError::Validation(errors))
            }
        }
    }
    .await;
    match outcome {
        Ok(detail) => Ok(see_other(&format!(
            "/coordination/consultations/{}",
            detail.round.slug
        ))),
        Err(error) => {
            let mut form = FormState::with_values([
                ("slug", f.slug.as_str()),
                ("title", f.title.as_str()),
                ("summary", f.summary.as_str()),
                ("closes_at", f.closes_at.as_str()),
            ]);
            let status = form.absorb(error, &Page::new(&req).t)?;
            rounds_page(&req, &state, &identity, form, status).await
        }
    }
}

pub struct QuestionLine {
    pub code: String,
    pub prompt: String,
    pub help: String,
    pub kind: &'static str,
    pub required: bool,
    /// What the kind's settings say, a line each (the options of a choice, a scale's
    /// ends, a length), so that the coordinator checks them before opening.
    pub settings: Vec<String>,
}

/// The settings of a question as the builder lists them.
fn settings_lines(spec: &QuestionSpec, t: &Tr) -> Vec<String> {
    let n = |key: &str, n: u32| t.numbers(key, &[("n", n as usize)]);
    match spec {
        QuestionSpec::ShortText { max_length } | QuestionSpec::LongText { max_length } => {
            vec![n("builder-setting-max-length", *max_length)]
        }
        QuestionSpec::SingleChoice { options, .. }
        | QuestionSpec::MultipleChoice { options, .. } => {
            let mut lines: Vec<String> = options
                .iter()
                .map(|o| {
                    let key = if o.exclusive {
                        "builder-setting-option-exclusive"
                    } else {
                        "builder-setting-option"
                    };
                    t.with_two(key, "label", &o.label, "key", &o.key)
                })
                .collect();
            if let QuestionSpec::MultipleChoice {
                min_choices,
                max_choices,
                ..
            } = spec
            {
                lines.push(t.numbers(
                    "builder-setting-choices",
                    &[
                        ("min", *min_choices as usize),
                        ("max", *max_choices as usize),
                    ],
                ));
            }
            lines
        }
        QuestionSpec::Scale { scale } => {
            let end = |n: i32| match scale.end_label(n.into()) {
                Some(label) => format!("{n} ({label})"),
                None => n.to_string(),
            };
            vec![t.with_two(
                "builder-setting-scale",
                "min",
                &end(scale.min),
                "max",
                &end(scale.max),
            )]
        }
        QuestionSpec::Proposals { max_items } => vec![n("builder-setting-max-items", *max_items)],
    }
}

pub struct ChapterLine {
    pub code: String,
    pub title: String,
    /// What deleting it takes along ("Le chapitre E2 et ses 3 questions…").
    pub delete_warning: String,
    pub questions: Vec<QuestionLine>,
}

pub struct OrgChoice {
    pub id: i64,
    pub name: String,
    pub invited: bool,
}

#[derive(Template)]
#[template(path = "coordination/builder.html")]
struct BuilderPage {
    page: Page,
    form: FormState,
    notice: Option<String>,
    slug: String,
    title: String,
    status: &'static str,
    closes_at_text: String,
    actions: Vec<&'static str>,
    editable: bool,
    /// Wording can still be fixed (not closed or archived).
    rewordable: bool,
    chapters: Vec<ChapterLine>,
    kinds: Vec<&'static str>,
    invited_audience: bool,
    organisations: Vec<OrgChoice>,
}

const KINDS: [&str; 6] = [
    "short_text",
    "long_text",
    "single_choice",
    "multiple_choice",
    "scale",
    "proposals",
];

/// The builder, with `form` holding what a refused form sent back (or the round's values).
async fn builder(
    req: &HttpRequest,
    state: &AppState,
    identity: &Identity,
    slug: String,
    form: Option<FormState>,
    notice_key: Option<&str>,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let detail: RoundDetail = rounds::visible_round(&state.db, Some(identity), slug).await?;
    let now = state.clock.now();
    let round = &detail.round;
    let current = round.status_at(now);
    let form = form.unwrap_or_else(|| {
        FormState::with_values([
            ("title", round.title.as_str()),
            ("summary", round.summary.as_str()),
            ("body", round.body.as_str()),
            (
                "opens_at",
                &round.opens_at.map(utc_to_paris_input).unwrap_or_default(),
            ),
            ("closes_at", &utc_to_paris_input(round.closes_at)),
            ("audience", round.audience.as_str()),
        ])
    });
    let actions: Vec<&'static str> = crate::domain::rounds::RoundAction::available_from(current)
        .iter()
        .map(|a| a.as_str())
        .collect();
    let invited_audience = round.audience == crate::domain::rounds::Audience::Invited;
    let organisations = if invited_audience {
        let invited = service::invited(state, identity, round.id, &origin_of(req)).await?;
        let filter = Filter {
            status: Some(OrganisationStatus::Approved),
            ..Filter::default()
        };
        organisations::list(state, identity, filter)
            .await?
            .into_iter()
            .map(|(o, _)| OrgChoice {
                invited: invited.contains(&o.id),
                id: o.id,
                name: o.name,
            })
            .collect()
    } else {
        Vec::new()
    };
    let mut page = Page::new(req);
    page.has_errors = form.has_errors();
    let template = BuilderPage {
        notice: notice_key.map(|k| page.t.get(k)),
        slug: round.slug.clone(),
        title: round.title.clone(),
        status: current.as_str(),
        closes_at_text: page.t.datetime(round.closes_at),
        actions,
        editable: round.structure_editable(),
        rewordable: !matches!(current, RoundStatus::Closed | RoundStatus::Archived),
        chapters: detail
            .chapters
            .iter()
            .map(|c| ChapterLine {
                code: c.chapter.code.clone(),
                title: c.chapter.title.clone(),
                delete_warning: page.t.text_and_number(
                    "coord-delete-chapter-warning",
                    ("code", &c.chapter.code),
                    ("count", c.questions.len() as i64),
                ),
                questions: c
                    .questions
                    .iter()
                    .map(|q| QuestionLine {
                        code: q.code.clone(),
                        prompt: q.prompt.clone(),
                        help: q.help.clone(),
                        kind: q.spec.kind(),
                        required: q.required,
                        settings: settings_lines(&q.spec, &page.t),
                    })
                    .collect(),
            })
            .collect(),
        kinds: KINDS.to_vec(),
        invited_audience,
        organisations,
        form,
        page,
    };
    render_with_status(&template, status)
}

#[derive(Deserialize)]
pub struct DoneQuery {
    #[serde(default)]
    fait: String,
}

#[get("/coordination/consultations/{slug}")]
pub async fn show(
    req: HttpRequest,
    state: web::Data<AppState>,
    CoordinatorPage(identity): CoordinatorPage,
    slug: web::Path<String>,
    query: web::Query<DoneQuery>,
) -> Result<HttpResponse, AppError> {
    let slug = slug.into_inner();
    let notice = (!query.fait.is_empty()).then_some("coord-done");
    builder(&req, &state, &identity, slug, None, notice, StatusCode::OK).await
}

/// After an action: back to the builder, with a notice, or with the refusal shown.
async fn after(
    req: &HttpRequest,
    state: &AppState,
    identity: &Identity,
    slug: &str,
    values: FormState,
    outcome: Result<(), AppError>,
) -> Result<HttpResponse, AppError> {
    match outcome {
        Ok(()) => Ok(see_other(&format!(
            "/coordination/consultations/{slug}?fait=1"
        ))),
        Err(error) => {
            let mut form = values;
            let status = form.absorb(error, &Page::new(req).t)?;
            builder(
                req,
                state,
                identity,
                slug.to_owned(),
                Some(form),
                None,
                status,
            )
            .await
        }
    }
}

#[derive(Deserialize)]
pub struct SettingsForm {
    title: String,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    opens_at: String,
    closes_at: String,
    audience: String,
}

#[post("/coordination/consultations/{slug}")]
pub async fn save_settings(
    req: HttpRequest,
    state: web::Data<AppState>,
    CoordinatorPage(identity): CoordinatorPage,
    slug: web::Path<String>,
    form: web::Form<SettingsForm>,
) -> Result<HttpResponse, AppError> {
    let slug = slug.into_inner();
    let f = form.into_inner();
    let outcome = async {
        let opens_at = paris_to_utc("opens_at", &f.opens_at)?;
        let closes_at = paris_to_utc("closes_at", &f.closes_at)?;
        let patch = RoundPatch {
            title: Some(f.title.clone()),
            summary: Some(f.summary.clone()),
            body: Some(f.body.clone()),
            opens_at: Some(opens_at),
            closes_at,
            audience: Some(f.audience.clone()),
        };
        service::update(&state, &identity, slug.clone(), patch, origin_of(&req))
            .await
            .map(|_| ())
    }
    .await;
    let values = FormState::with_values([
        ("title", f.title.as_str()),
        ("summary", f.summary.as_str()),
        ("body", f.body.as_str()),
        ("opens_at", f.opens_at.as_str()),
        ("closes_at", f.closes_at.as_str()),
        ("audience", f.audience.as_str()),
    ]);
    after(&req, &state, &identity, &slug, values, outcome).await
}

#[derive(Deserialize)]
pub struct ChapterForm {
    chapter_code: String,
    chapter_title: String,
    #[serde(default)]
    chapter_description: String,
}

#[post("/coordination/consultations/{slug}/chapitres")]
pub async fn add_chapter(
    req: HttpRequest,
    state: web::Data<AppState>,
    CoordinatorPage(identity): CoordinatorPage,
    slug: web::Path<String>,
    form: web::Form<ChapterForm>,
) -> Result<HttpResponse, AppError> {
    let slug = slug.into_inner();
    let f = form.into_inner();
    let input = ChapterInput {
        code: f.chapter_code.trim().to_owned(),
        title: f.chapter_title.clone(),
        description: f.chapter_description.clone(),
    };
    let outcome = service::add_chapter(&state, &identity, slug.clone(), input, origin_of(&req))
        .await
        .map(|_| ())
        .map_err(|e| prefixed(e, "chapter_"));
    let values = FormState::with_values([
        ("chapter_code", f.chapter_code.as_str()),
        ("chapter_title", f.chapter_title.as_str()),
        ("chapter_description", f.chapter_description.as_str()),
    ]);
    after(&req, &state, &identity, &slug, values, outcome).await
}

#[derive(Deserialize)]
pub struct QuestionForm {
    question_chapter: String,
    question_code: String,
    question_kind: String,
    question_prompt: String,
    #[serde(default)]
    question_help: String,
    #[serde(default)]
    question_required: String,
    #[serde(default)]
    max_length: String,
    #[serde(default)]
    options: String,
    #[serde(default)]
    exclusive_options: String,
    #[serde(default)]
    min_choices: String,
    #[serde(default)]
    max_choices: String,
    #[serde(default)]
    scale_min: String,
    #[serde(default)]
    scale_max: String,
    #[serde(default)]
    min_label: String,
    #[serde(default)]
    max_label: String,
    #[serde(default)]
    max_items: String,
}

/// A number field, with its default when left empty.
fn number<T: std::str::FromStr>(
    field: &str,
    value: &str,
    default: T,
    errors: &mut Vec<FieldError>,
) -> T {
    let value = value.trim();
    if value.is_empty() {
        return default;
    }
    value.parse().unwrap_or_else(|_| {
        errors.push(FieldError::new(
            field,
            "not_a_number",
            "Nombre entier attendu.",
        ));
        default
    })
}

/// One option per line: `key | label`, or just the label (its key is derived from it).
fn parse_options(text: &str) -> Vec<ChoiceOption> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|line| match line.split_once('|') {
            Some((key, label)) => ChoiceOption::new(key.trim(), label.trim()),
            None => {
                let key: String = line
                    .to_lowercase()
                    .chars()
                    .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
                    .collect::<String>()
                    .split('_')
                    .filter(|p| !p.is_empty())
                    .collect::<Vec<_>>()
                    .join("_");
                ChoiceOption::new(key, line)
            }
        })
        .collect()
}

/// Marks the options named (by key or label, separated by commas) as chosen alone.
fn mark_exclusive(options: &mut [ChoiceOption], names: &str, errors: &mut Vec<FieldError>) {
    for name in names.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        match options
            .iter_mut()
            .find(|o| o.key == name || o.label.eq_ignore_ascii_case(name))
        {
            Some(option) => option.exclusive = true,
            None => errors.push(FieldError::new(
                "exclusive_options",
                "unknown_option",
                format!("« {name} » n'est ni la clé ni le libellé d'une des options."),
            )),
        }
    }
}

impl QuestionForm {
    fn spec(&self) -> Result<QuestionSpec, AppError> {
        let mut errors = Vec::new();
        let spec = match self.question_kind.as_str() {
            "short_text" => QuestionSpec::ShortText {
                max_length: number("max_length", &self.max_length, 300, &mut errors),
            },
            "long_text" => QuestionSpec::LongText {
                max_length: number("max_length", &self.max_length, 5000, &mut errors),
            },
            kind @ ("single_choice" | "multiple_choice") => {
                let mut options = parse_options(&self.options);
                mark_exclusive(&mut options, &self.exclusive_options, &mut errors);
                let single = kind == "single_choice";
                let min_choices = number("min_choices", &self.min_choices, 1, &mut errors);
                let max_choices = number(
                    "max_choices",
                    &self.max_choices,
                    if single { 1 } else { options.len() as u32 },
                    &mut errors,
                );
                if single {
                    QuestionSpec::SingleChoice {
                        options,
                        min_choices,
                        max_choices,
                    }
                } else {
                    QuestionSpec::MultipleChoice {
                        options,
                        min_choices,
                        max_choices,
                    }
                }
            }
            "scale" => QuestionSpec::Scale {
                scale: ScaleSpec {
                    min: number("scale_min", &self.scale_min, 1, &mut errors),
                    max: number("scale_max", &self.scale_max, 5, &mut errors),
                    min_label: self.min_label.trim().to_owned(),
                    max_label: self.max_label.trim().to_owned(),
                },
            },
            "proposals" => QuestionSpec::Proposals {
                max_items: number("max_items", &self.max_items, 10, &mut errors),
            },
            _ => {
                return Err(AppError::invalid(
                    "question_kind",
                    "invalid_kind",
                    "Type de question inconnu.",
                ));
            }
        };
        if errors.is_empty() {
            Ok(spec)
        } else {
            Err(AppError::Validation(errors))
        }
    }
}

/// The service names the settings' fields as the API does; the page's inputs differ a little.
fn question_field(field: &str) -> String {
    match field {
        "code" | "prompt" | "help" => format!("question_{field}"),
        "scale.max" | "scale.min" => field.replace("scale.", "scale_"),
        f if f.starts_with("options") && f.ends_with(".exclusive") => {
            "exclusive_options".to_owned()
        }
        f if f.starts_with("options") => "options".to_owned(),
        f => f.to_owned(),
    }
}

#[post("/coordination/consultations/{slug}/questions")]
pub async fn add_question(
    req: HttpRequest,
    state: web::Data<AppState>,
    CoordinatorPage(identity): CoordinatorPage,
    slug: web::Path<String>,
    form: web::Form<QuestionForm>,
) -> Result<HttpResponse, AppError> {
    let slug = slug.into_inner();
    let f = form.into_inner();
    let outcome = async {
        let input = QuestionInput {
            code: f.question_code.trim().to_owned(),
            prompt: f.question_prompt.clone(),
            help: f.question_help.clone(),
            required: f.question_required == "oui",
            spec: f.spec()?,
        };
        service::add_question(
            &state,
            &identity,
            slug.clone(),
            f.question_chapter.clone(),
            input,
            origin_of(&req),
        )
        .await
        .map(|_| ())
    }
    .await
    .map_err(|e| match e {
        AppError::Validation(errors) => AppError::Validation(
            errors
                .into_iter()
                .map(|e| FieldError {
                    field: question_field(&e.field),
                    ..e
                })
                .collect(),
        ),
        other => other,
    });
    let values = FormState::with_values([
        ("question_chapter", f.question_chapter.as_str()),
        ("question_code", f.question_code.as_str()),
        ("question_kind", f.question_kind.as_str()),
        ("question_prompt", f.question_prompt.as_str()),
        ("question_help", f.question_help.as_str()),
        ("question_required", f.question_required.as_str()),
        ("max_length", f.max_length.as_str()),
        ("options", f.options.as_str()),
        ("exclusive_options", f.exclusive_options.as_str()),
        ("min_choices", f.min_choices.as_str()),
        ("max_choices", f.max_choices.as_str()),
        ("scale_min", f.scale_min.as_str()),
        ("scale_max", f.scale_max.as_str()),
        ("min_label", f.min_label.as_str()),
        ("max_label", f.max_label.as_str()),
        ("max_items", f.max_items.as_str()),
    ]);
    after(&req, &state, &identity, &slug, values, outcome).await
}

#[derive(Deserialize)]
pub struct WordingForm {
    prompt: String,
    #[serde(default)]
    help: String,
}

/// Rewords a question (allowed while the round is not closed; audited once open). Its
/// kind and settings stay as they are.
#[post("/coordination/consultations/{slug}/questions/{code}")]
pub async fn reword_question(
    req: HttpRequest,
    state: web::Data<AppState>,
    CoordinatorPage(identity): CoordinatorPage,
    path: web::Path<(String, String)>,
    form: web::Form<WordingForm>,
) -> Result<HttpResponse, AppError> {
    let (slug, code) = path.into_inner();
    let detail = rounds::visible_round(&state.db, Some(&identity), slug.clone()).await?;
    let current = detail
        .chapters
        .iter()
        .flat_map(|c| &c.questions)
        .find(|q| q.code == code)
        .cloned()
        .ok_or(AppError::NotFound)?;
    let input = QuestionInput {
        code: current.code,
        prompt: form.prompt.clone(),
        help: form.help.clone(),
        required: current.required,
        spec: current.spec,
    };
    let outcome = service::update_question(&state, &identity, slug.clone(), input, origin_of(&req))
        .await
        .map(|_| ())
        .map_err(|e| match e {
            AppError::Validation(errors) => AppError::Validation(
                errors
                    .into_iter()
                    .map(|e| FieldError {
                        field: format!("wording_{}", e.field),
                        ..e
                    })
                    .collect(),
            ),
            other => other,
        });
    after(
        &req,
        &state,
        &identity,
        &slug,
        FormState::default(),
        outcome,
    )
    .await
}

#[derive(Deserialize)]
pub struct MoveForm {
    direction: String,
}

fn step(direction: &str) -> Result<i32, AppError> {
    match direction {
        "up" => Ok(-1),
        "down" => Ok(1),
        _ => Err(AppError::invalid(
            "direction",
            "invalid_direction",
            "Direction inconnue.",
        )),
    }
}

/// Moves a chapter or a question one place, then back to the builder.
async fn move_item(
    req: HttpRequest,
    state: web::Data<AppState>,
    CoordinatorPage(identity): CoordinatorPage,
    slug: String,
    code: String,
    what: Part,
    direction: &str,
) -> Result<HttpResponse, AppError> {
    let outcome = match step(direction) {
        Ok(step) => service::reorder(
            &state,
            &identity,
            slug.clone(),
            what,
            code,
            step,
            origin_of(&req),
        )
        .await
        .map(|_| ()),
        Err(e) => Err(e),
    };
    after(
        &req,
        &state,
        &identity,
        &slug,
        FormState::default(),
        outcome,
    )
    .await
}

#[post("/coordination/consultations/{slug}/chapitres/{code}/deplacer")]
pub async fn move_chapter(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: CoordinatorPage,
    path: web::Path<(String, String)>,
    form: web::Form<MoveForm>,
) -> Result<HttpResponse, AppError> {
    let (slug, code) = path.into_inner();
    move_item(req, state, user, slug, code, Part::Chapter, &form.direction).await
}

#[post("/coordination/consultations/{slug}/questions/{code}/deplacer")]
pub async fn move_question(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: CoordinatorPage,
    path: web::Path<(String, String)>,
    form: web::Form<MoveForm>,
) -> Result<HttpResponse, AppError> {
    let (slug, code) = path.into_inner();
    move_item(
        req,
        state,
        user,
        slug,
        code,
        Part::Question,
        &form.direction,
    )
    .await
}

/// Deletes a chapter (with its questions) or a question of a draft, then back to the
/// builder. The page asks first: the button sits inside a disclosure naming what goes.
async fn remove_item(
    req: HttpRequest,
    state: web::Data<AppState>,
    CoordinatorPage(identity): CoordinatorPage,
    slug: String,
    code: String,
    what: Part,
) -> Result<HttpResponse, AppError> {
    let outcome = service::remove(&state, &identity, slug.clone(), what, code, origin_of(&req))
        .await
        .map(|_| ());
    after(
        &req,
        &state,
        &identity,
        &slug,
        FormState::default(),
        outcome,
    )
    .await
}

#[post("/coordination/consultations/{slug}/chapitres/{code}/supprimer")]
pub async fn delete_chapter(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: CoordinatorPage,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (slug, code) = path.into_inner();
    remove_item(req, state, user, slug, code, Part::Chapter).await
}

#[post("/coordination/consultations/{slug}/questions/{code}/supprimer")]
pub async fn delete_question(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: CoordinatorPage,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (slug, code) = path.into_inner();
    remove_item(req, state, user, slug, code, Part::Question).await
}

#[derive(Deserialize)]
pub struct LifecycleForm {
    action: String,
    #[serde(default)]
    confirm: String,
}

/// Opening, closing and archiving ask for an explicit confirmation (a checkbox: it
/// works without JavaScript and is announced by screen readers).
#[post("/coordination/consultations/{slug}/etat")]
pub async fn lifecycle(
    req: HttpRequest,
    state: web::Data<AppState>,
    CoordinatorPage(identity): CoordinatorPage,
    slug: web::Path<String>,
    form: web::Form<LifecycleForm>,
) -> Result<HttpResponse, AppError> {
    let slug = slug.into_inner();
    let outcome = if form.confirm != "oui" {
        Err(AppError::invalid(
            "confirm",
            "not_confirmed",
            "Cochez la case de confirmation pour continuer.",
        ))
    } else {
        let origin = origin_of(&req);
        use crate::domain::rounds::RoundAction;
        match RoundAction::parse(&form.action) {
            Some(RoundAction::Open) => service::open(&state, &identity, slug.clone(), origin)
                .await
                .map(|_| ()),
            Some(RoundAction::Close) => service::close(&state, &identity, slug.clone(), origin)
                .await
                .map(|_| ()),
            Some(RoundAction::Archive) => service::archive(&state, &identity, slug.clone(), origin)
                .await
                .map(|_| ()),
            None => Err(AppError::invalid(
                "action",
                "unknown_action",
                "Action inconnue.",
            )),
        }
    };
    after(
        &req,
        &state,
        &identity,
        &slug,
        FormState::default(),
        outcome,
    )
    .await
}

#[post("/coordination/consultations/{slug}/invitations")]
pub async fn invite(
    req: HttpRequest,
    state: web::Data<AppState>,
    CoordinatorPage(identity): CoordinatorPage,
    slug: web::Path<String>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let slug = slug.into_inner();
    let ids: Vec<i64> = form
        .iter()
        .filter(|(k, _)| k == "organisation_ids")
        .filter_map(|(_, v)| v.parse().ok())
        .collect();
    let outcome = if ids.is_empty() {
        Err(AppError::invalid(
            "organisation_ids",
            "required",
            "Cochez au moins une organisation.",
        ))
    } else {
        service::invite(&state, &identity, slug.clone(), ids, origin_of(&req))
            .await
            .map(|_| ())
    };
    after(
        &req,
        &state,
        &identity,
        &slug,
        FormState::default(),
        outcome,
    )
    .await
}

#[derive(Deserialize)]
pub struct DuplicateForm {
    copy_slug: String,
}

#[post("/coordination/consultations/{slug}/dupliquer")]
pub async fn duplicate(
    req: HttpRequest,
    state: web::Data<AppState>,
    CoordinatorPage(identity): CoordinatorPage,
    slug: web::Path<String>,
    form: web::Form<DuplicateForm>,
) -> Result<HttpResponse, AppError> {
    let slug = slug.into_inner();
    match service::duplicate(
        &state,
        &identity,
        slug.clone(),
        form.copy_slug.trim().to_owned(),
        None,
        origin_of(&req),
    )
    .await
    {
        Ok(copy) => Ok(see_other(&format!(
            "/coordination/consultations/{}",
            copy.round.slug
        ))),
        Err(error) => {
            let values = FormState::with_values([("copy_slug", form.copy_slug.as_str())]);
            after(
                &req,
                &state,
                &identity,
                &slug,
                values,
                Err(prefixed(error, "copy_")),
            )
            .await
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paris_inputs_become_utc() {
        let winter = paris_to_utc("x", "2027-01-23T18:30").unwrap().unwrap();
        assert_eq!(winter.to_rfc3339(), "2027-01-23T17:30:00+00:00");
        assert_eq!(utc_to_paris_input(winter), "2027-01-23T18:30");
        assert!(paris_to_utc("x", "").unwrap().is_none());
        assert_eq!(
            paris_to_utc("x", "23/01/2027").unwrap_err().code,
            "invalid_datetime"
        );
    }

    #[test]
    fn options_from_lines() {
        let options = parse_options("oui | Oui\n\nNe sait pas\n");
        assert_eq!(options[0].key, "oui");
        assert_eq!(options[1].key, "ne_sait_pas");
        assert_eq!(options[1].label, "Ne sait pas");
    }
}

pub struct ProgressRow {
    /// For sorting by activity (the shown date is text).
    pub last_raw: Option<chrono::NaiveDateTime>,
    pub id: i64,
    pub name: String,
    pub status: Progress,
    pub answered: i64,
    pub missing: i64,
    pub last: String,
}

#[derive(Template)]
#[template(path = "coordination/progress.html")]
struct ProgressPage {
    page: Page,
    notice: Option<String>,
    slug: String,
    round_title: String,
    open: bool,
    total: usize,
    /// Organisations per status, in the statuses' order.
    counts: Vec<(&'static str, usize)>,
    statuses: &'static [Progress],
    chart_svg: String,
    chart_rows: Vec<(String, usize)>,
    filter: String,
    sort: String,
    lines: Vec<ProgressRow>,
}

#[derive(Deserialize)]
pub struct ProgressQuery {
    #[serde(default)]
    statut: String,
    #[serde(default)]
    tri: String,
    #[serde(default)]
    fait: String,
}

/// The coordinators' dashboard: every eligible organisation's progress, filterable and
/// sortable, totals and submissions over time.
#[get("/coordination/consultations/{slug}/avancement")]
pub async fn progress(
    req: HttpRequest,
    state: web::Data<AppState>,
    CoordinatorPage(identity): CoordinatorPage,
    slug: web::Path<String>,
    query: web::Query<ProgressQuery>,
) -> Result<HttpResponse, AppError> {
    let slug = slug.into_inner();
    let (round, lines) =
        crate::services::responses::progress(&state, &identity, slug.clone(), &origin_of(&req))
            .await?;
    let page = Page::new(&req);
    let count = |status: Progress| lines.iter().filter(|l| l.status == status).count();
    let submitted_at: Vec<chrono::NaiveDateTime> =
        lines.iter().filter_map(|l| l.submitted_at).collect();
    // Counted by Paris day, in order, then written as the page's language writes a date.
    let mut per_day: std::collections::BTreeMap<chrono::NaiveDate, usize> =
        std::collections::BTreeMap::new();
    for at in submitted_at {
        let day = at
            .and_utc()
            .with_timezone(&chrono_tz::Europe::Paris)
            .date_naive();
        *per_day.entry(day).or_default() += 1;
    }
    let (long, short) = match page.t.lang {
        crate::i18n::Lang::Fr => ("%d/%m/%Y", "%d/%m"),
        crate::i18n::Lang::En => ("%Y-%m-%d", "%m-%d"),
    };
    let chart_rows: Vec<(String, usize)> = per_day
        .iter()
        .map(|(day, n)| (day.format(long).to_string(), *n))
        .collect();
    let columns: Vec<(String, usize)> = per_day
        .iter()
        .map(|(day, n)| (day.format(short).to_string(), *n))
        .collect();
    let chart_svg = super::charts::columns(&columns, &page.t.get("progress-chart-caption"));
    let total = lines.len();
    let counts: Vec<(&'static str, usize)> = Progress::ALL
        .iter()
        .map(|p| (p.as_str(), count(*p)))
        .collect();
    let mut rows: Vec<ProgressRow> = lines
        .into_iter()
        .filter(|l| query.statut.is_empty() || l.status.as_str() == query.statut)
        .map(|l| ProgressRow {
            last_raw: l.last_activity,
            id: l.organisation_id,
            name: l.organisation_name,
            status: l.status,
            answered: l.answered,
            missing: l.missing_required,
            last: l
                .last_activity
                .map(|t| page.t.datetime(t.and_utc()))
                .unwrap_or_else(|| "—".into()),
        })
        .collect();
    match query.tri.as_str() {
        "activite" => rows.sort_by_key(|r| std::cmp::Reverse(r.last_raw)),
        "manquantes" => rows.sort_by_key(|r| std::cmp::Reverse(r.missing)),
        _ => {}
    }
    let open = round.accepts_answers_at(state.clock.now());
    let template = ProgressPage {
        notice: (!query.fait.is_empty()).then(|| page.t.get("progress-reminded")),
        slug,
        round_title: round.title,
        open,
        total,
        counts,
        statuses: Progress::ALL,
        chart_svg,
        chart_rows,
        filter: query.statut.clone(),
        sort: if query.tri.is_empty() {
            "nom".into()
        } else {
            query.tri.clone()
        },
        lines: rows,
        page,
    };
    render_with_status(&template, StatusCode::OK)
}

#[post("/coordination/consultations/{slug}/rappel")]
pub async fn remind(
    req: HttpRequest,
    state: web::Data<AppState>,
    CoordinatorPage(identity): CoordinatorPage,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let slug = slug.into_inner();
    crate::services::responses::remind_now(&state, &identity, slug.clone(), origin_of(&req))
        .await?;
    Ok(see_other(&format!(
        "/coordination/consultations/{slug}/avancement?fait=1"
    )))
}
