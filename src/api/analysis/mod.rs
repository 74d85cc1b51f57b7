//! Coding and redacting a round's answers, for coordinators with the second factor:
//! `…/themes` and `…/tags` (the codebook, its counts and the coders' agreement,
//! suggestions, tags), `…/redactions` (personal data) and `…/duplicates` (near-identical
//! answers, campaigns). Each handler reads the request, calls one service, shapes the
//! answer.

use actix_web::{HttpRequest, HttpResponse, delete, get, post, put, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use super::body::Json;
use super::caller::As;
use super::search::{FoundOrganisation, Piece, pieces};
use crate::auth::identity::origin_of;
use crate::domain::passages::Located;
use crate::domain::personal_data::Looks;
use crate::domain::similarity::DEFAULT_THRESHOLD;
use crate::error::{AppError, Problem};
use crate::services::authority::SecuredCoordinator;
use crate::services::duplicates as duplicate_service;
use crate::services::redactions::{self as redaction_service, NewRedaction, RedactionView};
use crate::services::themes::{
    self as theme_service, NewTag, TagFilter, TagView, ThemeInput, ThemeRow, ThemeSummary,
};
use crate::state::AppState;

/// A passage: characters `start..end` of the answer as it is now (Unicode scalar values,
/// from 0, end excluded).
#[derive(Debug, Serialize, ToSchema)]
pub struct PassageView {
    pub start: usize,
    pub end: usize,
    pub text: String,
}

mod duplicates;
mod redactions;
mod themes;

pub use self::duplicates::*;
pub use self::redactions::*;
pub use self::themes::*;
