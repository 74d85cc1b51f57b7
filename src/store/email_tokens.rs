//! Single-use tokens sent by email, stored hashed.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::DbConnection;
use super::schema::email_tokens::dsl as t;

#[derive(Debug, Clone, Copy)]
pub enum Purpose {
    VerifyEmail,
    PasswordReset,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Self::VerifyEmail => "verify_email",
            Self::PasswordReset => "password_reset",
        }
    }
}

pub fn insert(
    conn: &mut DbConnection,
    user_id: i64,
    purpose: Purpose,
    token_hash: &str,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::insert_into(t::email_tokens)
        .values((
            t::user_id.eq(user_id),
            t::purpose.eq(purpose.as_str()),
            t::token_hash.eq(token_hash),
            t::created_at.eq(now.naive_utc()),
            t::expires_at.eq(expires_at.naive_utc()),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Uses a token once: marks it used and returns its account, in one statement, so two
/// concurrent uses cannot both succeed. Unknown, used and expired tokens give `None`.
pub fn consume(
    conn: &mut DbConnection,
    purpose: Purpose,
    token_hash: &str,
    now: DateTime<Utc>,
) -> QueryResult<Option<i64>> {
    let now = now.naive_utc();
    diesel::update(
        t::email_tokens
            .filter(t::token_hash.eq(token_hash))
            .filter(t::purpose.eq(purpose.as_str()))
            .filter(t::used_at.is_null())
            .filter(t::expires_at.gt(now)),
    )
    .set(t::used_at.eq(now))
    .returning(t::user_id)
    .get_result(conn)
    .optional()
}

/// Voids the unused tokens of an account (a newer link replaces older ones).
pub fn void_unused(
    conn: &mut DbConnection,
    user_id: i64,
    purpose: Purpose,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::update(
        t::email_tokens
            .filter(t::user_id.eq(user_id))
            .filter(t::purpose.eq(purpose.as_str()))
            .filter(t::used_at.is_null()),
    )
    .set(t::used_at.eq(now.naive_utc()))
    .execute(conn)
    .map(|_| ())
}

/// The account a live token belongs to, without using the token.
pub fn peek_user(
    conn: &mut DbConnection,
    purpose: Purpose,
    token_hash: &str,
    now: DateTime<Utc>,
) -> QueryResult<Option<super::models::UserRow>> {
    use super::schema::users;
    t::email_tokens
        .inner_join(users::table)
        .filter(t::token_hash.eq(token_hash))
        .filter(t::purpose.eq(purpose.as_str()))
        .filter(t::used_at.is_null())
        .filter(t::expires_at.gt(now.naive_utc()))
        .select(super::models::UserRow::as_select())
        .first(conn)
        .optional()
}
