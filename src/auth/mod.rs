//! Credentials and, with later issues, sessions, CSRF, tokens and rate limits.

pub mod devices;
pub mod identity;
pub mod passwords;
pub mod throttle;
pub mod tokens;
pub mod totp;
