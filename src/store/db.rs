//! The application's handle on the database: the pool, units of work off the async
//! executor, dropped connections noticed and replaced, SQLite's writer queue, and the
//! transactions that take it.

use std::sync::Arc;
use std::time::Duration;

use diesel::prelude::*;
use diesel::r2d2::{ConnectionManager, Pool};

use super::connect::{ConnectionSetup, establish, migrate};
use super::{
    Backend, DatabaseUrl, DbConnection, DbPool, PooledConn, StoreError, ping, rounds, session_cache,
};

/// Whether `e` says the connection is gone: closed while a query ran, or already closed
/// when the next one was sent (libpq's "no connection to the server").
fn is_lost(e: &diesel::result::Error) -> bool {
    use diesel::result::{DatabaseErrorKind, Error};
    matches!(
        e,
        Error::DatabaseError(
            DatabaseErrorKind::ClosedConnection | DatabaseErrorKind::UnableToSendCommand,
            _
        )
    )
}

thread_local! {
    /// This thread's unit of work met a connection the database had dropped.
    static CONNECTION_LOST: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether `e` says the connection is gone; if so, noted for `Db::run`, which replaces
/// the connection (the pool would otherwise hand it out again: it is not "broken" in
/// diesel's sense outside a transaction).
pub fn note_if_lost(e: &diesel::result::Error) -> bool {
    let lost = is_lost(e);
    if lost {
        CONNECTION_LOST.with(|f| f.set(true));
    }
    lost
}

/// The application's handle on the database: a pool, and the way to use it off the
/// async executor.
#[derive(Clone)]
pub struct Db {
    pool: DbPool,
    pub backend: Backend,
    /// SQLite has one writer at a time: writers queue here, in order, instead of polling
    /// the database's lock with growing sleeps (which made the slowest writes wait
    /// hundreds of milliseconds under load).
    writer: Option<Arc<Writer>>,
    /// Signed-in sessions, kept until a change to them (see `session_cache`).
    pub sessions: Arc<session_cache::SessionCache>,
    url: DatabaseUrl,
    timeout: Duration,
    /// How long connections were waited for (for the metrics).
    waits: Arc<PoolWaits>,
    /// Until when (milliseconds since the epoch) connections are checked before use: a
    /// dropped one was just met, its siblings in the pool are likely dropped too.
    suspect_until: Arc<std::sync::atomic::AtomicU64>,
    /// The last attempt to connect failed: the database is down (see `run_here`).
    unreachable: Arc<std::sync::atomic::AtomicBool>,
}

/// A connection for one unit of work: the pool's, or one of its own while the pool has
/// none to give during an outage.
enum Checkout {
    Pooled(PooledConn),
    Direct(DbConnection),
}

impl std::ops::Deref for Checkout {
    type Target = DbConnection;
    fn deref(&self) -> &DbConnection {
        match self {
            Self::Pooled(pooled) => pooled,
            Self::Direct(direct) => direct,
        }
    }
}

impl std::ops::DerefMut for Checkout {
    fn deref_mut(&mut self) -> &mut DbConnection {
        match self {
            Self::Pooled(pooled) => pooled,
            Self::Direct(direct) => direct,
        }
    }
}

/// How long a unit of work waits for a pooled connection while the database is known
/// to be unreachable, before trying a connection of its own.
const OUTAGE_PATIENCE: Duration = Duration::from_millis(200);

fn epoch_millis() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

/// How long, after a dropped connection, every connection is checked before use.
const SUSPECT_FOR_MS: u64 = 30_000;

/// Connections taken from the pool and the time spent waiting for them, since start.
#[derive(Debug, Default)]
pub struct PoolWaits {
    checkouts: std::sync::atomic::AtomicU64,
    waited_micros: std::sync::atomic::AtomicU64,
}

impl PoolWaits {
    fn record(&self, started: std::time::Instant) {
        use std::sync::atomic::Ordering::Relaxed;
        self.checkouts.fetch_add(1, Relaxed);
        self.waited_micros
            .fetch_add(started.elapsed().as_micros() as u64, Relaxed);
    }
}

/// The pool as the metrics show it.
#[derive(Debug, Clone, Copy)]
pub struct PoolUse {
    pub connections: u32,
    pub idle: u32,
    pub checkouts: u64,
    pub waited_seconds: f64,
}

/// SQLite's writers: their queue, and the one connection their transactions run on.
/// A connection's page cache is dropped whenever another connection wrote since its last
/// transaction; with every write on this one, its cache stays warm (on any pooled
/// connection, each write transaction began by reading its pages again: a tenth of an
/// autosave's time in `pread`, load benchmark).
pub(crate) struct Writer {
    turn: parking_lot::Mutex<Option<DbConnection>>,
    /// Writers waiting for their turn now.
    waiting: std::sync::atomic::AtomicUsize,
    url: DatabaseUrl,
    timeout: Duration,
}

impl Writer {
    fn new(url: &DatabaseUrl, timeout: Duration) -> Self {
        Self {
            turn: parking_lot::Mutex::new(None),
            waiting: std::sync::atomic::AtomicUsize::new(0),
            url: url.clone(),
            timeout,
        }
    }

    /// Whether a writer holds the turn or waits for it.
    fn busy(&self) -> bool {
        self.turn.is_locked() || self.waiting.load(std::sync::atomic::Ordering::Relaxed) > 0
    }
}

thread_local! {
    /// The writers of the database whose work runs on this thread now.
    static WRITER: std::cell::RefCell<Option<Arc<Writer>>> =
        const { std::cell::RefCell::new(None) };
}

/// How long a writer waits in the queue before trying the database's own lock anyway.
const WRITER_PATIENCE: Duration = Duration::from_secs(5);

/// A failure of a unit of database work, as the rest of the application sees it.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("no database connection available: {0}")]
    Unavailable(String),
    #[error(transparent)]
    Query(#[from] diesel::result::Error),
}

impl Db {
    /// Opens the database: checks that it answers (with a clear error if not), applies
    /// pending migrations, then builds the pool.
    pub fn open(
        url: &DatabaseUrl,
        max_connections: u32,
        timeout: Duration,
    ) -> Result<Self, StoreError> {
        if url.in_memory() {
            // Each pooled connection would open a database of its own, empty and
            // without its tables.
            return Err(StoreError::Io(
                "CONCERTO_DATABASE_URL : une base SQLite en mémoire ne peut pas servir \
                 l'application (chaque connexion aurait la sienne, vide) ; donnez un \
                 chemin de fichier (exemple : sqlite://data/concerto.db)"
                    .into(),
            ));
        }
        let mut conn = establish(url, timeout)?;
        migrate(&mut conn)?;
        let manager = ConnectionManager::<DbConnection>::new(url.connect.clone());
        let pool = Pool::builder()
            .max_size(max_connections.max(1))
            .min_idle(Some(1))
            .connection_timeout(timeout)
            // No `SELECT 1` before every use (two per request): a connection that broke
            // fails its query, is flagged broken and leaves the pool.
            .test_on_check_out(false)
            .connection_customizer(Box::new(ConnectionSetup))
            .build(manager)
            .map_err(|e| StoreError::Unreachable {
                target: url.redacted(),
                reason: e.to_string(),
            })?;
        Ok(Self {
            pool,
            backend: url.backend,
            writer: (url.backend == Backend::Sqlite).then(|| Arc::new(Writer::new(url, timeout))),
            sessions: Arc::new(session_cache::SessionCache::new(
                url.backend == Backend::Postgres,
            )),
            url: url.clone(),
            timeout,
            waits: Arc::default(),
            suspect_until: Arc::default(),
            unreachable: Arc::default(),
        })
    }

    /// Runs one unit of database work (a transaction included) on the blocking pool,
    /// never on the async executor.
    pub async fn run<T, E, F>(&self, work: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
    {
        let db = self.clone();
        actix_web::web::block(move || db.run_here(work))
            .await
            .map_err(|e| E::from(DbError::Unavailable(e.to_string())))?
    }

    /// Runs one unit of database work on this thread, which may block: a background
    /// worker's, an export's own thread. Every unit of work goes through here, so that a
    /// connection the database dropped is noticed and replaced wherever it is met.
    pub fn run_here<T, E, F>(&self, work: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, E>,
        E: From<DbError>,
    {
        use std::sync::atomic::Ordering::Relaxed;
        let unavailable = |e: &dyn std::fmt::Display| E::from(DbError::Unavailable(e.to_string()));
        let reconnect = || {
            let fresh = establish(&self.url, self.timeout);
            self.unreachable.store(fresh.is_err(), Relaxed);
            fresh.map_err(|e| unavailable(&e))
        };
        let asked = std::time::Instant::now();
        // While the database is unreachable, the pool (whose connections died with it)
        // is not waited for: a direct connection is tried at once, which fails at once
        // while it is down (a 503 to retry) and serves as soon as it is back, while the
        // pool refills.
        let unreachable = self.unreachable.load(Relaxed);
        let patience = if unreachable {
            OUTAGE_PATIENCE
        } else {
            self.timeout
        };
        let mut conn = match self.pool.get_timeout(patience) {
            Ok(pooled) => Checkout::Pooled(pooled),
            Err(_) if unreachable => Checkout::Direct(reconnect()?),
            Err(e) => return Err(unavailable(&e)),
        };
        self.waits.record(asked);
        // Just after a dropped connection, each one is checked (one round trip) and
        // replaced before use if it was dropped too: one request meets the drop, not
        // one per pooled connection.
        if epoch_millis() < self.suspect_until.load(Relaxed)
            && ping(&mut conn).err().is_some_and(|e| is_lost(&e))
        {
            *conn = reconnect()?;
        }
        let queue = WRITER.with(|w| w.replace(self.writer.clone()));
        CONNECTION_LOST.with(|f| f.set(false));
        let mut outcome = work(&mut conn);
        WRITER.with(|w| *w.borrow_mut() = queue);
        // The first query on a connection PostgreSQL ended reads the server's goodbye
        // (`terminating connection…`), which libpq does not yet call a closed
        // connection: after a failure, one round trip tells.
        let noted = CONNECTION_LOST.with(|f| f.replace(false));
        let dropped = noted
            || (outcome.is_err()
                && matches!(*conn, DbConnection::Postgres(_))
                && ping(&mut conn).err().is_some_and(|e| is_lost(&e)));
        // A dropped connection is replaced in its pool slot, so that the pool recovers
        // as soon as the database answers again (still down: tried at the next use).
        if dropped {
            outcome = outcome.map_err(|_| unavailable(&"database connection lost"));
            self.suspect_until
                .store(epoch_millis() + SUSPECT_FOR_MS, Relaxed);
            if let Ok(fresh) = reconnect() {
                *conn = fresh;
            }
        } else {
            self.unreachable.store(false, Relaxed);
        }
        // Committed (or rolled back: forgetting a session too many is harmless) before
        // the caller answers, so the client's next request meets the change.
        self.sessions.apply(&session_cache::take_noted());
        outcome
    }

    /// Starts following other instances' session and account changes (PostgreSQL), which
    /// the session cache waits for; the command line never needs it.
    pub fn listen_for_session_changes(&self) {
        session_cache::listen(self.url.clone(), &self.sessions, self.timeout);
    }

    /// A connection for command-line work, which has no executor to protect.
    pub fn get(&self) -> Result<PooledConn, DbError> {
        let asked = std::time::Instant::now();
        let conn = self
            .pool
            .get()
            .map_err(|e| DbError::Unavailable(e.to_string()))?;
        self.waits.record(asked);
        Ok(conn)
    }

    /// Whether someone writes or waits to write now (SQLite's writer queue; never on
    /// PostgreSQL, whose writers do not queue here): work that can wait gives way.
    pub fn writers_busy(&self) -> bool {
        self.writer.as_ref().is_some_and(|w| w.busy())
    }

    /// The pool's connections now, and the waits for them since start.
    pub fn pool_use(&self) -> PoolUse {
        use std::sync::atomic::Ordering::Relaxed;
        let state = self.pool.state();
        PoolUse {
            connections: state.connections,
            idle: state.idle_connections,
            checkouts: self.waits.checkouts.load(Relaxed),
            waited_seconds: self.waits.waited_micros.load(Relaxed) as f64 / 1e6,
        }
    }
}

/// A transaction that will write. On SQLite it starts with `BEGIN IMMEDIATE`, taking the
/// write lock at once: a deferred transaction that reads and then writes fails outright
/// (SQLITE_BUSY, no waiting) when another connection wrote in between. On PostgreSQL it
/// is an ordinary transaction. Nested `transaction` calls inside become savepoints.
pub fn write_transaction<T, E, F>(conn: &mut DbConnection, work: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConnection) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    transaction_holding(conn, None, work)
}

/// A write transaction on a round's answers: on PostgreSQL it holds the round's shared
/// lock from its first statement (`rounds::hold_shared`), sent with `BEGIN` in one round
/// trip.
pub fn answers_transaction<T, E, F>(conn: &mut DbConnection, round_id: i64, work: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConnection) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    transaction_holding(conn, Some(round_id), work)
}

fn transaction_holding<T, E, F>(
    conn: &mut DbConnection,
    round: Option<i64>,
    work: F,
) -> Result<T, E>
where
    F: FnOnce(&mut DbConnection) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    use diesel::connection::{AnsiTransactionManager, TransactionManager};
    let nested = match conn {
        DbConnection::Sqlite(c) => AnsiTransactionManager::transaction_manager_status_mut(c)
            .transaction_depth()?
            .is_some(),
        DbConnection::Postgres(c) => AnsiTransactionManager::transaction_manager_status_mut(c)
            .transaction_depth()?
            .is_some(),
    };
    if nested {
        return conn.transaction(|conn| {
            if let Some(round) = round {
                rounds::hold_shared(conn, round)?;
            }
            work(conn)
        });
    }
    let writer = WRITER.with(|w| w.borrow().clone());
    let Some(writer) = writer else {
        return run_transaction(conn, round, work);
    };
    writer
        .waiting
        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let turn = writer.turn.try_lock_for(WRITER_PATIENCE);
    writer
        .waiting
        .fetch_sub(1, std::sync::atomic::Ordering::Relaxed);
    let Some(mut turn) = turn else {
        // Past our patience: try the database's own lock on this connection.
        return run_transaction(conn, round, work);
    };
    // (An in-memory database is one per connection: the caller's is the one meant.)
    if turn.is_none() && !writer.url.connect.contains(":memory:") {
        *turn = establish(&writer.url, writer.timeout).ok();
    }
    let Some(pinned) = turn.as_mut() else {
        return run_transaction(conn, round, work);
    };
    let outcome = run_transaction(pinned, round, work);
    // A transaction left open (a failed rollback) would make every later write fail.
    let clean = match pinned {
        DbConnection::Sqlite(c) => matches!(
            AnsiTransactionManager::transaction_manager_status_mut(c).transaction_depth(),
            Ok(None)
        ),
        DbConnection::Postgres(_) => true,
    };
    if !clean {
        *turn = None;
    }
    outcome
}

/// BEGIN (IMMEDIATE on SQLite; with the round's shared lock on PostgreSQL when asked),
/// the work, then COMMIT, or ROLLBACK on failure.
fn run_transaction<T, E, F>(conn: &mut DbConnection, round: Option<i64>, work: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConnection) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    use diesel::connection::{AnsiTransactionManager, TransactionManager};
    match (&mut *conn, round) {
        (DbConnection::Sqlite(c), _) => {
            AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE")?
        }
        // (A number, not a bind: this is a simple query, with no parameters.)
        (DbConnection::Postgres(c), Some(round)) => AnsiTransactionManager::begin_transaction_sql(
            c,
            &format!("BEGIN; SELECT {}({round})", rounds::SHARED_LOCK),
        )?,
        (DbConnection::Postgres(c), None) => AnsiTransactionManager::begin_transaction(c)?,
    }
    match work(conn) {
        Ok(value) => {
            match <DbConnection as Connection>::TransactionManager::commit_transaction(conn) {
                Ok(()) => Ok(value),
                Err(error) => {
                    let _ = <DbConnection as Connection>::TransactionManager::rollback_transaction(
                        conn,
                    );
                    Err(error.into())
                }
            }
        }
        Err(error) => {
            <DbConnection as Connection>::TransactionManager::rollback_transaction(conn)?;
            Err(error)
        }
    }
}
