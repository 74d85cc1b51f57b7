//! Content-Security-Policy violation reports: a blocked script in a browser is a bug or
//! an attack, and either way we want to hear of it.

use super::body::Json;
use actix_web::{HttpRequest, HttpResponse, post, web};
use serde_json::Value;

use crate::auth::identity::origin_of;
use crate::error::{AppError, Problem};
use crate::state::AppState;

/// The path browsers post reports to: sessions are not looked at there (browsers send
/// the cookie without our CSRF header), see `auth::identity`.
pub const PATH: &str = "/api/v1/csp-reports";

/// Longest value kept from a report field, so a report cannot flood the logs.
const MAX_FIELD_CHARS: usize = 300;
/// Reports logged from one request (a browser batches a few; one request once held
/// 10,000, each a log line).
const MAX_REPORTS: usize = 5;

fn field<'a>(report: &'a Value, names: &[&str]) -> &'a str {
    names
        .iter()
        .find_map(|n| report.get(*n).and_then(Value::as_str))
        .unwrap_or("")
}

/// A field as logged: cut short, control characters (CR/LF would forge log lines in the
/// `pretty` format) turned into spaces.
fn short(text: &str) -> String {
    text.chars()
        .take(MAX_FIELD_CHARS)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// Receives a violation report (the `report-uri` format `{"csp-report": {...}}`, or the
/// Reporting API's list of `{type, body}`) and logs it.
#[utoipa::path(
    tag = "platform",
    request_body(content = Object, content_type = "application/csp-report"),
    responses(
        (status = 204, description = "Report received"),
        (status = 400, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not a violation report", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many reports from this address", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/api/v1/csp-reports")]
pub async fn receive_report(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: Json<Value>,
) -> Result<HttpResponse, AppError> {
    state.throttles.csp_report_ip.check(&origin_of(&req).ip)?;
    let reports: Vec<&Value> = match &*body {
        Value::Object(map) if map.contains_key("csp-report") => vec![&map["csp-report"]],
        Value::Array(items) => items.iter().filter_map(|i| i.get("body")).collect(),
        _ => Vec::new(),
    };
    if reports.is_empty() {
        return Err(AppError::invalid(
            "csp-report",
            "not_a_report",
            "Rapport de violation CSP attendu.",
        ));
    }
    if reports.len() > MAX_REPORTS {
        tracing::warn!(
            left_out = reports.len() - MAX_REPORTS,
            "content security policy reports left out of the log"
        );
    }
    for report in reports.into_iter().take(MAX_REPORTS) {
        tracing::warn!(
            document = %short(field(report, &["document-uri", "documentURL"])),
            directive = %short(field(report, &["violated-directive", "effectiveDirective"])),
            blocked = %short(field(report, &["blocked-uri", "blockedURL"])),
            "content security policy violation"
        );
    }
    Ok(HttpResponse::NoContent().finish())
}
