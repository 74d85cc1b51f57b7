//! The editor's page, chapter by chapter: each question as a block with its stored
//! value and version, and why it is read-only when it is.

use super::*;

pub struct OptionLine {
    pub key: String,
    pub label: String,
    pub checked: bool,
    /// Chosen alone (an option such as "none of these"): set apart, unticks the others.
    pub exclusive: bool,
}

pub struct QuestionBlock {
    pub code: String,
    /// The error field of this question (`answers.E1.Q1`).
    pub field: String,
    pub kind: &'static str,
    pub prompt: String,
    pub help: String,
    pub required: bool,
    pub version: i32,
    pub author: String,
    pub text: String,
    pub length: usize,
    /// For texts; 0 otherwise.
    pub max_length: usize,
    /// "12 caractères sur 200", said before the limit and past it.
    pub counter: String,
    /// `counter-near` from 90 % of the limit, `counter-over` past it.
    pub counter_state: &'static str,
    pub options: Vec<OptionLine>,
    pub none_checked: bool,
    pub proposals: Vec<(String, String)>,
    /// A documents question's files: (title, "file.pdf, 1,2 Mo", download).
    pub documents: Vec<(String, String, String)>,
}

pub struct ChapterNav {
    pub code: String,
    pub title: String,
    pub current: bool,
    /// "(2 réponses sur 4, 1 obligatoire manquante)".
    pub progress: String,
    /// For the current chapter, what the page says for each count, so that the script
    /// updates it as answers are saved without plural rules of its own (JSON arrays).
    pub answered_by_count: String,
    pub missing_by_count: String,
    /// `done` (every question answered), `started` or `todo`, shown as a tag.
    pub state: &'static str,
}

/// A run of words of the conflict's word diff: `same`, `removed` (only in the typed
/// version) or `added` (only in the colleague's).
pub struct DiffPiece {
    pub kind: &'static str,
    pub text: String,
}

pub struct ConflictLine {
    pub code: String,
    pub prompt: String,
    /// For long texts, the two versions merged word by word (empty otherwise).
    pub diff: Vec<DiffPiece>,
    pub yours: String,
    pub theirs: String,
    pub author: String,
}

#[derive(Template)]
#[template(path = "responses/editor.html")]
pub(super) struct EditorPage {
    pub(super) page: Page,
    /// This page's address, to come back to after signing in again.
    pub(super) back: String,
    pub(super) form: FormState,
    pub(super) notice: Option<String>,
    /// (sentence, source round) when prefilled from a collective contribution.
    pub(super) established_from: Option<(String, String)>,
    pub(super) title: String,
    pub(super) round_title: String,
    pub(super) slug: String,
    pub(super) org_id: i64,
    pub(super) organisation: String,
    pub(super) writable: bool,
    pub(super) read_only_reason: String,
    pub(super) chapters: Vec<ChapterNav>,
    pub(super) chapter_code: String,
    /// "Étape 2 sur 4", the stepper's words for where this chapter stands.
    pub(super) step: String,
    /// The chapters before and after this one, (code, title), for the links that close
    /// the page; after the last one the link goes to the review.
    pub(super) previous: Option<(String, String)>,
    pub(super) next: Option<(String, String)>,
    pub(super) questions: Vec<QuestionBlock>,
    pub(super) conflicts: Vec<ConflictLine>,
}

pub(super) fn block(
    q: &Question,
    value: Option<&AnswerValue>,
    version: i32,
    author: String,
    lang: crate::i18n::Lang,
) -> QuestionBlock {
    let text = match value {
        Some(AnswerValue::Text(text)) => text.clone(),
        _ => String::new(),
    };
    let (options, none_checked) = match &q.spec {
        QuestionSpec::SingleChoice { options, .. }
        | QuestionSpec::MultipleChoice { options, .. } => {
            let chosen = |key: &str| match value {
                Some(AnswerValue::Text(k)) => k == key,
                Some(AnswerValue::Keys(keys)) => keys.iter().any(|k| k == key),
                _ => false,
            };
            (
                options
                    .iter()
                    .map(|o| OptionLine {
                        key: o.key.clone(),
                        label: o.label.clone(),
                        checked: chosen(&o.key),
                        exclusive: o.exclusive,
                    })
                    .collect(),
                value.is_none(),
            )
        }
        QuestionSpec::Scale { scale } => {
            let options = scale
                .points()
                .map(|n| {
                    // As the review and receipts read it (`answers::for_reading`).
                    let point = AnswerValue::Number(n.into());
                    OptionLine {
                        key: n.to_string(),
                        label: for_reading(&q.spec, Some(&point)),
                        checked: value == Some(&point),
                        exclusive: false,
                    }
                })
                .collect();
            (options, value.is_none())
        }
        _ => (Vec::new(), false),
    };
    let proposals = match &q.spec {
        QuestionSpec::Proposals { max_items } => {
            let mut items: Vec<(String, String)> = match value {
                Some(AnswerValue::Proposals(given)) => given
                    .iter()
                    .map(|p| (p.title.clone(), p.description().to_owned()))
                    .collect(),
                _ => Vec::new(),
            };
            // Room for a few more, up to the limit.
            let room = (*max_items.min(&MAX_PROPOSALS) as usize)
                .min(items.len() + 3)
                .max(1);
            items.resize(room, (String::new(), String::new()));
            items
        }
        _ => Vec::new(),
    };
    let documents = match value {
        Some(AnswerValue::Documents(files)) => files
            .iter()
            .map(|f| {
                (
                    f.title.clone(),
                    format!(
                        "{}, {}",
                        f.file_name,
                        crate::domain::attachments::size_label_in(
                            f.size,
                            lang == crate::i18n::Lang::En
                        )
                    ),
                    crate::services::responses::attachments::download_path(&f.id),
                )
            })
            .collect(),
        _ => Vec::new(),
    };
    let max_length = match &q.spec {
        QuestionSpec::ShortText { max_length } | QuestionSpec::LongText { max_length } => {
            *max_length as usize
        }
        _ => 0,
    };
    QuestionBlock {
        field: format!("answers.{}", q.code),
        code: q.code.clone(),
        kind: q.spec.kind(),
        prompt: q.prompt.clone(),
        help: q.help.clone(),
        required: q.required,
        version,
        author,
        length: text.chars().count(),
        text,
        max_length,
        counter: String::new(),
        counter_state: "",
        options,
        none_checked,
        proposals,
        documents,
    }
}

#[derive(Deserialize)]
pub struct ChapterQuery {
    #[serde(default)]
    pub(super) chapitre: String,
    #[serde(default)]
    pub(super) fait: String,
    /// Back from signing in again: put the kept draft back.
    #[serde(default)]
    pub(super) repris: String,
}

/// What a refused save sends back to the page: the typed values (never lost) with the
/// version to write them from, the errors and the conflicts.
#[derive(Default)]
pub(super) struct Returned {
    pub(super) form: FormState,
    pub(super) typed: BTreeMap<String, (Option<AnswerValue>, i32)>,
    pub(super) conflicts: Vec<ConflictLine>,
    pub(super) notice: Option<&'static str>,
}

pub(super) async fn editor(
    req: &HttpRequest,
    state: &AppState,
    identity: &Identity,
    (slug, org): (String, i64),
    chapter: &str,
    returned: Returned,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let Returned {
        form,
        typed,
        conflicts,
        notice: notice_key,
    } = returned;
    let ctx = context(req, state, identity, &slug, org).await?;
    let mut page = Page::new(req);
    page.has_errors = form.has_errors() || !conflicts.is_empty();
    let now = state.clock.now();
    let reason = read_only_reason(&ctx, now, &page);
    let current = ctx
        .detail
        .chapters
        .iter()
        .find(|c| c.chapter.code == chapter)
        .or(ctx.detail.chapters.first())
        .ok_or(AppError::NotFound)?;
    let chapters = ctx
        .detail
        .chapters
        .iter()
        .map(|c| {
            let answered = c
                .questions
                .iter()
                .filter(|q| service::answered(&ctx.response.answers, &q.code))
                .count();
            let missing = c
                .questions
                .iter()
                .filter(|q| q.required && !service::answered(&ctx.response.answers, &q.code))
                .count();
            let total = c.questions.len();
            let required = c.questions.iter().filter(|q| q.required).count();
            let said = |answered: usize| {
                page.t.numbers(
                    "editor-chapter-progress",
                    &[("answered", answered), ("total", total)],
                )
            };
            let lacking = |missing: usize| page.t.count("editor-missing", missing);
            let is_current = c.chapter.code == current.chapter.code;
            let json = |texts: Vec<String>| serde_json::to_string(&texts).unwrap_or_default();
            ChapterNav {
                code: c.chapter.code.clone(),
                title: c.chapter.title.clone(),
                current: is_current,
                progress: if missing > 0 {
                    format!("({}, {})", said(answered), lacking(missing))
                } else {
                    format!("({})", said(answered))
                },
                answered_by_count: if is_current {
                    json((0..=total).map(said).collect())
                } else {
                    String::new()
                },
                missing_by_count: if is_current {
                    json((0..=required).map(lacking).collect())
                } else {
                    String::new()
                },
                state: match answered {
                    0 if total > 0 => "todo",
                    n if n < total => "started",
                    _ => "done",
                },
            }
        })
        .collect();
    let questions = current
        .questions
        .iter()
        .map(|q| {
            let (value, version, author) = stored_value(&ctx.response, &q.code);
            let mut b = match typed.get(&q.code) {
                Some((typed_value, typed_version)) => {
                    block(q, typed_value.as_ref(), *typed_version, author, page.t.lang)
                }
                None => block(q, value.as_ref(), version, author, page.t.lang),
            };
            let (n, max) = (b.length, b.max_length);
            if max > 0 {
                b.counter = if n > max {
                    page.t.numbers(
                        "editor-counter-over",
                        &[("count", n), ("max", max), ("over", n - max)],
                    )
                } else {
                    page.t
                        .numbers("editor-counter", &[("count", n), ("max", max)])
                };
                b.counter_state = if n > max {
                    "counter-over"
                } else if n * 10 >= max * 9 {
                    "counter-near"
                } else {
                    ""
                };
            }
            b
        })
        .collect();
    let all = &ctx.detail.chapters;
    let at = all
        .iter()
        .position(|c| c.chapter.code == current.chapter.code)
        .unwrap_or(0);
    let neighbour = |i: Option<usize>| {
        i.and_then(|i| all.get(i))
            .map(|c| (c.chapter.code.clone(), c.chapter.title.clone()))
    };
    let step = page
        .t
        .numbers("editor-step", &[("current", at + 1), ("total", all.len())]);
    let (previous, next) = (neighbour(at.checked_sub(1)), neighbour(Some(at + 1)));
    let template = EditorPage {
        step,
        previous,
        next,
        back: format!(
            "/consultations/{slug}/reponse/{org}?chapitre={}",
            current.chapter.code
        ),
        notice: notice_key.map(|k| page.t.get(k)),
        established_from: super::established_from(&page, &ctx.response),
        title: format!("{} {}", current.chapter.code, current.chapter.title),
        round_title: ctx.detail.round.title.clone(),
        slug,
        org_id: org,
        organisation: ctx.organisation,
        writable: reason.is_none(),
        read_only_reason: reason.unwrap_or_default(),
        chapters,
        chapter_code: current.chapter.code.clone(),
        questions,
        conflicts,
        form,
        page,
    };
    render_with_status(&template, status)
}

/// Chooses the organisation to answer for (several memberships: a list).
#[get("/consultations/{slug}/reponse")]
pub async fn choose(
    req: HttpRequest,
    state: web::Data<AppState>,
    SignedInPage(identity): SignedInPage,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let slug = slug.into_inner();
    let _ = &req;
    let mine: Vec<_> = organisations::list(&state, &identity, Default::default())
        .await?
        .into_iter()
        .filter(|(_, role)| role.is_some())
        .collect();
    Ok(match mine.as_slice() {
        [(org, _)] => see_other(&format!("/consultations/{slug}/reponse/{}", org.id)),
        // None or several: the organisations page says which to answer for.
        _ => see_other("/organisations"),
    })
}

#[get("/consultations/{slug}/reponse/{org}")]
pub async fn edit(
    req: HttpRequest,
    state: web::Data<AppState>,
    SignedInPage(identity): SignedInPage,
    path: web::Path<(String, i64)>,
    query: web::Query<ChapterQuery>,
) -> Result<HttpResponse, AppError> {
    let (slug, org) = path.into_inner();
    let notice = (!query.fait.is_empty()).then_some("editor-saved");
    if !query.repris.is_empty()
        && let Some(draft) = take_kept_draft(&req, &state, &slug, org).await?
    {
        // Back with the answers typed before the session ended: shown, ready to save.
        let detail = rounds::visible_round(&state.db, Some(&identity), slug.clone()).await?;
        let chapter = detail
            .chapters
            .iter()
            .find(|c| c.chapter.code == draft.chapter)
            .ok_or(AppError::NotFound)?;
        let typed = chapter
            .questions
            .iter()
            .map(|q| {
                let version = draft
                    .fields
                    .iter()
                    .find(|(k, _)| *k == format!("v.{}", q.code))
                    .and_then(|(_, v)| v.parse().ok())
                    .unwrap_or(0);
                (q.code.clone(), (posted_value(q, &draft.fields), version))
            })
            .collect();
        let chapter_code = chapter.chapter.code.clone();
        let returned = Returned {
            typed,
            notice: Some("editor-restored"),
            ..Returned::default()
        };
        let mut response = editor(
            &req,
            &state,
            &identity,
            (slug, org),
            &chapter_code,
            returned,
            StatusCode::OK,
        )
        .await?;
        let _ = response.add_removal_cookie(&draft_cookie(&state, "", false));
        return Ok(response);
    }
    editor(
        &req,
        &state,
        &identity,
        (slug, org),
        &query.chapitre,
        Returned {
            notice,
            ..Returned::default()
        },
        StatusCode::OK,
    )
    .await
}
