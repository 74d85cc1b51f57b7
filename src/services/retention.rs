//! Personal data is not kept forever (`[privacy]` in the configuration, shown on
//! `/confidentialite`): once a day the first instance to claim the day pseudonymises the
//! IP addresses of old audit events, deletes expired sessions and kept drafts, empties
//! the bodies of emails sent long enough ago, deletes the drafts of rounds archived long
//! enough ago, and the answers of those whose coordinators chose not to keep them. Each
//! step touches only what is past its time and not yet done: run twice, or on two
//! instances at once, the second run finds nothing.

use chrono::{DateTime, Months, Utc};
use hmac::{KeyInit, Mac};
use serde::Serialize;
use sha2::Sha256;

use crate::config::PrivacySettings;
use crate::error::AppError;
use crate::store::retention::{self as store, PSEUDONYM};
use crate::store::{self as stores, DbConnection};

/// What a run did.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize)]
pub struct Purged {
    pub audit_ips: usize,
    pub sessions: usize,
    pub kept_drafts: usize,
    pub email_bodies: usize,
    pub archived_drafts: usize,
    pub unkept_responses: usize,
}

impl Purged {
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// The day a run was last claimed (`platform_settings`).
const LAST_DAY: &str = "retention_last_day";
/// The deployment's key for pseudonyms, made on the first run (`platform_settings`): the
/// same address gives the same pseudonym on every instance, and no one can reverse it
/// without the database.
const PSEUDONYM_KEY: &str = "retention_pseudonym_key";
/// Addresses pseudonymised per statement.
const BATCH: i64 = 500;

/// Runs the job if nobody ran it today yet: what it did, or None.
pub fn run_daily(
    conn: &mut DbConnection,
    now: DateTime<Utc>,
    privacy: &PrivacySettings,
) -> Result<Option<Purged>, AppError> {
    let today = now.date_naive().to_string();
    let seen = stores::settings::get(conn, LAST_DAY)?;
    if seen.as_deref() == Some(today.as_str()) {
        return Ok(None);
    }
    // Two instances may both see yesterday: one replaces it, the other is refused.
    let claimed = stores::write_transaction(conn, |conn| {
        Ok::<_, AppError>(stores::settings::replace_if(
            conn,
            LAST_DAY,
            seen.as_deref(),
            &today,
            now,
        )?)
    })
    .unwrap_or(false);
    if !claimed {
        return Ok(None);
    }
    apply(conn, now, privacy).map(Some)
}

/// `months` before `now` (at the earliest representable moment if out of range).
fn months_before(now: DateTime<Utc>, months: u32) -> chrono::NaiveDateTime {
    now.checked_sub_months(Months::new(months))
        .unwrap_or(DateTime::<Utc>::MIN_UTC)
        .naive_utc()
}

/// Every step, whatever the day; audited with the counts (no personal data).
pub fn apply(
    conn: &mut DbConnection,
    now: DateTime<Utc>,
    privacy: &PrivacySettings,
) -> Result<Purged, AppError> {
    let at = now.naive_utc();
    let key = pseudonym_key(conn, now)?;
    let mut purged = Purged::default();
    let old = months_before(now, privacy.audit_ip_months);
    loop {
        let batch = store::audit_ips_before(conn, old, BATCH)?;
        let last = batch.len() < BATCH as usize;
        stores::write_transaction(conn, |conn| {
            for (id, ip) in &batch {
                purged.audit_ips += store::replace_audit_ip(conn, *id, ip, &pseudonym(&key, ip))?;
            }
            Ok::<_, AppError>(())
        })?;
        if last {
            break;
        }
    }
    let sent_before = at - chrono::Duration::days(i64::from(privacy.outbox_body_days));
    let drafts_before = months_before(now, privacy.archived_drafts_months);
    let answers_before = months_before(now, privacy.archived_answers_months);
    stores::write_transaction(conn, |conn| {
        // Sessions expire by the real clock, as signing in judges them (the service's
        // clock may be moved, in tests and demonstrations).
        purged.sessions = store::delete_expired_sessions(conn, Utc::now().naive_utc())?;
        purged.kept_drafts = stores::responses::delete_expired_kept_drafts(conn, at)?;
        purged.email_bodies = store::empty_sent_bodies(conn, sent_before)?;
        purged.archived_drafts = store::delete_archived_drafts(conn, drafts_before)?;
        purged.unkept_responses = store::delete_unkept_answers(conn, answers_before)?;
        let event = stores::audit::AuditEvent {
            actor: None,
            action: "retention_applied",
            target: None,
            ip: None,
            details: serde_json::to_value(&purged).map_err(anyhow::Error::from)?,
        };
        stores::audit::record(conn, &event, now)?;
        Ok::<_, AppError>(())
    })?;
    Ok(purged)
}

/// The deployment's pseudonym key, made once (two instances making it at once: the
/// second reads the first's).
fn pseudonym_key(conn: &mut DbConnection, now: DateTime<Utc>) -> Result<Vec<u8>, AppError> {
    if let Some(key) = stores::settings::get(conn, PSEUDONYM_KEY)? {
        return Ok(key.into_bytes());
    }
    let made = crate::auth::tokens::new_secret();
    let _ = stores::settings::insert_if_absent(conn, PSEUDONYM_KEY, &made, now);
    let key = stores::settings::get(conn, PSEUDONYM_KEY)?.unwrap_or(made);
    Ok(key.into_bytes())
}

/// `pseudo:` and the first 16 hex digits of the address's HMAC-SHA256: events from one
/// address still read as one, the address cannot be read back.
pub fn pseudonym(key: &[u8], ip: &str) -> String {
    let mut mac = <hmac::Hmac<Sha256> as KeyInit>::new_from_slice(key).expect("any key length");
    mac.update(ip.as_bytes());
    let digest = mac.finalize().into_bytes();
    format!("{PSEUDONYM}{}", crate::hex::hex(&digest[..8]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pseudonym_is_stable_keyed_and_not_the_address() {
        let (key, other) = (b"cle".as_slice(), b"autre".as_slice());
        let once = pseudonym(key, "203.0.113.7");
        assert_eq!(once, pseudonym(key, "203.0.113.7"));
        assert_ne!(once, pseudonym(key, "203.0.113.8"));
        assert_ne!(once, pseudonym(other, "203.0.113.7"));
        assert!(once.starts_with(PSEUDONYM) && !once.contains("203"));
        assert_eq!(once.len(), PSEUDONYM.len() + 16);
    }
}
