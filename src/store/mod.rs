//! The only module that speaks diesel. One code path for SQLite and PostgreSQL: the
//! connection type is an enum over both, chosen from the database URL's scheme.

pub mod api_tokens;
pub mod attachments;
pub mod audit;
pub mod backup;
pub mod campaigns;
pub mod codes;
pub mod copy;
pub mod email_tokens;
pub mod exports;
pub mod fts_rank;
pub mod models;
pub mod my_data;
pub mod organisations;
pub mod outbox;
pub mod prepared;
pub mod recovery_codes;
pub mod redactions;
pub mod responses;
pub mod retention;
pub mod round_cache;
pub mod rounds;
pub mod schema;
pub mod search;
pub mod session_cache;
pub mod sessions;
pub mod settings;
pub mod sql;
pub mod synthesis;
pub mod themes;
pub mod users;
pub mod watch;
pub mod write_rules;

use diesel::prelude::*;
use diesel::r2d2::{ConnectionManager, Pool, PooledConnection};

mod connect;
mod db;

pub use connect::{DatabaseUrl, establish, migrate, pending_migrations};
pub use db::{
    Db, DbError, PoolUse, PoolWaits, answers_transaction, note_if_lost, write_transaction,
};

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

/// Whether one statement can make a whole answer write on its own, holding what it must
/// (PostgreSQL, with its data-modifying `WITH` and `concerto_round_open_held`); on SQLite
/// a write takes several statements inside a write transaction.
pub fn one_statement_writes(conn: &DbConnection) -> bool {
    matches!(conn, DbConnection::Postgres(_))
}

/// Whether the database answers a trivial query.
pub fn ping(conn: &mut DbConnection) -> QueryResult<()> {
    diesel::sql_query("SELECT 1").execute(conn).map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::time::Duration;

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
}
