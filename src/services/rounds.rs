//! Reading rounds as visitors may.

use crate::domain::rounds::{Chapter, Round, RoundDetail};
use crate::error::AppError;
use crate::store::{self, Db};

/// Rounds visitors may read, with their chapters.
pub async fn public_rounds(db: &Db) -> Result<Vec<(Round, Vec<Chapter>)>, AppError> {
    db.run(|conn| store::rounds::list_public(conn).map_err(AppError::from))
        .await
}

/// A round visitors may read, with its whole structure; 404 for unknown slugs and for
/// drafts (coordinators will see drafts once they can sign in).
pub async fn public_round(db: &Db, slug: String) -> Result<RoundDetail, AppError> {
    db.run(move |conn| store::rounds::find_by_slug(conn, &slug).map_err(AppError::from))
        .await?
        .filter(|d| d.round.is_public())
        .ok_or(AppError::NotFound)
}
