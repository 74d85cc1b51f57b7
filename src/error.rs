//! One error type for the whole application, mapped to HTTP in one place.
//!
//! Every refusal becomes an `application/problem+json` body (RFC 9457) with a field-level
//! `errors` list; the web layer turns error responses for pages into HTML pages
//! (see `web::errors`).

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::FieldError;
use crate::store::DbError;

pub const PROBLEM_JSON: &str = "application/problem+json";

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The body or a parameter cannot be read at all.
    #[error("requête mal formée : {0}")]
    BadRequest(String),
    #[error("authentification requise")]
    Unauthorized,
    #[error("accès refusé : {0}")]
    Forbidden(String),
    /// A power the second factor guards, asked by a session that did not present it:
    /// `enabled` says whether the account has it on (sign in again with the code) or
    /// not (turn it on first).
    #[error("accès refusé : {}", if *enabled {
        "reconnectez-vous avec votre code de double authentification pour ouvrir, clore, archiver, exporter une consultation ou lire les réponses des organisations"
    } else {
        "activez la double authentification (Mon compte) pour ouvrir, clore, archiver, exporter une consultation ou lire les réponses des organisations"
    })]
    SecondFactorNeeded { enabled: bool },
    #[error("introuvable")]
    NotFound,
    #[error("méthode non autorisée pour cette adresse")]
    MethodNotAllowed,
    #[error("conflit : {0}")]
    Conflict(String),
    /// An emailed link (address check, password reset, invitation) already used or
    /// expired: its state, not its shape, refuses it.
    #[error("ce lien n'est plus valable : il a déjà servi ou a expiré")]
    LinkExpired,
    #[error("corps de requête trop volumineux (limite : {limit} octets)")]
    PayloadTooLarge { limit: usize },
    #[error("type de contenu non pris en charge : {0}")]
    UnsupportedMediaType(String),
    /// A file over what it may weigh, refused while it arrived (nothing kept), named by
    /// its field.
    #[error("fichier trop volumineux")]
    FileTooLarge(Vec<FieldError>),
    /// Answers written from a version that is no longer the current one: each with the
    /// current value and who wrote it.
    #[error("réponses modifiées entre-temps")]
    StaleAnswers(Vec<StaleAnswer>),
    /// Readable, but some values break the rules.
    #[error("valeurs invalides")]
    Validation(Vec<FieldError>),
    /// A readable request the thing's state refuses, with what is missing, each named
    /// by its field (a round opened with no question, or a closing date gone by).
    #[error("pas encore prêt")]
    NotReady(Vec<FieldError>),
    /// A valid request the current state refuses, each cause named by its field: a name
    /// another thing of the round already has, a theme or an answer that is not the
    /// round's, a passage outside the answer as it is now.
    #[error("en conflit avec l'état actuel")]
    Clash(Vec<FieldError>),
    #[error("trop de requêtes")]
    TooManyRequests { retry_after_secs: u64 },
    #[error("service momentanément indisponible : {0}")]
    Unavailable(String),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl AppError {
    pub fn invalid(field: &str, code: &str, message: impl Into<String>) -> Self {
        Self::Validation(vec![FieldError::new(field, code, message)])
    }

    /// A valid request the current state refuses, because of `field`.
    pub fn clash(field: &str, code: &str, message: impl Into<String>) -> Self {
        Self::Clash(vec![FieldError::new(field, code, message)])
    }

    /// The problem for a bare status produced outside our handlers (router, framework).
    pub fn from_status(status: StatusCode) -> Self {
        match status.as_u16() {
            401 => Self::Unauthorized,
            403 => Self::Forbidden(String::new()),
            404 => Self::NotFound,
            405 => Self::MethodNotAllowed,
            413 => Self::PayloadTooLarge { limit: 0 },
            415 => Self::UnsupportedMediaType(String::new()),
            503 => Self::Unavailable(String::new()),
            400..=499 => Self::BadRequest(
                status
                    .canonical_reason()
                    .unwrap_or("requête refusée")
                    .to_owned(),
            ),
            _ => Self::Internal(anyhow::anyhow!(
                "status {status} produced outside the handlers"
            )),
        }
    }

    /// A stable code for clients, present in every problem body.
    fn code(&self) -> &'static str {
        match self {
            Self::BadRequest(_) => "bad_request",
            Self::Unauthorized => "unauthorized",
            Self::Forbidden(_) => "forbidden",
            Self::SecondFactorNeeded { enabled: true } => "second_factor_not_presented",
            Self::SecondFactorNeeded { enabled: false } => "second_factor_off",
            Self::NotFound => "not_found",
            Self::MethodNotAllowed => "method_not_allowed",
            Self::Conflict(_) => "conflict",
            Self::LinkExpired => "invalid_token",
            Self::StaleAnswers(_) => "stale_version",
            Self::PayloadTooLarge { .. } => "payload_too_large",
            Self::FileTooLarge(_) => "file_too_large",
            Self::UnsupportedMediaType(_) => "unsupported_media_type",
            Self::Validation(_) => "validation_failed",
            Self::NotReady(_) => "not_ready",
            Self::Clash(_) => "conflict",
            Self::TooManyRequests { .. } => "too_many_requests",
            Self::Unavailable(_) => "unavailable",
            Self::Internal(_) => "internal",
        }
    }

    fn title(&self) -> &'static str {
        match self {
            Self::BadRequest(_) => "Requête mal formée",
            Self::Unauthorized => "Connexion requise",
            Self::Forbidden(_) | Self::SecondFactorNeeded { .. } => "Accès refusé",
            Self::NotFound => "Page ou ressource introuvable",
            Self::MethodNotAllowed => "Méthode non autorisée",
            Self::Conflict(_) => "Conflit",
            Self::LinkExpired => "Lien expiré ou déjà utilisé",
            Self::StaleAnswers(_) => "Modifié entre-temps par quelqu'un d'autre",
            Self::PayloadTooLarge { .. } => "Contenu trop volumineux",
            Self::FileTooLarge(_) => "Fichier trop volumineux",
            Self::UnsupportedMediaType(_) => "Type de contenu non pris en charge",
            Self::Validation(_) => "Certaines valeurs sont invalides",
            Self::NotReady(_) => "Il manque encore quelque chose",
            Self::Clash(_) => "Conflit",
            Self::TooManyRequests { .. } => "Trop de tentatives",
            Self::Unavailable(_) => "Service momentanément indisponible",
            Self::Internal(_) => "Erreur interne",
        }
    }

    fn detail(&self) -> Option<String> {
        match self {
            // Never show internal details to clients; they are in the log.
            Self::Internal(_) | Self::Unavailable(_) => None,
            Self::NotFound
            | Self::Unauthorized
            | Self::Validation(_)
            | Self::NotReady(_)
            | Self::Clash(_)
            | Self::FileTooLarge(_)
            | Self::MethodNotAllowed => None,
            Self::BadRequest(r)
            | Self::Forbidden(r)
            | Self::Conflict(r)
            | Self::UnsupportedMediaType(r)
                if r.is_empty() =>
            {
                None
            }
            Self::PayloadTooLarge { limit: 0 } => None,
            other => Some(other.to_string()),
        }
    }
}

/// Most field errors in one problem, and per field: a refusal must not be larger than
/// the request that caused it.
const MAX_ERRORS: usize = 50;
const MAX_ERRORS_PER_FIELD: usize = 5;

fn capped(errors: &[FieldError]) -> Vec<FieldError> {
    let mut per_field = std::collections::HashMap::<&str, usize>::new();
    errors
        .iter()
        .filter(|e| {
            // `answers.E1.Q3[12]` counts for `answers.E1.Q3`.
            let field = e.field.split('[').next().unwrap_or_default();
            let seen = per_field.entry(field).or_default();
            *seen += 1;
            *seen <= MAX_ERRORS_PER_FIELD
        })
        .take(MAX_ERRORS)
        .cloned()
        .collect()
}

/// The code of the problem a response carries, for the middleware that turns it into a
/// page.
#[derive(Debug, Clone, Copy)]
pub struct ProblemCode(pub &'static str);

/// An answer written from a version that is no longer the current one: what it is now,
/// and who made it so.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StaleAnswer {
    /// The question's code.
    pub question: String,
    /// The current value (`null` when cleared or never given).
    pub current_value: Option<crate::domain::answers::AnswerValue>,
    pub current_version: i32,
    /// The display name of its last author.
    pub updated_by: Option<String>,
}

/// An RFC 9457 problem document.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// Always `about:blank`: `code` tells problems apart.
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub title: &'static str,
    pub status: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Stable machine-readable code (`validation_failed`, `not_found`…).
    pub code: &'static str,
    /// One entry per refused field (empty when the problem is not about fields).
    pub errors: Vec<FieldError>,
    /// For stale answer versions: per question, the current value and version and who
    /// wrote it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub conflicts: Vec<StaleAnswer>,
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::Unauthorized => StatusCode::UNAUTHORIZED,
            Self::Forbidden(_) | Self::SecondFactorNeeded { .. } => StatusCode::FORBIDDEN,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Self::Conflict(_)
            | Self::StaleAnswers(_)
            | Self::LinkExpired
            | Self::NotReady(_)
            | Self::Clash(_) => StatusCode::CONFLICT,
            Self::PayloadTooLarge { .. } | Self::FileTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        match self {
            Self::Internal(e) => tracing::error!(error = format!("{e:#}"), "internal error"),
            Self::Unavailable(e) => tracing::warn!(error = %e, "service unavailable"),
            _ => {}
        }
        let problem = Problem {
            kind: "about:blank",
            title: self.title(),
            status: status.as_u16(),
            detail: self.detail(),
            code: self.code(),
            errors: match self {
                Self::Validation(errors)
                | Self::NotReady(errors)
                | Self::Clash(errors)
                | Self::FileTooLarge(errors) => capped(errors),
                _ => Vec::new(),
            },
            conflicts: match self {
                Self::StaleAnswers(conflicts) => conflicts.clone(),
                _ => Vec::new(),
            },
        };
        let mut response = HttpResponse::build(status);
        // The pages' error bodies read the code to say what to do next.
        response.extensions_mut().insert(ProblemCode(self.code()));
        response.insert_header((header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON)));
        match self {
            Self::TooManyRequests { retry_after_secs } => {
                response.insert_header((header::RETRY_AFTER, retry_after_secs.to_string()));
            }
            // The database is restarting or out of connections: seconds, usually.
            Self::Unavailable(_) => {
                response.insert_header((header::RETRY_AFTER, "5"));
            }
            _ => {}
        }
        response.json(problem)
    }
}

impl From<DbError> for AppError {
    fn from(e: DbError) -> Self {
        match e {
            DbError::Unavailable(reason) => Self::Unavailable(reason),
            DbError::Query(e) => Self::from(e),
        }
    }
}

impl From<FieldError> for AppError {
    fn from(e: FieldError) -> Self {
        Self::Validation(vec![e])
    }
}

/// Field-level errors from `validator`'s derive, in our problem shape.
impl From<validator::ValidationErrors> for AppError {
    fn from(errors: validator::ValidationErrors) -> Self {
        let mut fields: Vec<FieldError> = errors
            .field_errors()
            .into_iter()
            .flat_map(|(field, errs)| {
                errs.iter().map(move |e| {
                    let message = e
                        .message
                        .as_ref()
                        .map(|m| m.to_string())
                        .unwrap_or_else(|| {
                            format!("Valeur refusée pour « {field} » ({}).", e.code)
                        });
                    FieldError::new(&field, &e.code, message)
                })
            })
            .collect();
        fields.sort_by(|a, b| a.field.cmp(&b.field));
        Self::Validation(fields)
    }
}

/// Turns body-reading failures of the JSON extractor into problems: 413 past the limit,
/// 415 for another content type, 422 when the JSON is well-formed but holds wrong
/// values, 400 otherwise.
pub fn json_error(err: actix_web::error::JsonPayloadError, limit: usize) -> AppError {
    use actix_web::error::JsonPayloadError as E;
    match err {
        E::Overflow { .. } | E::OverflowKnownLength { .. } => AppError::PayloadTooLarge { limit },
        E::ContentType => AppError::UnsupportedMediaType("application/json attendu".into()),
        E::Deserialize(e) if e.is_data() => {
            let message = e.to_string();
            let field = field_of_serde_message(&message)
                .unwrap_or("body")
                .to_owned();
            AppError::Validation(vec![FieldError::new(&field, "invalid_value", message)])
        }
        E::Deserialize(e) => AppError::BadRequest(format!("JSON illisible : {e}")),
        E::Payload(actix_web::error::PayloadError::Overflow) => AppError::PayloadTooLarge { limit },
        other => AppError::BadRequest(other.to_string()),
    }
}

/// Same for HTML forms.
pub fn form_error(err: actix_web::error::UrlencodedError, limit: usize) -> AppError {
    use actix_web::error::UrlencodedError as E;
    match err {
        E::Overflow { .. } => AppError::PayloadTooLarge { limit },
        E::ContentType => {
            AppError::UnsupportedMediaType("application/x-www-form-urlencoded attendu".into())
        }
        E::Parse(e) => AppError::Validation(vec![FieldError::new(
            field_of_serde_message(&e.to_string()).unwrap_or("body"),
            "invalid_value",
            e.to_string(),
        )]),
        other => AppError::BadRequest(other.to_string()),
    }
}

/// serde names a missing or unexpected field in backquotes ("missing field `email`");
/// other messages quote values, not fields.
pub(crate) fn field_of_serde_message(message: &str) -> Option<&str> {
    let rest = message
        .strip_prefix("missing field `")
        .or_else(|| message.strip_prefix("unknown field `"))?;
    rest.split('`').next()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_field_names_are_extracted() {
        assert_eq!(
            field_of_serde_message("missing field `email` at line 1"),
            Some("email")
        );
        assert_eq!(field_of_serde_message("invalid type: integer"), None);
        assert_eq!(
            field_of_serde_message("unknown variant `x`, expected `a`"),
            None
        );
    }
}
