//! Answers typed by someone whose session ended meanwhile: kept an hour under a key only
//! their browser holds, given back once after they sign in again.
//!
//! Anyone can post such a draft (there is no session to check), so what is kept is
//! bounded: only for a round open now, only the chapter's own answer fields within their
//! questions' limits, a few per address, and a ceiling on all drafts kept at once (each
//! request once stored up to 1 MB for any round or organisation, existing or not).

use chrono::Duration;

use super::accounts::Origin;
use crate::auth::tokens;
use crate::domain::answers::{PROPOSAL_DESCRIPTION_MAX, PROPOSAL_TITLE_MAX};
use crate::domain::rounds::{MAX_PROPOSALS, Question, QuestionSpec};
use crate::error::AppError;
use crate::state::AppState;
use crate::store::{self, responses::KeptDraft};

/// How long a draft is kept.
const KEPT_FOR_HOURS: i64 = 1;
/// Most drafts kept at once, all browsers together.
pub const CEILING: i64 = 5_000;

/// The longest value a field of `q` may carry (`name` is the field's, past `q.<code>`).
fn longest(q: &Question, rest: &str) -> usize {
    match &q.spec {
        QuestionSpec::ShortText { max_length } | QuestionSpec::LongText { max_length } => {
            *max_length as usize
        }
        QuestionSpec::Proposals { .. } if rest.starts_with(".title.") => PROPOSAL_TITLE_MAX,
        QuestionSpec::Proposals { .. } => PROPOSAL_DESCRIPTION_MAX,
        _ => 100,
    }
}

/// Whether the field `name` belongs to `q` in the editor's form (`q.<code>`, its
/// proposals' `q.<code>.title.<i>` / `.description.<i>`, its version `v.<code>`).
fn belongs(q: &Question, name: &str) -> Option<usize> {
    if name.strip_prefix("v.") == Some(q.code.as_str()) {
        return Some(12);
    }
    let rest = name.strip_prefix("q.")?.strip_prefix(q.code.as_str())?;
    if rest.is_empty() {
        return Some(longest(q, rest));
    }
    let QuestionSpec::Proposals { max_items } = &q.spec else {
        return None;
    };
    let (part, index) = rest.strip_prefix('.')?.split_once('.')?;
    let index: u32 = index.parse().ok()?;
    ((part == "title" || part == "description") && index < (*max_items).min(MAX_PROPOSALS))
        .then(|| longest(q, rest))
}

/// Keeps what a browser posted to `slug`'s editor for `org`, chapter `chapter`; returns
/// the key to hand to the browser.
pub async fn keep(
    state: &AppState,
    slug: &str,
    org: i64,
    chapter: &str,
    fields: &[(String, String)],
    origin: &Origin,
) -> Result<String, AppError> {
    state.throttles.kept_draft_ip.check(&origin.ip)?;
    let (rounds, now) = (state.rounds.clone(), state.clock.now());
    let (slug, chapter, fields) = (slug.to_owned(), chapter.to_owned(), fields.to_vec());
    let key = tokens::new_secret();
    let hash = tokens::hash(&key);
    state
        .db
        .run(move |conn| {
            let shape = rounds.shape(conn, &slug)?.ok_or(AppError::NotFound)?;
            let round = store::rounds::find_by_id(conn, shape.detail.round.id)?
                .ok_or(AppError::NotFound)?;
            if !round.accepts_answers_at(now) {
                return Err(AppError::Conflict(
                    "cette consultation ne reçoit pas de réponses en ce moment".into(),
                ));
            }
            if store::organisations::find(conn, org)?.is_none() {
                return Err(AppError::NotFound);
            }
            let questions = &shape
                .detail
                .chapters
                .iter()
                .find(|c| c.chapter.code == chapter)
                .ok_or(AppError::NotFound)?
                .questions;
            let kept: Vec<(String, String)> = fields
                .into_iter()
                .filter(|(name, value)| {
                    questions
                        .iter()
                        .find_map(|q| belongs(q, name))
                        .is_some_and(|max| value.chars().count() <= max)
                })
                .collect();
            let draft = KeptDraft {
                round_slug: slug,
                organisation_id: org,
                chapter,
                fields: kept,
            };
            store::write_transaction(conn, |conn| {
                if !store::responses::keep_draft(
                    conn,
                    &hash,
                    &draft,
                    now,
                    now + Duration::hours(KEPT_FOR_HOURS),
                    CEILING,
                )? {
                    return Err(AppError::TooManyRequests {
                        retry_after_secs: 60,
                    });
                }
                Ok(())
            })
        })
        .await?;
    Ok(key)
}

/// The draft kept under `key` for this page, if any (taken: it serves once).
pub async fn take(
    state: &AppState,
    key: &str,
    slug: &str,
    org: i64,
) -> Result<Option<KeptDraft>, AppError> {
    let (hash, now) = (tokens::hash(key), state.clock.now());
    let draft = state
        .db
        .run(move |conn| store::responses::take_draft(conn, &hash, now).map_err(AppError::from))
        .await?;
    Ok(draft.filter(|d| d.round_slug == slug && d.organisation_id == org))
}
