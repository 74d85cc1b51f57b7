//! The state of a form as a page shows it: what was typed (never passwords) and what was
//! wrong with it, in the page's language.

use std::collections::HashMap;

use actix_web::http::StatusCode;

use crate::domain::FieldError;
use crate::error::AppError;
use crate::i18n::{Lang, Tr};

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
            AppError::Validation(errors)
            | AppError::NotReady(errors)
            | AppError::Clash(errors)
            | AppError::FileTooLarge(errors) => {
                self.errors = errors
                    .into_iter()
                    .map(|e| {
                        let message = page_message(t, &e);
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

/// What a page says of a refused field, most specific first: a message for this code on
/// this field (`error-required-title`: "Donnez un titre…"); then, on a French page, the
/// service's own sentence (services speak French, each refusal in its own words: "Cochez
/// au moins une organisation."); on other pages the code's message in their language.
/// An error summary then names what is wrong, never "Ce champ est obligatoire." twice.
pub fn page_message(t: &Tr, e: &FieldError) -> String {
    let general = || match t.lang {
        Lang::Fr => None,
        _ => t.try_get(&format!("error-{}", e.code)),
    };
    t.try_get(&format!("error-{}-{}", e.code, e.field))
        .or_else(general)
        .unwrap_or_else(|| e.message.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn a_refusal_reads_in_the_most_specific_words() {
        let (fr, en) = (Tr::new(Lang::Fr), Tr::new(Lang::En));
        let chapter = FieldError::new("chapter_code", "invalid_code", "Code de chapitre attendu.");
        let totp = FieldError::new("code", "invalid_code", "Code incorrect ou expiré.");
        // French: the service's own sentence, not the general one of its code.
        assert_eq!(page_message(&fr, &totp), "Code incorrect ou expiré.");
        assert!(page_message(&fr, &chapter).starts_with("Code de chapitre attendu"));
        // English: the code's message, or the field's own where one is written.
        assert!(page_message(&en, &totp).starts_with("Wrong or expired code"));
        assert!(page_message(&en, &chapter).starts_with("Expected chapter code"));
        let title = FieldError::new("title", "required", "Ce champ est obligatoire.");
        assert_eq!(
            page_message(&fr, &title),
            "Donnez un titre à la consultation."
        );
        assert_eq!(page_message(&en, &title), "Give the consultation a title.");
        let unknown = FieldError::new(
            "answers.E1.Q1[0].title",
            "required",
            "Chaque proposition a un titre.",
        );
        assert_eq!(
            page_message(&fr, &unknown),
            "Chaque proposition a un titre."
        );
        assert_eq!(page_message(&en, &unknown), "This field is required.");
    }
}
