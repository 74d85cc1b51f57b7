//! One response as a coder works on it.

use super::{TagFilter, TagView, ThemeRow};
use crate::error::AppError;
use crate::services::authority::SecuredCoordinator;
use crate::services::round_work;
use crate::state::AppState;
use crate::store;

/// One response as a coder works on it: its answers, the round's codebook, and what
/// was already tagged and masked in it, with the personal data detected.
pub struct Coding {
    pub organisation: String,
    pub answers: Vec<store::themes::CodedAnswer>,
    pub themes: Vec<ThemeRow>,
    pub tags: Vec<TagView>,
    pub redactions: Vec<crate::services::redactions::RedactionView>,
    pub candidates: Vec<crate::services::redactions::Proposed>,
}

/// Organisation `org`'s response to round `slug`, for coding; 404 when it has none.
pub async fn coding(
    state: &AppState,
    coordinator: &SecuredCoordinator,
    slug: String,
    org: i64,
) -> Result<Coding, AppError> {
    let (answers, themes) = round_work::read(state, slug.clone(), move |conn, round| {
        let answers = store::themes::answers_of_organisation(conn, round, org)?;
        Ok((answers, store::themes::list(conn, round)?))
    })
    .await?;
    let first = answers.first().ok_or(AppError::NotFound)?;
    let (response, organisation) = (first.response_id, first.organisation.clone());
    let which = TagFilter {
        response: Some(response),
        ..TagFilter::default()
    };
    let tags = super::tags(state, coordinator, slug.clone(), which).await?;
    let redactions =
        crate::services::redactions::list(state, coordinator, slug.clone(), Some(response)).await?;
    let candidates =
        crate::services::redactions::candidates(state, coordinator, slug, response).await?;
    Ok(Coding {
        organisation,
        answers,
        themes,
        tags,
        redactions,
        candidates,
    })
}
