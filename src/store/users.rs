//! Accounts. Every update notes the change for the session cache, which holds accounts
//! (`session_cache::note`): a new writer of `users` must do the same.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::DbConnection;
use super::models::{NewUserRow, UserRow};
use super::schema::users::dsl as u;
use super::session_cache::{Change, note};
use crate::domain::accounts::{Account, DisplayName, Email, PlatformRole};
use crate::i18n::Lang;

impl From<&UserRow> for Account {
    fn from(row: &UserRow) -> Self {
        Account {
            id: row.id,
            email: row.email.clone(),
            display_name: row.display_name.clone(),
            role: PlatformRole::parse(&row.platform_role).unwrap_or(PlatformRole::None),
            language: Lang::parse(&row.language).unwrap_or(Lang::Fr),
            verified: row.verified_at.is_some(),
            suspended: row.suspended_at.is_some(),
            two_factor: row.totp_enabled_at.is_some(),
        }
    }
}

/// An account to create.
pub struct NewUser<'a> {
    pub email: &'a Email,
    pub display_name: &'a DisplayName,
    pub password_hash: &'a str,
    pub role: PlatformRole,
    pub language: Lang,
    /// Operators' accounts (command line, demo) need no email verification.
    pub verified: bool,
}

pub fn insert(conn: &mut DbConnection, user: &NewUser<'_>, now: DateTime<Utc>) -> QueryResult<i64> {
    let now = now.naive_utc();
    diesel::insert_into(u::users)
        .values((
            NewUserRow {
                email: user.email.as_str(),
                display_name: user.display_name.as_str(),
                password_hash: user.password_hash,
                platform_role: user.role.as_str(),
                verified_at: user.verified.then_some(now),
                created_at: now,
                updated_at: now,
            },
            u::language.eq(user.language.code()),
        ))
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

pub fn find(conn: &mut DbConnection, id: i64) -> QueryResult<Option<UserRow>> {
    u::users
        .find(id)
        .select(UserRow::as_select())
        .first(conn)
        .optional()
}

pub fn set_password_hash(
    conn: &mut DbConnection,
    id: i64,
    hash: &str,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    note(Change::User(id));
    diesel::update(u::users.find(id))
        .set((u::password_hash.eq(hash), u::updated_at.eq(now.naive_utc())))
        .execute(conn)
        .map(|_| ())
}

pub fn mark_verified(conn: &mut DbConnection, id: i64, now: DateTime<Utc>) -> QueryResult<()> {
    note(Change::User(id));
    diesel::update(u::users.find(id).filter(u::verified_at.is_null()))
        .set((
            u::verified_at.eq(now.naive_utc()),
            u::updated_at.eq(now.naive_utc()),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Stores a two-factor secret awaiting confirmation (`None` removes it).
pub fn set_pending_totp(
    conn: &mut DbConnection,
    id: i64,
    secret: Option<&str>,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    note(Change::User(id));
    diesel::update(u::users.find(id))
        .set((
            u::totp_secret.eq(secret),
            u::totp_enabled_at.eq(None::<chrono::NaiveDateTime>),
            u::totp_last_step.eq(None::<i64>),
            u::updated_at.eq(now.naive_utc()),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn enable_totp(conn: &mut DbConnection, id: i64, now: DateTime<Utc>) -> QueryResult<()> {
    note(Change::User(id));
    diesel::update(u::users.find(id))
        .set((
            u::totp_enabled_at.eq(now.naive_utc()),
            u::updated_at.eq(now.naive_utc()),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Accepts a code's time step only if it is later than the last one accepted: one
/// conditional write, so a code cannot be used twice, even by two requests at once.
pub fn accept_totp_step(conn: &mut DbConnection, id: i64, step: i64) -> QueryResult<bool> {
    note(Change::User(id));
    diesel::update(
        u::users
            .find(id)
            .filter(u::totp_last_step.is_null().or(u::totp_last_step.lt(step))),
    )
    .set(u::totp_last_step.eq(step))
    .execute(conn)
    .map(|n| n == 1)
}

pub fn set_display_name_and_language(
    conn: &mut DbConnection,
    id: i64,
    name: &DisplayName,
    language: Lang,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    note(Change::User(id));
    diesel::update(u::users.find(id))
        .set((
            u::display_name.eq(name.as_str()),
            u::language.eq(language.code()),
            u::updated_at.eq(now.naive_utc()),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn set_role(
    conn: &mut DbConnection,
    id: i64,
    role: PlatformRole,
    now: DateTime<Utc>,
) -> QueryResult<bool> {
    note(Change::User(id));
    diesel::update(u::users.find(id))
        .set((
            u::platform_role.eq(role.as_str()),
            u::updated_at.eq(now.naive_utc()),
        ))
        .execute(conn)
        .map(|n| n == 1)
}

pub fn set_suspended(
    conn: &mut DbConnection,
    id: i64,
    suspended: bool,
    now: DateTime<Utc>,
) -> QueryResult<bool> {
    note(Change::User(id));
    diesel::update(u::users.find(id))
        .set((
            u::suspended_at.eq(suspended.then_some(now.naive_utc())),
            u::updated_at.eq(now.naive_utc()),
        ))
        .execute(conn)
        .map(|n| n == 1)
}

/// Every account, for the admin page (alphabetical by email).
pub fn list(conn: &mut DbConnection, limit: i64) -> QueryResult<Vec<UserRow>> {
    u::users
        .order(u::email)
        .limit(limit)
        .select(UserRow::as_select())
        .load(conn)
}

/// The coordination team (coordinators and administrators), suspended accounts aside.
pub fn coordinators(conn: &mut DbConnection) -> QueryResult<Vec<UserRow>> {
    u::users
        .filter(u::platform_role.eq_any([
            PlatformRole::Coordinator.as_str(),
            PlatformRole::Admin.as_str(),
        ]))
        .filter(u::suspended_at.is_null())
        .order(u::id)
        .select(UserRow::as_select())
        .load(conn)
}
