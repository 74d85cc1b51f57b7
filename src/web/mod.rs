//! The HTML side: pages for people, with the shared layout, assets and probes.

pub mod assets;
pub mod health;
pub mod middleware;
pub mod pages;

use actix_web::web;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(health::healthz)
        .service(health::readyz)
        .service(assets::asset)
        .service(pages::home_page)
        .service(pages::round_page)
        .service(pages::switch_language);
}
