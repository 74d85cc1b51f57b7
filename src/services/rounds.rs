//! Reading rounds: visitors see every round but drafts; coordinators see drafts too.

use crate::auth::identity::Identity;
use crate::domain::rounds::{Chapter, Round, RoundDetail};
use crate::error::AppError;
use crate::store::{self, Db};

fn sees_drafts(reader: Option<&Identity>) -> bool {
    reader.is_some_and(|i| i.account.is_coordinator())
}

/// Rounds the reader may see, with their chapters.
pub async fn visible_rounds(
    db: &Db,
    reader: Option<&Identity>,
) -> Result<Vec<(Round, Vec<Chapter>)>, AppError> {
    let drafts = sees_drafts(reader);
    db.run(move |conn| {
        if drafts {
            store::rounds::list_all(conn)
        } else {
            store::rounds::list_public(conn)
        }
        .map_err(AppError::from)
    })
    .await
}

/// A round with its whole structure; 404 for unknown slugs and for drafts (unless the
/// reader coordinates).
pub async fn visible_round(
    db: &Db,
    reader: Option<&Identity>,
    slug: String,
) -> Result<RoundDetail, AppError> {
    let drafts = sees_drafts(reader);
    db.run(move |conn| store::rounds::find_by_slug(conn, &slug).map_err(AppError::from))
        .await?
        .filter(|d| drafts || d.round.is_public())
        .ok_or(AppError::NotFound)
}
