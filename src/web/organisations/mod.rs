//! Organisation pages: register one, see it and its members, invite colleagues; the
//! coordinators' list with filters, and their decisions. One module per seam:
//! `listing`, `profile`, `membership`.

mod listing;
mod membership;
mod profile;

pub use self::listing::*;
pub use self::membership::*;
pub use self::profile::*;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;
use validator::Validate;

use super::extract::{CoordinatorPage, SignedInPage};
use super::forms::FormState;
use super::pages::{Page, render_with_status};
use super::redirects::see_other;
use crate::auth::identity::{Identity, MaybeSignedIn, origin_of};
use crate::domain::organisations::{MemberRole, OrganisationKind, OrganisationStatus};
use crate::error::AppError;
use crate::services::organisations::{self as service, Decision, Registration};
use crate::state::AppState;
use crate::store::organisations::{Filter, OrganisationRow};

fn kinds() -> Vec<&'static str> {
    OrganisationKind::ALL.iter().map(|k| k.as_str()).collect()
}
