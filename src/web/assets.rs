//! CSS (and later scripts) compiled into the binary: one file to deploy.

use actix_web::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use actix_web::{HttpResponse, get, web};

use crate::error::AppError;

struct Asset {
    name: &'static str,
    content_type: &'static str,
    bytes: &'static [u8],
}

const ASSETS: &[Asset] = &[
    Asset {
        name: "concerto.css",
        content_type: "text/css; charset=utf-8",
        bytes: include_bytes!("../../frontend/static/concerto.css"),
    },
    Asset {
        name: "concerto.js",
        content_type: "text/javascript; charset=utf-8",
        bytes: include_bytes!("../../frontend/static/concerto.js"),
    },
];

/// Appended to asset URLs so that a new release is never served a stale stylesheet.
pub const ASSET_VERSION: &str = env!("CARGO_PKG_VERSION");

#[get("/static/{name}")]
pub async fn asset(name: web::Path<String>) -> Result<HttpResponse, AppError> {
    let asset = ASSETS
        .iter()
        .find(|a| a.name == name.as_str())
        .ok_or(AppError::NotFound)?;
    Ok(HttpResponse::Ok()
        .insert_header((CONTENT_TYPE, asset.content_type))
        .insert_header((CACHE_CONTROL, "public, max-age=86400"))
        .body(asset.bytes))
}
