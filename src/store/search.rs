//! The search of a round's answers (`domain::search` says what each backend does); the
//! index itself is kept by the database (migration 000019).

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Double, Nullable, Text};

use super::DbConnection;
use crate::domain::search::SearchQuery;

/// What narrows a search.
#[derive(Debug, Clone, Default)]
pub struct Filters {
    pub chapter: Option<String>,
    pub question: Option<String>,
    /// An organisation kind (`OrganisationKind::as_str`).
    pub kind: Option<String>,
    /// Drafts too (by default, submitted responses only).
    pub drafts: bool,
}

/// One answer found.
#[derive(Debug, QueryableByName)]
pub struct Hit {
    #[diesel(sql_type = BigInt)]
    pub answer_id: i64,
    #[diesel(sql_type = BigInt)]
    pub response_id: i64,
    #[diesel(sql_type = BigInt)]
    pub organisation_id: i64,
    #[diesel(sql_type = Text)]
    pub organisation: String,
    #[diesel(sql_type = Text)]
    pub organisation_kind: String,
    #[diesel(sql_type = Text)]
    pub chapter: String,
    #[diesel(sql_type = Text)]
    pub question: String,
    #[diesel(sql_type = Text)]
    pub prompt: String,
    #[diesel(sql_type = Text)]
    pub status: String,
    #[diesel(sql_type = Double)]
    pub rank: f64,
    /// The matches between U+0002 and U+0003 (`EXCERPT_MARKS`).
    #[diesel(sql_type = Text)]
    pub excerpt: String,
    /// How many answers match in all.
    #[diesel(sql_type = BigInt)]
    pub total: i64,
}

/// Where a match starts and ends in an excerpt.
pub const EXCERPT_MARKS: (char, char) = ('\u{2}', '\u{3}');

/// A page of `limit` answers of round `round` matching `query`, after the first `offset`.
pub fn search(
    conn: &mut DbConnection,
    round: i64,
    query: &SearchQuery,
    filters: &Filters,
    limit: i64,
    offset: i64,
) -> QueryResult<Vec<Hit>> {
    let (sql, said) = match conn {
        DbConnection::Postgres(_) => (super::sql::SEARCH_POSTGRES.as_str(), query.tsquery()),
        DbConnection::Sqlite(_) => (super::sql::SEARCH_SQLITE.as_str(), query.fts5()),
    };
    diesel::sql_query(sql)
        .bind::<BigInt, _>(round)
        .bind::<Text, _>(said)
        .bind::<Nullable<Text>, _>(filters.chapter.as_deref())
        .bind::<Nullable<Text>, _>(filters.question.as_deref())
        .bind::<Nullable<Text>, _>(filters.kind.as_deref())
        .bind::<Bool, _>(filters.drafts)
        .bind::<BigInt, _>(limit)
        .bind::<BigInt, _>(offset)
        .load(conn)
}
