//! Time-driven use cases, which must happen even if nobody acts: announcing the rounds
//! whose scheduled opening has come, reminding the organisations that have not
//! submitted as the deadline nears, the coordinators' digest of registrations, and the
//! daily retention of personal data (`services::retention`).
//! Each claims its rows, so several instances may run them side by side; their emails
//! go through the outbox.

use std::time::Duration;

use crate::background::Background;
use crate::clock::Clock;
use crate::config::PrivacySettings;
use crate::error::AppError;
use crate::store::{Db, DbConnection};

/// Runs every job due at the clock's moment, once.
pub fn run_due(
    db: &Db,
    clock: &Clock,
    (base_url, privacy): (&str, &PrivacySettings),
) -> Result<(), AppError> {
    db.run_here(|conn| {
        due_jobs(conn, clock, base_url)?;
        if let Some(purged) = super::retention::run_daily(conn, clock.now(), privacy)? {
            tracing::info!(?purged, "personal data retention applied");
        }
        // The search index kept close to the answers between searches (SQLite), while
        // nobody else writes.
        crate::store::search::catch_up_while(conn, || !db.writers_busy())?;
        Ok(())
    })
}

fn due_jobs(conn: &mut DbConnection, clock: &Clock, base_url: &str) -> Result<(), AppError> {
    let announced = super::round_admin::announce_due_openings(conn, clock.now(), base_url)?;
    if announced > 0 {
        tracing::info!(emails = announced, "round opening announced");
    }
    let reminded = super::responses::send_due_reminders(conn, clock.now(), base_url)?;
    if reminded > 0 {
        tracing::info!(organisations = reminded, "deadline reminders queued");
    }
    let named = super::organisations::send_registration_digest(conn, clock.now(), base_url)?;
    if named > 0 {
        tracing::info!(organisations = named, "registrations digest queued");
    }
    Ok(())
}

/// Runs the jobs every `interval` among the instance's background loops.
pub fn spawn(
    background: &Background,
    db: Db,
    clock: Clock,
    (base_url, privacy): (String, PrivacySettings),
    interval: Duration,
) {
    background.every("schedule", interval, move || {
        if let Err(e) = run_due(&db, &clock, (&base_url, &privacy)) {
            tracing::warn!(error = %e, "scheduled jobs failed");
        }
        false
    });
}
