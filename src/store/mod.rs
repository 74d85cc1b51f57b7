//! The only module that speaks diesel. One code path for SQLite and PostgreSQL: the
//! connection type is an enum over both, chosen from the database URL's scheme.

pub mod api_tokens;
pub mod audit;
pub mod backup;
pub mod campaigns;
pub mod codes;
pub mod copy;
pub mod email_tokens;
pub mod exports;
pub mod models;
pub mod organisations;
pub mod outbox;
pub mod prepared;
pub mod recovery_codes;
pub mod redactions;
pub mod responses;
pub mod round_cache;
pub mod rounds;
pub mod schema;
pub mod search;
pub mod session_cache;
pub mod sessions;
pub mod settings;
pub mod sql;
pub mod themes;
pub mod users;
pub mod watch;
pub mod write_rules;

use std::fmt;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::r2d2::{ConnectionManager, CustomizeConnection, Pool, PooledConnection};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// Every pooled SQLite connection gets these: WAL so readers never block the writer,
/// a busy timeout so concurrent writers queue instead of failing, and foreign keys
/// (off by default in SQLite).
const SQLITE_PRAGMAS: &str = "PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000; \
     PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;";

pub use diesel::result::QueryResult;

/// A database failure is the service's fault, never the caller's: a 500 with no detail
/// (the store is the only module that knows diesel's errors); but a connection the
/// database dropped (a restart, a failover) is a 503 the client may retry, and the
/// connection is replaced when the unit of work ends (`Db::run`). A unique key refused
/// is the loser of a race the service's own check could not see (two coordinators
/// adding the same tag, name or campaign at once): a 409 saying so, not a fault.
impl From<diesel::result::Error> for crate::error::AppError {
    fn from(e: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        if note_if_lost(&e) {
            Self::Unavailable(format!("database connection lost: {e}"))
        } else if matches!(
            e,
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _)
        ) {
            Self::Conflict(
                "la même chose vient d'être enregistrée par quelqu'un d'autre : rechargez la page"
                    .into(),
            )
        } else {
            Self::Internal(e.into())
        }
    }
}

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

#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Postgres(diesel::PgConnection),
    Sqlite(diesel::SqliteConnection),
}

pub type DbPool = Pool<ConnectionManager<DbConnection>>;
pub type PooledConn = PooledConnection<ConnectionManager<DbConnection>>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Why the database could not be used, worded for the person starting the service.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "CONCERTO_DATABASE_URL : schéma « {0} » non pris en charge ; utilisez sqlite://CHEMIN ou postgres://utilisateur@hôte:port/base"
    )]
    UnsupportedScheme(String),
    #[error("base de données injoignable ({target}) : {reason}")]
    Unreachable { target: String, reason: String },
    #[error("migration de la base impossible : {0}")]
    Migration(String),
    #[error("{0}")]
    Io(String),
}

/// A parsed database URL: the backend, and what to hand to diesel.
#[derive(Clone)]
pub struct DatabaseUrl {
    pub backend: Backend,
    connect: String,
}

impl DatabaseUrl {
    /// The file of an SQLite database (none for PostgreSQL or a database in memory).
    pub fn sqlite_file(&self) -> Option<&Path> {
        (self.backend == Backend::Sqlite && !self.in_memory()).then(|| Path::new(&self.connect))
    }

    /// An SQLite database that lives in one connection's memory (`:memory:`,
    /// `file::memory:`, `mode=memory`).
    pub fn in_memory(&self) -> bool {
        self.backend == Backend::Sqlite
            && (self.connect == ":memory:"
                || self.connect.starts_with("file::memory:")
                || self.connect.contains("mode=memory"))
    }

    pub fn parse(raw: &str) -> Result<Self, StoreError> {
        let raw = raw.trim();
        if let Some(path) = raw.strip_prefix("sqlite://") {
            if path.is_empty() {
                return Err(StoreError::Io(
                    "CONCERTO_DATABASE_URL : chemin SQLite vide (exemple : sqlite://data/concerto.db)".into(),
                ));
            }
            return Ok(Self {
                backend: Backend::Sqlite,
                connect: path.to_owned(),
            });
        }
        if raw.starts_with("postgres://") || raw.starts_with("postgresql://") {
            return Ok(Self {
                backend: Backend::Postgres,
                connect: raw.to_owned(),
            });
        }
        let scheme = raw.split_once(':').map(|(s, _)| s).unwrap_or(raw);
        Err(StoreError::UnsupportedScheme(
            scheme.chars().take(40).collect(),
        ))
    }

    /// The URL with any password hidden, fit for logs and error messages.
    pub fn redacted(&self) -> String {
        match self.backend {
            Backend::Sqlite => format!("sqlite://{}", self.connect),
            Backend::Postgres => redact_password(&self.connect),
        }
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

/// `url` with its password, if any, shown as `***`; a URL that does not parse is not
/// shown at all (it could hold a password where a parser would not look).
fn redact_password(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) => {
            if parsed.password().is_some() {
                // (Only a URL without a host refuses a password: this one has one.)
                let _ = parsed.set_password(Some("***"));
            }
            parsed.into()
        }
        Err(_) => "(adresse de base de données illisible)".to_owned(),
    }
}

/// Sets the SQLite pragmas on each new pooled connection.
#[derive(Debug)]
struct ConnectionSetup;

impl CustomizeConnection<DbConnection, diesel::r2d2::Error> for ConnectionSetup {
    fn on_acquire(&self, conn: &mut DbConnection) -> Result<(), diesel::r2d2::Error> {
        prepare(conn).map_err(diesel::r2d2::Error::QueryError)
    }
}

fn prepare(conn: &mut DbConnection) -> QueryResult<()> {
    match conn {
        DbConnection::Sqlite(c) => {
            c.batch_execute(SQLITE_PRAGMAS)?;
            write_rules::register(c)
        }
        DbConnection::Postgres(c) => c.batch_execute("SET TIME ZONE 'UTC'"),
    }
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
    url: DatabaseUrl,
    timeout: Duration,
}

impl Writer {
    fn new(url: &DatabaseUrl, timeout: Duration) -> Self {
        Self {
            turn: parking_lot::Mutex::new(None),
            url: url.clone(),
            timeout,
        }
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

/// One connection, with a clear error when the database cannot be reached.
pub fn establish(url: &DatabaseUrl, timeout: Duration) -> Result<DbConnection, StoreError> {
    // libpq initialises OpenSSL on first use with an exit-time cleanup, which can free
    // what still-running threads (the pool's, the mail worker's TLS) are using and abort
    // the process as it exits ("free(): invalid pointer"). Initialising it here first,
    // the way the openssl crate does (no atexit cleanup), keeps exits clean.
    openssl_sys::init();
    let unreachable = |reason: String| StoreError::Unreachable {
        target: url.redacted(),
        reason: reason.split_whitespace().collect::<Vec<_>>().join(" "),
    };
    let mut conn = match url.backend {
        Backend::Sqlite => {
            if let Some(parent) = Path::new(&url.connect).parent()
                && !parent.as_os_str().is_empty()
            {
                std::fs::create_dir_all(parent).map_err(|e| {
                    StoreError::Io(format!(
                        "impossible de créer le dossier {} de la base SQLite : {e}",
                        parent.display()
                    ))
                })?;
            }
            DbConnection::establish(&url.connect).map_err(|e| unreachable(e.to_string()))?
        }
        Backend::Postgres => {
            // libpq would otherwise wait for the operating system's TCP timeout.
            let connect = with_connect_timeout(&url.connect, timeout);
            DbConnection::establish(&connect).map_err(|e| unreachable(e.to_string()))?
        }
    };
    prepare(&mut conn).map_err(|e| unreachable(e.to_string()))?;
    Ok(conn)
}

fn with_connect_timeout(url: &str, timeout: Duration) -> String {
    if url.contains("connect_timeout=") {
        return url.to_owned();
    }
    let separator = if url.contains('?') { '&' } else { '?' };
    format!(
        "{url}{separator}connect_timeout={}",
        timeout.as_secs().max(1)
    )
}

/// Applies the pending migrations of the connection's backend; returns how many ran.
pub fn migrate(conn: &mut DbConnection) -> Result<usize, StoreError> {
    let applied = match conn {
        DbConnection::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS).map(|v| v.len()),
        DbConnection::Postgres(c) => c
            .run_pending_migrations(POSTGRES_MIGRATIONS)
            .map(|v| v.len()),
    };
    applied.map_err(|e| StoreError::Migration(e.to_string()))
}

/// How many of this version's migrations the database lacks (without applying them).
pub fn pending_migrations(conn: &mut DbConnection) -> Result<usize, StoreError> {
    let pending = match conn {
        DbConnection::Sqlite(c) => c.pending_migrations(SQLITE_MIGRATIONS).map(|v| v.len()),
        DbConnection::Postgres(c) => c.pending_migrations(POSTGRES_MIGRATIONS).map(|v| v.len()),
    };
    pending.map_err(|e| StoreError::Migration(e.to_string()))
}

/// Whether one statement can make a whole answer write on its own, holding what it must
/// (PostgreSQL, with its data-modifying `WITH` and `concerto_round_open_held`); on SQLite
/// a write takes several statements inside a write transaction.
pub fn one_statement_writes(conn: &DbConnection) -> bool {
    matches!(conn, DbConnection::Postgres(_))
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
    let Some(mut turn) = writer.turn.try_lock_for(WRITER_PATIENCE) else {
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

/// Whether the database answers a trivial query.
pub fn ping(conn: &mut DbConnection) -> QueryResult<()> {
    diesel::sql_query("SELECT 1").execute(conn).map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_in_memory_sqlite_database_is_refused_to_the_application() {
        for raw in [
            "sqlite://:memory:",
            "sqlite://file::memory:?cache=shared",
            "sqlite://file:x?mode=memory",
        ] {
            let url = DatabaseUrl::parse(raw).unwrap();
            let refused = Db::open(&url, 2, Duration::from_secs(1));
            assert!(
                matches!(&refused, Err(StoreError::Io(m)) if m.contains("en mémoire")),
                "{raw}"
            );
        }
        assert!(
            !DatabaseUrl::parse("sqlite://data/x.db")
                .unwrap()
                .in_memory()
        );
    }

    #[test]
    fn schemes_are_recognised() {
        assert_eq!(
            DatabaseUrl::parse("sqlite://data/x.db").unwrap().backend,
            Backend::Sqlite
        );
        assert_eq!(
            DatabaseUrl::parse("postgres://u@h/db").unwrap().backend,
            Backend::Postgres
        );
        assert_eq!(
            DatabaseUrl::parse("postgresql://u@h/db").unwrap().backend,
            Backend::Postgres
        );
        let err = DatabaseUrl::parse("mysql://u@h/db")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("« mysql »") && err.contains("sqlite://") && err.contains("postgres://"),
            "{err}"
        );
    }

    /// The queries with a fixed SQL fragment (`prepared::fixed`) are kept prepared, as
    /// the query builder's are: with `dsl::sql` they were compiled again at each run.
    #[test]
    fn queries_with_fixed_fragments_are_kept_prepared() {
        let url = DatabaseUrl::parse("sqlite://:memory:").unwrap();
        let mut conn = establish(&url, Duration::from_secs(1)).unwrap();
        migrate(&mut conn).unwrap();
        let cached = Arc::new(parking_lot::Mutex::new(Vec::<String>::new()));
        let sink = cached.clone();
        conn.set_instrumentation(move |event: diesel::connection::InstrumentationEvent<'_>| {
            if let diesel::connection::InstrumentationEvent::CacheQuery { sql, .. } = event {
                sink.lock().push(sql.to_owned());
            }
        });
        responses::answers_of(&mut conn, 1, &Default::default()).unwrap();
        responses::write_context(&mut conn, 1, 1, 1, responses::ClearedProbe::Question(1)).unwrap();
        let cached = cached.lock();
        for fragment in ["u.display_name", "a.value IS NULL"] {
            assert!(
                cached.iter().any(|sql| sql.contains(fragment)),
                "no prepared statement with {fragment}: {cached:?}"
            );
        }
    }

    /// `.cargo/config.toml` builds SQLite with its planner stability guarantee: without
    /// it every query behind a `.first()` is compiled again at each run.
    #[test]
    fn sqlite_keeps_its_statements_prepared() {
        #[derive(QueryableByName)]
        struct CompileOption {
            #[diesel(sql_type = diesel::sql_types::Text)]
            compile_options: String,
        }
        let url = DatabaseUrl::parse("sqlite://:memory:").unwrap();
        let mut conn = establish(&url, Duration::from_secs(1)).unwrap();
        let options: Vec<CompileOption> = diesel::sql_query("PRAGMA compile_options")
            .load(&mut conn)
            .unwrap();
        assert!(
            options.iter().any(|o| o.compile_options == "ENABLE_QPSG"),
            "{:?}",
            options
                .iter()
                .map(|o| &o.compile_options)
                .collect::<Vec<_>>()
        );
    }

    #[test]
    fn passwords_are_hidden() {
        assert_eq!(
            redact_password("postgres://u:secret@h:5432/db"),
            "postgres://u:***@h:5432/db"
        );
        assert_eq!(redact_password("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(redact_password("postgres://h/db"), "postgres://h/db");
        assert_eq!(
            redact_password("postgresql://u:p%40ss:w@h/db?sslmode=require"),
            "postgresql://u:***@h/db?sslmode=require"
        );
        let unreadable = redact_password("postgres://u:secret@[::1");
        assert!(!unreadable.contains("secret"), "{unreadable}");
    }
}
