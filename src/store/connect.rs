//! How a connection is opened: the database URL (its backend, its password hidden in
//! messages), the pragmas and rules each SQLite connection gets, the connect timeout,
//! and the migrations.

use std::fmt;
use std::path::Path;
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::r2d2::CustomizeConnection;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use super::{Backend, DbConnection, QueryResult, StoreError, write_rules};

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// Every pooled SQLite connection gets these: WAL so readers never block the writer,
/// a busy timeout so concurrent writers queue instead of failing, and foreign keys
/// (off by default in SQLite). The file is read through a memory map (the first GiB):
/// every connection then reads the one copy in the system's page cache, where each
/// connection's own 2 MB cache made a search's random reads of the answers' rows into
/// as many `pread` calls (a search with a phrase: 14 ms → 7 ms).
const SQLITE_PRAGMAS: &str = "PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000; \
     PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA mmap_size = 1073741824;";

/// A parsed database URL: the backend, and what to hand to diesel.
#[derive(Clone)]
pub struct DatabaseUrl {
    pub backend: Backend,
    pub(super) connect: String,
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
pub(super) struct ConnectionSetup;

impl CustomizeConnection<DbConnection, diesel::r2d2::Error> for ConnectionSetup {
    fn on_acquire(&self, conn: &mut DbConnection) -> Result<(), diesel::r2d2::Error> {
        prepare(conn).map_err(diesel::r2d2::Error::QueryError)
    }
}

pub(super) fn prepare(conn: &mut DbConnection) -> QueryResult<()> {
    match conn {
        DbConnection::Sqlite(c) => {
            c.batch_execute(SQLITE_PRAGMAS)?;
            write_rules::register(c)
        }
        DbConnection::Postgres(c) => c.batch_execute("SET TIME ZONE 'UTC'"),
    }
}

/// One connection, with a clear error when the database cannot be reached.
pub fn establish(url: &DatabaseUrl, timeout: Duration) -> Result<DbConnection, StoreError> {
    // libpq initialises OpenSSL on first use with an exit-time cleanup, which can free
    // what still-running threads (the pool's, the mail worker's TLS) are using and abort
    // the process as it exits ("free(): invalid pointer"). Initialising it here first,
    // the way the openssl crate does (no atexit cleanup), keeps exits clean.
    openssl_sys::init();
    // Before the first SQLite connection: each then knows the search's rank function.
    super::fts_rank::install();
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

#[cfg(test)]
mod tests {
    use super::*;

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
