//! Devices that have signed in to an account before. A wrong password from anywhere
//! counts against the account's ceiling of attempts, so that guessing from many
//! addresses stays slow; a device the account has already signed in from passes that
//! ceiling, so that such guessing cannot lock the owner out.
//!
//! The browser keeps a mark: a random nonce and a MAC of (account email, nonce) under a
//! key derived from `CONCERTO_SECRET_KEY` (a key of the process when none is set: marks
//! then last until a restart). A mark proves that this browser signed in to that account;
//! it grants nothing else.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{KeyInit, Mac};
use sha2::{Digest, Sha256};

use super::tokens;
use crate::config::{ExposeSecret, Settings};

pub const COOKIE: &str = "concerto_appareil";

type Hmac = hmac::Hmac<Sha256>;

#[derive(Clone)]
pub struct DeviceKey([u8; 32]);

impl DeviceKey {
    pub fn from_settings(settings: &Settings) -> Self {
        match &settings.secret_key {
            Some(secret) => {
                let mut hash = Sha256::new();
                hash.update(b"concerto devices\0");
                hash.update(secret.expose_secret().as_bytes());
                Self(hash.finalize().into())
            }
            None => Self(rand::random()),
        }
    }

    fn mac(&self, email: &str, nonce: &str) -> Hmac {
        let mut mac = <Hmac as KeyInit>::new_from_slice(&self.0).expect("any key length");
        mac.update(email.trim().to_lowercase().as_bytes());
        mac.update(b"\0");
        mac.update(nonce.as_bytes());
        mac
    }

    /// The MAC of (email, nonce), as the mark writes it.
    fn tag(&self, email: &str, nonce: &str) -> String {
        URL_SAFE_NO_PAD.encode(self.mac(email, nonce).finalize().into_bytes())
    }

    /// A new mark for a browser that just gave `email`'s right password.
    pub fn mark(&self, email: &str) -> String {
        let nonce = tokens::new_secret();
        format!("{nonce}.{}", self.tag(email, &nonce))
    }

    /// Whether `mark` (the cookie, if any) was made for `email` by this key.
    pub fn recognises(&self, email: &str, mark: Option<&str>) -> bool {
        mark.and_then(|m| m.split_once('.'))
            .is_some_and(|(nonce, tag)| tokens::same(tag, &self.tag(email, nonce)))
    }
}

/// The mark's cookie: a year, HttpOnly, SameSite=Lax, Secure on https.
pub fn cookie(settings: &Settings, mark: String) -> actix_web::cookie::Cookie<'static> {
    actix_web::cookie::Cookie::build(COOKIE, mark)
        .path("/")
        .http_only(true)
        .secure(settings.is_https())
        .same_site(actix_web::cookie::SameSite::Lax)
        .max_age(actix_web::cookie::time::Duration::days(365))
        .finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mark_is_for_its_account_and_key_only() {
        let key = DeviceKey([7; 32]);
        let mark = key.mark("Anne@Exemple.fr");
        assert!(key.recognises("anne@exemple.fr", Some(&mark)));
        assert!(!key.recognises("paul@exemple.fr", Some(&mark)));
        assert!(!DeviceKey([8; 32]).recognises("anne@exemple.fr", Some(&mark)));
        let (nonce, _) = mark.split_once('.').unwrap();
        assert!(!key.recognises(
            "anne@exemple.fr",
            Some(&format!("{nonce}.{}", "0".repeat(64)))
        ));
        for junk in ["", ".", "x.y", "é.é", &"a".repeat(10_000)] {
            assert!(!key.recognises("anne@exemple.fr", Some(junk)));
        }
        assert!(!key.recognises("anne@exemple.fr", None));
    }
}
