//! The response editor (chapter by chapter, with a save button; JavaScript adds
//! autosave), the review-and-submit page and the printable copy.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;
use serde_json::{Value, json};

use super::extract::SignedInPage;
use super::forms::FormState;
use super::pages::{Page, render_with_status};
use super::redirects;
use super::redirects::see_other;
use crate::auth::identity::{Identity, MaybeSignedIn};
use crate::domain::answers::for_reading;
use crate::domain::organisations::MemberRole;
use crate::domain::responses::{Progress, PublicationConsent};
use crate::domain::rounds::{MAX_PROPOSALS, Question, QuestionSpec, RoundDetail, RoundStatus};
use crate::error::AppError;
use crate::services::kept_drafts;
use crate::services::responses::{self as service, AnswerWrite, ResponseView};
use crate::services::{organisations, rounds};
use crate::state::AppState;

/// Everything the pages need about one organisation's response to one round.
struct Context {
    detail: RoundDetail,
    organisation: String,
    role: Option<MemberRole>,
    response: ResponseView,
}

async fn context(
    state: &AppState,
    identity: &Identity,
    slug: &str,
    org: i64,
) -> Result<Context, AppError> {
    let response = service::read(state, identity, slug.to_owned(), org).await?;
    let detail = rounds::visible_round(&state.db, Some(identity), slug.to_owned()).await?;
    let (organisation, role) = organisations::visible(state, identity, org).await?;
    Ok(Context {
        detail,
        organisation: organisation.name,
        role,
        response,
    })
}

fn stored_value(response: &ResponseView, code: &str) -> (Value, i32, String) {
    response
        .answers
        .iter()
        .find(|a| a.question_code == code)
        .map(|a| {
            let value = a
                .value
                .as_deref()
                .and_then(|v| serde_json::from_str(v).ok())
                .unwrap_or(Value::Null);
            (value, a.version, a.updated_by.clone().unwrap_or_default())
        })
        .unwrap_or((Value::Null, 0, String::new()))
}

/// Why the editor is read-only, if it is.
fn read_only_reason(
    ctx: &Context,
    now: chrono::DateTime<chrono::Utc>,
    page: &Page,
) -> Option<String> {
    if !ctx.role.is_some_and(MemberRole::can_write) {
        return Some(page.t.get("editor-read-only-role"));
    }
    if ctx.detail.round.status_at(now) != RoundStatus::Open {
        return Some(page.t.get("editor-read-only-closed"));
    }
    if ctx.response.status == Progress::Submitted {
        return Some(page.t.get("editor-read-only-submitted"));
    }
    None
}

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
struct EditorPage {
    page: Page,
    /// This page's address, to come back to after signing in again.
    back: String,
    form: FormState,
    notice: Option<String>,
    title: String,
    round_title: String,
    slug: String,
    org_id: i64,
    organisation: String,
    writable: bool,
    read_only_reason: String,
    chapters: Vec<ChapterNav>,
    chapter_code: String,
    /// "Étape 2 sur 4", the stepper's words for where this chapter stands.
    step: String,
    /// The chapters before and after this one, (code, title), for the links that close
    /// the page; after the last one the link goes to the review.
    previous: Option<(String, String)>,
    next: Option<(String, String)>,
    questions: Vec<QuestionBlock>,
    conflicts: Vec<ConflictLine>,
}

fn block(q: &Question, value: &Value, version: i32, author: String) -> QuestionBlock {
    let text = value.as_str().unwrap_or_default().to_owned();
    let (options, none_checked) = match &q.spec {
        QuestionSpec::SingleChoice { options, .. }
        | QuestionSpec::MultipleChoice { options, .. } => {
            let chosen = |key: &str| match value {
                Value::String(k) => k == key,
                Value::Array(keys) => keys.iter().any(|k| k.as_str() == Some(key)),
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
                value.is_null(),
            )
        }
        QuestionSpec::Scale { scale } => {
            let options = scale
                .points()
                .map(|n| {
                    // As the review and receipts read it (`answers::for_reading`).
                    let label = for_reading(&q.spec, &Value::from(n));
                    OptionLine {
                        key: n.to_string(),
                        label,
                        checked: value.as_i64() == Some(n as i64),
                        exclusive: false,
                    }
                })
                .collect();
            (options, value.is_null())
        }
        _ => (Vec::new(), false),
    };
    let proposals = match &q.spec {
        QuestionSpec::Proposals { max_items } => {
            let mut items: Vec<(String, String)> = value
                .as_array()
                .map(|a| {
                    a.iter()
                        .map(|p| {
                            let field = |name: &str| {
                                p.get(name)
                                    .and_then(Value::as_str)
                                    .unwrap_or_default()
                                    .to_owned()
                            };
                            (field("title"), field("description"))
                        })
                        .collect()
                })
                .unwrap_or_default();
            // Room for a few more, up to the limit.
            let room = (*max_items.min(&MAX_PROPOSALS) as usize)
                .min(items.len() + 3)
                .max(1);
            items.resize(room, (String::new(), String::new()));
            items
        }
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
    }
}

#[derive(Deserialize)]
pub struct ChapterQuery {
    #[serde(default)]
    chapitre: String,
    #[serde(default)]
    fait: String,
    /// Back from signing in again: put the kept draft back.
    #[serde(default)]
    repris: String,
}

const DRAFT_COOKIE: &str = "concerto_brouillon";

fn draft_cookie(state: &AppState, value: &str, keep: bool) -> actix_web::cookie::Cookie<'static> {
    let mut cookie = actix_web::cookie::Cookie::build(DRAFT_COOKIE, value.to_owned())
        .path("/consultations")
        .http_only(true)
        .secure(state.settings.is_https())
        .same_site(actix_web::cookie::SameSite::Lax)
        .max_age(actix_web::cookie::time::Duration::hours(1))
        .finish();
    if !keep {
        cookie.make_removal();
    }
    cookie
}

/// A save arriving after the session ended: the typed answers are kept (an hour, under a
/// key only this browser holds), and the person signs in and comes back to them.
async fn keep_for_later(
    req: &HttpRequest,
    state: &AppState,
    slug: &str,
    org: i64,
    chapter: &str,
    fields: &[(String, String)],
) -> Result<HttpResponse, AppError> {
    let origin = crate::auth::identity::origin_of(req);
    let key = kept_drafts::keep(state, slug, org, chapter, fields, &origin).await?;
    let back = format!("/consultations/{slug}/reponse/{org}?chapitre={chapter}&repris=1");
    let location = redirects::sign_in_then(&back);
    Ok(redirects::see_other_with(&location)
        .cookie(draft_cookie(state, &key, true))
        .finish())
}

/// The kept draft of this browser for this page, if any (taken: it serves once).
async fn take_kept_draft(
    req: &HttpRequest,
    state: &AppState,
    slug: &str,
    org: i64,
) -> Result<Option<crate::store::responses::KeptDraft>, AppError> {
    match req.cookie(DRAFT_COOKIE) {
        Some(key) => kept_drafts::take(state, key.value(), slug, org).await,
        None => Ok(None),
    }
}

/// What a refused save sends back to the page: the typed values (never lost) with the
/// version to write them from, the errors and the conflicts.
#[derive(Default)]
struct Returned {
    form: FormState,
    typed: BTreeMap<String, (Value, i32)>,
    conflicts: Vec<ConflictLine>,
    notice: Option<&'static str>,
}

async fn editor(
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
    let ctx = context(state, identity, &slug, org).await?;
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
                Some((typed_value, typed_version)) => block(q, typed_value, *typed_version, author),
                None => block(q, &value, version, author),
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

/// The value a question's inputs carry in a posted form.
fn posted_value(q: &Question, fields: &[(String, String)]) -> Value {
    let name = format!("q.{}", q.code);
    let all = |n: &str| {
        fields
            .iter()
            .filter(|(k, _)| k == n)
            .map(|(_, v)| v.clone())
            .collect::<Vec<_>>()
    };
    let one = |n: &str| all(n).into_iter().next().unwrap_or_default();
    match &q.spec {
        QuestionSpec::ShortText { .. } | QuestionSpec::LongText { .. } => {
            let text = one(&name);
            if text.trim().is_empty() {
                Value::Null
            } else {
                Value::String(text)
            }
        }
        QuestionSpec::SingleChoice { .. } => Some(one(&name))
            .filter(|v| !v.is_empty())
            .map(Value::String)
            .unwrap_or(Value::Null),
        QuestionSpec::MultipleChoice { .. } => {
            let keys = all(&name);
            if keys.is_empty() {
                Value::Null
            } else {
                json!(keys)
            }
        }
        QuestionSpec::Scale { .. } => match one(&name).trim() {
            "" => Value::Null,
            // A number the server refuses if out of range; anything else is refused as such.
            text => text
                .parse::<i64>()
                .map(Value::from)
                .unwrap_or_else(|_| Value::String(text.to_owned())),
        },
        QuestionSpec::Proposals { max_items } => {
            let items: Vec<Value> = (0..*max_items.min(&MAX_PROPOSALS) as usize)
                .filter_map(|i| {
                    let title = one(&format!("{name}.title.{i}"));
                    let description = one(&format!("{name}.description.{i}"));
                    (!title.trim().is_empty() || !description.trim().is_empty())
                        .then(|| json!({"title": title, "description": description}))
                })
                .collect();
            if items.is_empty() {
                Value::Null
            } else {
                Value::Array(items)
            }
        }
    }
}

/// The conflict on one question: the typed value, the colleague's and, for a long text,
/// the words each has that the other has not.
fn conflict_line(q: &Question, yours: &Value, theirs: &Value, author: &str) -> ConflictLine {
    let (yours, theirs) = (for_reading(&q.spec, yours), for_reading(&q.spec, theirs));
    let diff = match q.spec {
        QuestionSpec::LongText { .. } => crate::domain::diff::words_diff(&yours, &theirs)
            .unwrap_or_default()
            .into_iter()
            .map(|piece| {
                use crate::domain::diff::Piece;
                let (kind, text) = match piece {
                    Piece::Same(t) => ("same", t),
                    Piece::Removed(t) => ("removed", t),
                    Piece::Added(t) => ("added", t),
                };
                DiffPiece { kind, text }
            })
            .collect(),
        _ => Vec::new(),
    };
    ConflictLine {
        code: q.code.clone(),
        prompt: q.prompt.clone(),
        diff,
        yours,
        theirs,
        author: author.to_owned(),
    }
}

/// Saves the chapter: only the answers that changed are written, each from the version
/// the page showed, so a colleague's change is never overwritten silently.
#[post("/consultations/{slug}/reponse/{org}")]
pub async fn save(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: MaybeSignedIn,
    path: web::Path<(String, i64)>,
    query: web::Query<ChapterQuery>,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let (slug, org) = path.into_inner();
    let Some(identity) = user.0 else {
        // The session ended while typing: keep every word, sign in, come back to them.
        return keep_for_later(&req, &state, &slug, org, &query.chapitre, &form).await;
    };
    let ctx = context(&state, &identity, &slug, org).await?;
    let chapter = ctx
        .detail
        .chapters
        .iter()
        .find(|c| c.chapter.code == query.chapitre)
        .or(ctx.detail.chapters.first())
        .ok_or(AppError::NotFound)?;
    // On the conflict screen, one question's conflict is settled at a time: keep the
    // typed version (`garder`) or take the colleague's (`reprendre`); the others stay
    // shown, as typed, until settled.
    let posted = |name: &str| -> Vec<&str> {
        form.iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    };
    let (conflicted, keep, take) = (posted("conflit"), posted("garder"), posted("reprendre"));
    let settling = !keep.is_empty() || !take.is_empty();
    let mut writes = BTreeMap::new();
    let mut typed = BTreeMap::new();
    let mut unsettled = Vec::new();
    for q in &chapter.questions {
        let value = posted_value(q, &form);
        let (stored, _, author) = stored_value(&ctx.response, &q.code);
        if value == stored || take.contains(&q.code.as_str()) {
            continue;
        }
        let version = form
            .iter()
            .find(|(k, _)| *k == format!("v.{}", q.code))
            .and_then(|(_, v)| v.parse().ok())
            .unwrap_or(0);
        typed.insert(q.code.clone(), (value.clone(), version));
        if settling && conflicted.contains(&q.code.as_str()) && !keep.contains(&q.code.as_str()) {
            unsettled.push(conflict_line(q, &value, &stored, &author));
            continue;
        }
        writes.insert(
            q.code.clone(),
            AnswerWrite {
                value,
                version: Some(version),
            },
        );
    }
    let chapter_code = chapter.chapter.code.clone();
    let outcome = if writes.is_empty() {
        Ok((BTreeMap::new(), Vec::new()))
    } else {
        service::write_valid_answers(&state, &identity, slug.clone(), org, writes.clone()).await
    };
    let mut form = FormState::default();
    let (conflicts, status) = match outcome {
        Ok((_, refused)) if refused.is_empty() && unsettled.is_empty() => {
            return Ok(see_other(&format!(
                "/consultations/{slug}/reponse/{org}?chapitre={chapter_code}&fait=1"
            )));
        }
        Ok((versions, refused)) => {
            // Saved what could be; the refused answers (with their errors) and the
            // conflicts not yet settled are shown as typed, on the versions just written.
            for (code, version) in versions {
                if let Some(entry) = typed.get_mut(&code) {
                    entry.1 = version;
                }
            }
            let status = if refused.is_empty() {
                StatusCode::OK
            } else {
                form.absorb(AppError::Validation(refused), &Page::new(&req).t)?
            };
            (unsettled, status)
        }
        Err(AppError::StaleAnswers(stale)) => {
            // The typed text stays in the form, now based on the current version: each
            // conflict is then settled by keeping it or taking the colleague's.
            for c in &stale {
                if let (Some(code), Some(version)) =
                    (c["question"].as_str(), c["current_version"].as_i64())
                    && let Some(entry) = typed.get_mut(code)
                {
                    entry.1 = version as i32;
                }
            }
            let conflicts = stale
                .iter()
                .filter_map(|c| {
                    let code = c["question"].as_str()?;
                    let q = chapter.questions.iter().find(|q| q.code == code)?;
                    Some(conflict_line(
                        q,
                        &writes[code].value,
                        &c["current_value"],
                        c["updated_by"].as_str().unwrap_or("?"),
                    ))
                })
                .chain(unsettled)
                .collect();
            (conflicts, StatusCode::CONFLICT)
        }
        Err(error) => (Vec::new(), form.absorb(error, &Page::new(&req).t)?),
    };
    editor(
        &req,
        &state,
        &identity,
        (slug, org),
        &chapter_code,
        Returned {
            form,
            typed,
            conflicts,
            ..Returned::default()
        },
        status,
    )
    .await
}

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

fn answers_by_chapter(ctx: &Context) -> Vec<ChapterAnswers> {
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
                    text: for_reading(&q.spec, &stored_value(&ctx.response, &q.code).0),
                })
                .collect(),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "responses/review.html")]
struct ReviewPage {
    page: Page,
    form: FormState,
    notice: Option<String>,
    slug: String,
    org_id: i64,
    round_title: String,
    organisation: String,
    status: Progress,
    writable: bool,
    reopenable: bool,
    chapters: Vec<ChapterAnswers>,
    missing: Vec<MissingLine>,
    /// Required questions still unanswered, shown before the Submit button is pressed.
    to_complete: Vec<MissingLine>,
    /// The consent shown chosen: the one just sent back with a refusal, else the one
    /// of a response submitted before (and reopened); never a default.
    consent: String,
    consents: &'static [PublicationConsent],
}

async fn review_page(
    req: &HttpRequest,
    state: &AppState,
    identity: &Identity,
    (slug, org): (String, i64),
    form: FormState,
    notice_key: Option<&str>,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let ctx = context(state, identity, &slug, org).await?;
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
    publication_consent: String,
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

#[derive(Template)]
#[template(path = "responses/copy.html")]
struct CopyPage {
    page: Page,
    notice: Option<String>,
    round_title: String,
    organisation: String,
    status: Progress,
    submitted_at: Option<String>,
    /// The publication chosen, once submitted.
    consent: Option<String>,
    chapters: Vec<ChapterAnswers>,
    slug: String,
    org_id: i64,
    /// A member who may write, while the round is open: the copy offers to reopen.
    reopenable: bool,
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
    let ctx = context(&state, &identity, &slug, org).await?;
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
struct HistoryPage {
    page: Page,
    back: String,
    code: String,
    prompt: String,
    /// (version, when, who, answer as text), newest first.
    versions: Vec<(i32, String, String, String)>,
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
                by.unwrap_or_default(),
                for_reading(&question.spec, &value),
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
