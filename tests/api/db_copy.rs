//! `concerto db copy`: an installation moved from SQLite to PostgreSQL (and back), whole
//! and exact, or refused with nothing written.

use std::process::{Command, Output};
use std::time::Duration;

use concerto::store::copy::{self, TABLES};
use concerto::store::{DatabaseUrl, establish};
use diesel::prelude::*;
use serde_json::json;

use crate::fixtures::send;
use crate::helpers::{Backend, TestDb, postgres_admin_url, repo_path, spawn_app};
use crate::load_smoke::bench;

fn concerto(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_concerto"))
        .args(args)
        .env_clear()
        .env("CONCERTO_CONFIG_DIR", repo_path("config"))
        .env("CONCERTO_ENV", "test")
        .output()
        .expect("concerto runs")
}

fn said(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// Rows per table.
fn counts(url: &str) -> Vec<(&'static str, i64)> {
    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let mut conn = establish(&DatabaseUrl::parse(url).unwrap(), Duration::from_secs(5)).unwrap();
    TABLES
        .iter()
        .map(|table| {
            let n = diesel::sql_query(format!("SELECT COUNT(*) AS n FROM {table}"))
                .get_result::<Count>(&mut conn)
                .unwrap()
                .n;
            (*table, n)
        })
        .collect()
}

/// (theme, its parent) for every theme that has one.
fn parents(url: &str) -> Vec<(i64, i64)> {
    #[derive(QueryableByName)]
    struct Parent {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        id: i64,
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        parent_id: i64,
    }
    let mut conn = establish(&DatabaseUrl::parse(url).unwrap(), Duration::from_secs(5)).unwrap();
    diesel::sql_query("SELECT id, parent_id FROM themes WHERE parent_id IS NOT NULL ORDER BY id")
        .load::<Parent>(&mut conn)
        .unwrap()
        .into_iter()
        .map(|p| (p.id, p.parent_id))
        .collect()
}

/// The round's export, as the service gives it on that database (drafts included).
fn export(url: &str) -> String {
    let exported = Command::new(env!("CARGO_BIN_EXE_concerto"))
        .args(["export", "--round", "essai", "--include", "all"])
        .env_clear()
        .env("CONCERTO_CONFIG_DIR", repo_path("config"))
        .env("CONCERTO_ENV", "test")
        .env("CONCERTO_DATABASE_URL", url)
        .output()
        .unwrap();
    assert!(exported.status.success(), "{}", said(&exported));
    String::from_utf8(exported.stdout).unwrap()
}

/// The demo installation, with a round answered and submitted, moves to PostgreSQL and
/// back: every table's rows, and the exports the same to the byte on all three.
#[tokio::test]
async fn an_installation_moves_to_postgresql_and_back() {
    let Some(pg) = TestDb::fresh(Backend::Postgres) else {
        return;
    };
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    app.seed_demo().await;
    let s = crate::responses::setup(&app, chrono::Duration::days(30)).await;
    let answer = |code: &str| format!("/api/v1/rounds/essai/responses/{}/answers/{code}", s.org);
    for (code, value) in [
        ("E1.Q1", "Oui, clairement."),
        ("E1.Q2", "Un récit « long » ;\nsur deux lignes."),
    ] {
        let saved = send(
            &app,
            &s.editor,
            "PUT",
            &answer(code),
            Some(json!({"value": value})),
        )
        .await;
        assert_eq!(saved.status(), 200);
    }
    let submit = format!("/api/v1/rounds/essai/responses/{}/submit", s.org);
    let submitted = send(
        &app,
        &s.owner,
        "POST",
        &submit,
        Some(json!({"publication_consent": "anonymous"})),
    )
    .await;
    assert_eq!(submitted.status(), 200);
    // A theme whose parent was made after it, more than a copy's batch later: the copy
    // writes rows in the order of their ids, 2,000 at a time.
    let made = send(
        &app,
        &s.coordinator,
        "POST",
        "/api/v1/rounds/essai/themes",
        Some(json!({"name": "Accès"})),
    )
    .await;
    assert_eq!(made.status(), 201);
    let first = made.json::<serde_json::Value>().await.unwrap()["id"].clone();
    app.with_db(|conn| {
        diesel::sql_query(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000) \
             INSERT INTO themes (round_id, name, description, colour, keywords, created_at) \
             SELECT round_id, 'Thème ' || i, '', colour, '', created_at FROM themes, n",
        )
        .execute(conn)
        .unwrap();
    })
    .await;
    let last = first.as_i64().unwrap() + 2000;
    let parented = send(
        &app,
        &s.coordinator,
        "PUT",
        &format!("/api/v1/rounds/essai/themes/{first}"),
        Some(json!({"name": "Accès", "parent": last})),
    )
    .await;
    assert_eq!(parented.status(), 200);
    app.background.stop();
    let sqlite = app.db.url.clone();
    assert_eq!(parents(&sqlite), vec![(first.as_i64().unwrap(), last)]);
    let before = export(&sqlite);

    let moved = concerto(&["db", "copy", "--from", &sqlite, "--to", &pg.url]);
    let output = said(&moved);
    assert!(moved.status.success(), "{output}");
    assert!(output.contains("Copie terminée en"), "{output}");
    assert!(
        output.contains("comparées une à une : 2, sans écart"),
        "{output}"
    );
    assert_eq!(counts(&pg.url), counts(&sqlite));
    assert_eq!(parents(&pg.url), parents(&sqlite));
    // The identities go on after the copied rows.
    let mut conn = establish(
        &DatabaseUrl::parse(&pg.url).unwrap(),
        Duration::from_secs(5),
    )
    .unwrap();
    #[derive(QueryableByName)]
    struct Next {
        #[diesel(sql_type = diesel::sql_types::Bool)]
        after: bool,
    }
    for table in [
        "users",
        "answers",
        "answer_history",
        "outbox",
        "audit_events",
    ] {
        let next: Next = diesel::sql_query(format!(
            "SELECT nextval(pg_get_serial_sequence('{table}', 'id')) > MAX(id) AS after FROM {table}"
        ))
        .get_result(&mut conn)
        .unwrap();
        assert!(next.after, "{table}: the next id follows the copied ones");
    }

    // Into a database that is not empty: refused, in one line, and nothing changes.
    let again = concerto(&["db", "copy", "--from", &sqlite, "--to", &pg.url]);
    assert!(!again.status.success());
    let refusal = said(&again);
    assert!(refusal.contains("n'est pas vide"), "{refusal}");
    assert_eq!(refusal.trim().lines().count(), 1, "{refusal}");
    assert_eq!(counts(&pg.url), counts(&sqlite));
    // (Each export is audited: one event more where it runs.)
    assert_eq!(export(&pg.url), before, "the same export from PostgreSQL");

    // And back to a new SQLite file: the same again.
    let dir = tempfile::tempdir().unwrap();
    let back = format!("sqlite://{}", dir.path().join("retour.db").display());
    let returned = concerto(&["db", "copy", "--from", &pg.url, "--to", &back]);
    assert!(returned.status.success(), "{}", said(&returned));
    assert_eq!(counts(&back), counts(&pg.url));
    assert_eq!(parents(&back), parents(&sqlite));
    assert_eq!(
        export(&back),
        before,
        "the same export from the copy's copy"
    );
    // Timestamps keep SQLite's form (a space, as diesel writes them), so that they
    // compare as text with the ones written later.
    let mut conn = establish(&DatabaseUrl::parse(&back).unwrap(), Duration::from_secs(5)).unwrap();
    #[derive(QueryableByName)]
    struct Stamp {
        #[diesel(sql_type = diesel::sql_types::Text)]
        at: String,
    }
    let stamp: Stamp =
        diesel::sql_query("SELECT CAST(created_at AS TEXT) AS at FROM users LIMIT 1")
            .get_result(&mut conn)
            .unwrap();
    assert_eq!(stamp.at.as_bytes()[10], b' ', "{}", stamp.at);

    // Bad requests: the same base twice, an unknown scheme; one line each.
    let same = concerto(&["db", "copy", "--from", &sqlite, "--to", &sqlite]);
    assert!(
        !same.status.success() && said(&same).contains("même base"),
        "{}",
        said(&same)
    );
    let scheme = concerto(&["db", "copy", "--from", "mysql://x/y", "--to", &back]);
    assert!(
        !scheme.status.success() && said(&scheme).contains("non pris en charge"),
        "{}",
        said(&scheme)
    );
}

/// A benchmark-sized round (2,000 organisations, 80,000 answers) moves whole, and says
/// how long it took.
#[tokio::test]
async fn a_benchmark_sized_round_moves_whole() {
    let Some(pg) = TestDb::fresh(Backend::Postgres) else {
        return;
    };
    let (source, server, _, answers) = bench::prepare(
        bench::Backend::Sqlite,
        2_000,
        bench::Status::Submitted,
        &postgres_admin_url(),
    )
    .await;
    drop(server);
    let (from, to) = (
        DatabaseUrl::parse(&source.url).unwrap(),
        DatabaseUrl::parse(&pg.url).unwrap(),
    );
    let mut steps = 0;
    let copied = copy::copy(&from, &to, Duration::from_secs(5), &mut |_| steps += 1).unwrap();
    assert_eq!(copied.answers, answers as i64);
    assert_eq!(copied.tables, counts(&source.url));
    assert_eq!(counts(&pg.url), counts(&source.url));
    assert!(steps > 40, "progress was told: {steps}");
    eprintln!(
        "copied {} rows ({} answers) in {:.1} s",
        copied.rows(),
        copied.answers,
        copied.took.as_secs_f64()
    );
}

/// `TABLES` names every table the migrations make, parents before children: a table
/// added later and forgotten there would be left behind by a copy.
#[tokio::test]
async fn the_copy_knows_every_table_in_the_order_of_their_keys() {
    #[derive(QueryableByName)]
    struct Link {
        #[diesel(sql_type = diesel::sql_types::Text)]
        child: String,
        #[diesel(sql_type = diesel::sql_types::Text)]
        parent: String,
    }
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let Some(db) = TestDb::fresh(backend) else {
            continue;
        };
        let url = DatabaseUrl::parse(&db.url).unwrap();
        let mut conn = establish(&url, Duration::from_secs(5)).unwrap();
        concerto::store::migrate(&mut conn).unwrap();
        let (tables, links) = match backend {
            Backend::Sqlite => (
                "SELECT name AS child, '' AS parent FROM sqlite_master WHERE type = 'table' \
                 AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__diesel%' \
                 AND name NOT LIKE 'answer_search%' AND name NOT LIKE 'document_search%'",
                "SELECT m.name AS child, f.\"table\" AS parent FROM sqlite_master m, \
                 pragma_foreign_key_list(m.name) f WHERE m.type = 'table'",
            ),
            Backend::Postgres => (
                "SELECT table_name::text AS child, '' AS parent FROM information_schema.tables \
                 WHERE table_schema = current_schema() AND table_name NOT LIKE '__diesel%'",
                "SELECT c.conrelid::regclass::text AS child, c.confrelid::regclass::text AS parent \
                 FROM pg_constraint c WHERE c.contype = 'f'",
            ),
        };
        let mut live: Vec<String> = diesel::sql_query(tables)
            .load::<Link>(&mut conn)
            .unwrap()
            .into_iter()
            .map(|l| l.child)
            .collect();
        live.sort();
        let mut known: Vec<&str> = TABLES.to_vec();
        known.sort();
        assert_eq!(live, known, "{backend:?}");
        let position = |t: &str| TABLES.iter().position(|k| *k == t).unwrap();
        let links = diesel::sql_query(links).load::<Link>(&mut conn).unwrap();
        assert!(!links.is_empty());
        // A table naming its own rows is copied in two steps (`SELF_REFERENCES`).
        let mut own: Vec<&str> = links
            .iter()
            .filter(|l| l.child == l.parent)
            .map(|l| l.child.as_str())
            .collect();
        own.sort_unstable();
        own.dedup();
        let listed: Vec<&str> = copy::SELF_REFERENCES.iter().map(|(t, _)| *t).collect();
        assert_eq!(own, listed, "{backend:?}: self-references");
        for link in links.iter().filter(|l| l.child != l.parent) {
            assert!(
                position(&link.parent) < position(&link.child),
                "{backend:?}: {} refers to {}, copied after it",
                link.child,
                link.parent
            );
        }
    }
}
