//! The coordinators' reading pages (second factor required): the codebook with its
//! counts (`…/themes`), one theme's passages and suggestions (`…/themes/{id}`), the
//! coding of one response — passages chosen with the keyboard, tagged or masked
//! (`…/codage/{org}`) — and the near-identical answers (`…/doublons`). Every page works
//! without script; `concerto.js` only fills a passage's positions from a selection.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;

use super::charts::{Bar, horizontal};
use super::extract::SecuredCoordinatorPage;
use super::forms::FormState;
use super::pages::{Page, render_with_status};
use super::redirects::see_other;
use crate::auth::identity::origin_of;
use crate::domain::answers::AnswerValue;
use crate::domain::passages::Located;
use crate::domain::search::SEARCHED_KINDS;
use crate::domain::similarity::{DEFAULT_THRESHOLD, LOWEST_THRESHOLD};
use crate::error::AppError;
use crate::i18n::Tr;
use crate::services::authority::SecuredCoordinator;
use crate::services::duplicates as duplicate_service;
use crate::services::redactions::{self, NewRedaction};
use crate::services::themes::{self, NewTag, TagFilter, TagState, ThemeInput};
use crate::state::AppState;

mod coding;
mod duplicates;
mod relay;
mod synthesis;
mod theme_pages;

pub use self::coding::*;
pub use self::duplicates::*;
pub use self::relay::*;
pub use self::synthesis::*;
pub use self::theme_pages::*;

fn base(slug: &str) -> String {
    format!("/coordination/consultations/{slug}")
}

/// A tag as listed.
#[derive(Clone)]
pub struct TagShown {
    pub id: i64,
    pub answer_id: i64,
    pub organisation: String,
    pub organisation_id: i64,
    pub question: String,
    /// `None`: the whole answer.
    pub passage: Option<String>,
    pub to_review: bool,
    pub coder: String,
    pub theme: String,
    pub colour: String,
}

fn tag_shown(view: themes::TagView, names: &[(i64, String, String)]) -> TagShown {
    let (theme, colour) = names
        .iter()
        .find(|(id, _, _)| *id == view.seen.tag.theme_id)
        .map(|(_, n, c)| (n.clone(), c.clone()))
        .unwrap_or_default();
    TagShown {
        id: view.seen.tag.id,
        answer_id: view.seen.tag.answer_id,
        organisation: view.seen.organisation,
        organisation_id: view.seen.organisation_id,
        question: view.seen.question,
        passage: view.passage.map(|(_, _, text)| text),
        to_review: view.state == TagState::ToReview,
        coder: view.seen.coder.unwrap_or_default(),
        theme,
        colour,
    }
}
