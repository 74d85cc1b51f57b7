//! Coordinators' pages, one module per seam: the rounds list (`listing`), the builder
//! (`builder`: settings and chapters; `questions`), a round's life (`round_life`:
//! opening, closing, archiving, invitations, duplication) and the dashboard
//! (`dashboard`: progress and reminders).

mod builder;
mod dashboard;
mod listing;
mod questions;
mod round_life;

pub use self::builder::*;
pub use self::dashboard::*;
pub use self::listing::*;
pub use self::questions::*;
pub use self::round_life::*;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use askama::Template;
use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use serde::Deserialize;

use super::extract::CoordinatorPage;
use super::forms::FormState;
use super::pages::{Page, render_with_status};
use super::redirects::see_other;
use crate::auth::identity::origin_of;
use crate::domain::FieldError;
use crate::domain::organisations::OrganisationStatus;
use crate::domain::responses::Progress;
use crate::domain::rounds::{ChoiceOption, QuestionSpec, RoundDetail, RoundStatus, ScaleSpec};
use crate::error::AppError;
use crate::i18n::Tr;
use crate::services::accounts::Origin;
use crate::services::authority::Coordinator;
use crate::services::round_admin::{
    self as service, ChapterInput, Part, QuestionInput, RoundInput, RoundPatch,
};
use crate::services::{organisations, rounds};
use crate::state::AppState;
use crate::store::organisations::Filter;

/// A `datetime-local` value is Paris time; the rest of Concerto speaks UTC.
pub(super) fn paris_to_utc(field: &str, value: &str) -> Result<Option<DateTime<Utc>>, FieldError> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    let invalid = || {
        FieldError::new(
            field,
            "invalid_datetime",
            "Date et heure attendues (jj/mm/aaaa hh:mm).",
        )
    };
    let naive = NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M").map_err(|_| invalid())?;
    chrono_tz::Europe::Paris
        .from_local_datetime(&naive)
        .earliest()
        .map(|t| Some(t.with_timezone(&Utc)))
        .ok_or_else(invalid)
}

pub(super) fn utc_to_paris_input(t: DateTime<Utc>) -> String {
    t.with_timezone(&chrono_tz::Europe::Paris)
        .format("%Y-%m-%dT%H:%M")
        .to_string()
}

/// Service errors name fields as the API does (`code`); a page with several forms
/// prefixes them (`chapter_code`).
pub(super) fn prefixed(error: AppError, prefix: &str) -> AppError {
    match error {
        AppError::Validation(errors) => AppError::Validation(
            errors
                .into_iter()
                .map(|e| FieldError {
                    field: format!("{prefix}{}", e.field),
                    ..e
                })
                .collect(),
        ),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paris_inputs_become_utc() {
        let winter = paris_to_utc("x", "2027-01-23T18:30").unwrap().unwrap();
        assert_eq!(winter.to_rfc3339(), "2027-01-23T17:30:00+00:00");
        assert_eq!(utc_to_paris_input(winter), "2027-01-23T18:30");
        assert!(paris_to_utc("x", "").unwrap().is_none());
        assert_eq!(
            paris_to_utc("x", "23/01/2027").unwrap_err().code,
            "invalid_datetime"
        );
    }

    #[test]
    fn options_from_lines() {
        let options = parse_options("oui | Oui\n\nNe sait pas\n");
        assert_eq!(options[0].key, "oui");
        assert_eq!(options[1].key, "ne_sait_pas");
        assert_eq!(options[1].label, "Ne sait pas");
    }
}
