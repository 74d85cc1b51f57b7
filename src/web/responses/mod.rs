//! The response pages, one module per seam: the editor (chapter by chapter, with a save
//! button; JavaScript adds autosave) and its saving, the answers kept when a session
//! ends while typing, the review-and-submit page, and the printable copy with the
//! answers' history. What they share: the response's `Context`.

mod documents;
mod editing;
mod kept;
mod reading;
mod reviewing;
mod saving;

pub use self::documents::*;
pub use self::editing::*;
use self::kept::*;
pub use self::reading::*;
pub use self::reviewing::*;
pub use self::saving::*;

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;
use serde_json::Value;

use super::extract::SignedInPage;
use super::forms::FormState;
use super::pages::{Page, render_with_status};
use super::redirects;
use super::redirects::see_other;
use crate::auth::identity::{Identity, MaybeSignedIn};
use crate::domain::answers::{AnswerValue, Proposal, for_reading};
use crate::domain::organisations::MemberRole;
use crate::domain::responses::{Progress, PublicationConsent};
use crate::domain::rounds::{MAX_PROPOSALS, Question, QuestionSpec, RoundDetail, RoundStatus};
use crate::error::AppError;
use crate::services::kept_drafts;
use crate::services::responses::{self as service, AnswerWrite, ResponseView};
use crate::services::{organisations, rounds};
use crate::state::AppState;

/// Everything the pages need about one organisation's response to one round.
pub(super) struct Context {
    pub(super) detail: RoundDetail,
    pub(super) organisation: String,
    pub(super) role: Option<MemberRole>,
    pub(super) response: ResponseView,
}

pub(super) async fn context(
    req: &HttpRequest,
    state: &AppState,
    identity: &Identity,
    slug: &str,
    org: i64,
) -> Result<Context, AppError> {
    let mut response = service::read(state, identity, slug.to_owned(), org).await?;
    // An answer whose author deleted their account stays the organisation's: it reads
    // as written by a former member.
    let former = Page::new(req).t.get("former-member");
    for answer in &mut response.answers {
        answer.updated_by.get_or_insert_with(|| former.clone());
    }
    let detail = rounds::visible_round(&state.db, Some(identity), slug.to_owned()).await?;
    let (organisation, role) = organisations::visible(state, identity, org).await?;
    Ok(Context {
        detail,
        organisation: organisation.name,
        role,
        response,
    })
}

/// The collective contribution the response was prefilled from, as the page says it:
/// (the sentence, the round whose public page shows it).
pub(super) fn established_from(page: &Page, response: &ResponseView) -> Option<(String, String)> {
    response.established_from.as_ref().map(|source| {
        let version = source.version.to_string();
        let said = page.t.texts(
            "relay-established-from",
            &[
                ("title", source.title.as_str()),
                ("version", version.as_str()),
            ],
        );
        (said, source.round.clone())
    })
}

/// A question's stored answer, its version and its last author's name.
pub(super) fn stored_value(
    response: &ResponseView,
    code: &str,
) -> (Option<AnswerValue>, i32, String) {
    response
        .answers
        .iter()
        .find(|a| a.question_code == code)
        .map(|a| {
            let author = a.updated_by.clone().unwrap_or_default();
            (a.value.clone(), a.version, author)
        })
        .unwrap_or_default()
}

/// Why the editor is read-only, if it is.
pub(super) fn read_only_reason(
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
