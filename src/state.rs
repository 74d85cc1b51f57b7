//! What every handler can reach.

use std::sync::Arc;

use crate::auth::devices::DeviceKey;
use crate::auth::passwords::PasswordHasher;
use crate::auth::throttle::Throttles;
use crate::clock::Clock;
use crate::config::Settings;
use crate::store::Db;
use crate::store::round_cache::RoundCache;

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub settings: Arc<Settings>,
    pub hasher: PasswordHasher,
    pub throttles: Arc<Throttles>,
    pub clock: Clock,
    /// Marks the devices that signed in to an account (see `auth::devices`).
    pub devices: DeviceKey,
    /// Frozen rounds' questions, so that answer writes need not read them each time
    /// (the store's, kept honest with its session cache).
    pub rounds: Arc<RoundCache>,
    /// What an operator watches (`/metrics`).
    pub metrics: Arc<crate::metrics::Metrics>,
    /// Attached documents' contents.
    pub files: Arc<crate::files::FileStore>,
    /// Wakes this instance's reader of documents' texts after an upload
    /// (`services::responses::document_text`).
    pub texts: Arc<tokio::sync::Notify>,
}

impl AppState {
    pub fn new(
        db: Db,
        settings: Arc<Settings>,
        clock: Clock,
        files: Arc<crate::files::FileStore>,
    ) -> Self {
        Self {
            files,
            texts: Arc::new(tokio::sync::Notify::new()),
            rounds: db.sessions.rounds.clone(),
            metrics: crate::metrics::Metrics::new(),
            db,
            // Half the cores (two at least): a storm of sign-ins queues its argon2 work
            // instead of taking every core from the requests in flight; with one at a
            // time, 10 sign-ins a second on a busy two-core machine outran the hashing
            // and waited seconds (load benchmark).
            hasher: PasswordHasher::new(
                std::thread::available_parallelism().map_or(2, |n| (n.get() / 2).max(2)),
            ),
            throttles: Arc::new(Throttles::new()),
            devices: DeviceKey::from_settings(&settings),
            settings,
            clock,
        }
    }
}
