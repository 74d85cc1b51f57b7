//! The outbox worker: a thread of its own (SMTP and the database both block) that claims due
//! emails, sends them and records the outcome, retrying with exponential backoff.

use std::time::{Duration, Instant};

use chrono::SubsecRound;

use super::transport::Transport;
use crate::background::Background;
use crate::clock::Clock;
use crate::config::MailSettings;
use crate::store::{Db, DbConnection, outbox, write_transaction};

/// Starts the outbox worker among the instance's background loops.
pub fn spawn(
    background: &Background,
    db: Db,
    transport: Transport,
    settings: MailSettings,
    clock: Clock,
) {
    let idle = Duration::from_millis(settings.poll_interval_ms.max(10));
    background.every("outbox", idle, move || {
        // A full batch: more may be waiting, go on at once. Otherwise the emails queued
        // meanwhile wait for the next pass, and go together.
        match drain_once(&db, &transport, &settings, &clock) {
            Ok(n) => n as i64 >= settings.batch_size.max(1),
            Err(e) => {
                tracing::warn!(error = %e, "outbox: cannot claim emails");
                false
            }
        }
    });
}

/// The delay before attempt `attempts + 1`: base × 2^(attempts − 1), at most an hour.
pub fn backoff(base_ms: u64, attempts: i32) -> Duration {
    let exponent = attempts.saturating_sub(1).clamp(0, 20) as u32;
    Duration::from_millis(base_ms.saturating_mul(1u64 << exponent)).min(Duration::from_secs(3600))
}

/// How long a batch's outcomes may wait before they are written (with its lease renewed
/// for the emails still to send). On a fast server a batch is recorded in one write; on
/// a slow one each delivery is recorded as it happens.
const RECORD_EVERY: Duration = Duration::from_millis(250);

/// A batch's outcomes not yet written.
#[derive(Default)]
struct Outcomes {
    sent: Vec<i64>,
    failed: Vec<(i64, String, Option<chrono::DateTime<chrono::Utc>>)>,
}

impl Outcomes {
    fn record(
        &mut self,
        conn: &mut crate::store::DbConnection,
        clock: &Clock,
    ) -> crate::store::QueryResult<()> {
        outbox::mark_sent(conn, &self.sent, clock.now())?;
        self.failed.iter().try_for_each(|(id, error, retry_at)| {
            outbox::mark_failed(conn, *id, error, *retry_at)
        })?;
        self.sent.clear();
        self.failed.clear();
        Ok(())
    }
}

/// Claims one batch and sends it; returns how many were claimed.
///
/// Never twice: an email is sent only while this worker's lease on it holds. The lease
/// outlasts any one email's exchange ([`MailSettings::lease`]) and is renewed, along
/// with the outcomes' record, at least every [`RECORD_EVERY`] between emails; a renewal
/// that finds an email no longer held drops it. Only a crash between an email's
/// delivery and its record (at most [`RECORD_EVERY`] of deliveries) sends again.
pub fn drain_once(
    db: &Db,
    transport: &Transport,
    settings: &MailSettings,
    clock: &Clock,
) -> anyhow::Result<usize> {
    db.run_here(|conn| drain_batch(conn, transport, settings, clock))
}

fn drain_batch(
    conn: &mut DbConnection,
    transport: &Transport,
    settings: &MailSettings,
    clock: &Clock,
) -> anyhow::Result<usize> {
    let lease =
        chrono::Duration::from_std(settings.lease()).unwrap_or(chrono::Duration::minutes(5));
    // The application's clock: emails are queued with its time.
    // Each write in a write transaction, so that it takes its turn with the others.
    // A lease is also this claim's mark on its rows, compared for equality: to the
    // microsecond, as PostgreSQL keeps it.
    let lease_from = |at: chrono::DateTime<chrono::Utc>| (at + lease).trunc_subsecs(6);
    let now = clock.now();
    let mut held = lease_from(now);
    let batch = write_transaction(conn, |conn| {
        outbox::claim(conn, now, held, settings.batch_size.max(1))
    })?;
    if batch.is_empty() {
        return Ok(0);
    }
    let mut still_held: Vec<i64> = batch.iter().map(|e| e.id).collect();
    let mut outcomes = Outcomes::default();
    let mut recorded_at = Instant::now();
    for email in &batch {
        if recorded_at.elapsed() >= RECORD_EVERY {
            let until = lease_from(clock.now());
            let kept = write_transaction(conn, |conn| {
                outcomes.record(conn, clock)?;
                outbox::renew(conn, &still_held, held, until)
            })?;
            if kept.len() < still_held.len() {
                tracing::warn!(
                    lost = still_held.len() - kept.len(),
                    "outbox: leases lapsed; those emails are left to their new holder"
                );
            }
            (still_held, held, recorded_at) = (kept, until, Instant::now());
        }
        if !still_held.contains(&email.id) {
            continue;
        }
        still_held.retain(|id| *id != email.id);
        match transport.deliver(email) {
            Ok(()) => outcomes.sent.push(email.id),
            Err(error) => {
                let retry_at = (email.attempts < settings.max_attempts).then(|| {
                    clock.now()
                        + chrono::Duration::from_std(backoff(
                            settings.retry_base_ms,
                            email.attempts,
                        ))
                        .unwrap_or_default()
                });
                tracing::warn!(id = email.id, attempts = email.attempts, %error, giving_up = retry_at.is_none(), "email not sent");
                outcomes.failed.push((email.id, error, retry_at));
            }
        }
    }
    write_transaction(conn, |conn| {
        outcomes.record(conn, clock)?;
        outbox::release(conn, &still_held, held)
    })?;
    Ok(batch.len())
}

#[cfg(test)]
mod tests {
    use super::backoff;
    use std::time::Duration;

    #[test]
    fn backoff_doubles_up_to_an_hour() {
        assert_eq!(backoff(1000, 1), Duration::from_secs(1));
        assert_eq!(backoff(1000, 2), Duration::from_secs(2));
        assert_eq!(backoff(1000, 5), Duration::from_secs(16));
        assert_eq!(backoff(1000, 40), Duration::from_secs(3600));
    }
}
