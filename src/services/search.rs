//! Searching a round's answers, for coordinators with the second factor: what the
//! organisations wrote about a subject, best matches first, each with an excerpt and a
//! link to the answer among the round's results.

use crate::domain::organisations::OrganisationKind;
use crate::domain::search::SearchQuery;
use crate::error::AppError;
use crate::services::authority::SecuredCoordinator;
use crate::state::AppState;
use crate::store;

pub use store::search::{EXCERPT_MARKS, Filters, Hit};

/// Answers per page.
pub const PAGE: i64 = 20;
/// Pages one can go through (a search more precise serves better beyond).
pub const MAX_PAGE: i64 = 50;

/// One page of a search.
#[derive(Debug)]
pub struct Found {
    pub hits: Vec<Hit>,
    /// Answers that match in all.
    pub total: i64,
}

/// The answers of round `slug` matching `query`, page `page` (from 1); 404 for an unknown
/// round. A chapter or question the round lacks finds nothing.
pub async fn search(
    state: &AppState,
    _: &SecuredCoordinator,
    slug: String,
    query: SearchQuery,
    filters: Filters,
    page: i64,
) -> Result<Found, AppError> {
    if !(1..=MAX_PAGE).contains(&page) {
        return Err(crate::domain::FieldError::new(
            "page",
            "out_of_range",
            format!("page attendue entre 1 et {MAX_PAGE}"),
        )
        .into());
    }
    if let Some(kind) = &filters.kind
        && OrganisationKind::parse(kind).is_none()
    {
        return Err(crate::domain::FieldError::new(
            "kind",
            "invalid_kind",
            "type d'organisation inconnu",
        )
        .into());
    }
    state
        .db
        .run(move |conn| {
            let detail = store::rounds::find_by_slug(conn, &slug)?.ok_or(AppError::NotFound)?;
            let hits = store::search::search(
                conn,
                detail.round.id,
                &query,
                &filters,
                PAGE,
                (page - 1) * PAGE,
            )?;
            let total = hits.first().map_or(0, |h| h.total);
            Ok(Found { hits, total })
        })
        .await
}
