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
/// fails here rather than in an incident. On PostgreSQL, with history rows that only its
/// triggers allow (an answer gone, an author gone): 000012's `down` settles them as the
/// foreign keys it puts back would have.
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
        use diesel::RunQueryDsl;
        let up = pg.run_pending_migrations(POSTGRES).unwrap().len();
        diesel::sql_query(
            "INSERT INTO answer_history (answer_id, value, version, changed_by, changed_at) \
             VALUES (999999, '\"sans réponse\"', 1, 888888, now())",
        )
        .execute(&mut pg)
        .unwrap();
        let down = pg
            .revert_all_migrations(POSTGRES)
            .unwrap_or_else(|e| panic!("postgres down: {e}"))
            .len();
        assert_eq!(down, up, "postgres: every migration comes down");
        assert_eq!(pg.run_pending_migrations(POSTGRES).unwrap().len(), up);
    }
}

/// (table → column → (diesel type without `Nullable`, nullable)) as `schema.rs` declares.
type Declared =
    std::collections::BTreeMap<String, std::collections::BTreeMap<String, (String, bool)>>;

fn declared_schema() -> Declared {
    let text = std::fs::read_to_string(repo_path("src/store/schema.rs")).unwrap();
    let mut tables = Declared::new();
    let mut current: Option<String> = None;
    for line in text.lines().map(str::trim) {
        if let Some((name, _)) = line.split_once(" (").filter(|_| line.ends_with('{')) {
            current = Some(name.to_owned());
            tables.insert(name.to_owned(), Default::default());
        } else if line == "}" {
            current = None;
        } else if let (Some(table), Some((column, ty))) = (&current, line.split_once(" -> ")) {
            let ty = ty.trim_end_matches(',');
            let (ty, nullable) = match ty.strip_prefix("Nullable<") {
                Some(inner) => (inner.trim_end_matches('>'), true),
                None => (ty, false),
            };
            tables
                .get_mut(table)
                .unwrap()
                .insert(column.to_owned(), (ty.to_owned(), nullable));
        }
    }
    tables
}

/// The live column types each diesel type may be, per backend.
fn accepts(backend: &str, declared: &str, live: &str) -> bool {
    let live = live.to_ascii_lowercase();
    match (backend, declared) {
        ("postgres", "BigInt") => live == "bigint",
        ("postgres", "Integer") => live == "integer",
        ("postgres", "Text") => live == "text",
        ("postgres", "Timestamp") => live == "timestamp without time zone",
        ("postgres", "Bool") => live == "boolean",
        ("sqlite", "BigInt" | "Integer") => matches!(live.as_str(), "integer" | "bigint"),
        ("sqlite", "Text") => live == "text",
        ("sqlite", "Timestamp") => matches!(live.as_str(), "timestamp" | "datetime"),
        ("sqlite", "Bool") => live == "boolean",
        _ => false,
    }
}

/// Differences between a live schema, (table, column, type, nullable), and `schema.rs`.
fn differences(backend: &str, live: Vec<(String, String, String, bool)>) -> Vec<String> {
    let declared = declared_schema();
    let mut found = Declared::new();
    for (table, column, ty, nullable) in live {
        if table.starts_with("__diesel") {
            continue;
        }
        found
            .entry(table)
            .or_default()
            .insert(column, (ty, nullable));
    }
    let mut differences = Vec::new();
    for (table, columns) in &declared {
        let Some(live) = found.get(table) else {
            differences.push(format!(
                "{backend}: table {table} declared, not in the database"
            ));
            continue;
        };
        for (column, (ty, nullable)) in columns {
            match live.get(column) {
                None => differences.push(format!(
                    "{backend}: {table}.{column} declared, not in the database"
                )),
                Some((live_ty, live_nullable)) => {
                    if !accepts(backend, ty, live_ty) {
                        differences.push(format!(
                            "{backend}: {table}.{column} is {live_ty}, declared {ty}"
                        ));
                    }
                    if live_nullable != nullable {
                        differences.push(format!(
                            "{backend}: {table}.{column} nullable {live_nullable} in the database, {nullable} declared"
                        ));
                    }
                }
            }
        }
        for column in live.keys().filter(|c| !columns.contains_key(*c)) {
            differences.push(format!(
                "{backend}: {table}.{column} in the database, not declared"
            ));
        }
    }
    for table in found.keys().filter(|t| !declared.contains_key(*t)) {
        differences.push(format!(
            "{backend}: table {table} in the database, not declared"
        ));
    }
    differences
}

/// After every migration, each backend's live schema is exactly what `schema.rs` declares
/// (tables, columns, types, nullability): the one schema the code is written against.
/// The search index is the databases' own and no code reads it as a column: PostgreSQL's
/// generated `answers.search`, SQLite's FTS5 `answer_search` and its shadow tables.
#[test]
fn live_schemas_are_what_schema_rs_declares() {
    use diesel::prelude::*;
    use diesel::sql_types::{BigInt, Text};
    use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};
    const SQLITE: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
    const POSTGRES: EmbeddedMigrations = embed_migrations!("migrations/postgres");

    assert!(
        declared_schema().len() >= 15,
        "{:?}",
        declared_schema().keys()
    );
    let sqlite_db = crate::helpers::TestDb::fresh(crate::helpers::Backend::Sqlite).unwrap();
    let path = sqlite_db.url.trim_start_matches("sqlite://").to_owned();
    let mut sqlite = diesel::SqliteConnection::establish(&path).unwrap();
    sqlite.run_pending_migrations(SQLITE).unwrap();
    #[derive(QueryableByName)]
    struct SqliteColumn {
        #[diesel(sql_type = Text)]
        table_name: String,
        #[diesel(sql_type = Text)]
        name: String,
        #[diesel(sql_type = Text)]
        #[diesel(column_name = "type")]
        ty: String,
        #[diesel(sql_type = BigInt)]
        notnull: i64,
        #[diesel(sql_type = BigInt)]
        pk: i64,
    }
    let live: Vec<SqliteColumn> = diesel::sql_query(
        "SELECT m.name AS table_name, p.name, p.type, p.\"notnull\", p.pk \
         FROM sqlite_master m, pragma_table_info(m.name) p \
         WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' \
         AND m.name NOT LIKE 'answer_search%' AND m.name NOT LIKE 'document_search%'",
    )
    .load(&mut sqlite)
    .unwrap();
    // (A primary key is never NULL, whatever SQLite's `notnull` says of it.)
    let live = live
        .into_iter()
        .map(|c| (c.table_name, c.name, c.ty, c.notnull == 0 && c.pk == 0))
        .collect();
    let mut all = differences("sqlite", live);

    if let Some(pg_db) = crate::helpers::TestDb::fresh(crate::helpers::Backend::Postgres) {
        let mut pg = diesel::PgConnection::establish(&pg_db.url).unwrap();
        pg.run_pending_migrations(POSTGRES).unwrap();
        #[derive(QueryableByName)]
        struct PgColumn {
            #[diesel(sql_type = Text)]
            table_name: String,
            #[diesel(sql_type = Text)]
            column_name: String,
            #[diesel(sql_type = Text)]
            data_type: String,
            #[diesel(sql_type = Text)]
            is_nullable: String,
        }
        let live: Vec<PgColumn> = diesel::sql_query(
            "SELECT table_name::text, column_name::text, data_type::text, is_nullable::text \
             FROM information_schema.columns WHERE table_schema = 'public' \
             AND is_generated = 'NEVER'",
        )
        .load(&mut pg)
        .unwrap();
        let live = live
            .into_iter()
            .map(|c| {
                (
                    c.table_name,
                    c.column_name,
                    c.data_type,
                    c.is_nullable == "YES",
                )
            })
            .collect();
        all.extend(differences("postgres", live));
    }
    assert!(
        all.is_empty(),
        "live schemas and schema.rs differ:\n{}",
        all.join("\n")
    );
}
