//! Answers typed while the session ended: kept for an hour under a key only this
//! browser holds, put back once the person signs in again.

use super::*;

pub(super) const DRAFT_COOKIE: &str = "concerto_brouillon";

pub(super) fn draft_cookie(
    state: &AppState,
    value: &str,
    keep: bool,
) -> actix_web::cookie::Cookie<'static> {
    let mut cookie = actix_web::cookie::Cookie::build(DRAFT_COOKIE, value.to_owned())
        .path("/consultations")
        .http_only(true)
        .secure(state.settings.is_https())
        .same_site(actix_web::cookie::SameSite::Lax)
        .max_age(actix_web::cookie::time::Duration::hours(1))
        .finish();
    if !keep {
        cookie.make_removal();
    }
    cookie
}

/// A save arriving after the session ended: the typed answers are kept (an hour, under a
/// key only this browser holds), and the person signs in and comes back to them.
pub(super) async fn keep_for_later(
    req: &HttpRequest,
    state: &AppState,
    slug: &str,
    org: i64,
    chapter: &str,
    fields: &[(String, String)],
) -> Result<HttpResponse, AppError> {
    let origin = crate::auth::identity::origin_of(req);
    let key = kept_drafts::keep(state, slug, org, chapter, fields, &origin).await?;
    let back = format!("/consultations/{slug}/reponse/{org}?chapitre={chapter}&repris=1");
    let location = redirects::sign_in_then(&back);
    Ok(redirects::see_other_with(&location)
        .cookie(draft_cookie(state, &key, true))
        .finish())
}

/// The kept draft of this browser for this page, if any (taken: it serves once).
pub(super) async fn take_kept_draft(
    req: &HttpRequest,
    state: &AppState,
    slug: &str,
    org: i64,
) -> Result<Option<crate::store::responses::KeptDraft>, AppError> {
    match req.cookie(DRAFT_COOKIE) {
        Some(key) => kept_drafts::take(state, key.value(), slug, org).await,
        None => Ok(None),
    }
}
