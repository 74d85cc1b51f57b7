//! The audit trail: who did what, to what, when, from where.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;

use super::DbConnection;
use super::schema::audit_events::dsl as a;

/// One event. Never put a password, token or session key in `details`.
pub struct AuditEvent<'a> {
    pub actor: Option<i64>,
    pub action: &'a str,
    pub target: Option<String>,
    pub ip: Option<&'a str>,
    pub details: serde_json::Value,
}

pub fn record(
    conn: &mut DbConnection,
    event: &AuditEvent<'_>,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::insert_into(a::audit_events)
        .values((
            a::occurred_at.eq(now.naive_utc()),
            a::actor_user_id.eq(event.actor),
            a::action.eq(event.action),
            a::target.eq(event.target.as_deref()),
            a::ip.eq(event.ip),
            a::details.eq(event.details.to_string()),
        ))
        .execute(conn)
        .map(|_| ())
}

#[derive(Debug, Queryable)]
pub struct AuditRow {
    pub id: i64,
    pub occurred_at: NaiveDateTime,
    pub actor_user_id: Option<i64>,
    pub action: String,
    pub target: Option<String>,
    pub ip: Option<String>,
    pub details: String,
    /// The actor's email, when the account still exists.
    pub actor_email: Option<String>,
}

/// What the journal shows: by kind of event, by actor, between two dates, and a page
/// of events older than `before` (keyset paging: no offset to walk).
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub action: Option<String>,
    /// Part of the actor's email.
    pub actor: Option<String>,
    pub from: Option<NaiveDateTime>,
    pub until: Option<NaiveDateTime>,
    pub before: Option<i64>,
}

/// Events matching `filter`, newest first, at most `limit`.
pub fn search(
    conn: &mut DbConnection,
    filter: &AuditFilter,
    limit: i64,
) -> QueryResult<Vec<AuditRow>> {
    use super::schema::users::dsl as u;
    let mut query = a::audit_events
        .left_join(u::users.on(u::id.nullable().eq(a::actor_user_id)))
        .select((
            a::id,
            a::occurred_at,
            a::actor_user_id,
            a::action,
            a::target,
            a::ip,
            a::details,
            u::email.nullable(),
        ))
        .order(a::id.desc())
        .limit(limit)
        .into_boxed();
    if let Some(action) = &filter.action {
        query = query.filter(a::action.eq(action.clone()));
    }
    if let Some(actor) = &filter.actor {
        let pattern = format!("%{}%", actor.replace(['%', '_', '\\'], ""));
        query = query.filter(u::email.like(pattern));
    }
    if let Some(from) = filter.from {
        query = query.filter(a::occurred_at.ge(from));
    }
    if let Some(until) = filter.until {
        query = query.filter(a::occurred_at.lt(until));
    }
    if let Some(before) = filter.before {
        query = query.filter(a::id.lt(before));
    }
    query.load(conn)
}

/// The kinds of events recorded so far, for the journal's filter.
pub fn actions(conn: &mut DbConnection) -> QueryResult<Vec<String>> {
    a::audit_events
        .select(a::action)
        .distinct()
        .order(a::action)
        .load(conn)
}
