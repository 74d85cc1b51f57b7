//! Driving the server with wrk: runs, their parsing, and the autosave scenario with its
//! check that every acknowledged write is in the database. Used by the load benchmark
//! and by the smoke run in the test suite.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use diesel::RunQueryDsl;
use serde_json::Value;

use super::{Member, run};

/// How hard wrk pushes: connections, and the threads sharing them.
#[derive(Clone, Copy)]
pub struct Load {
    pub connections: usize,
    pub threads: usize,
}

/// What one wrk run said.
pub struct WrkRun {
    pub raw: String,
    pub requests_per_second: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    /// Acknowledged and refused writes, socket errors (scripted scenarios only).
    pub counts: Option<Value>,
}

pub fn bench_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/load")
}

/// `1.23ms`, `850.00us`, `2.01s` → milliseconds.
fn millis(text: &str) -> Option<f64> {
    let split = text.find(|c: char| c.is_ascii_alphabetic())?;
    let (number, unit) = text.split_at(split);
    let number: f64 = number.parse().ok()?;
    Some(match unit {
        "us" => number / 1000.0,
        "ms" => number,
        "s" => number * 1000.0,
        "m" => number * 60_000.0,
        _ => return None,
    })
}

pub fn wrk(
    url: &str,
    script: Option<&str>,
    seconds: Duration,
    load: Load,
    env: &[(&str, String)],
) -> WrkRun {
    let mut command = Command::new("wrk");
    command.args([
        "-t",
        &load.threads.to_string(),
        "-c",
        &load.connections.to_string(),
        "-d",
        &format!("{}s", seconds.as_secs().max(1)),
        "--latency",
        "--timeout",
        "10s",
    ]);
    if let Some(script) = script {
        command.args(["-s", bench_dir().join(script).to_str().unwrap()]);
    }
    command.arg(url);
    command.env("CONCERTO_BENCH_THREADS", load.threads.to_string());
    for (k, v) in env {
        command.env(k, v);
    }
    let raw = run(&mut command);
    let line_value = |prefix: &str| {
        raw.lines()
            .map(str::trim)
            .find(|l| l.starts_with(prefix))
            .and_then(|l| l.split_whitespace().nth(1).map(str::to_owned))
    };
    let counts: Option<Value> = raw
        .lines()
        .find_map(|l| l.strip_prefix("CONCERTO "))
        .and_then(|json| serde_json::from_str(json).ok());
    WrkRun {
        requests_per_second: line_value("Requests/sec:")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0.0),
        p50_ms: line_value("50%")
            .and_then(|v| millis(&v))
            .unwrap_or(f64::NAN),
        p99_ms: line_value("99%")
            .and_then(|v| millis(&v))
            .unwrap_or(f64::NAN),
        counts,
        raw,
    }
}

#[derive(diesel::QueryableByName)]
struct Sum {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

/// Versions written beyond the seeded ones: each acknowledged write added exactly one.
pub fn writes_in_database(url: &str) -> i64 {
    let url = concerto::store::DatabaseUrl::parse(url).unwrap();
    let mut conn = concerto::store::establish(&url, Duration::from_secs(5)).unwrap();
    diesel::sql_query("SELECT CAST(COALESCE(SUM(version - 1), 0) AS BIGINT) AS n FROM answers")
        .get_result::<Sum>(&mut conn)
        .unwrap()
        .n
}

/// Writes "organisation code version" for every stored answer, for the Lua scripts.
pub fn write_versions(url: &str, path: &Path) {
    #[derive(diesel::QueryableByName)]
    struct Stored {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        organisation: i64,
        #[diesel(sql_type = diesel::sql_types::Text)]
        code: String,
        #[diesel(sql_type = diesel::sql_types::Integer)]
        version: i32,
    }
    let url = concerto::store::DatabaseUrl::parse(url).unwrap();
    let mut conn = concerto::store::establish(&url, Duration::from_secs(5)).unwrap();
    let rows = diesel::sql_query(
        "SELECT r.organisation_id AS organisation, q.code AS code, a.version AS version \
         FROM answers a JOIN responses r ON r.id = a.response_id JOIN questions q ON q.id = a.question_id",
    )
    .load::<Stored>(&mut conn)
    .unwrap();
    let text: String = rows
        .iter()
        .map(|r| format!("{} {} {}\n", r.organisation, r.code, r.version))
        .collect();
    std::fs::write(path, text).unwrap();
}

/// Long enough for the writes in flight when wrk stops (at most one per connection) to
/// be done.
const SETTLE: Duration = Duration::from_millis(1500);

/// Puts back in draft every response a run left submitted (a whole-response cycle cut by
/// the end of the warm-up), so that the next run starts from drafts only.
fn reopen_all(database_url: &str) {
    let url = concerto::store::DatabaseUrl::parse(database_url).unwrap();
    let mut conn = concerto::store::establish(&url, Duration::from_secs(5)).unwrap();
    diesel::sql_query(
        "UPDATE responses SET status = 'draft', submitted_at = NULL, submitted_by = NULL \
         WHERE status = 'submitted'",
    )
    .execute(&mut conn)
    .unwrap();
}

/// An autosave session: a warm-up, then the measured run, then the check.
pub struct Autosave {
    pub warm_up: WrkRun,
    pub run: WrkRun,
    /// Writes the server acknowledged (200), over both runs.
    pub acknowledged: i64,
    /// Writes refused (any other status), over both runs.
    pub refused: i64,
    /// Acknowledged writes missing from the database.
    pub lost: i64,
}

/// A warm-up then a measured run of a members' script (`benches/load/<script>`), with the
/// members and the stored versions handed to it through files.
pub fn scripted(
    base: &str,
    script: &str,
    database_url: &str,
    members: &[Member],
    warm_up: Duration,
    measured: Duration,
    load: Load,
) -> (WrkRun, WrkRun) {
    let list = tempfile::NamedTempFile::new().unwrap();
    let lines: String = members
        .iter()
        .map(|m| format!("{} {} {}\n", m.cookie, m.csrf, m.organisation))
        .collect();
    std::fs::write(list.path(), lines).unwrap();
    let versions = tempfile::NamedTempFile::new().unwrap();
    let mut env = vec![
        ("CONCERTO_BENCH_MEMBERS", list.path().display().to_string()),
        (
            "CONCERTO_BENCH_VERSIONS",
            versions.path().display().to_string(),
        ),
    ];
    write_versions(database_url, versions.path());
    let warm = wrk(base, Some(script), warm_up, load, &env);
    // Writes in flight when wrk stopped still land: let them, before reading the versions.
    std::thread::sleep(SETTLE);
    reopen_all(database_url);
    write_versions(database_url, versions.path());
    env.push(("CONCERTO_BENCH_PASS", "10".to_owned()));
    let measured = wrk(base, Some(script), measured, load, &env);
    std::thread::sleep(SETTLE);
    (warm, measured)
}

/// Members save answers for `warm_up` then `run` (see `benches/load/autosave.lua`).
pub fn autosave(
    base: &str,
    database_url: &str,
    members: &[Member],
    warm_up: Duration,
    measured: Duration,
    load: Load,
) -> Autosave {
    let (warm, measured) = scripted(
        base,
        "autosave.lua",
        database_url,
        members,
        warm_up,
        measured,
        load,
    );
    let count = |name: &str| -> i64 {
        [&warm, &measured]
            .iter()
            .map(|r| {
                r.counts
                    .as_ref()
                    .and_then(|c| c[name].as_i64())
                    .unwrap_or(0)
            })
            .sum()
    };
    let (acknowledged, refused) = (count("acknowledged"), count("refused"));
    // Writes in flight when wrk stops are done but never acknowledged (at most one per
    // connection per run), so the database may hold a few more than acknowledged; fewer
    // would be lost writes.
    let in_database = writes_in_database(database_url);
    assert!(
        in_database - acknowledged <= 2 * load.connections as i64,
        "{in_database} writes in the database for {acknowledged} acknowledged"
    );
    Autosave {
        warm_up: warm,
        run: measured,
        acknowledged,
        refused,
        lost: (acknowledged - in_database).max(0),
    }
}
