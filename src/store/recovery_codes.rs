//! Two-factor recovery codes, stored hashed, each usable once.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::DbConnection;
use super::schema::recovery_codes::dsl as r;

/// Replaces every code of the account by these hashes.
pub fn replace(conn: &mut DbConnection, user_id: i64, hashes: &[String]) -> QueryResult<()> {
    diesel::delete(r::recovery_codes.filter(r::user_id.eq(user_id))).execute(conn)?;
    for hash in hashes {
        diesel::insert_into(r::recovery_codes)
            .values((r::user_id.eq(user_id), r::code_hash.eq(hash)))
            .execute(conn)?;
    }
    Ok(())
}

/// Uses a code once; false when unknown or already used.
pub fn consume(
    conn: &mut DbConnection,
    user_id: i64,
    hash: &str,
    now: DateTime<Utc>,
) -> QueryResult<bool> {
    diesel::update(
        r::recovery_codes
            .filter(r::user_id.eq(user_id))
            .filter(r::code_hash.eq(hash))
            .filter(r::used_at.is_null()),
    )
    .set(r::used_at.eq(now.naive_utc()))
    .execute(conn)
    .map(|n| n == 1)
}

pub fn remaining(conn: &mut DbConnection, user_id: i64) -> QueryResult<i64> {
    r::recovery_codes
        .filter(r::user_id.eq(user_id))
        .filter(r::used_at.is_null())
        .count()
        .get_result(conn)
}
