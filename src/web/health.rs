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

async fn tokio_timeout<F: std::future::Future>(limit: Duration, f: F) -> Option<F::Output> {
    actix_web::rt::time::timeout(limit, f).await.ok()
}
