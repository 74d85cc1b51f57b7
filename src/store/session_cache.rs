//! Signed-in sessions kept in memory, so that a request need not read its session and
//! account from the database each time (half of PostgreSQL's statements per autosave,
//! an eighth of SQLite's time in the load benchmark).
//!
//! A cached session must never outlive a change to it. Three things keep it honest:
//! - every write of this process that ends a session or changes an account goes through
//!   `sessions.rs` or `users.rs`, which note the change; `Db::run` applies the notes when
//!   its unit of work returns, before the response leaves, so the next request sees them;
//! - on PostgreSQL, other instances' writes (and anyone's SQL) reach every instance
//!   through triggers calling `pg_notify` (migration `000009`), read by a listener thread
//!   on a connection of its own;
//! - a fill that began before any change is refused (the generation moved), so a lookup
//!   that read the old row cannot put it back after the change removed it.
//!
//! It fails closed: on PostgreSQL the cache is used only while the listener has proven
//! its connection alive within the last two seconds; when the listener loses it, the
//! cache is emptied and bypassed until it listens again. Only the "still valid" answer
//! comes from memory: anything the cache cannot vouch for (expiry near, renewal due,
//! two-factor pending) is decided from the database.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};

use chrono::NaiveDateTime;
use diesel::prelude::*;
use parking_lot::Mutex;

use super::round_cache::RoundCache;
use super::sessions::SessionRow;
use super::{DatabaseUrl, DbConnection};
use crate::domain::accounts::Account;

/// The channel the PostgreSQL triggers notify.
const CHANNEL: &str = "concerto_auth";
/// How often the listener reads what arrived (the longest a change made on another
/// instance can go unseen here) and how often it proves its connection alive.
const DRAIN_EVERY: Duration = Duration::from_millis(50);
const PROBE_EVERY: Duration = Duration::from_millis(500);
/// The cache is trusted only this long after the listener's last successful probe.
const TRUSTED_FOR: Duration = Duration::from_secs(2);
/// Beyond this many sessions the stale ones are dropped (a session unused for a minute is
/// read from the database anyway).
const CAPACITY: usize = 50_000;

/// What changed, as the store saw it or a trigger told.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Session(i64),
    User(i64),
    /// A round, its chapters or its questions (for the round cache).
    Round(i64),
}

thread_local! {
    /// Changes made by the unit of work running on this thread, applied when it returns.
    static NOTED: RefCell<Vec<Change>> = const { RefCell::new(Vec::new()) };
}

/// Called by the store's writers of `sessions`, `users` and rounds' structure.
pub(super) fn note(change: Change) {
    NOTED.with(|n| n.borrow_mut().push(change));
}

pub(super) fn take_noted() -> Vec<Change> {
    NOTED.with(|n| std::mem::take(&mut *n.borrow_mut()))
}

/// A valid session and its account, as read from the database.
#[derive(Debug, Clone)]
pub struct CachedSession {
    pub session: SessionRow,
    pub account: Account,
}

#[derive(Default)]
struct Entries {
    by_key: HashMap<String, Arc<CachedSession>>,
    /// Moves at every change: a fill that read the database under an older generation
    /// may hold what the change replaced.
    generation: u64,
}

/// Whether the caches fed by the listener may be trusted: on SQLite always (one process
/// writes, and the store's notes are the whole truth), on PostgreSQL only while the
/// listener has proven its connection alive lately.
pub struct Listening {
    needs_listener: bool,
    started: Instant,
    /// Milliseconds since `started` of the listener's last successful probe (0: none).
    alive_at: AtomicU64,
    listener_started: AtomicBool,
    /// How many times the listener lost its connection (for operators and tests).
    losses: AtomicU64,
}

impl Listening {
    /// Whether the caches are in use now (on PostgreSQL: the listener has proven its
    /// connection alive lately).
    pub fn in_use(&self) -> bool {
        if !self.needs_listener {
            return true;
        }
        let alive_at = self.alive_at.load(Ordering::Acquire);
        alive_at != 0
            && self.started.elapsed().as_millis() as u64
                <= alive_at + TRUSTED_FOR.as_millis() as u64
    }
}

pub struct SessionCache {
    entries: Mutex<Entries>,
    listening: Arc<Listening>,
    /// Rounds' shapes, fed by the same notices (see `round_cache`).
    pub rounds: Arc<RoundCache>,
}

impl SessionCache {
    pub(super) fn new(needs_listener: bool) -> Self {
        let listening = Arc::new(Listening {
            needs_listener,
            started: Instant::now(),
            alive_at: AtomicU64::new(0),
            listener_started: AtomicBool::new(false),
            losses: AtomicU64::new(0),
        });
        Self {
            entries: Mutex::default(),
            rounds: Arc::new(RoundCache::new(listening.clone())),
            listening,
        }
    }

    /// Whether the cache is in use now (on PostgreSQL: its listener has proven its
    /// connection alive lately).
    pub fn in_use(&self) -> bool {
        self.listening.in_use()
    }

    /// The cached session for this key hash, if the cache can be trusted now.
    pub fn get(&self, key_hash: &str) -> Option<Arc<CachedSession>> {
        if !self.in_use() {
            return None;
        }
        self.entries.lock().by_key.get(key_hash).cloned()
    }

    /// To be read before the database lookup whose result may be kept with `fill`.
    pub fn generation(&self) -> u64 {
        self.entries.lock().generation
    }

    /// Keeps a session read from the database, unless anything changed since
    /// `generation` was read (the read may predate the change).
    pub fn fill(&self, key_hash: String, generation: u64, value: CachedSession) {
        if !self.in_use() {
            return;
        }
        let mut entries = self.entries.lock();
        if entries.generation != generation {
            return;
        }
        if entries.by_key.len() >= CAPACITY {
            let stale = value.session.last_seen_at - chrono::Duration::minutes(2);
            entries
                .by_key
                .retain(|_, cached| cached.session.last_seen_at > stale);
            if entries.by_key.len() >= CAPACITY {
                entries.by_key.clear();
            }
        }
        entries.by_key.insert(key_hash, Arc::new(value));
    }

    pub fn apply(&self, changes: &[Change]) {
        if changes.is_empty() {
            return;
        }
        let rounds: Vec<i64> = changes
            .iter()
            .filter_map(|c| match c {
                Change::Round(id) => Some(*id),
                _ => None,
            })
            .collect();
        self.rounds.forget(&rounds);
        if rounds.len() == changes.len() {
            return;
        }
        let mut entries = self.entries.lock();
        entries.generation += 1;
        entries.by_key.retain(|_, cached| {
            !changes.iter().any(|change| match *change {
                Change::Session(id) => cached.session.id == id,
                Change::User(id) => cached.session.user_id == id,
                Change::Round(_) => false,
            })
        });
    }

    /// Forgets everything, rounds included (a lost listener, or a change made behind
    /// the store's back).
    pub fn clear(&self) {
        let mut entries = self.entries.lock();
        entries.generation += 1;
        entries.by_key.clear();
        drop(entries);
        self.rounds.clear();
    }

    pub fn len(&self) -> usize {
        self.entries.lock().by_key.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn mark_alive(&self) {
        let l = &self.listening;
        let now = (l.started.elapsed().as_millis() as u64).max(1);
        l.alive_at.store(now, Ordering::Release);
    }

    /// How many times the listener lost its connection (emptying the cache each time).
    pub fn losses(&self) -> u64 {
        self.listening.losses.load(Ordering::Acquire)
    }

    /// The listener lost its connection: the cache is emptied and unused until it
    /// listens again.
    fn mark_lost(&self) {
        self.listening.alive_at.store(0, Ordering::Release);
        self.clear();
        self.listening.losses.fetch_add(1, Ordering::AcqRel);
    }
}

/// Whether `expires_at`/`last_seen_at` still let this session be taken from memory: not
/// expired, and its idle timer not yet due for renewal (`renew_after`), which keeps any
/// idle-timeout decision with the database.
pub fn still_fresh(
    session: &SessionRow,
    now: NaiveDateTime,
    renew_after: chrono::Duration,
) -> bool {
    !session.mfa_pending && now < session.expires_at && now - session.last_seen_at <= renew_after
}

/// Starts the listener of a PostgreSQL database's session and account changes; it stops
/// by itself once the cache is dropped. Until it listens, the cache is not used.
pub(super) fn listen(url: DatabaseUrl, cache: &Arc<SessionCache>, connect_timeout: Duration) {
    let listening = &cache.listening;
    if !listening.needs_listener || listening.listener_started.swap(true, Ordering::AcqRel) {
        return;
    }
    let cache = Arc::downgrade(cache);
    let spawned = std::thread::Builder::new()
        .name("concerto-session-listener".into())
        .spawn(move || listener_loop(&url, &cache, connect_timeout));
    if let Err(e) = spawned {
        tracing::error!(error = %e, "session listener not started: sessions read from the database");
    }
}

fn listener_loop(url: &DatabaseUrl, cache: &Weak<SessionCache>, timeout: Duration) {
    // An outage is reported once, not every second.
    let mut reported = false;
    while cache.strong_count() > 0 {
        match super::establish(url, timeout) {
            Ok(mut conn) => match listen_on(&mut conn, cache) {
                Ok(()) => return,
                Err(e) => {
                    if let Some(c) = cache.upgrade() {
                        c.mark_lost();
                    }
                    tracing::warn!(error = %e, "session listener lost its connection; sessions read from the database until it is back");
                    reported = true;
                }
            },
            Err(e) if !reported => {
                tracing::warn!(error = %e, "session listener cannot connect; retrying");
                reported = true;
            }
            Err(_) => {}
        }
        std::thread::sleep(Duration::from_secs(1));
    }
}

/// Listens until the connection fails (`Err`) or the cache is dropped (`Ok`).
fn listen_on(conn: &mut DbConnection, cache: &Weak<SessionCache>) -> QueryResult<()> {
    let DbConnection::Postgres(pg) = conn else {
        return Ok(());
    };
    // Named, so that an operator (or a test) can tell it among the connections.
    diesel::sql_query("SET application_name = 'concerto-session-listener'").execute(pg)?;
    diesel::sql_query(format!("LISTEN {CHANNEL}")).execute(pg)?;
    {
        let Some(c) = cache.upgrade() else {
            return Ok(());
        };
        // Whatever changed before LISTEN took effect was never announced here.
        c.clear();
        c.mark_alive();
    }
    let mut last_probe = Instant::now();
    loop {
        std::thread::sleep(DRAIN_EVERY);
        let Some(c) = cache.upgrade() else {
            return Ok(());
        };
        // A partitioned network shows no error until a query is attempted.
        let probe = last_probe.elapsed() >= PROBE_EVERY;
        if probe {
            diesel::sql_query("SELECT 1").execute(pg)?;
            last_probe = Instant::now();
        }
        // Read after the probe: what was announced before it answered is applied before
        // the cache is trusted again.
        let mut changes = Vec::new();
        for notice in pg.notifications_iter() {
            match parse(&notice?.payload) {
                Some(change) => changes.push(change),
                // Not ours to read: forget everything rather than guess.
                None => c.clear(),
            }
        }
        c.apply(&changes);
        if probe {
            c.mark_alive();
        }
    }
}

/// The triggers' payloads: `s<id>` for a session, `u<id>` for an account, `r<id>` for a
/// round.
fn parse(payload: &str) -> Option<Change> {
    let (kind, id) = payload.split_at_checked(1)?;
    let id = id.parse().ok()?;
    match kind {
        "s" => Some(Change::Session(id)),
        "u" => Some(Change::User(id)),
        "r" => Some(Change::Round(id)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::accounts::PlatformRole;

    fn cached(id: i64, user_id: i64) -> CachedSession {
        let now = chrono::Utc::now().naive_utc();
        CachedSession {
            session: SessionRow {
                id,
                user_id,
                csrf_token: "t".into(),
                mfa_pending: false,
                ip: None,
                user_agent: None,
                created_at: now,
                last_seen_at: now,
                expires_at: now + chrono::Duration::hours(1),
                second_factor: false,
            },
            account: Account {
                id: user_id,
                email: "a@example.org".into(),
                display_name: "A".into(),
                role: PlatformRole::None,
                language: crate::i18n::Lang::Fr,
                verified: true,
                suspended: false,
                two_factor: false,
            },
        }
    }

    #[test]
    fn a_change_removes_its_sessions_and_refuses_older_fills() {
        let cache = SessionCache::new(false);
        let before = cache.generation();
        cache.fill("a".into(), before, cached(1, 10));
        cache.fill("b".into(), before, cached(2, 10));
        cache.fill("c".into(), before, cached(3, 11));
        assert_eq!(cache.len(), 3);
        cache.apply(&[Change::User(10)]);
        assert!(cache.get("a").is_none() && cache.get("b").is_none());
        assert!(cache.get("c").is_some());
        cache.apply(&[Change::Session(3)]);
        assert!(cache.is_empty());
        // A lookup that read the database before those changes cannot store its result.
        cache.fill("a".into(), before, cached(1, 10));
        assert!(cache.get("a").is_none());
    }

    #[test]
    fn without_a_live_listener_nothing_is_kept_or_served() {
        let cache = SessionCache::new(true);
        cache.fill("a".into(), cache.generation(), cached(1, 10));
        assert!(cache.get("a").is_none());
        cache.mark_alive();
        cache.fill("a".into(), cache.generation(), cached(1, 10));
        assert!(cache.get("a").is_some());
        cache.mark_lost();
        assert!(cache.get("a").is_none());
        cache.mark_alive();
        assert!(
            cache.get("a").is_none(),
            "a lost listener empties the cache"
        );
    }

    #[test]
    fn payloads_are_read_strictly() {
        assert_eq!(parse("s42"), Some(Change::Session(42)));
        assert_eq!(parse("u7"), Some(Change::User(7)));
        assert_eq!(parse("r3"), Some(Change::Round(3)));
        assert_eq!(parse("x7"), None);
        assert_eq!(parse("s"), None);
        assert_eq!(parse(""), None);
        assert_eq!(parse("sé"), None);
    }
}
