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
