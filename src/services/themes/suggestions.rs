//! Suggestions: the answers a theme's keyword rules match, for a person to confirm
//! (by tagging) or dismiss; nothing is tagged here.

use std::collections::BTreeSet;

use serde_json::json;

use super::{ThemeRow, tags::answer_and_passage, theme_of};
use crate::domain::themes::KeywordRules;
use crate::error::AppError;
use crate::services::accounts::Origin;
use crate::services::authority::SecuredCoordinator;
use crate::services::round_work;
use crate::state::AppState;
use crate::store;
use crate::store::search::{Filters, Hit};

/// Most suggestions shown at once (confirming or dismissing them brings the next).
pub const MAX_SUGGESTIONS: usize = 50;

/// The submitted answers any of the theme's keyword rules matches, best first, without
/// those already tagged with the theme or dismissed for it. Nothing is tagged here.
pub async fn suggestions(
    state: &AppState,
    _: &SecuredCoordinator,
    slug: String,
    theme: i64,
) -> Result<(ThemeRow, Vec<Hit>), AppError> {
    round_work::read(state, slug, move |conn, round| {
        let theme = theme_of(conn, round, theme)?;
        store::search::catch_up(conn)?;
        let settled: BTreeSet<i64> = store::themes::settled_answers(conn, theme.id)?
            .into_iter()
            .collect();
        let rules = KeywordRules::parse(&theme.keywords).ok();
        let Some(query) = rules.as_ref().and_then(KeywordRules::query) else {
            return Ok((theme, Vec::new()));
        };
        let limit = (MAX_SUGGESTIONS + settled.len()) as i64;
        let hits = store::search::search(conn, round, query, &Filters::default(), limit, 0)?;
        let proposed: Vec<Hit> = hits
            .into_iter()
            .filter(|hit| !settled.contains(&hit.answer_id))
            .take(MAX_SUGGESTIONS)
            .collect();
        Ok((theme, proposed))
    })
    .await
}

/// Turns down the theme's suggestion of an answer: not proposed again.
pub async fn dismiss(
    state: &AppState,
    coordinator: &SecuredCoordinator,
    slug: String,
    theme: i64,
    answer: i64,
    origin: Origin,
) -> Result<(), AppError> {
    round_work::change(
        state,
        coordinator,
        slug,
        origin,
        "suggestion_dismissed",
        move |conn, at| {
            theme_of(conn, at.round, theme)?;
            let (answer, _) = answer_and_passage(conn, at.round, answer, (None, None))?;
            store::themes::dismiss(conn, theme, answer.id, at.actor, at.now)?;
            Ok(((), json!({"theme": theme, "answer": answer.id})))
        },
    )
    .await
}
