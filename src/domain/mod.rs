//! The rules of Concerto, free of HTTP and SQL.

pub mod accounts;
pub mod answers;
pub mod demo;
pub mod markdown;
pub mod organisations;
pub mod rounds;
pub mod statistics;

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
    pub fn new(field: &str, code: &str, message: impl Into<String>) -> Self {
        Self {
            field: field.to_owned(),
            code: code.to_owned(),
            message: message.into(),
        }
    }
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} : {}", self.field, self.message)
    }
}
