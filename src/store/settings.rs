//! Platform-wide key/value facts.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::DbConnection;
use super::models::NewSettingRow;
use super::schema::platform_settings::dsl as ps;

pub fn get(conn: &mut DbConnection, key: &str) -> QueryResult<Option<String>> {
    ps::platform_settings
        .filter(ps::key.eq(key))
        .select(ps::value)
        .first(conn)
        .optional()
}

/// Records `key` once; returns false (and changes nothing) when it was already there.
pub fn insert_if_absent(
    conn: &mut DbConnection,
    key: &str,
    value: &str,
    now: DateTime<Utc>,
) -> QueryResult<bool> {
    if get(conn, key)?.is_some() {
        return Ok(false);
    }
    diesel::insert_into(ps::platform_settings)
        .values(NewSettingRow {
            key,
            value,
            updated_at: now.naive_utc(),
        })
        .execute(conn)?;
    Ok(true)
}

/// Replaces `key`'s value if it is still `seen` (None: absent); false, changing nothing,
/// when another writer changed it first. Two instances running the same job thus act
/// once between them.
pub fn replace_if(
    conn: &mut DbConnection,
    key: &str,
    seen: Option<&str>,
    value: &str,
    now: DateTime<Utc>,
) -> QueryResult<bool> {
    match seen {
        None => insert_if_absent(conn, key, value, now),
        Some(seen) => diesel::update(
            ps::platform_settings
                .filter(ps::key.eq(key))
                .filter(ps::value.eq(seen)),
        )
        .set((ps::value.eq(value), ps::updated_at.eq(now.naive_utc())))
        .execute(conn)
        .map(|n| n == 1),
    }
}
