//! The email outbox: written with the change that causes an email, drained by the
//! worker. Claims are per-backend SQL: PostgreSQL's `FOR UPDATE SKIP LOCKED` lets several
//! instances drain one outbox without ever taking the same row.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer, Text, Timestamp};

use super::DbConnection;
use super::schema::outbox::dsl as o;
use crate::mail::OutgoingEmail;

#[derive(Debug, QueryableByName)]
pub struct ClaimedEmail {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = Text)]
    pub recipient: String,
    #[diesel(sql_type = Text)]
    pub subject: String,
    #[diesel(sql_type = Text)]
    pub body_text: String,
    #[diesel(sql_type = Text)]
    pub body_html: String,
    /// Including this one.
    #[diesel(sql_type = Integer)]
    pub attempts: i32,
}

#[derive(Insertable)]
#[diesel(table_name = super::schema::outbox)]
struct NewEmailRow<'a> {
    recipient: &'a str,
    subject: &'a str,
    body_text: &'a str,
    body_html: &'a str,
    created_at: chrono::NaiveDateTime,
    next_attempt_at: chrono::NaiveDateTime,
}

/// Queues an email; call it inside the transaction of the change that causes it.
pub fn enqueue(
    conn: &mut DbConnection,
    email: &OutgoingEmail,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    enqueue_all(conn, std::slice::from_ref(email), now)
}

/// Queues several emails in one statement (a receipt to each of an organisation's members).
pub fn enqueue_all(
    conn: &mut DbConnection,
    emails: &[OutgoingEmail],
    now: DateTime<Utc>,
) -> QueryResult<()> {
    if emails.is_empty() {
        return Ok(());
    }
    let rows: Vec<NewEmailRow> = emails
        .iter()
        .map(|email| NewEmailRow {
            recipient: &email.to,
            subject: &email.subject,
            body_text: &email.text,
            body_html: &email.html,
            created_at: now.naive_utc(),
            next_attempt_at: now.naive_utc(),
        })
        .collect();
    // (Per backend: diesel's multi-connection has no insert of several rows.)
    let insert = diesel::insert_into(o::outbox).values(rows);
    match conn {
        DbConnection::Postgres(c) => insert.execute(c),
        DbConnection::Sqlite(c) => insert.execute(c),
    }
    .map(|_| ())
}

/// Where an email stands; stored as its name, checked by the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmailState {
    /// To send, now or after a failed attempt's delay.
    Pending,
    Sent,
    /// Given up after its last attempt; kept with its error for an operator.
    Dead,
}

impl EmailState {
    pub const ALL: &'static [EmailState] = &[Self::Pending, Self::Sent, Self::Dead];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Sent => "sent",
            Self::Dead => "dead",
        }
    }
}

/// Reserves up to `limit` emails due at `now` until `until` (the claim's lease, which
/// also tells this claim's rows from a later one's: see [`renew`]).
pub fn claim(
    conn: &mut DbConnection,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
    limit: i64,
) -> QueryResult<Vec<ClaimedEmail>> {
    let until = until.naive_utc();
    let now = now.naive_utc();
    match conn {
        DbConnection::Postgres(c) => diesel::sql_query(super::sql::OUTBOX_CLAIM_POSTGRES.as_str())
            .bind::<Timestamp, _>(until)
            .bind::<Timestamp, _>(now)
            .bind::<BigInt, _>(limit)
            .load(c),
        DbConnection::Sqlite(c) => diesel::sql_query(super::sql::OUTBOX_CLAIM_SQLITE.as_str())
            .bind::<Timestamp, _>(until)
            .bind::<Timestamp, _>(now)
            .bind::<BigInt, _>(limit)
            .load(c),
    }
}

/// Extends the lease of the claimed emails `ids` from `held` (the lease this worker set)
/// to `until`; returns those still held, so none whose lease lapsed and went to another
/// worker is sent by both.
pub fn renew(
    conn: &mut DbConnection,
    ids: &[i64],
    held: DateTime<Utc>,
    until: DateTime<Utc>,
) -> QueryResult<Vec<i64>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let update = diesel::update(
        o::outbox
            .filter(o::id.eq_any(ids))
            .filter(o::state.eq(EmailState::Pending.as_str()))
            .filter(o::claimed_until.eq(held.naive_utc())),
    )
    .set(o::claimed_until.eq(until.naive_utc()))
    .returning(o::id);
    // (Per backend: diesel's multi-connection has no RETURNING.)
    match conn {
        DbConnection::Postgres(c) => update.get_results(c),
        DbConnection::Sqlite(c) => update.get_results(c),
    }
}

/// Gives back claimed emails not attempted (a batch cut short), due at once.
pub fn release(conn: &mut DbConnection, ids: &[i64], held: DateTime<Utc>) -> QueryResult<()> {
    if ids.is_empty() {
        return Ok(());
    }
    diesel::update(
        o::outbox
            .filter(o::id.eq_any(ids))
            .filter(o::claimed_until.eq(held.naive_utc())),
    )
    .set((
        o::claimed_until.eq(None::<chrono::NaiveDateTime>),
        o::attempts.eq(o::attempts - 1),
    ))
    .execute(conn)
    .map(|_| ())
}

/// Marks the emails sent, in one statement.
pub fn mark_sent(conn: &mut DbConnection, ids: &[i64], now: DateTime<Utc>) -> QueryResult<()> {
    if ids.is_empty() {
        return Ok(());
    }
    diesel::update(o::outbox.filter(o::id.eq_any(ids)))
        .set((
            o::state.eq(EmailState::Sent.as_str()),
            o::sent_at.eq(now.naive_utc()),
            o::claimed_until.eq(None::<chrono::NaiveDateTime>),
            o::last_error.eq(None::<String>),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Records a failed attempt; `retry_at` is when to try again (`None`: give up).
pub fn mark_failed(
    conn: &mut DbConnection,
    id: i64,
    error: &str,
    retry_at: Option<DateTime<Utc>>,
) -> QueryResult<()> {
    // Giving up leaves the row unsent with its error, for an operator to see.
    let row = diesel::update(o::outbox.find(id));
    let error = error.chars().take(1000).collect::<String>();
    let cleared = o::claimed_until.eq(None::<chrono::NaiveDateTime>);
    match retry_at {
        Some(at) => row
            .set((
                o::next_attempt_at.eq(at.naive_utc()),
                cleared,
                o::last_error.eq(error),
            ))
            .execute(conn),
        None => row
            .set((
                o::state.eq(EmailState::Dead.as_str()),
                cleared,
                o::last_error.eq(error),
            ))
            .execute(conn),
    }
    .map(|_| ())
}

/// How many emails wait to be sent (for tests and the admin page).
pub fn pending_count(conn: &mut DbConnection) -> QueryResult<i64> {
    o::outbox
        .filter(o::state.eq(EmailState::Pending.as_str()))
        .count()
        .get_result(conn)
}
