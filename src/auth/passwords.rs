//! argon2id password hashes (OWASP's minimum: 19 MiB, 2 passes, 1 lane).

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher as _, PasswordVerifier as _};
use argon2::{Algorithm, Argon2, Params, Version};

use crate::domain::accounts::Password;

pub const MEMORY_KIB: u32 = 19_456;
pub const ITERATIONS: u32 = 2;
pub const PARALLELISM: u32 = 1;

fn hasher() -> Argon2<'static> {
    let params =
        Params::new(MEMORY_KIB, ITERATIONS, PARALLELISM, None).expect("valid argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes a password that passed the policy. CPU-heavy (tens of milliseconds): callers
/// on the async executor must run it on the blocking pool.
pub fn hash(password: &Password) -> anyhow::Result<String> {
    hasher()
        .hash_password(password.expose().as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("password hashing failed: {e}"))
}

/// Checks a password against a stored PHC string, with the parameters stored in it.
pub fn verify(candidate: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|parsed| {
            hasher()
                .verify_password(candidate.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_with_the_configured_cost() {
        let password = Password::parse("une phrase de passe solide", &[]).unwrap();
        let stored = hash(&password).unwrap();
        assert!(
            stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{stored}"
        );
        assert!(verify("une phrase de passe solide", &stored));
        assert!(!verify("une autre phrase de passe", &stored));
        assert!(!verify("une phrase de passe solide", "pas un hash"));
    }
}

/// A stored hash made with weaker parameters (or another algorithm) than today's.
pub fn needs_rehash(stored: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(stored) else {
        return true;
    };
    if parsed.algorithm.as_str() != "argon2id" {
        return true;
    }
    let param = |name: &str| parsed.params.get_decimal(name).unwrap_or(0);
    param("m") < MEMORY_KIB || param("t") < ITERATIONS || param("p") != PARALLELISM
}

/// A valid hash of nothing anyone knows: verifying against it costs what a real
/// verification costs, so an unknown email answers as slowly as a wrong password.
static DUMMY_HASH: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    let password =
        Password::parse(&crate::auth::tokens::new_secret(), &[]).expect("random password passes");
    hash(&password).expect("dummy hash")
});

#[derive(Debug, PartialEq, Eq)]
pub enum Verified {
    Match { needs_rehash: bool },
    Mismatch,
}

/// Hashing off the async executor, a few at a time: a storm of sign-ins queues here
/// instead of taking every blocking thread and starving other requests.
#[derive(Clone)]
pub struct PasswordHasher {
    permits: std::sync::Arc<tokio::sync::Semaphore>,
}

impl PasswordHasher {
    pub fn new(concurrent: usize) -> Self {
        Self {
            permits: std::sync::Arc::new(tokio::sync::Semaphore::new(concurrent.max(1))),
        }
    }

    pub async fn hash(&self, password: Password) -> anyhow::Result<String> {
        let _permit = self.permits.acquire().await?;
        actix_web::web::block(move || hash(&password)).await?
    }

    /// Checks `candidate` against `stored`; without a stored hash (unknown account) it
    /// does the same work against a dummy and reports a mismatch.
    pub async fn verify(
        &self,
        candidate: String,
        stored: Option<String>,
    ) -> anyhow::Result<Verified> {
        let _permit = self.permits.acquire().await?;
        actix_web::web::block(move || match stored {
            Some(stored) if verify(&candidate, &stored) => Verified::Match {
                needs_rehash: needs_rehash(&stored),
            },
            Some(_) => Verified::Mismatch,
            None => {
                let _ = verify(&candidate, &DUMMY_HASH);
                Verified::Mismatch
            }
        })
        .await
        .map_err(Into::into)
    }
}

#[cfg(test)]
mod rehash_tests {
    use super::*;

    #[test]
    fn weaker_hashes_are_flagged_for_rehash() {
        let password = Password::parse("une phrase de passe solide", &[]).unwrap();
        assert!(!needs_rehash(&hash(&password).unwrap()));
        let weak = Argon2::new(
            Algorithm::Argon2id,
            Version::V0x13,
            Params::new(8192, 1, 1, None).unwrap(),
        )
        .hash_password(b"une phrase de passe solide")
        .unwrap()
        .to_string();
        assert!(needs_rehash(&weak));
        assert!(
            verify("une phrase de passe solide", &weak),
            "old hashes still verify"
        );
        assert!(needs_rehash("pas un hash"));
    }
}
