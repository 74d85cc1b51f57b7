//! Personal API tokens, stored hashed.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;

use super::DbConnection;
use super::models::UserRow;
use super::schema::{api_tokens, users};

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = api_tokens)]
pub struct ApiTokenRow {
    pub id: i64,
    pub name: String,
    pub created_at: NaiveDateTime,
    pub last_used_at: Option<NaiveDateTime>,
    pub expires_at: NaiveDateTime,
}

/// A token to store: its owner, name, hash, when it ends, and whether the session that
/// made it had presented the second factor.
pub struct NewToken<'a> {
    pub user_id: i64,
    pub name: &'a str,
    pub token_hash: &'a str,
    pub expires_at: DateTime<Utc>,
    pub second_factor: bool,
}

pub fn insert(
    conn: &mut DbConnection,
    token: &NewToken<'_>,
    now: DateTime<Utc>,
) -> QueryResult<i64> {
    diesel::insert_into(api_tokens::table)
        .values((
            api_tokens::user_id.eq(token.user_id),
            api_tokens::name.eq(token.name),
            api_tokens::token_hash.eq(token.token_hash),
            api_tokens::created_at.eq(now.naive_utc()),
            api_tokens::expires_at.eq(token.expires_at.naive_utc()),
            api_tokens::second_factor.eq(token.second_factor),
        ))
        .returning(api_tokens::id)
        .get_result(conn)
}

/// The account behind a live, unexpired token, and whether the token carries the second
/// factor; notes when it was last used.
pub fn find_user(
    conn: &mut DbConnection,
    token_hash: &str,
    now: DateTime<Utc>,
) -> QueryResult<Option<(UserRow, bool)>> {
    let found: Option<(i64, bool, UserRow)> = api_tokens::table
        .inner_join(users::table)
        .filter(api_tokens::token_hash.eq(token_hash))
        .filter(api_tokens::revoked_at.is_null())
        .filter(api_tokens::expires_at.gt(now.naive_utc()))
        .select((
            api_tokens::id,
            api_tokens::second_factor,
            UserRow::as_select(),
        ))
        .first(conn)
        .optional()?;
    let Some((id, second_factor, user)) = found else {
        return Ok(None);
    };
    diesel::update(api_tokens::table.find(id))
        .set(api_tokens::last_used_at.eq(now.naive_utc()))
        .execute(conn)?;
    Ok(Some((user, second_factor)))
}

pub fn list_live(conn: &mut DbConnection, user_id: i64) -> QueryResult<Vec<ApiTokenRow>> {
    api_tokens::table
        .filter(api_tokens::user_id.eq(user_id))
        .filter(api_tokens::revoked_at.is_null())
        .filter(api_tokens::expires_at.gt(chrono::Utc::now().naive_utc()))
        .order(api_tokens::id.desc())
        .select(ApiTokenRow::as_select())
        .load(conn)
}

/// Revokes every live token of the account (its password changed or was reset).
pub fn revoke_all(conn: &mut DbConnection, user_id: i64, now: DateTime<Utc>) -> QueryResult<usize> {
    diesel::update(
        api_tokens::table
            .filter(api_tokens::user_id.eq(user_id))
            .filter(api_tokens::revoked_at.is_null()),
    )
    .set(api_tokens::revoked_at.eq(now.naive_utc()))
    .execute(conn)
}

/// Revokes one of the account's tokens; false if there was no such live token.
pub fn revoke(
    conn: &mut DbConnection,
    user_id: i64,
    id: i64,
    now: DateTime<Utc>,
) -> QueryResult<bool> {
    diesel::update(
        api_tokens::table
            .find(id)
            .filter(api_tokens::user_id.eq(user_id))
            .filter(api_tokens::revoked_at.is_null()),
    )
    .set(api_tokens::revoked_at.eq(now.naive_utc()))
    .execute(conn)
    .map(|n| n > 0)
}
