//! Sign-in sessions, stored by the hash of their key. Whatever ends a session or changes
//! what it carries notes it for the session cache (`session_cache::note`).

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;

use super::DbConnection;
use super::models::UserRow;
use super::schema::{sessions, users};
use super::session_cache::{Change, note};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = sessions)]
pub struct SessionRow {
    pub id: i64,
    pub user_id: i64,
    pub csrf_token: String,
    pub mfa_pending: bool,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub created_at: NaiveDateTime,
    pub last_seen_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    /// Whether this sign-in presented the second factor (see migration 000017).
    pub second_factor: bool,
}

#[derive(Insertable)]
#[diesel(table_name = sessions)]
pub struct NewSession<'a> {
    pub key_hash: &'a str,
    pub user_id: i64,
    pub csrf_token: &'a str,
    pub mfa_pending: bool,
    pub ip: Option<&'a str>,
    pub user_agent: Option<&'a str>,
    pub created_at: NaiveDateTime,
    pub last_seen_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub second_factor: bool,
}

pub fn insert(conn: &mut DbConnection, session: &NewSession<'_>) -> QueryResult<i64> {
    diesel::insert_into(sessions::table)
        .values(session)
        .returning(sessions::id)
        .get_result(conn)
}

/// The session with this key hash and its account, if any (expiry is the caller's rule).
pub fn find_by_key_hash(
    conn: &mut DbConnection,
    key_hash: &str,
) -> QueryResult<Option<(SessionRow, UserRow)>> {
    sessions::table
        .inner_join(users::table)
        .filter(sessions::key_hash.eq(key_hash))
        .select((SessionRow::as_select(), UserRow::as_select()))
        .first(conn)
        .optional()
}

pub fn touch(conn: &mut DbConnection, id: i64, now: DateTime<Utc>) -> QueryResult<()> {
    diesel::update(sessions::table.find(id))
        .set(sessions::last_seen_at.eq(now.naive_utc()))
        .execute(conn)
        .map(|_| ())
}

pub fn delete(conn: &mut DbConnection, id: i64) -> QueryResult<()> {
    note(Change::Session(id));
    diesel::delete(sessions::table.find(id))
        .execute(conn)
        .map(|_| ())
}

/// Records that this session presented the second factor (it turned two-factor on).
pub fn mark_second_factor(conn: &mut DbConnection, id: i64) -> QueryResult<()> {
    note(Change::Session(id));
    diesel::update(sessions::table.find(id))
        .set(sessions::second_factor.eq(true))
        .execute(conn)
        .map(|_| ())
}

/// Ends every session of an account but `keep` (two-factor just turned on there).
pub fn delete_others(conn: &mut DbConnection, user_id: i64, keep: i64) -> QueryResult<usize> {
    note(Change::User(user_id));
    diesel::delete(
        sessions::table
            .filter(sessions::user_id.eq(user_id))
            .filter(sessions::id.ne(keep)),
    )
    .execute(conn)
}

/// Kills every session of an account (password change, suspension).
pub fn delete_all_for_user(conn: &mut DbConnection, user_id: i64) -> QueryResult<usize> {
    note(Change::User(user_id));
    diesel::delete(sessions::table.filter(sessions::user_id.eq(user_id))).execute(conn)
}

pub fn list_for_user(conn: &mut DbConnection, user_id: i64) -> QueryResult<Vec<SessionRow>> {
    sessions::table
        .filter(sessions::user_id.eq(user_id))
        .order(sessions::last_seen_at.desc())
        .select(SessionRow::as_select())
        .load(conn)
}
