//! What the retention job deletes or pseudonymises, each a statement that can run twice
//! (or on two instances at once) without harm: it only touches what is still past its
//! time and not yet done.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConnection;
use super::schema::{audit_events, outbox, responses, rounds, sessions};
use crate::domain::responses::ResponseStatus;
use crate::domain::rounds::RoundStatus;

/// What a pseudonymised IP address starts with (so it is never pseudonymised twice).
pub const PSEUDONYM: &str = "pseudo:";

/// Audit events before `before` whose IP address is still as recorded: (id, address),
/// `limit` at most.
pub fn audit_ips_before(
    conn: &mut DbConnection,
    before: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<(i64, String)>> {
    audit_events::table
        .filter(audit_events::occurred_at.lt(before))
        .filter(audit_events::ip.is_not_null())
        .filter(audit_events::ip.not_like(format!("{PSEUDONYM}%")))
        .order(audit_events::id)
        .limit(limit)
        .select((audit_events::id, audit_events::ip.assume_not_null()))
        .load(conn)
}

/// Replaces an event's address if it is still `seen`.
pub fn replace_audit_ip(
    conn: &mut DbConnection,
    id: i64,
    seen: &str,
    pseudonym: &str,
) -> QueryResult<usize> {
    diesel::update(
        audit_events::table
            .filter(audit_events::id.eq(id))
            .filter(audit_events::ip.eq(seen)),
    )
    .set(audit_events::ip.eq(pseudonym))
    .execute(conn)
}

pub fn delete_expired_sessions(conn: &mut DbConnection, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(sessions::table.filter(sessions::expires_at.lt(now))).execute(conn)
}

/// Empties the bodies of emails sent before `before` (who and what subject stay, for the
/// delivery's record).
pub fn empty_sent_bodies(conn: &mut DbConnection, before: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(
        outbox::table
            .filter(outbox::sent_at.lt(before))
            .filter(outbox::body_text.ne("").or(outbox::body_html.ne(""))),
    )
    .set((outbox::body_text.eq(""), outbox::body_html.eq("")))
    .execute(conn)
}

/// Rounds archived before `before` (those whose answers were not kept, with `unkept`).
fn archived_before(
    conn: &mut DbConnection,
    before: NaiveDateTime,
    unkept: bool,
) -> QueryResult<Vec<i64>> {
    let mut query = rounds::table
        .filter(rounds::status.eq(RoundStatus::Archived.as_str()))
        .filter(rounds::archived_at.lt(before))
        .select(rounds::id)
        .into_boxed();
    if unkept {
        query = query.filter(rounds::answers_kept.eq(false));
    }
    query.load(conn)
}

/// Deletes the drafts of rounds archived before `before` (their answers, versions,
/// tags and redactions go with them).
pub fn delete_archived_drafts(
    conn: &mut DbConnection,
    before: NaiveDateTime,
) -> QueryResult<usize> {
    let rounds = archived_before(conn, before, false)?;
    diesel::delete(
        responses::table
            .filter(responses::round_id.eq_any(rounds))
            .filter(responses::status.ne(ResponseStatus::Submitted.as_str())),
    )
    .execute(conn)
}

/// Deletes every response of rounds archived before `before` whose coordinators chose
/// not to keep the answers.
pub fn delete_unkept_answers(conn: &mut DbConnection, before: NaiveDateTime) -> QueryResult<usize> {
    let rounds = archived_before(conn, before, true)?;
    diesel::delete(responses::table.filter(responses::round_id.eq_any(rounds))).execute(conn)
}
