//! The database's side of what an operator watches (read when the metrics are asked
//! for): the outbox by state, the age of its oldest email still to send, live sessions.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConnection;
use super::outbox::EmailState;
use super::schema::{outbox, sessions};

#[derive(Debug, Clone, Default)]
pub struct Watched {
    /// Emails by state (`pending`, `sent`, `dead`), every state present.
    pub emails: Vec<(EmailState, i64)>,
    /// When the oldest email still to send was queued.
    pub oldest_pending: Option<NaiveDateTime>,
    pub live_sessions: i64,
}

pub fn watched(conn: &mut DbConnection, now: NaiveDateTime) -> QueryResult<Watched> {
    let mut emails = Vec::new();
    for state in EmailState::ALL {
        let count = outbox::table
            .filter(outbox::state.eq(state.as_str()))
            .count()
            .get_result(conn)?;
        emails.push((*state, count));
    }
    let oldest_pending = outbox::table
        .filter(outbox::state.eq(EmailState::Pending.as_str()))
        .select(diesel::dsl::min(outbox::created_at))
        .get_result(conn)?;
    let live_sessions = sessions::table
        .filter(sessions::expires_at.gt(now))
        .count()
        .get_result(conn)?;
    Ok(Watched {
        emails,
        oldest_pending,
        live_sessions,
    })
}
