//! Cross-cutting behaviour of every response: request ids and logs, security headers,
//! and error bodies in the right shape for who asked (problem+json for the API, an HTML
//! page for people).

use std::time::Instant;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage, HttpResponse, ResponseError, web};
use tracing::Instrument;

use crate::error::{AppError, PROBLEM_JSON};
use crate::state::AppState;

/// The id of the request, in logs, in the `X-Request-Id` header and on error pages.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

fn new_request_id() -> String {
    crate::hex::random_hex::<12>()
}

/// The id a trusted reverse proxy gave the request (`X-Request-Id`), so that its logs
/// and ours name the same request; a short run of letters, digits, `-`, `_` and `.` only.
fn proxy_request_id(req: &ServiceRequest) -> Option<String> {
    let state = req.app_data::<web::Data<AppState>>()?;
    let peer = req.peer_addr()?.ip();
    if !state.settings.trusted_proxies.contains(&peer) {
        return None;
    }
    let id = req.headers().get("x-request-id")?.to_str().ok()?;
    let plain = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.');
    (!id.is_empty() && id.len() <= 64 && id.chars().all(plain)).then(|| id.to_owned())
}

/// Gives each request an id and logs one line when it ends. Only the path is logged:
/// query strings, bodies and headers may carry tokens or personal data.
pub async fn request_context(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let id = proxy_request_id(&req).unwrap_or_else(new_request_id);
    req.extensions_mut().insert(RequestId(id.clone()));
    let metrics = req
        .app_data::<web::Data<AppState>>()
        .map(|s| s.metrics.clone());
    let span = tracing::info_span!("request", request_id = %id, method = %req.method(), path = %req.path());
    let started = Instant::now();
    let result = next.call(req).instrument(span.clone()).await;
    let mut res = match result {
        Ok(res) => res.map_into_boxed_body(),
        Err(e) => return Err(e),
    };
    let status = res.status().as_u16();
    let elapsed = started.elapsed().as_secs_f64();
    if let Some(metrics) = metrics {
        let request = res.request();
        let route = request.match_pattern();
        let route = route.as_deref().unwrap_or("unmatched");
        metrics.answered(route, request.method().as_str(), status, elapsed);
    }
    let elapsed_ms = elapsed * 1000.0;
    span.in_scope(|| {
        if status >= 500 {
            tracing::warn!(status, elapsed_ms, "request failed");
        } else {
            tracing::info!(status, elapsed_ms, "request done");
        }
    });
    if let Ok(value) = HeaderValue::from_str(&id) {
        res.headers_mut()
            .insert(HeaderName::from_static("x-request-id"), value);
    }
    Ok(res)
}

/// No inline script or style anywhere, so the policy needs no `unsafe-inline`.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
     img-src 'self' data:; font-src 'self'; connect-src 'self'; form-action 'self'; \
     frame-ancestors 'none'; object-src 'none'; base-uri 'none'; report-uri /api/v1/csp-reports";

pub async fn security_headers(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let https = req
        .app_data::<web::Data<AppState>>()
        .is_some_and(|s| s.settings.is_https());
    let mut res = next.call(req).await?;
    let headers = res.headers_mut();
    // A handler may set a stricter value (e.g. no-referrer on pages with tokens): keep it.
    let set = |headers: &mut header::HeaderMap, name: HeaderName, value: &'static str| {
        if !headers.contains_key(&name) {
            headers.insert(name, HeaderValue::from_static(value));
        }
    };
    set(
        headers,
        header::CONTENT_SECURITY_POLICY,
        CONTENT_SECURITY_POLICY,
    );
    set(headers, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(headers, header::X_FRAME_OPTIONS, "DENY");
    set(
        headers,
        header::REFERRER_POLICY,
        "strict-origin-when-cross-origin",
    );
    set(
        headers,
        HeaderName::from_static("cross-origin-opener-policy"),
        "same-origin",
    );
    set(
        headers,
        HeaderName::from_static("permissions-policy"),
        "camera=(), microphone=(), geolocation=(), interest-cohort=()",
    );
    if https {
        set(
            headers,
            header::STRICT_TRANSPORT_SECURITY,
            "max-age=31536000; includeSubDomains",
        );
    }
    Ok(res)
}

/// Makes every error response speak the caller's language: problem+json under `/api/`,
/// an HTML page elsewhere, whatever produced the error (a handler, an extractor, the
/// router's 404 or 405).
pub async fn error_bodies(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let res = match next.call(req).await {
        Ok(res) => res.map_into_boxed_body(),
        Err(e) => return Err(e),
    };
    let status = res.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return Ok(res);
    }
    let content_type = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let is_api = res.request().path().starts_with("/api/");
    if is_api {
        if content_type.starts_with(PROBLEM_JSON) {
            return Ok(res);
        }
        let problem = AppError::from_status(status).error_response();
        return Ok(replace_body(res, problem));
    }
    if content_type.starts_with("text/html") {
        return Ok(res);
    }
    let request_id = res
        .request()
        .extensions()
        .get::<RequestId>()
        .map(|r| r.0.clone());
    let code = res
        .response()
        .extensions()
        .get::<crate::error::ProblemCode>()
        .map(|c| c.0);
    let Some(html) = super::pages::error_page(res.request(), status.as_u16(), code, request_id)
    else {
        return Ok(res);
    };
    let page = HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(html);
    Ok(replace_body(res, page))
}

/// Swaps the body, keeping the headers that tell the client what to do next.
fn replace_body(
    res: ServiceResponse<BoxBody>,
    mut replacement: HttpResponse,
) -> ServiceResponse<BoxBody> {
    for name in [
        header::RETRY_AFTER,
        header::ALLOW,
        header::SET_COOKIE,
        header::LOCATION,
    ] {
        for value in res.headers().get_all(&name) {
            replacement
                .headers_mut()
                .append(name.clone(), value.clone());
        }
    }
    let (req, _) = res.into_parts();
    ServiceResponse::new(req, replacement)
}

/// How many organisations await the coordination's decision, for the header's badge.
#[derive(Debug, Clone, Copy)]
pub struct PendingDecisions(pub i64);

/// Counts the organisations awaiting a decision when a coordinator asks for a page (not
/// the API, not an asset): one indexed count, exact at every page, read by `Page`.
pub async fn pending_decisions(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let coordinator = req
        .extensions()
        .get::<crate::auth::identity::Identity>()
        .is_some_and(|i| i.account.is_coordinator() && !i.mfa_pending);
    let page = req.method() == actix_web::http::Method::GET
        && !req.path().starts_with("/api/")
        && !req.path().starts_with("/static/");
    if coordinator
        && page
        && let Some(state) = req.app_data::<actix_web::web::Data<crate::state::AppState>>()
    {
        let counted = state
            .db
            .run(|conn| {
                crate::store::organisations::count_with_status(
                    conn,
                    crate::domain::organisations::OrganisationStatus::Pending,
                )
                .map_err(crate::error::AppError::from)
            })
            .await;
        match counted {
            Ok(n) => {
                req.extensions_mut().insert(PendingDecisions(n));
            }
            // The badge is a courtesy: a failed count leaves it out, never the page.
            Err(e) => tracing::warn!(error = %e, "pending decisions not counted"),
        }
    }
    next.call(req)
        .await
        .map(ServiceResponse::map_into_boxed_body)
}
