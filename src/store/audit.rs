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
}

/// The latest events, newest first.
pub fn latest(conn: &mut DbConnection, limit: i64) -> QueryResult<Vec<AuditRow>> {
    a::audit_events.order(a::id.desc()).limit(limit).load(conn)
}
