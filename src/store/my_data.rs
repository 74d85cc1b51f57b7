//! Everything stored about one person, for their own download: each query filters on
//! the person (never a join that could bring another's rows), secrets left out (the
//! password's hash, the second factor's secret, the tokens' and sessions' hashes).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConnection;
use super::schema::{
    answer_history, answers, api_tokens, audit_events, memberships, organisations, questions,
    responses, rounds, sessions, users,
};

#[derive(Debug, Queryable)]
pub struct AccountRow {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub platform_role: String,
    pub language: String,
    pub verified_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub totp_enabled_at: Option<NaiveDateTime>,
}

pub fn account(conn: &mut DbConnection, user: i64) -> QueryResult<Option<AccountRow>> {
    users::table
        .filter(users::id.eq(user))
        .select((
            users::id,
            users::email,
            users::display_name,
            users::platform_role,
            users::language,
            users::verified_at,
            users::created_at,
            users::updated_at,
            users::totp_enabled_at,
        ))
        .first(conn)
        .optional()
}

/// (organisation id, its name, role, since).
pub fn memberships(
    conn: &mut DbConnection,
    user: i64,
) -> QueryResult<Vec<(i64, String, String, NaiveDateTime)>> {
    memberships::table
        .inner_join(organisations::table)
        .filter(memberships::user_id.eq(user))
        .order(memberships::id)
        .select((
            organisations::id,
            organisations::name,
            memberships::role,
            memberships::created_at,
        ))
        .load(conn)
}

/// (created, last seen, expires, IP address, browser).
pub type SessionLine = (
    NaiveDateTime,
    NaiveDateTime,
    NaiveDateTime,
    Option<String>,
    Option<String>,
);

pub fn sessions(conn: &mut DbConnection, user: i64) -> QueryResult<Vec<SessionLine>> {
    sessions::table
        .filter(sessions::user_id.eq(user))
        .order(sessions::id)
        .select((
            sessions::created_at,
            sessions::last_seen_at,
            sessions::expires_at,
            sessions::ip,
            sessions::user_agent,
        ))
        .load(conn)
}

/// (name, created, last used, expires, revoked).
pub type TokenLine = (
    String,
    NaiveDateTime,
    Option<NaiveDateTime>,
    NaiveDateTime,
    Option<NaiveDateTime>,
);

pub fn tokens(conn: &mut DbConnection, user: i64) -> QueryResult<Vec<TokenLine>> {
    api_tokens::table
        .filter(api_tokens::user_id.eq(user))
        .order(api_tokens::id)
        .select((
            api_tokens::name,
            api_tokens::created_at,
            api_tokens::last_used_at,
            api_tokens::expires_at,
            api_tokens::revoked_at,
        ))
        .load(conn)
}

/// (when, action, target, IP address, details) of the events the person made or that
/// name their account.
pub type EventLine = (
    NaiveDateTime,
    String,
    Option<String>,
    Option<String>,
    String,
);

pub fn events(conn: &mut DbConnection, user: i64) -> QueryResult<Vec<EventLine>> {
    audit_events::table
        .filter(
            audit_events::actor_user_id
                .eq(user)
                .or(audit_events::target.eq(format!("user:{user}"))),
        )
        .order(audit_events::id)
        .select((
            audit_events::occurred_at,
            audit_events::action,
            audit_events::target,
            audit_events::ip,
            audit_events::details,
        ))
        .load(conn)
}

/// An answer version the person wrote: (round, organisation, question, version, value,
/// when).
pub type WrittenLine = (String, String, String, i32, Option<String>, NaiveDateTime);

/// Every version the person wrote, oldest first (the history holds each version
/// written, the current one included).
pub fn written(conn: &mut DbConnection, user: i64) -> QueryResult<Vec<WrittenLine>> {
    answer_history::table
        .inner_join(
            answers::table
                .inner_join(
                    responses::table
                        .inner_join(rounds::table)
                        .inner_join(organisations::table),
                )
                .inner_join(questions::table),
        )
        .filter(answer_history::changed_by.eq(user))
        .order(answer_history::id)
        .select((
            rounds::slug,
            organisations::name,
            questions::code,
            answer_history::version,
            answer_history::value,
            answer_history::changed_at,
        ))
        .load(conn)
}

/// A document the person attached: (round, organisation, title, file name, type, size,
/// SHA-256, version, when).
pub type AttachedLine = (
    String,
    String,
    String,
    String,
    String,
    i64,
    String,
    i32,
    NaiveDateTime,
);

/// Every document version the person attached, oldest first (its file's description, not
/// the file: the file is the organisation's).
pub fn attached(conn: &mut DbConnection, user: i64) -> QueryResult<Vec<AttachedLine>> {
    use super::schema::attachments;
    attachments::table
        .inner_join(
            responses::table
                .inner_join(rounds::table)
                .inner_join(organisations::table),
        )
        .filter(attachments::uploaded_by.eq(user))
        .order(attachments::id)
        .select((
            rounds::slug,
            organisations::name,
            attachments::title,
            attachments::file_name,
            attachments::media_type,
            attachments::size,
            attachments::sha256,
            attachments::version,
            attachments::uploaded_at,
        ))
        .load(conn)
}

/// The organisations the person is the only owner of: (id, name).
pub fn sole_owner_of(conn: &mut DbConnection, user: i64) -> QueryResult<Vec<(i64, String)>> {
    use crate::domain::organisations::MemberRole;
    let owned: Vec<(i64, String)> = memberships::table
        .inner_join(organisations::table)
        .filter(memberships::user_id.eq(user))
        .filter(memberships::role.eq(MemberRole::Owner.as_str()))
        .select((organisations::id, organisations::name))
        .load(conn)?;
    let mut sole = Vec::new();
    for (id, name) in owned {
        if super::organisations::count_owners(conn, id)? == 1 {
            sole.push((id, name));
        }
    }
    Ok(sole)
}

/// Deletes an account and what is personal about it: its sessions, tokens, recovery
/// codes and memberships go with it (foreign keys); the journal keeps its events
/// without the person (no actor, no address), and the emails to its address go. What
/// belongs to organisations stays, its author unknown (a former member).
pub fn erase(conn: &mut DbConnection, user: i64, email: &str) -> QueryResult<()> {
    use super::schema::{organisation_invitations, outbox};
    super::sessions::delete_all_for_user(conn, user)?;
    diesel::update(audit_events::table.filter(audit_events::actor_user_id.eq(user)))
        .set(audit_events::ip.eq(None::<String>))
        .execute(conn)?;
    diesel::delete(outbox::table.filter(outbox::recipient.eq(email))).execute(conn)?;
    diesel::delete(
        organisation_invitations::table
            .filter(organisation_invitations::email.eq(email))
            .filter(organisation_invitations::accepted_at.is_null()),
    )
    .execute(conn)?;
    diesel::delete(users::table.filter(users::id.eq(user))).execute(conn)?;
    Ok(())
}
