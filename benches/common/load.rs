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

impl WrkRun {
    /// One of the script's counts (0 without them).
    pub fn count(&self, name: &str) -> f64 {
        self.counts
            .as_ref()
            .and_then(|c| c[name].as_f64())
            .unwrap_or(0.0)
    }

    /// A count per second of the measured time.
    pub fn per_second(&self, name: &str) -> f64 {
        let seconds = self.count("seconds");
        if seconds > 0.0 {
            self.count(name) / seconds
        } else {
            0.0
        }
    }

    /// Why the script's first refusals were refused (empty without any).
    pub fn why(&self) -> String {
        self.counts
            .as_ref()
            .map(|c| c["why"].to_string())
            .unwrap_or_default()
    }
}

pub fn bench_dir() -> PathBuf {
    super::repo_root().join("benches/load")
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
    let mut conn = super::connect(url);
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
    let mut conn = super::connect(url);
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

/// Starts a measurement from a quiet machine and storage: the emails queued by earlier
/// runs sent (the receipts of submissions: the server's outbox sent them while the next
/// measurement ran, pgbench's included), PostgreSQL's dead row versions vacuumed and its
/// statistics brought up to date, then its dirty pages written out (`CHECKPOINT`, as
/// pgbench's documentation advises between runs) and SQLite's log folded back into the
/// database, so that no run pays for the work of the one before.
///
/// The vacuum: this machine's PostgreSQL runs without autovacuum, so every run left the
/// next one all its dead versions (autosave and the rush leave hundreds of thousands):
/// a run's figures then hung on the runs before it. In service autovacuum does that work
/// between bursts; pgbench too vacuums its tables before a run unless told not to (`-n`,
/// needed here for tables of its own).
pub fn checkpoint(database_url: &str) {
    let mut conn = super::connect(database_url);
    #[derive(diesel::QueryableByName)]
    struct Unsent {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        unsent: i64,
    }
    let waiting_since = std::time::Instant::now();
    loop {
        let left =
            diesel::sql_query("SELECT COUNT(*) AS unsent FROM outbox WHERE state = 'pending'")
                .get_result::<Unsent>(&mut conn)
                .unwrap()
                .unsent;
        if left == 0 {
            break;
        }
        if waiting_since.elapsed() > Duration::from_secs(120) {
            eprintln!("  ({left} emails still unsent after two minutes: measuring anyway)");
            break;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    let statements: &[&str] = match conn {
        concerto::store::DbConnection::Postgres(_) => &["VACUUM (ANALYZE)", "CHECKPOINT"],
        concerto::store::DbConnection::Sqlite(_) => &["PRAGMA wal_checkpoint(TRUNCATE)"],
    };
    for sql in statements {
        diesel::sql_query(*sql).execute(&mut conn).unwrap();
    }
}

/// Puts back in draft every response a run left submitted (a whole-response cycle cut by
/// the end of the warm-up), so that the next run starts from drafts only.
fn reopen_all(database_url: &str) {
    let mut conn = super::connect(database_url);
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
    checkpoint(database_url);
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

/// A members' script that saves answers (`autosave.lua`, `rush.lua`), run then checked:
/// every save the server acknowledged must be in the database.
pub fn saving(
    script: &str,
    base: &str,
    database_url: &str,
    members: &[Member],
    warm_up: Duration,
    measured: Duration,
    load: Load,
) -> Autosave {
    // What earlier scenarios and baselines wrote is not this run's.
    let before = writes_in_database(database_url);
    let (warm, measured) = scripted(base, script, database_url, members, warm_up, measured, load);
    let count = |name: &str| -> i64 { (warm.count(name) + measured.count(name)) as i64 };
    let (acknowledged, refused) = (count("saved"), count("refused"));
    // Writes in flight when wrk stops are done but never acknowledged (at most one per
    // connection per run), so the database may hold a few more than acknowledged; fewer
    // would be lost writes.
    let in_database = writes_in_database(database_url) - before;
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

/// Latencies of the requests a side task sent, and its failures.
#[derive(Default)]
pub struct Timings {
    pub millis: Vec<f64>,
    /// "status body" of each refused request, or the transport error.
    pub failures: Vec<String>,
}

impl Timings {
    /// The `p`-th percentile (nearest rank), NaN without requests.
    pub fn percentile(&self, p: f64) -> f64 {
        let mut sorted = self.millis.clone();
        sorted.sort_by(f64::total_cmp);
        if sorted.is_empty() {
            return f64::NAN;
        }
        let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
        sorted[rank.clamp(1, sorted.len()) - 1]
    }

    async fn record(
        timings: &std::sync::Mutex<Timings>,
        started: std::time::Instant,
        sent: reqwest::Result<reqwest::Response>,
    ) {
        let outcome = match sent {
            Ok(response) => {
                let status = response.status();
                // The whole body, so that the time is the dashboard's, not its headers'.
                match response.text().await {
                    Ok(_) if status.is_success() => Ok(()),
                    Ok(body) => Err(format!(
                        "{status} {}",
                        body.chars().take(300).collect::<String>()
                    )),
                    Err(e) => Err(e.to_string()),
                }
            }
            Err(e) => Err(e.to_string()),
        };
        let elapsed = started.elapsed().as_secs_f64() * 1000.0;
        let mut timings = timings.lock().unwrap();
        match outcome {
            Ok(()) => timings.millis.push(elapsed),
            Err(why) => timings.failures.push(why),
        }
    }
}

/// The deadline-day rush: members autosave and submit (`benches/load/rush.lua`) while
/// `sign_ins_per_second` members sign in (each from an address of its own, through the
/// trusted loopback proxy, as behind the production reverse proxy) and the coordinator
/// reloads the progress dashboard every second. Sign-ins use the members from the end of
/// the list; their new sessions do not end the ones wrk uses.
pub struct Rush {
    pub saves: Autosave,
    pub sign_ins: Timings,
    pub dashboard: Timings,
}

#[allow(clippy::too_many_arguments)]
pub async fn rush(
    base: &str,
    database_url: &str,
    members: &[Member],
    coordinator_cookie: &str,
    sign_ins_per_second: u32,
    warm_up: Duration,
    measured: Duration,
    load: Load,
) -> Rush {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::{Arc, Mutex};
    let stop = Arc::new(AtomicBool::new(false));
    let http = reqwest::Client::new();
    let sign_ins = Arc::new(Mutex::new(Timings::default()));
    let signing = {
        let (stop, http, timings, base) = (
            stop.clone(),
            http.clone(),
            sign_ins.clone(),
            base.to_owned(),
        );
        let emails: Vec<String> = members.iter().rev().map(|m| m.email.clone()).collect();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(1) / sign_ins_per_second);
            let mut running = tokio::task::JoinSet::new();
            for (n, email) in emails.into_iter().cycle().enumerate() {
                tick.tick().await;
                if stop.load(Ordering::Relaxed) {
                    break;
                }
                let (http, timings, base) = (http.clone(), timings.clone(), base.clone());
                // Not awaited here: a slow sign-in must not lower the rate.
                running.spawn(async move {
                    let started = std::time::Instant::now();
                    let sent = http
                        .post(format!("{base}/api/v1/auth/login"))
                        .header("x-forwarded-for", format!("10.{}.{}.{}", n / 65536 % 256, n / 256 % 256, n % 256))
                        .json(&serde_json::json!({"email": email, "password": super::MEMBER_PASSWORD}))
                        .send()
                        .await;
                    Timings::record(&timings, started, sent).await;
                });
            }
            while running.join_next().await.is_some() {}
        })
    };
    let dashboard_timings = Arc::new(Mutex::new(Timings::default()));
    let polling = {
        let (stop, http, timings) = (stop.clone(), http.clone(), dashboard_timings.clone());
        let url = format!("{base}/api/v1/rounds/{}/progress", super::SLUG);
        let cookie = coordinator_cookie.to_owned();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(1));
            while !stop.load(Ordering::Relaxed) {
                tick.tick().await;
                let started = std::time::Instant::now();
                let sent = http.get(&url).header("cookie", &cookie).send().await;
                Timings::record(&timings, started, sent).await;
            }
        })
    };
    let saves = {
        let (base, url, members) = (base.to_owned(), database_url.to_owned(), members.to_vec());
        tokio::task::spawn_blocking(move || {
            saving("rush.lua", &base, &url, &members, warm_up, measured, load)
        })
        .await
        .unwrap()
    };
    stop.store(true, Ordering::Relaxed);
    signing.await.unwrap();
    polling.await.unwrap();
    let take = |t: Arc<Mutex<Timings>>| std::mem::take(&mut *t.lock().unwrap());
    Rush {
        saves,
        sign_ins: take(sign_ins),
        dashboard: take(dashboard_timings),
    }
}
