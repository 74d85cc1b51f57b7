//! Searching a round's answers, for coordinators with the second factor: what the
//! organisations wrote about a subject, best matches first, each with an excerpt and a
//! link to the answer among the round's results; and, beside them, the documents
//! attached to the responses whose text matches, with the same filters.

use std::sync::Arc;

use crate::domain::search::SearchQuery;
use crate::error::AppError;
use crate::services::authority::SecuredCoordinator;
use crate::state::AppState;
use crate::store;
use crate::store::round_cache::Shape;

pub use store::search::{DocumentHit, Filters, Hit};

/// Answers per page.
pub const PAGE: i64 = 20;
/// Pages one can go through (a search more precise serves better beyond).
pub const MAX_PAGE: i64 = 50;
/// Documents listed, on the first page (a search more precise finds the others).
pub const DOCUMENTS: i64 = 10;

/// One page of a search, and the round searched.
pub struct Found {
    pub shape: Arc<Shape>,
    pub hits: Vec<Hit>,
    /// Answers that match in all.
    pub total: i64,
    /// The documents that match, best first (the first page only).
    pub documents: Vec<DocumentHit>,
    /// Documents that match in all (0 beyond the first page).
    pub documents_total: i64,
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
    let rounds = state.rounds.clone();
    state
        .db
        .run(move |conn| {
            // The round from memory once it is open (a search reads it on every page).
            let shape = rounds.shape(conn, &slug)?.ok_or(AppError::NotFound)?;
            // Every answer written so far, in the index.
            store::search::catch_up(conn)?;
            let hits = store::search::search(
                conn,
                shape.detail.round.id,
                &query,
                &filters,
                PAGE,
                (page - 1) * PAGE,
            )?;
            let total = hits.first().map_or(0, |h| h.total);
            let documents = if page == 1 {
                store::search::documents(conn, shape.detail.round.id, &query, &filters, DOCUMENTS)?
            } else {
                Vec::new()
            };
            let documents_total = documents.first().map_or(0, |d| d.total);
            Ok(Found {
                shape,
                hits,
                total,
                documents,
                documents_total,
            })
        })
        .await
}

/// Where an answer found sits among the round's results (its question's answers, from
/// its response on).
pub fn answer_link(slug: &str, hit: &Hit) -> String {
    format!(
        "/coordination/consultations/{slug}/resultats?question={}&apres={}",
        url::form_urlencoded::byte_serialize(hit.question.as_bytes()).collect::<String>(),
        hit.response_id - 1
    )
}
