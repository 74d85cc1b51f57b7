//! Organisations: registration, the coordinators' decisions, members and invitations,
//! one module each.

mod decisions;
mod invitations;
mod members;
mod registration;

pub use self::decisions::*;
pub use self::invitations::*;
pub use self::members::*;
pub use self::registration::*;

use chrono::Duration;

use crate::auth::identity::Identity;
use crate::auth::tokens;
use crate::domain::FieldError;
use crate::domain::accounts::{Account, Email};
use crate::domain::organisations::texts;
use crate::domain::organisations::{LegalId, MemberRole, OrganisationKind, OrganisationStatus};
use crate::error::AppError;
use crate::mail::messages::Composer;
use crate::services::accounts::{Origin, audit_on};
use crate::services::authority::Coordinator;
use crate::state::AppState;
use crate::store::organisations::{Filter, NewOrganisation, OrganisationRow};
use crate::store::{self, DbConnection};

pub const INVITATION_DAYS: i64 = 7;

pub struct Registration {
    pub name: String,
    pub acronym: Option<String>,
    pub kind: String,
    pub legal_id: String,
    pub website: Option<String>,
    pub contact_email: String,
    pub description: Option<String>,
}

pub(super) fn optional(value: Option<String>) -> Option<String> {
    value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}
