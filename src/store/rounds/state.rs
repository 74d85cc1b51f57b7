//! A round read afresh, and the lock that orders its changes and the answer writes.

use super::*;

pub fn find_by_id(conn: &mut DbConnection, id: i64) -> QueryResult<Option<Round>> {
    let row: Option<RoundRow> = rounds::table
        .find(id)
        .select(RoundRow::as_select())
        .first(conn)
        .optional()?;
    row.map(Round::try_from).transpose()
}

/// Answer writes and changes of a round's state (status, dates, audience) exclude each
/// other on PostgreSQL through an advisory lock on the round, held until the transaction
/// ends: writers share it, a change takes it alone. A statement run after the lock reads
/// the round afresh, so a close is wholly before or wholly after each write. (A row lock,
/// FOR SHARE on the round, did the same but wrote the round's row at every autosave, and
/// 64 writers at once queued on that one row.) SQLite needs nothing: its write
/// transactions already take turns. The key is the round's id: the application takes no
/// other advisory lock.
pub fn hold_shared(conn: &mut DbConnection, id: i64) -> QueryResult<()> {
    advisory(conn, SHARED_LOCK, id)
}

pub(crate) const SHARED_LOCK: &str = "pg_advisory_xact_lock_shared";

pub(super) fn hold_alone(conn: &mut DbConnection, id: i64) -> QueryResult<()> {
    advisory(conn, "pg_advisory_xact_lock", id)
}

pub(super) fn advisory(conn: &mut DbConnection, function: &str, id: i64) -> QueryResult<()> {
    if let DbConnection::Postgres(c) = conn {
        crate::store::prepared::Prepared(
            diesel::sql_query(format!("SELECT 1 FROM (SELECT {function}($1)) AS held"))
                .bind::<diesel::sql_types::BigInt, _>(id),
        )
        .execute(c)?;
    }
    Ok(())
}
