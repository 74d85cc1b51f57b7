//! Accounts.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::DbConnection;
use super::models::{NewUserRow, UserRow};
use super::schema::users::dsl as u;
use crate::domain::accounts::{DisplayName, Email, PlatformRole};

/// A verified account created by an operator (command line, demo seeding).
pub struct NewVerifiedUser<'a> {
    pub email: &'a Email,
    pub display_name: &'a DisplayName,
    pub password_hash: &'a str,
    pub role: PlatformRole,
}

pub fn insert_verified(
    conn: &mut DbConnection,
    user: &NewVerifiedUser<'_>,
    now: DateTime<Utc>,
) -> QueryResult<i64> {
    let now = now.naive_utc();
    diesel::insert_into(u::users)
        .values(NewUserRow {
            email: user.email.as_str(),
            display_name: user.display_name.as_str(),
            password_hash: user.password_hash,
            platform_role: user.role.as_str(),
            verified_at: Some(now),
            created_at: now,
            updated_at: now,
        })
        .returning(u::id)
        .get_result(conn)
}

pub fn find_by_email(conn: &mut DbConnection, email: &Email) -> QueryResult<Option<UserRow>> {
    u::users
        .filter(u::email.eq(email.as_str()))
        .select(UserRow::as_select())
        .first(conn)
        .optional()
}
