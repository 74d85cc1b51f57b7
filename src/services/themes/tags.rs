//! Tags: a theme on a whole answer or on a passage of its text, shown where the passage
//! is now (or "to review" once it changed), made and removed by a person, audited.

use serde_json::json;

use super::theme_of;
use crate::domain::answers::AnswerValue;
use crate::domain::passages::{Located, Passage};
use crate::domain::search::SEARCHED_KINDS;
use crate::error::AppError;
use crate::services::accounts::Origin;
use crate::services::authority::SecuredCoordinator;
use crate::services::round_work;
use crate::state::AppState;
use crate::store::themes::{AnswerInRound, TagFilter, TagSeen};
use crate::store::{self, DbConnection};

/// Whether a tag's passage is still what was tagged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TagState {
    Current,
    /// The passage was changed since: a person must look again.
    ToReview,
}

impl TagState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Current => "current",
            Self::ToReview => "to_review",
        }
    }
}

/// A tag as shown: its passage where it is now in the answer.
#[derive(Debug)]
pub struct TagView {
    pub seen: TagSeen,
    /// (start, end, text) in the answer as it is now; the text as tagged when to review.
    pub passage: Option<(usize, usize, String)>,
    pub state: TagState,
}

fn view(seen: TagSeen) -> TagView {
    let Some(passage) = seen.tag.passage() else {
        return TagView {
            seen,
            passage: None,
            state: TagState::Current,
        };
    };
    let now = seen
        .value
        .as_ref()
        .and_then(AnswerValue::text)
        .unwrap_or("");
    let (passage, state) = match passage.locate(now) {
        Located::Found(start, end) => ((start, end, passage.text), TagState::Current),
        Located::ToReview => (
            (passage.start, passage.end, passage.text),
            TagState::ToReview,
        ),
    };
    TagView {
        seen,
        passage: Some(passage),
        state,
    }
}

/// Most tags one listing returns.
pub const MAX_TAGS: i64 = 500;

/// The round's tags that `which` selects, newest first.
pub async fn tags(
    state: &AppState,
    _: &SecuredCoordinator,
    slug: String,
    which: TagFilter,
) -> Result<Vec<TagView>, AppError> {
    round_work::read(state, slug, move |conn, round| {
        if let Some(theme) = which.theme {
            theme_of(conn, round, theme)?;
        }
        let seen = store::themes::tags_seen(conn, round, which, MAX_TAGS)?;
        Ok(seen.into_iter().map(view).collect())
    })
    .await
}

/// A tag asked for: a theme on an answer, whole or the passage `start..end`.
#[derive(Debug, Clone, Copy)]
pub struct NewTag {
    pub theme: i64,
    pub answer: i64,
    pub start: Option<i64>,
    pub end: Option<i64>,
}

/// The answer of the round that a tag or a redaction names (field `answer`), and the
/// passage `start..end` of its text if asked (which needs a text answer; one end alone
/// runs to the text's other end). What the answer as it is now refuses is a clash
/// (409) naming its field.
pub(crate) fn answer_and_passage(
    conn: &mut DbConnection,
    round: i64,
    answer: i64,
    range: (Option<i64>, Option<i64>),
) -> Result<(AnswerInRound, Option<Passage>), AppError> {
    let found = store::themes::answer_in_round(conn, round, answer)?.ok_or_else(|| {
        AppError::clash(
            "answer",
            "not_found",
            "réponse inconnue dans cette consultation",
        )
    })?;
    let Some(value) = &found.value else {
        return Err(AppError::clash("answer", "empty", "cette réponse est vide"));
    };
    let passage = match (range, value) {
        ((None, None), _) => None,
        // One end given: the other is the text's.
        ((start, end), AnswerValue::Text(text))
            if SEARCHED_KINDS.contains(&found.question_kind.as_str()) =>
        {
            let end = end.unwrap_or(text.chars().count() as i64);
            let marked = Passage::mark(text, start.unwrap_or(0), end);
            Some(marked.map_err(|refused| AppError::Clash(vec![refused]))?)
        }
        _ => {
            return Err(AppError::clash(
                "start",
                "not_text",
                "seul un texte peut être marqué en partie",
            ));
        }
    };
    Ok((found, passage))
}

pub async fn tag(
    state: &AppState,
    coordinator: &SecuredCoordinator,
    slug: String,
    asked: NewTag,
    origin: Origin,
) -> Result<TagView, AppError> {
    round_work::change(
        state,
        coordinator,
        slug,
        origin,
        "answer_tagged",
        move |conn, at| {
            store::themes::find(conn, at.round, asked.theme)?.ok_or_else(|| {
                AppError::clash(
                    "theme",
                    "not_found",
                    "thème inconnu dans cette consultation",
                )
            })?;
            let range = (asked.start, asked.end);
            let (answer, passage) = answer_and_passage(conn, at.round, asked.answer, range)?;
            let passage = passage.as_ref();
            if store::themes::same_tag(conn, asked.theme, answer.id, at.actor, passage)?.is_some() {
                return Err(AppError::Conflict(
                    "vous avez déjà mis ce thème sur ce passage".into(),
                ));
            }
            let id =
                store::themes::insert_tag(conn, asked.theme, &answer, at.actor, passage, at.now)?;
            let which = TagFilter {
                answer: Some(answer.id),
                ..TagFilter::default()
            };
            let seen = store::themes::tags_seen(conn, at.round, which, MAX_TAGS)?;
            let made = seen
                .into_iter()
                .find(|s| s.tag.id == id)
                .ok_or(AppError::NotFound)?;
            let details = json!({
                "tag": id, "theme": asked.theme, "answer": answer.id,
                "passage": passage.map(|p| [p.start, p.end]),
            });
            Ok((view(made), details))
        },
    )
    .await
}

pub async fn untag(
    state: &AppState,
    coordinator: &SecuredCoordinator,
    slug: String,
    id: i64,
    origin: Origin,
) -> Result<(), AppError> {
    round_work::change(
        state,
        coordinator,
        slug,
        origin,
        "answer_untagged",
        move |conn, at| {
            let tag = store::themes::find_tag(conn, at.round, id)?.ok_or(AppError::NotFound)?;
            store::themes::delete_tag(conn, id)?;
            let details = json!({"tag": id, "theme": tag.theme_id, "answer": tag.answer_id});
            Ok(((), details))
        },
    )
    .await
}
