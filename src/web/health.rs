//! Probes for load balancers and orchestrators.

use actix_web::{HttpResponse, get, web};
use std::time::Duration;

use crate::error::AppError;
use crate::state::AppState;

/// The process is up and serving HTTP.
#[get("/healthz")]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .body("ok")
}

/// The database answers; 503 otherwise, so a load balancer stops sending traffic here.
#[get("/readyz")]
pub async fn readyz(state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    let check = state
        .db
        .run(|conn| crate::store::ping(conn).map_err(AppError::from));
    match tokio_timeout(Duration::from_secs(3), check).await {
        Some(Ok(())) => Ok(HttpResponse::Ok()
            .content_type("text/plain; charset=utf-8")
            .body("ready")),
        Some(Err(e)) => Err(AppError::Unavailable(format!("database check failed: {e}"))),
        None => Err(AppError::Unavailable("database check timed out".into())),
    }
}

/// Prometheus metrics (`docs/operations.md`), for whoever presents the configured token;
/// without a token configured there are none (404), as if the route did not exist.
#[get("/metrics")]
pub async fn metrics(
    req: actix_web::HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    use crate::config::ExposeSecret;
    use subtle::ConstantTimeEq;
    let Some(token) = &state.settings.metrics_token else {
        return Err(AppError::NotFound);
    };
    let given = req
        .headers()
        .get(actix_web::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    let expected = token.expose_secret().as_bytes();
    if given.is_empty() || !bool::from(given.as_bytes().ct_eq(expected)) {
        return Err(AppError::Unauthorized);
    }
    let now = state.clock.now().naive_utc();
    let watched = state
        .db
        .run(move |conn| crate::store::watch::watched(conn, now).map_err(AppError::from))
        .await?;
    let text = state.metrics.render(state.db.pool_use(), &watched, now);
    Ok(HttpResponse::Ok()
        .content_type(crate::metrics::CONTENT_TYPE)
        .insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"))
        .body(text))
}

async fn tokio_timeout<F: std::future::Future>(limit: Duration, f: F) -> Option<F::Output> {
    actix_web::rt::time::timeout(limit, f).await.ok()
}
