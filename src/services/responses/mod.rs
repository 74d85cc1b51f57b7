//! Organisations answer rounds: answers saved question by question (or several at once,
//! all or nothing) with optimistic versions, then submitted with a publication consent,
//! reopened while the round is open. The round's deadline is checked in the same
//! transaction as every write. One module per seam: `access`, `writing`, `lifecycle`,
//! `progress`, `history`; what they share (the views, the answers' helpers) is here.

mod access;
pub mod attachments;
pub mod document_text;
mod history;
mod lifecycle;
mod progress;
mod writing;

use self::access::*;
pub use self::history::*;
pub use self::lifecycle::*;
pub use self::progress::*;
pub use self::writing::*;

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, SubsecRound, Utc};
use serde_json::Value;

use crate::auth::identity::Identity;
use crate::domain::FieldError;
use crate::domain::accounts::Account;
use crate::domain::answers::{self, AnswerValue, NONE_SEEN};
use crate::domain::organisations::{MemberRole, OrganisationStatus};
use crate::domain::responses::{Progress, PublicationConsent, ResponseStatus};
use crate::domain::rounds::{Audience, Question, Round, RoundDetail, RoundStatus};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::mail::messages::Composer;
use crate::services::accounts::{Origin, audit_on};
use crate::services::authority::Coordinator;
use crate::state::AppState;
use crate::store::audit::AuditEvent;
use crate::store::responses::{ResponseRow, StoredAnswer, Transition, Transitioned};
use crate::store::round_cache::{RoundCache, Shape};
use crate::store::{self, DbConnection};

/// One answer to write, as the client sent it (checked against its question by the
/// write): `version` is the one the writer saw (absent: unconditional).
#[derive(Debug, Clone)]
pub struct AnswerWrite {
    pub value: Value,
    pub version: Option<i32>,
}

/// A response as members and coordinators read it.
pub struct ResponseView {
    pub status: Progress,
    pub submitted_at: Option<DateTime<Utc>>,
    pub publication_consent: PublicationConsent,
    pub answers: Vec<StoredAnswer>,
    /// The collective contribution the response was prefilled from, if any (on reading
    /// and at submission).
    pub established_from: Option<crate::services::synthesis::relay::Source>,
}

pub(super) fn questions(detail: &RoundDetail) -> impl Iterator<Item = &Question> {
    detail.chapters.iter().flat_map(|c| c.questions.iter())
}

/// Whether `stored` holds an answer to `code` (a value, not a cleared one).
pub fn answered(stored: &[StoredAnswer], code: &str) -> bool {
    stored
        .iter()
        .any(|a| a.question_code == code && a.value.is_some())
}

/// The required questions `stored` leaves unanswered, with their chapter's code: what a
/// submission refuses (`not_ready`), and what the review page lists before it.
pub fn missing_required<'a>(
    detail: &'a RoundDetail,
    stored: &'a [StoredAnswer],
) -> impl Iterator<Item = (&'a str, &'a Question)> + 'a {
    detail
        .chapters
        .iter()
        .flat_map(|c| {
            c.questions
                .iter()
                .map(move |q| (c.chapter.code.as_str(), q))
        })
        .filter(move |(_, q)| q.required && !answered(stored, &q.code))
}
