//! The state of a form as a page shows it: what was typed (never passwords) and what was
//! wrong with it, in the page's language.

use std::collections::HashMap;

use actix_web::http::StatusCode;

use crate::domain::FieldError;
use crate::error::AppError;
use crate::i18n::Tr;

#[derive(Default)]
pub struct FormState {
    values: HashMap<String, String>,
    pub errors: Vec<FieldError>,
    /// A problem not tied to one field (wrong credentials, too many attempts…).
    pub general: Option<String>,
}

impl FormState {
    pub fn with_values<'a>(values: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        Self {
            values: values
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect(),
            ..Self::default()
        }
    }

    /// Shows `value` in the field `name` unless the person typed something there: a form
    /// that edits stored values starts from them.
    pub fn or_value(mut self, name: &str, value: &str) -> Self {
        self.values
            .entry(name.to_owned())
            .or_insert_with(|| value.to_owned());
        self
    }

    pub fn value(&self, name: &str) -> &str {
        self.values
            .get(name)
            .map(String::as_str)
            .unwrap_or_default()
    }

    pub fn error(&self, name: &str) -> Option<String> {
        self.errors
            .iter()
            .find(|e| e.field == name)
            .map(|e| e.message.clone())
    }

    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty() || self.general.is_some()
    }

    /// Turns a refusal into what the form shows, translated; returns the status to answer
    /// with, or gives the error back when it is not the form's business (a server fault).
    pub fn absorb(&mut self, error: AppError, t: &Tr) -> Result<StatusCode, AppError> {
        use actix_web::ResponseError;
        let status = error.status_code();
        match error {
            AppError::Validation(errors) | AppError::NotReady(errors) => {
                self.errors = errors
                    .into_iter()
                    .map(|e| {
                        let key = format!("error-{}", e.code);
                        let message = t.try_get(&key).unwrap_or(e.message);
                        FieldError { message, ..e }
                    })
                    .collect();
            }
            AppError::Unauthorized => self.general = Some(t.get("form-error-credentials")),
            AppError::LinkExpired => self.general = Some(t.get("error-invalid_token")),
            AppError::TooManyRequests { retry_after_secs } => {
                self.general = Some(t.numbers(
                    "form-error-throttled",
                    &[("seconds", retry_after_secs as usize)],
                ));
            }
            AppError::Forbidden(reason) | AppError::Conflict(reason) => self.general = Some(reason),
            other => return Err(other),
        }
        Ok(status)
    }
}
