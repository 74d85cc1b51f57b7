//! CSS (and later scripts) compiled into the binary: one file to deploy.

use actix_web::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use actix_web::{HttpResponse, get, web};

use crate::error::AppError;

struct Asset {
    name: &'static str,
    content_type: &'static str,
    bytes: &'static [u8],
}

const CSS: &str = "text/css; charset=utf-8";

macro_rules! dsfr_css {
    ($name:literal) => {
        Asset {
            name: concat!("dsfr/css/", $name, ".min.css"),
            content_type: CSS,
            bytes: include_bytes!(concat!(
                "../../frontend/vendor/dsfr/css/",
                $name,
                ".min.css"
            )),
        }
    };
}

macro_rules! dsfr_font {
    ($name:literal) => {
        Asset {
            name: concat!("dsfr/fonts/", $name, ".woff2"),
            content_type: "font/woff2",
            bytes: include_bytes!(concat!(
                "../../frontend/vendor/dsfr/fonts/",
                $name,
                ".woff2"
            )),
        }
    };
}

const ASSETS: &[Asset] = &[
    Asset {
        name: "concerto.css",
        content_type: CSS,
        bytes: include_bytes!("../../frontend/static/concerto.css"),
    },
    Asset {
        name: "concerto.js",
        content_type: "text/javascript; charset=utf-8",
        bytes: include_bytes!("../../frontend/static/concerto.js"),
    },
    // The `dsfr` theme: the State Design System's parts it uses (scripts/vendor-dsfr), and
    // Concerto's few rules on top of them. Their stylesheets find the fonts at ../fonts/.
    Asset {
        name: "theme-dsfr.css",
        content_type: CSS,
        bytes: include_bytes!("../../frontend/static/theme-dsfr.css"),
    },
    dsfr_css!("core"),
    dsfr_css!("logo"),
    dsfr_css!("header"),
    dsfr_css!("footer"),
    dsfr_css!("link"),
    dsfr_font!("Marianne-Regular"),
    dsfr_font!("Marianne-Regular_Italic"),
    dsfr_font!("Marianne-Medium"),
    dsfr_font!("Marianne-Bold"),
];

/// Appended to asset URLs so that a new release is never served a stale stylesheet.
pub const ASSET_VERSION: &str = env!("CARGO_PKG_VERSION");

#[get("/static/{name:.*}")]
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
