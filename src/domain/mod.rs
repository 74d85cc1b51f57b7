//! The rules of Concerto, free of HTTP and SQL.

/// A closed set of codes stored and exchanged as text (statuses, roles, consents…): the
/// one place each code is spelled. The store reads columns straight into them
/// (`store::codes`); writes bind `as_str()`. Each code is its variant's name in
/// snake_case, as serde and the API document name it (`tests::codes_are_serde_names`).
macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, ::serde::Serialize, ::serde::Deserialize, ::utoipa::ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(value: &str) -> Option<Self> {
                match value { $($text => Some($name::$variant),)+ _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

pub mod accounts;
pub mod answers;
pub mod attachments;
pub mod demo;
pub mod diff;
pub mod markdown;
pub mod organisations;
pub mod passages;
pub mod personal_data;
#[cfg(test)]
mod properties;
pub mod questions;
pub mod responses;
pub mod rounds;
pub mod search;
pub mod similarity;
pub mod statistics;
pub mod synthesis;
pub mod themes;

/// Whether a text may span lines (a description, a body) or not (a name, a title:
/// those reach email subjects, spreadsheet cells and headers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lines {
    One,
    Many,
}

/// A text field's rule, stated once for the service that checks it and for the API
/// document that describes it (`api::contract`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextRule {
    pub max: usize,
    pub required: bool,
    pub lines: Lines,
}

impl TextRule {
    pub const fn required(max: usize, lines: Lines) -> Self {
        Self {
            max,
            required: true,
            lines,
        }
    }

    pub const fn optional(max: usize, lines: Lines) -> Self {
        Self {
            max,
            required: false,
            lines,
        }
    }

    /// The same text where a request must give it.
    pub const fn made_required(self) -> Self {
        Self {
            required: true,
            ..self
        }
    }

    pub fn check(&self, field: &str, value: &str) -> Option<FieldError> {
        check_text(field, value, self.max, self.required, self.lines)
    }
}

/// A text field's rules: required or not, at most `max` characters (trimmed), and no
/// control characters (line breaks and tabs allowed where `lines` says so).
pub fn check_text(
    field: &str,
    value: &str,
    max: usize,
    required: bool,
    lines: Lines,
) -> Option<FieldError> {
    let length = value.trim().chars().count();
    let allowed = |c: char| lines == Lines::Many && matches!(c, '\n' | '\r' | '\t');
    if required && length == 0 {
        Some(FieldError::new(
            field,
            "required",
            "Ce champ est obligatoire.",
        ))
    } else if length > max {
        Some(FieldError::new(
            field,
            "too_long",
            format!("{max} caractères au plus."),
        ))
    } else if value.chars().any(|c| c.is_control() && !allowed(c)) {
        Some(FieldError::new(
            field,
            "invalid_characters",
            if lines == Lines::One {
                "Une seule ligne, sans caractères de contrôle."
            } else {
                "Pas de caractères de contrôle (hors retours à la ligne)."
            },
        ))
    } else {
        None
    }
}

/// A value refused at the edge, tied to the field it came from.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct FieldError {
    /// The field, as named in the request (`email`, `password`, `answers.E1.Q3`…).
    pub field: String,
    /// A stable machine-readable code (`too_short`, `invalid_email`…).
    pub code: String,
    /// A sentence for people, in French.
    pub message: String,
}

impl FieldError {
    /// Most characters of a field's name or message: both may quote what a client
    /// sent, and an error must not grow with the request.
    pub const MAX_CHARS: usize = 300;

    pub fn new(field: &str, code: &str, message: impl Into<String>) -> Self {
        Self {
            field: cut(field.to_owned()),
            code: code.to_owned(),
            message: cut(message.into()),
        }
    }
}

fn cut(mut text: String) -> String {
    if let Some((at, _)) = text.char_indices().nth(FieldError::MAX_CHARS) {
        text.truncate(at);
        text.push('…');
    }
    text
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} : {}", self.field, self.message)
    }
}

#[cfg(test)]
mod tests {
    /// JSON, the API document and the database name a code alike.
    #[test]
    fn codes_are_serde_names() {
        fn check<T: serde::Serialize + Copy>(all: &[T], code: fn(T) -> &'static str) {
            for value in all {
                assert_eq!(serde_json::to_value(value).unwrap(), code(*value));
            }
        }
        use super::accounts::PlatformRole;
        use super::organisations::{MemberRole, OrganisationKind, OrganisationStatus};
        use super::responses::{Progress, PublicationConsent, ResponseStatus};
        use super::rounds::RoundAction;
        check(PlatformRole::ALL, PlatformRole::as_str);
        check(MemberRole::ALL, MemberRole::as_str);
        check(OrganisationKind::ALL, OrganisationKind::as_str);
        check(OrganisationStatus::ALL, OrganisationStatus::as_str);
        check(Progress::ALL, Progress::as_str);
        check(PublicationConsent::ALL, PublicationConsent::as_str);
        check(ResponseStatus::ALL, ResponseStatus::as_str);
        check(RoundAction::ALL, RoundAction::as_str);
    }
}
