//! Content-Security-Policy violation reports: a blocked script in a browser is a bug or
//! an attack, and either way we want to hear of it.

use actix_web::{HttpResponse, post, web};
use serde_json::Value;

use crate::error::{AppError, Problem};

/// Longest value kept from a report field, so a report cannot flood the logs.
const MAX_FIELD_CHARS: usize = 300;

fn field<'a>(report: &'a Value, names: &[&str]) -> &'a str {
    names
        .iter()
        .find_map(|n| report.get(*n).and_then(Value::as_str))
        .unwrap_or("")
}

fn short(text: &str) -> String {
    text.chars().take(MAX_FIELD_CHARS).collect()
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
    )
)]
#[post("/api/v1/csp-reports")]
pub async fn receive_report(body: web::Json<Value>) -> Result<HttpResponse, AppError> {
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
    for report in reports {
        tracing::warn!(
            document = %short(field(report, &["document-uri", "documentURL"])),
            directive = %short(field(report, &["violated-directive", "effectiveDirective"])),
            blocked = %short(field(report, &["blocked-uri", "blockedURL"])),
            "content security policy violation"
        );
    }
    Ok(HttpResponse::NoContent().finish())
}
