//! Personal data in answers, for coordinators with the second factor: passages marked
//! with a reason, masked in what is published (the document export, public pages) and
//! never in the stored answer nor the coordinators' raw exports. Each redaction made or
//! removed is audited (its reason and place, not the personal data itself). Detected
//! candidates are proposed for a person to confirm.

use serde_json::json;

use crate::domain::answers::AnswerValue;
use crate::domain::passages::Located;
use crate::domain::personal_data::{Candidate, candidates as detect};
use crate::domain::themes::texts::REDACTION_REASON;
use crate::error::AppError;
use crate::services::accounts::Origin;
use crate::services::authority::SecuredCoordinator;
use crate::services::round_work;
use crate::services::themes::answer_and_passage;
use crate::state::AppState;
use crate::store;

pub use store::redactions::RedactionSeen;

/// A redaction asked for: the passage `start..end` of a text answer, and why.
#[derive(Debug, Clone)]
pub struct NewRedaction {
    pub answer: i64,
    pub start: i64,
    pub end: i64,
    pub reason: String,
}

/// A redaction as shown: where its passage is now in the answer (`None`: edited away,
/// nothing left to mask there).
#[derive(Debug)]
pub struct RedactionView {
    pub seen: RedactionSeen,
    pub located: Located,
}

fn view(seen: RedactionSeen) -> RedactionView {
    let now = seen
        .value
        .as_ref()
        .and_then(AnswerValue::text)
        .unwrap_or("");
    let located = seen.row.passage().locate(now);
    RedactionView { seen, located }
}

pub async fn redact(
    state: &AppState,
    coordinator: &SecuredCoordinator,
    slug: String,
    asked: NewRedaction,
    origin: Origin,
) -> Result<RedactionView, AppError> {
    if let Some(refused) = REDACTION_REASON.check("reason", &asked.reason) {
        return Err(AppError::Validation(vec![refused]));
    }
    round_work::change(
        state,
        coordinator,
        slug,
        origin,
        "answer_redacted",
        move |conn, at| {
            let range = (Some(asked.start), Some(asked.end));
            let (answer, passage) = answer_and_passage(conn, at.round, asked.answer, range)?;
            let passage = passage.expect("a range asked gives a passage");
            if store::redactions::same(conn, answer.id, &passage)?.is_some() {
                return Err(AppError::Conflict("ce passage est déjà masqué".into()));
            }
            let reason = asked.reason.trim();
            let id = store::redactions::insert(conn, &answer, &passage, reason, at.actor, at.now)?;
            let made = store::redactions::of_round(conn, at.round, Some(answer.response_id))?
                .into_iter()
                .find(|s| s.row.id == id)
                .ok_or(AppError::NotFound)?;
            let details = json!({
                "redaction": id, "answer": answer.id,
                "passage": [passage.start, passage.end], "reason": reason,
            });
            Ok((view(made), details))
        },
    )
    .await
}

pub async fn remove(
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
        "redaction_removed",
        move |conn, at| {
            let found = store::redactions::find(conn, at.round, id)?.ok_or(AppError::NotFound)?;
            store::redactions::delete(conn, id)?;
            let details = json!({
                "redaction": id, "answer": found.answer_id,
                "passage": [found.passage_start, found.passage_end],
            });
            Ok(((), details))
        },
    )
    .await
}

/// The round's redactions, of one response when `response` is given, oldest first.
pub async fn list(
    state: &AppState,
    _: &SecuredCoordinator,
    slug: String,
    response: Option<i64>,
) -> Result<Vec<RedactionView>, AppError> {
    round_work::read(state, slug, move |conn, round| {
        let found = store::redactions::of_round(conn, round, response)?;
        Ok(found.into_iter().map(view).collect())
    })
    .await
}

/// A candidate in one answer of a response.
#[derive(Debug)]
pub struct Proposed {
    pub answer_id: i64,
    pub question: String,
    pub candidate: Candidate,
}

/// What looks like personal data in a response's text answers, not yet masked.
pub async fn candidates(
    state: &AppState,
    _: &SecuredCoordinator,
    slug: String,
    response: i64,
) -> Result<Vec<Proposed>, AppError> {
    round_work::read(state, slug, move |conn, round| {
        let masked = store::redactions::of_round(conn, round, Some(response))?;
        let texts = store::redactions::texts_of_response(conn, round, response)?;
        let mut proposed = Vec::new();
        for (answer_id, question, value) in texts {
            let Some(AnswerValue::Text(text)) = value else {
                continue;
            };
            let already: Vec<&str> = masked
                .iter()
                .filter(|m| m.row.answer_id == answer_id)
                .map(|m| m.row.passage.as_str())
                .collect();
            for candidate in detect(&text) {
                if !already.iter().any(|m| m.contains(candidate.text.as_str())) {
                    proposed.push(Proposed {
                        answer_id,
                        question: question.clone(),
                        candidate,
                    });
                }
            }
        }
        Ok(proposed)
    })
    .await
}
