//! Rate limits on what attackers repeat: sign-in, registration, verification, password
//! reset. Keyed by client IP and by account (the email as typed, whether or not an
//! account exists, so a refusal says nothing about existence). In memory, per instance.

use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::error::AppError;

pub struct Limit(DefaultKeyedRateLimiter<String>);

impl Limit {
    /// `burst` attempts at once, then one every `period`.
    fn new(burst: u32, period: Duration) -> Self {
        let quota = Quota::with_period(period)
            .expect("non-zero period")
            .allow_burst(NonZeroU32::new(burst).expect("non-zero burst"));
        Self(RateLimiter::keyed(quota))
    }

    /// Counts an attempt; refuses with 429 and `Retry-After` when over the limit.
    pub fn check(&self, key: &str) -> Result<(), AppError> {
        self.0.check_key(&key.to_owned()).map_err(|not_until| {
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            AppError::TooManyRequests {
                retry_after_secs: wait.as_secs().max(1),
            }
        })
    }
}

/// Refusals nobody is accountable for (cross-site requests, reports from anywhere):
/// the first few per address and a bounded number overall are written to the audit
/// trail one by one; beyond that they are only counted, and the next one written says
/// how many were left out (300 requests in 3 s once wrote 4.8 MB, and pushed every real
/// event off the journal's first page).
pub struct AnonymousRefusals {
    per_address: Limit,
    overall: Limit,
    left_out: parking_lot::Mutex<std::collections::HashMap<String, u64>>,
}

impl AnonymousRefusals {
    const MAX_KEYS: usize = 10_000;

    fn new() -> Self {
        Self {
            per_address: Limit::new(5, Duration::from_secs(12)),
            overall: Limit::new(60, Duration::from_millis(500)),
            left_out: parking_lot::Mutex::default(),
        }
    }

    /// Whether to write this refusal (`Some(n)`: write it, saying `n` like it were left
    /// out since the last one written for this action and address) or only count it.
    pub fn admit(&self, action: &str, ip: &str) -> Option<u64> {
        let key = format!("{action}\u{0}{ip}");
        let admitted = self.per_address.check(&key).is_ok() && self.overall.check("").is_ok();
        let mut left_out = self.left_out.lock();
        if admitted {
            Some(left_out.remove(&key).unwrap_or(0))
        } else {
            if left_out.len() >= Self::MAX_KEYS {
                left_out.clear();
            }
            *left_out.entry(key).or_default() += 1;
            None
        }
    }
}

pub struct Throttles {
    pub sign_in_ip: Limit,
    /// Per account and address.
    pub sign_in_account_address: Limit,
    /// Per account, from devices it has not signed in from (see `auth::devices`).
    pub sign_in_account: Limit,
    /// Two-factor codes: eight tries, then three a minute; with a million possible codes
    /// (valid 90 s), guessing is out of reach while a person's retries still pass.
    pub second_factor_account: Limit,
    pub register_ip: Limit,
    pub verify_ip: Limit,
    pub reset_ip: Limit,
    pub reset_account: Limit,
    /// Invitations (emails to outside addresses), per organisation and per inviter.
    pub invite_organisation: Limit,
    pub invite_account: Limit,
    /// Answers kept for someone whose session ended (stored before sign-in).
    pub kept_draft_ip: Limit,
    pub anonymous_refusals: AnonymousRefusals,
    /// Content-security-policy reports, per address.
    pub csp_report_ip: Limit,
    /// Files made for everyone on request (a published synthesis as PDF or DOCX, the
    /// open data): each costs a thread, a connection and up to seconds of work, so
    /// per address and overall.
    pub public_files_ip: Limit,
    pub public_files_overall: Limit,
}

impl Throttles {
    pub fn new() -> Self {
        let minute = Duration::from_secs(60);
        Self {
            sign_in_ip: Limit::new(30, Duration::from_secs(2)),
            sign_in_account_address: Limit::new(10, Duration::from_secs(30)),
            sign_in_account: Limit::new(20, Duration::from_secs(15)),
            second_factor_account: Limit::new(8, Duration::from_secs(20)),
            register_ip: Limit::new(10, minute),
            verify_ip: Limit::new(20, Duration::from_secs(10)),
            reset_ip: Limit::new(10, minute),
            reset_account: Limit::new(3, 5 * minute),
            kept_draft_ip: Limit::new(10, minute),
            anonymous_refusals: AnonymousRefusals::new(),
            csp_report_ip: Limit::new(20, Duration::from_secs(3)),
            invite_organisation: Limit::new(20, Duration::from_secs(30)),
            invite_account: Limit::new(20, Duration::from_secs(30)),
            public_files_ip: Limit::new(12, Duration::from_secs(5)),
            public_files_overall: Limit::new(30, Duration::from_secs(1)),
        }
    }
}

impl Throttles {
    /// One public file for the client at `ip`: 429 with `Retry-After` past either limit.
    pub fn public_file(&self, ip: &str) -> Result<(), AppError> {
        self.public_files_ip.check(ip)?;
        self.public_files_overall.check("")
    }
}

impl Default for Throttles {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_are_per_key_with_a_retry_after() {
        let limit = Limit::new(2, Duration::from_secs(60));
        assert!(limit.check("a@b.fr").is_ok());
        assert!(limit.check("a@b.fr").is_ok());
        match limit.check("a@b.fr") {
            Err(AppError::TooManyRequests { retry_after_secs }) => {
                assert!((1..=60).contains(&retry_after_secs))
            }
            other => panic!("{other:?}"),
        }
        assert!(limit.check("c@d.fr").is_ok(), "other keys are not affected");
    }
}
