//! The round builder's page: settings, chapters, and what every action comes back to.

use super::*;

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
pub(super) fn settings_lines(spec: &QuestionSpec, t: &Tr) -> Vec<String> {
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
        QuestionSpec::Documents { max_files } => vec![n("builder-setting-max-files", *max_files)],
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
pub(super) struct BuilderPage {
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

pub(super) const KINDS: [&str; 7] = [
    "short_text",
    "long_text",
    "single_choice",
    "multiple_choice",
    "scale",
    "proposals",
    "documents",
];

/// The builder, with `form` holding what a refused form sent back (or the round's values).
pub(super) async fn builder(
    req: &HttpRequest,
    state: &AppState,
    coordinator: &Coordinator,
    slug: String,
    form: Option<FormState>,
    notice_key: Option<&str>,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let detail: RoundDetail = rounds::visible_round(&state.db, Some(coordinator), slug).await?;
    let now = state.clock.now();
    let round = &detail.round;
    let current = round.status_at(now);
    let policy = service::attachment_policy(state, round.slug.clone()).await?;
    let mb = |bytes: i64| (bytes / crate::domain::attachments::MB).to_string();
    let form = form.unwrap_or_else(|| {
        FormState::with_values([
            ("area", if policy.area { "oui" } else { "" }),
            ("file_limit", &mb(policy.file_limit)),
            ("response_limit", &mb(policy.response_limit)),
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
        let invited = service::invited(state, coordinator, round.id).await?;
        let filter = Filter {
            status: Some(OrganisationStatus::Approved),
            ..Filter::default()
        };
        organisations::list(state, coordinator, filter)
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
    CoordinatorPage(coordinator): CoordinatorPage,
    slug: web::Path<String>,
    query: web::Query<DoneQuery>,
) -> Result<HttpResponse, AppError> {
    let slug = slug.into_inner();
    let notice = (!query.fait.is_empty()).then_some("coord-done");
    builder(
        &req,
        &state,
        &coordinator,
        slug,
        None,
        notice,
        StatusCode::OK,
    )
    .await
}

/// After an action: back to the builder, with a notice, or with the refusal shown.
pub(super) async fn after(
    req: &HttpRequest,
    state: &AppState,
    coordinator: &Coordinator,
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
                coordinator,
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
    CoordinatorPage(coordinator): CoordinatorPage,
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
        service::update(&state, &coordinator, slug.clone(), patch, origin_of(&req))
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
    after(&req, &state, &coordinator, &slug, values, outcome).await
}

#[derive(Deserialize)]
pub struct DocumentsForm {
    #[serde(default)]
    area: String,
    file_limit: String,
    response_limit: String,
}

/// What respondents may attach: the response's own area, the limits in megabytes.
#[post("/coordination/consultations/{slug}/documents")]
pub async fn save_documents(
    req: HttpRequest,
    state: web::Data<AppState>,
    CoordinatorPage(coordinator): CoordinatorPage,
    slug: web::Path<String>,
    form: web::Form<DocumentsForm>,
) -> Result<HttpResponse, AppError> {
    use crate::domain::attachments::{AttachmentPolicy, MB};
    let slug = slug.into_inner();
    let f = form.into_inner();
    let outcome = async {
        let mut errors = Vec::new();
        let file: i64 = super::questions::number("file_limit", &f.file_limit, 20, &mut errors);
        let response: i64 =
            super::questions::number("response_limit", &f.response_limit, 50, &mut errors);
        if !errors.is_empty() {
            return Err(AppError::Validation(errors));
        }
        let policy = AttachmentPolicy {
            area: f.area == "oui",
            file_limit: file.saturating_mul(MB),
            response_limit: response.saturating_mul(MB),
        };
        service::set_attachment_policy(&state, &coordinator, slug.clone(), policy, origin_of(&req))
            .await
            .map(|_| ())
    }
    .await;
    let values = FormState::with_values([
        ("area", f.area.as_str()),
        ("file_limit", f.file_limit.as_str()),
        ("response_limit", f.response_limit.as_str()),
    ]);
    after(&req, &state, &coordinator, &slug, values, outcome).await
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
    CoordinatorPage(coordinator): CoordinatorPage,
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
    let outcome = service::add_chapter(&state, &coordinator, slug.clone(), input)
        .await
        .map(|_| ())
        .map_err(|e| prefixed(e, "chapter_"));
    let values = FormState::with_values([
        ("chapter_code", f.chapter_code.as_str()),
        ("chapter_title", f.chapter_title.as_str()),
        ("chapter_description", f.chapter_description.as_str()),
    ]);
    after(&req, &state, &coordinator, &slug, values, outcome).await
}
