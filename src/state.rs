//! What every handler can reach.

use std::sync::Arc;

use crate::auth::passwords::PasswordHasher;
use crate::auth::throttle::Throttles;
use crate::clock::Clock;
use crate::config::Settings;
use crate::services::round_cache::RoundCache;
use crate::store::Db;

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub settings: Arc<Settings>,
    pub hasher: PasswordHasher,
    pub throttles: Arc<Throttles>,
    pub clock: Clock,
    /// Frozen rounds' questions, so that answer writes need not read them each time.
    pub rounds: Arc<RoundCache>,
}

impl AppState {
    pub fn new(db: Db, settings: Arc<Settings>, clock: Clock) -> Self {
        Self {
            db,
            // Half the cores (two at least): a storm of sign-ins queues its argon2 work
            // instead of taking every core from the requests in flight; with one at a
            // time, 10 sign-ins a second on a busy two-core machine outran the hashing
            // and waited seconds (load benchmark).
            hasher: PasswordHasher::new(
                std::thread::available_parallelism().map_or(2, |n| (n.get() / 2).max(2)),
            ),
            throttles: Arc::new(Throttles::new()),
            settings,
            clock,
            rounds: Arc::new(RoundCache::default()),
        }
    }
}
