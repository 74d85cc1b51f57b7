use std::collections::BTreeSet;

use crate::helpers::repo_path;

fn versions(backend: &str) -> BTreeSet<String> {
    std::fs::read_dir(repo_path(&format!("migrations/{backend}")))
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.path().is_dir())
        .map(|e| {
            for file in ["up.sql", "down.sql"] {
                assert!(
                    e.path().join(file).is_file(),
                    "{} lacks {file}",
                    e.path().display()
                );
            }
            e.file_name().into_string().unwrap()
        })
        .collect()
}

/// Both backends must move through the same schema versions.
#[test]
fn both_backends_have_the_same_migration_versions() {
    let sqlite = versions("sqlite");
    let postgres = versions("postgres");
    assert!(!sqlite.is_empty());
    assert_eq!(sqlite, postgres);
}

/// Every pooled SQLite connection has WAL, a busy timeout and foreign keys on.
#[tokio::test]
async fn sqlite_connections_are_configured() {
    use diesel::prelude::*;
    use diesel::sql_types::{BigInt, Text};

    #[derive(QueryableByName)]
    struct Mode {
        #[diesel(sql_type = Text)]
        journal_mode: String,
    }
    #[derive(QueryableByName)]
    struct Flag {
        #[diesel(sql_type = BigInt)]
        foreign_keys: i64,
    }
    #[derive(QueryableByName)]
    struct Timeout {
        #[diesel(sql_type = BigInt)]
        timeout: i64,
    }

    let app = crate::helpers::spawn_app(crate::helpers::Backend::Sqlite)
        .await
        .unwrap();
    let (mode, keys, timeout) = app
        .with_db(|conn| {
            let mode: Mode = diesel::sql_query("PRAGMA journal_mode")
                .get_result(conn)
                .unwrap();
            let keys: Flag = diesel::sql_query("PRAGMA foreign_keys")
                .get_result(conn)
                .unwrap();
            let timeout: Timeout = diesel::sql_query("PRAGMA busy_timeout")
                .get_result(conn)
                .unwrap();
            (mode.journal_mode, keys.foreign_keys, timeout.timeout)
        })
        .await;
    assert_eq!(mode, "wal");
    assert_eq!(keys, 1);
    assert!(timeout >= 1000, "{timeout}");
}

/// On PostgreSQL built with lz4 (Debian's is), the emails' bodies are compressed with it
/// (migration 000013): pglz was the first of PostgreSQL's own costs when receipts are
/// queued. A receipt still goes out whole (tests/api/responses.rs).
#[tokio::test]
async fn outbox_bodies_are_compressed_with_lz4_where_postgresql_has_it() {
    use diesel::prelude::*;
    use diesel::sql_types::{Bool, Text};

    #[derive(QueryableByName)]
    struct Has {
        #[diesel(sql_type = Bool)]
        lz4: bool,
    }
    #[derive(QueryableByName)]
    struct Column {
        #[diesel(sql_type = Text)]
        method: String,
    }

    let Some(app) = crate::helpers::spawn_app(crate::helpers::Backend::Postgres).await else {
        return;
    };
    let (has, methods) = app
        .with_db(|conn| {
            let has: Has = diesel::sql_query(
                "SELECT EXISTS (SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' \
                 AND 'lz4' = ANY (enumvals)) AS lz4",
            )
            .get_result(conn)
            .unwrap();
            let methods: Vec<Column> = diesel::sql_query(
                "SELECT attcompression::text AS method FROM pg_attribute \
                 WHERE attrelid = 'outbox'::regclass AND attname IN ('body_text', 'body_html')",
            )
            .load(conn)
            .unwrap();
            (has.lz4, methods)
        })
        .await;
    let methods: Vec<&str> = methods.iter().map(|m| m.method.as_str()).collect();
    let expected = if has { ["l", "l"] } else { ["", ""] };
    assert_eq!(methods, expected);
}

/// Every migration goes up, all come down, and all go up again, on both backends: a
/// release can be rolled back, and a `down.sql` that no longer matches its `up.sql`
/// fails here rather than in an incident. (On empty tables: the data a `down` may refuse
/// is a separate question, issue 18.)
#[test]
fn migrations_go_up_down_and_up_again_on_both_backends() {
    use diesel::Connection;
    use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};
    const SQLITE: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
    const POSTGRES: EmbeddedMigrations = embed_migrations!("migrations/postgres");

    let sqlite_db = crate::helpers::TestDb::fresh(crate::helpers::Backend::Sqlite).unwrap();
    let path = sqlite_db.url.trim_start_matches("sqlite://").to_owned();
    let mut sqlite = diesel::SqliteConnection::establish(&path).unwrap();
    let up = sqlite.run_pending_migrations(SQLITE).unwrap().len();
    assert!(up >= 17, "{up}");
    let down = sqlite.revert_all_migrations(SQLITE).unwrap().len();
    assert_eq!(down, up, "sqlite: every migration comes down");
    assert_eq!(sqlite.run_pending_migrations(SQLITE).unwrap().len(), up);

    if let Some(pg_db) = crate::helpers::TestDb::fresh(crate::helpers::Backend::Postgres) {
        let mut pg = diesel::PgConnection::establish(&pg_db.url).unwrap();
        let up = pg.run_pending_migrations(POSTGRES).unwrap().len();
        let down = pg
            .revert_all_migrations(POSTGRES)
            .unwrap_or_else(|e| panic!("postgres down: {e}"))
            .len();
        assert_eq!(down, up, "postgres: every migration comes down");
        assert_eq!(pg.run_pending_migrations(POSTGRES).unwrap().len(), up);
    }
}
