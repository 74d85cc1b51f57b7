//! What coordinators do to rounds: build them, open, close and archive them, invite
//! organisations. Each operation has a synchronous core working on one connection (so
//! the demo seeding goes through exactly the same rules: `cores`) and an async wrapper
//! that checks who is asking (`structure`, `lifecycle`, `invitations`, `duplication`).

mod cores;
mod duplication;
mod invitations;
mod lifecycle;
mod structure;

pub use self::cores::*;
pub use self::duplication::*;
pub use self::invitations::*;
pub use self::lifecycle::*;
pub use self::structure::*;

use chrono::{DateTime, Duration, Utc};

use crate::domain::FieldError;
use crate::domain::accounts::Account;
use crate::domain::rounds::texts;
use crate::domain::rounds::{
    Audience, Chapter, NewRound, Question, QuestionSpec, Round, RoundDetail, RoundStatus, Slug,
    check_chapter_code, check_date, check_question_code,
};
use crate::error::AppError;
use crate::mail::messages::Composer;
use crate::services::accounts::{Origin, audit_on};
use crate::services::authority::{Coordinator, SecuredCoordinator};
use crate::state::AppState;
use crate::store::{self, DbConnection};

pub struct RoundInput {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub opens_at: Option<DateTime<Utc>>,
    pub closes_at: DateTime<Utc>,
    pub audience: String,
}

#[derive(Default)]
pub struct RoundPatch {
    pub title: Option<String>,
    pub summary: Option<String>,
    pub body: Option<String>,
    /// `Some(None)` clears it.
    pub opens_at: Option<Option<DateTime<Utc>>>,
    pub closes_at: Option<DateTime<Utc>>,
    pub audience: Option<String>,
}

pub struct ChapterInput {
    pub code: String,
    pub title: String,
    pub description: String,
}

pub struct QuestionInput {
    pub code: String,
    pub prompt: String,
    pub help: String,
    pub required: bool,
    pub spec: QuestionSpec,
}

/// Each date within the window, and the closing after the opening.
pub(super) fn check_dates(
    opens_at: Option<DateTime<Utc>>,
    closes_at: DateTime<Utc>,
) -> Vec<FieldError> {
    let window: Vec<FieldError> = [
        opens_at.and_then(|o| check_date("opens_at", o).err()),
        check_date("closes_at", closes_at).err(),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !window.is_empty() {
        return window;
    }
    opens_at
        .filter(|o| *o >= closes_at)
        .map(|_| {
            FieldError::new(
                "closes_at",
                "before_opening",
                "La date de clôture doit suivre la date d'ouverture.",
            )
        })
        .into_iter()
        .collect()
}

pub(super) fn parse_audience(value: &str) -> Result<Audience, FieldError> {
    Audience::parse(value).ok_or_else(|| {
        FieldError::new(
            "audience",
            "invalid_audience",
            "Public attendu : all_approved ou invited.",
        )
    })
}

pub(super) fn invalid(errors: Vec<FieldError>) -> Result<(), AppError> {
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::Validation(errors))
    }
}

pub(super) fn load(conn: &mut DbConnection, slug: &str) -> Result<RoundDetail, AppError> {
    store::rounds::find_by_slug(conn, slug)?.ok_or(AppError::NotFound)
}

pub(super) fn frozen() -> AppError {
    AppError::Conflict("la structure d'une consultation est figée une fois ouverte : seules les corrections de formulation sont possibles".into())
}

// ---- synchronous cores ----

/// What is wrong with a new round's fields but its dates, every problem at once (a form
/// whose date could not be read still hears about its other fields).
pub fn new_round_errors(input: &RoundInput) -> Vec<FieldError> {
    [
        Slug::parse(input.slug.trim()).err(),
        texts::ROUND_TITLE.check("title", &input.title),
        texts::ROUND_SUMMARY.check("summary", &input.summary),
        texts::ROUND_BODY.check("body", &input.body),
        parse_audience(&input.audience).err(),
    ]
    .into_iter()
    .flatten()
    .collect()
}
