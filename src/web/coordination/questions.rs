//! Questions: added from the builder's form, reworded, moved and removed (chapters too).

use super::*;

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
    #[serde(default)]
    max_files: String,
}

/// A number field, with its default when left empty.
pub(super) fn number<T: std::str::FromStr>(
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
pub(super) fn parse_options(text: &str) -> Vec<ChoiceOption> {
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
pub(super) fn mark_exclusive(
    options: &mut [ChoiceOption],
    names: &str,
    errors: &mut Vec<FieldError>,
) {
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
            "documents" => QuestionSpec::Documents {
                max_files: number("max_files", &self.max_files, 3, &mut errors),
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
pub(super) fn question_field(field: &str) -> String {
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
    CoordinatorPage(coordinator): CoordinatorPage,
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
            &coordinator,
            slug.clone(),
            f.question_chapter.clone(),
            input,
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
        ("max_files", f.max_files.as_str()),
    ]);
    after(&req, &state, &coordinator, &slug, values, outcome).await
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
    CoordinatorPage(coordinator): CoordinatorPage,
    path: web::Path<(String, String)>,
    form: web::Form<WordingForm>,
) -> Result<HttpResponse, AppError> {
    let (slug, code) = path.into_inner();
    let detail = rounds::visible_round(&state.db, Some(&coordinator), slug.clone()).await?;
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
    let outcome =
        service::update_question(&state, &coordinator, slug.clone(), input, origin_of(&req))
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
        &coordinator,
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

pub(super) fn step(direction: &str) -> Result<i32, AppError> {
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
pub(super) async fn move_item(
    req: HttpRequest,
    state: web::Data<AppState>,
    CoordinatorPage(coordinator): CoordinatorPage,
    slug: String,
    code: String,
    what: Part,
    direction: &str,
) -> Result<HttpResponse, AppError> {
    let outcome = match step(direction) {
        Ok(step) => service::reorder(&state, &coordinator, slug.clone(), what, code, step)
            .await
            .map(|_| ()),
        Err(e) => Err(e),
    };
    after(
        &req,
        &state,
        &coordinator,
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
pub(super) async fn remove_item(
    req: HttpRequest,
    state: web::Data<AppState>,
    CoordinatorPage(coordinator): CoordinatorPage,
    slug: String,
    code: String,
    what: Part,
) -> Result<HttpResponse, AppError> {
    let outcome = service::remove(
        &state,
        &coordinator,
        slug.clone(),
        what,
        code,
        origin_of(&req),
    )
    .await
    .map(|_| ());
    after(
        &req,
        &state,
        &coordinator,
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
