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
            invite_organisation: Limit::new(20, Duration::from_secs(30)),
            invite_account: Limit::new(20, Duration::from_secs(30)),
        }
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
