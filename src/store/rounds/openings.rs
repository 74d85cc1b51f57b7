//! Announcing rounds whose scheduled opening has come, once each.

use super::*;

/// Marks the "round open" emails as queued; true only for the first caller.
pub fn claim_open_notification(
    conn: &mut DbConnection,
    round_id: i64,
    now: DateTime<Utc>,
) -> QueryResult<bool> {
    diesel::update(
        rounds::table
            .find(round_id)
            .filter(rounds::open_notified_at.is_null()),
    )
    .set(rounds::open_notified_at.eq(now.naive_utc()))
    .execute(conn)
    .map(|n| n == 1)
}

/// Open rounds whose opening is due and not yet announced.
pub fn due_open_notifications(
    conn: &mut DbConnection,
    now: DateTime<Utc>,
) -> QueryResult<Vec<i64>> {
    rounds::table
        .filter(rounds::status.eq(RoundStatus::Open.as_str()))
        .filter(rounds::open_notified_at.is_null())
        .filter(
            rounds::opens_at
                .le(now.naive_utc())
                .or(rounds::opens_at.is_null()),
        )
        .filter(rounds::closes_at.gt(now.naive_utc()))
        .select(rounds::id)
        .load(conn)
}
