//! The load benchmark (not a test; `scripts/bench-load` runs it). On SQLite, then on
//! PostgreSQL: a fresh database with the export benchmark's round (4 chapters × 10
//! questions) opened, 2,000 approved organisations with a draft response and one signed-in
//! owner each; the release server as in production; then `wrk` drives each scenario
//! after a warm-up, and the baselines run in the same process on the same database:
//! `/healthz` (the framework's ceiling) and the storage's own rate for the same upsert
//! (`pgbench` on PostgreSQL; on SQLite the same statement through the application's pool
//! from as many threads). Results go to `docs/benchmarks.md`, raw outputs to
//! `docs/bench-load/`.
//!
//! Scenarios: autosave, the deadline-day rush (autosave, submissions, sign-ins and the
//! coordinator's dashboard at once), whole responses, reading. The smoke run in the test
//! suite is `tests/api/load_smoke.rs`.

mod common;

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use common::load::*;
use common::*;
use diesel::RunQueryDsl;

/// 64 connections on 2 wrk threads, as the issue asks.
const LOAD: Load = Load {
    connections: 64,
    threads: 2,
};
const CONNECTIONS: usize = LOAD.connections;
const WRK_THREADS: usize = LOAD.threads;

struct Settings {
    /// Whether to keep the raw outputs in docs/bench-load (not for dry runs).
    keep_raw: bool,
    organisations: usize,
    warm_up: Duration,
    run: Duration,
    /// `--whole-only N`: whole responses against pgbench only, N times, to compare two
    /// versions of the code (the machine's own speed varies by ±20 % between runs).
    whole_only: Option<usize>,
}

/// The single-row upsert an autosave amounts to, as the storage's own baseline.
const UPSERT: &str = "INSERT INTO answers (response_id, question_id, value, version, updated_at) \
VALUES ({r}, {q}, '{v}', 1, CURRENT_TIMESTAMP) \
ON CONFLICT (response_id, question_id) DO UPDATE SET value = excluded.value, \
version = answers.version + 1, updated_at = excluded.updated_at";

/// The value written: a short text, or (every fourth question of a whole response, as in
/// the round) a long one of about 800 characters.
fn upsert_value(long: bool) -> String {
    if long {
        format!(
            "\"{}\"",
            "Un témoignage développé sur l''accès aux soins. ".repeat(17)
        )
    } else {
        "\"Texte de référence.\"".to_owned()
    }
}

/// One transaction's statements: a random question's upsert (`per_transaction` = 1), or
/// every question of one response in turn.
fn transaction_sql(
    r: &str,
    q: Option<&str>,
    questions: (i64, i64),
    per_transaction: usize,
) -> Vec<String> {
    let statement = |q: String, long: bool| {
        UPSERT
            .replace("{r}", r)
            .replace("{q}", &q)
            .replace("{v}", &upsert_value(long))
    };
    if per_transaction == 1 {
        return vec![statement(q.expect("a question").to_owned(), false)];
    }
    (0..per_transaction as i64)
        .map(|i| statement((questions.0 + i).to_string(), i % 4 == 0))
        .collect()
}

/// What a storage baseline runs: upserts into the seeded organisations' answers to the
/// round's questions (ids in `questions`), `per_transaction` per transaction, for
/// `seconds`, with as many clients and threads as `load`.
#[derive(Clone, Copy)]
struct Baseline {
    organisations: usize,
    questions: (i64, i64),
    seconds: Duration,
    load: Load,
    per_transaction: usize,
}

/// pgbench with the same upserts and the same client count; transactions per second.
fn pgbench(url: &str, baseline: &Baseline) -> (f64, String) {
    let Baseline {
        organisations,
        questions,
        seconds,
        load,
        per_transaction,
    } = *baseline;
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("upserts.sql");
    let statements = transaction_sql(":r", Some(":q"), questions, per_transaction);
    let body = if per_transaction == 1 {
        format!("{};\n", statements[0])
    } else {
        format!("BEGIN;\n{};\nCOMMIT;\n", statements.join(";\n"))
    };
    std::fs::write(
        &script,
        format!(
            "\\set r random(1000000, {})\n\\set q random({}, {})\n{body}",
            1_000_000 + organisations - 1,
            questions.0,
            questions.1
        ),
    )
    .unwrap();
    checkpoint(url);
    let raw = run(Command::new("pgbench").args([
        "-n",
        "-c",
        &load.connections.to_string(),
        "-j",
        &load.threads.to_string(),
        "-T",
        &seconds.as_secs().max(1).to_string(),
        "-f",
        script.to_str().unwrap(),
        url,
    ]));
    let tps = raw
        .lines()
        .find(|l| l.starts_with("tps = "))
        .and_then(|l| l.split_whitespace().nth(2))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0);
    (tps, raw)
}

/// The same upserts through the application's own pool (same size, same pragmas) from as
/// many threads as wrk has connections; transactions per second.
fn sqlite_loop(url: &str, baseline: &Baseline) -> f64 {
    let Baseline {
        organisations,
        questions,
        seconds,
        load,
        per_transaction,
    } = *baseline;
    checkpoint(url);
    let url = concerto::store::DatabaseUrl::parse(url).unwrap();
    // The pool the server gets: `config/default.toml`'s (production.toml, which the bench
    // runs the server with, leaves it; reading production here would ask for its secrets).
    let config = common::repo_root().join("config");
    let pool = concerto::config::Settings::load_from(
        concerto::config::Environment::Development,
        &config,
        false,
    )
    .unwrap()
    .database
    .max_connections;
    let db = concerto::store::Db::open(&url, pool, Duration::from_secs(5)).unwrap();
    let deadline = Instant::now() + seconds;
    let started = Instant::now();
    let done: usize = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..load.connections)
            .map(|t| {
                let db = &db;
                scope.spawn(move || {
                    let mut rng = Lcg(t as u64 + 1);
                    let mut n = 0;
                    while Instant::now() < deadline {
                        let r = (1_000_000 + rng.next(organisations) as i64).to_string();
                        let q = (questions.0
                            + rng.next((questions.1 - questions.0 + 1) as usize) as i64)
                            .to_string();
                        let statements = transaction_sql(&r, Some(&q), questions, per_transaction);
                        let mut conn = db.get().unwrap();
                        let done = concerto::store::write_transaction(&mut conn, |c| {
                            statements
                                .iter()
                                .try_for_each(|sql| diesel::sql_query(sql).execute(c).map(|_| ()))
                        });
                        match done {
                            Ok(()) => n += 1,
                            // SQLite's lock is not given in turn: a thread may see the
                            // others take it for its whole busy timeout (once, 8 threads of
                            // 40-upsert transactions). Tried again, not counted.
                            Err(e) if e.to_string().contains("database is locked") => {}
                            Err(e) => panic!("{e}"),
                        }
                    }
                    n
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).sum()
    });
    done as f64 / started.elapsed().as_secs_f64()
}

/// The storage's own rate for the same writes: `pgbench` on PostgreSQL (with its raw
/// output, to keep), the application's pool from as many threads on SQLite.
fn storage_rate(backend: Backend, url: &str, baseline: &Baseline) -> (f64, Option<String>) {
    match backend {
        Backend::Postgres => {
            let (tps, raw) = pgbench(url, baseline);
            (tps, Some(raw))
        }
        Backend::Sqlite => (sqlite_loop(url, baseline), None),
    }
}

fn question_id_range(url: &str) -> (i64, i64) {
    #[derive(diesel::QueryableByName)]
    struct Range {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        low: i64,
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        high: i64,
    }
    let mut conn = connect(url);
    let range = diesel::sql_query("SELECT MIN(id) AS low, MAX(id) AS high FROM questions")
        .get_result::<Range>(&mut conn)
        .unwrap();
    (range.low, range.high)
}

struct Row {
    backend: Backend,
    scenario: &'static str,
    /// The scenario's own rate: writes per second, or complete responses per second.
    rate: f64,
    run: WrkRun,
    healthz: f64,
    storage: f64,
    peak_private_mb: Option<f64>,
    /// Acknowledged writes missing afterwards (checked for autosave).
    lost: Option<i64>,
    /// Failed requests beside wrk's (the rush's sign-ins and dashboard).
    side_failures: usize,
}

impl Row {
    /// Refused requests and socket errors, wrk's and the side tasks'.
    fn errors(&self) -> i64 {
        (self.run.count("refused") + self.run.count("socket_errors")) as i64
            + self.side_failures as i64
    }
}

/// What ran beside wrk during the rush.
struct RushSides {
    backend: Backend,
    sign_ins: Timings,
    dashboard: Timings,
}

/// Sign-ins per second during the rush, as the issue asks.
const SIGN_INS_PER_SECOND: u32 = 10;

async fn measure(
    backend: Backend,
    settings: &Settings,
    pg_admin: &str,
    rows: &mut Vec<Row>,
    sides: &mut Vec<RushSides>,
) {
    eprintln!(
        "— {} × {} organisations",
        backend.name(),
        settings.organisations
    );
    let (target, server, mut coordinator, _) =
        prepare(backend, settings.organisations, Status::Draft, pg_admin).await;
    coordinator
        .post(
            &format!("/api/v1/rounds/{SLUG}/open"),
            serde_json::json!({}),
        )
        .await;
    let members = seed_members(&target.url, settings.organisations);
    let raw_dir = common::repo_root().join("docs/bench-load");
    std::fs::create_dir_all(&raw_dir).unwrap();
    let tag = backend.name().to_lowercase();
    let keep = |path: PathBuf, text: &str| {
        if settings.keep_raw {
            std::fs::write(path, text).unwrap();
        }
    };

    if let Some(times) = settings.whole_only {
        compare_whole(backend, settings, &target.url, &server, &members, times);
        return;
    }
    let healthz = wrk(
        &format!("{}/healthz", server.base),
        None,
        settings.run,
        LOAD,
        &[],
    );
    keep(raw_dir.join(format!("{tag}-healthz.txt")), &healthz.raw);

    let watched = MemoryPeak::watch(server.pid());
    let Autosave {
        run: autosave,
        acknowledged,
        lost,
        ..
    } = saving(
        "autosave.lua",
        &server.base,
        &target.url,
        &members,
        settings.warm_up,
        settings.run,
        LOAD,
    );
    let peak = watched.mb();
    keep(raw_dir.join(format!("{tag}-autosave.txt")), &autosave.raw);
    eprintln!(
        "  autosave {:.0}/s p50 {:.2} ms p99 {:.2} ms; {acknowledged} acknowledged, {lost} lost; refusals: {}",
        autosave.requests_per_second,
        autosave.p50_ms,
        autosave.p99_ms,
        autosave.why()
    );

    let questions = question_id_range(&target.url);
    // The storage's own rate for the same upserts, pgbench's output kept as `raw_name`.
    let storage_of = |load: Load, per_transaction: usize, raw_name: &str| {
        let baseline = Baseline {
            organisations: settings.organisations,
            questions,
            seconds: settings.run,
            load,
            per_transaction,
        };
        let (rate, raw) = storage_rate(backend, &target.url, &baseline);
        if let Some(raw) = raw {
            keep(raw_dir.join(format!("{tag}-{raw_name}.txt")), &raw);
        }
        rate
    };
    let storage = storage_of(LOAD, 1, "pgbench-upsert");
    eprintln!(
        "  healthz {:.0}/s, storage {:.0}/s",
        healthz.requests_per_second, storage
    );
    rows.push(Row {
        backend,
        scenario: "autosave",
        rate: autosave.requests_per_second,
        run: autosave,
        healthz: healthz.requests_per_second,
        storage,
        peak_private_mb: peak,
        lost: Some(lost),
        side_failures: 0,
    });

    // The deadline-day rush.
    let watched = MemoryPeak::watch(server.pid());
    let rush = rush(
        &server.base,
        &target.url,
        &members,
        &coordinator.cookie,
        SIGN_INS_PER_SECOND,
        settings.warm_up,
        settings.run,
        LOAD,
    )
    .await;
    let peak = watched.mb();
    keep(raw_dir.join(format!("{tag}-rush.txt")), &rush.saves.run.raw);
    let saved_per_second = rush.saves.run.per_second("saved");
    eprintln!(
        "  rush {:.0} requests/s ({saved_per_second:.0} saves/s) p50 {:.2} ms p99 {:.2} ms; {} acknowledged, {} lost; \
         sign-ins {} (p50 {:.0} ms, p99 {:.0} ms, {} failed); dashboard {} (p50 {:.0} ms, {} failed); refusals: {} {:?} {:?}",
        rush.saves.run.requests_per_second,
        rush.saves.run.p50_ms,
        rush.saves.run.p99_ms,
        rush.saves.acknowledged,
        rush.saves.lost,
        rush.sign_ins.millis.len(),
        rush.sign_ins.percentile(50.0),
        rush.sign_ins.percentile(99.0),
        rush.sign_ins.failures.len(),
        rush.dashboard.millis.len(),
        rush.dashboard.percentile(50.0),
        rush.dashboard.failures.len(),
        rush.saves.run.why(),
        rush.sign_ins.failures.first(),
        rush.dashboard.failures.first(),
    );
    rows.push(Row {
        backend,
        scenario: "ruée",
        rate: rush.saves.run.requests_per_second,
        healthz: healthz.requests_per_second,
        storage,
        peak_private_mb: peak,
        lost: Some(rush.saves.lost),
        side_failures: rush.sign_ins.failures.len() + rush.dashboard.failures.len(),
        run: rush.saves.run,
    });
    sides.push(RushSides {
        backend,
        sign_ins: rush.sign_ins,
        dashboard: rush.dashboard,
    });

    // A members' script measured after its warm-up, with the server's peak private
    // memory meanwhile; its raw output kept as `<backend>-<script>.txt`.
    let members_script = |script: &str, load: Load| {
        let watched = MemoryPeak::watch(server.pid());
        let (_, run) = scripted(
            &server.base,
            script,
            &target.url,
            &members,
            settings.warm_up,
            settings.run,
            load,
        );
        let peak = watched.mb();
        let name = script.trim_end_matches(".lua");
        keep(raw_dir.join(format!("{tag}-{name}.txt")), &run.raw);
        (run, peak)
    };

    // Whole responses: 8 clients, each a different organisation, writing all 40 answers
    // in one PATCH, submitting, reopening, again and again.
    let whole_load = Load {
        connections: 8,
        threads: WRK_THREADS,
    };
    let (whole, peak) = members_script("whole.lua", whole_load);
    let complete_per_second = whole.per_second("submitted");
    let storage_whole = storage_of(whole_load, 40, "pgbench-40-upserts");
    eprintln!(
        "  whole responses {:.0}/s (requests p99 {:.1} ms), storage {:.0} transactions/s; refusals: {}",
        complete_per_second,
        whole.p99_ms,
        storage_whole,
        whole.why()
    );
    // Reading: the public round page and members' GET of their own response.
    let (reading, reading_peak) = members_script("reading.lua", LOAD);
    eprintln!(
        "  reading {:.0}/s p50 {:.2} ms p99 {:.2} ms; refusals: {}",
        reading.requests_per_second,
        reading.p50_ms,
        reading.p99_ms,
        reading.why()
    );
    rows.push(Row {
        backend,
        scenario: "lecture",
        rate: reading.requests_per_second,
        run: reading,
        healthz: healthz.requests_per_second,
        // Reading has no storage baseline of its own: /healthz is its ceiling.
        storage: f64::NAN,
        peak_private_mb: reading_peak,
        lost: None,
        side_failures: 0,
    });
    rows.push(Row {
        backend,
        scenario: "réponses complètes",
        rate: complete_per_second,
        run: whole,
        healthz: healthz.requests_per_second,
        storage: storage_whole,
        peak_private_mb: peak,
        lost: None,
        side_failures: 0,
    });
    drop(server);
}

/// Whole responses, then the storage's 40-upsert transaction, `times` times in a row, with
/// the machine's busy time per complete response and per transaction (from /proc/stat):
/// printed, not written. Both saturate the machine, so the ratio of busy times tells the
/// same as the ratio of rates, and varies less with the machine's speed of the moment.
fn compare_whole(
    backend: Backend,
    settings: &Settings,
    url: &str,
    server: &Server,
    members: &[Member],
    times: usize,
) {
    fn busy_ms() -> f64 {
        let stat = std::fs::read_to_string("/proc/stat").unwrap_or_default();
        let ticks: Vec<f64> = stat
            .lines()
            .next()
            .unwrap_or_default()
            .split_whitespace()
            .skip(1)
            .filter_map(|v| v.parse().ok())
            .collect();
        // All but idle and iowait, in clock ticks of 10 ms.
        (ticks.iter().sum::<f64>() - ticks.get(3).unwrap_or(&0.0) - ticks.get(4).unwrap_or(&0.0))
            * 10.0
    }
    let load = Load {
        connections: 8,
        threads: WRK_THREADS,
    };
    let baseline = Baseline {
        organisations: settings.organisations,
        questions: question_id_range(url),
        seconds: settings.run,
        load,
        per_transaction: 40,
    };
    for _ in 0..times {
        let start = busy_ms();
        let (warm, whole) = scripted(
            &server.base,
            "whole.lua",
            url,
            members,
            settings.warm_up,
            settings.run,
            load,
        );
        let responses = warm.count("submitted") + whole.count("submitted");
        let per_response = (busy_ms() - start) / responses;
        let start = busy_ms();
        let (tps, _) = storage_rate(backend, url, &baseline);
        let per_transaction = (busy_ms() - start) / (tps * settings.run.as_secs_f64());
        let rate = whole.per_second("submitted");
        eprintln!(
            "  whole responses {rate:.0}/s, storage {tps:.0}/s: {:.1} %; busy ms per response {per_response:.2}, \
             per transaction {per_transaction:.2}: {:.1} %; refusals: {}",
            100.0 * rate / tps,
            100.0 * per_transaction / per_response,
            whole.why()
        );
    }
}

fn dash_if_nan(text: String, value: f64) -> String {
    if value.is_nan() { "—".into() } else { text }
}

fn report(rows: &[Row], sides: &[RushSides], settings: &Settings, command: &str) -> String {
    let mut md = String::from("## Charge\n\n");
    writeln!(
        md,
        "Produit par `{command}` le {}. {} organisations et autant de membres connectés ; serveur de production \
         (binaire `--release`) ; `wrk` avec {CONNECTIONS} connexions sur {WRK_THREADS} fils, {} s de chauffe puis {} s \
         mesurées. Références dans la même exécution : `/healthz` avec les mêmes connexions (le plafond du \
         cadriciel), et la limite du stockage pour la même écriture (un upsert d'une ligne) : `pgbench` avec autant \
         de clients sur PostgreSQL, la même requête par le pool de l'application depuis autant de fils sur SQLite. \
         PostgreSQL est joint sans TLS (`sslmode=disable`) par le service comme par `pgbench` : sur la boucle \
         locale le chiffrement ne protège rien et coûtait un septième de la machine. \
         Chaque mesure part d'une machine et d'un stockage au repos (courriels des mesures précédentes envoyés ; sur PostgreSQL, qui tourne ici sans autovacuum, `VACUUM (ANALYZE)` puis `CHECKPOINT` ; journal WAL replié sur SQLite). \
         Les accusés de réception partent par SMTP vers un relais local du banc qui les accepte sans les garder. \
         Sorties brutes dans `docs/bench-load/`.\n",
        chrono::Utc::now().format("%Y-%m-%d %H:%M UTC"),
        settings.organisations,
        settings.warm_up.as_secs(),
        settings.run.as_secs(),
    )
    .unwrap();
    writeln!(
        md,
        "| Scénario | Base | Débit (/s) | p50 (ms) | p99 (ms) | Erreurs | Écritures perdues | /healthz (req/s) | Requêtes / /healthz | Stockage seul (/s) | Rapport au stockage | Pic mémoire propre (Mo) |\n|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    )
    .unwrap();
    for row in rows {
        let errors = row.errors();
        writeln!(
            md,
            "| {} | {} | {:.0} | {:.2} | {:.2} | {errors} | {} | {:.0} | {:.2} | {} | {} | {} |",
            row.scenario,
            row.backend.name(),
            row.rate,
            row.run.p50_ms,
            row.run.p99_ms,
            row.lost
                .map(|l| l.to_string())
                .unwrap_or_else(|| "—".into()),
            row.healthz,
            row.run.requests_per_second / row.healthz,
            dash_if_nan(format!("{:.0}", row.storage), row.storage),
            dash_if_nan(format!("{:.2}", row.rate / row.storage), row.storage),
            row.peak_private_mb
                .map(|v| format!("{v:.1}"))
                .unwrap_or_else(|| "—".into()),
        )
        .unwrap();
    }
    md.push_str("\nCibles (issue 7) :\n\n");
    for row in rows.iter().filter(|r| r.scenario == "autosave") {
        let share = row.rate / row.storage;
        let mark = |ok: bool| if ok { "tenue" } else { "**manquée**" };
        writeln!(
            md,
            "- {} : autosave à {:.0} % du débit du stockage seul (cible ≥ 30 %) : {} ; p99 {:.1} ms (cible < 50) : {} ; aucune écriture perdue : {}.",
            row.backend.name(),
            share * 100.0,
            mark(share >= 0.3),
            row.run.p99_ms,
            mark(row.run.p99_ms < 50.0),
            mark(row.lost == Some(0))
        )
        .unwrap();
    }
    for row in rows.iter().filter(|r| r.scenario == "ruée") {
        let Some(side) = sides.iter().find(|s| s.backend == row.backend) else {
            continue;
        };
        let refused = row.errors();
        let mark = |ok: bool| if ok { "tenue" } else { "**manquée**" };
        let dashboard = side.dashboard.percentile(50.0);
        writeln!(
            md,
            "- {} : ruée, p99 des requêtes des membres {:.1} ms (cible < 100) : {} ; erreurs : {} (cible 0) : {} ; \
             écritures perdues : {} (cible 0) : {} ; tableau de bord des {} organisations, p50 {:.1} ms sur {} chargements \
             (cible < 100) : {} ; connexions : {} à {SIGN_INS_PER_SECOND}/s, p50 {:.0} ms, p99 {:.0} ms.",
            row.backend.name(),
            row.run.p99_ms,
            mark(row.run.p99_ms < 100.0),
            refused,
            mark(refused == 0),
            row.lost.unwrap_or(-1),
            mark(row.lost == Some(0)),
            settings.organisations,
            dashboard,
            side.dashboard.millis.len(),
            mark(dashboard < 100.0),
            side.sign_ins.millis.len(),
            side.sign_ins.percentile(50.0),
            side.sign_ins.percentile(99.0),
        )
        .unwrap();
    }
    for row in rows
        .iter()
        .filter(|r| r.scenario == "réponses complètes" && r.backend == Backend::Postgres)
    {
        let share = row.rate / row.storage;
        writeln!(
            md,
            "- {} : réponses complètes à {:.0} % du débit de pgbench pour la même transaction de 40 upserts avec 8 clients (cible ≥ 50 %) : {}.",
            row.backend.name(),
            share * 100.0,
            if share >= 0.5 { "tenue" } else { "**manquée**" }
        )
        .unwrap();
    }
    md.push_str(
        "\nRuée : l'autosave ci-dessus, plus une requête sur vingt qui soumet la réponse du membre (passé pendant deux \
         tours, il la rouvre au troisième), plus 10 connexions par seconde (chacune d'une adresse à elle, par le mandataire de confiance), plus le \
         tableau de bord de la coordination rechargé chaque seconde ; débit et latences : toutes les requêtes des membres \
         (sauvegardes, soumissions, réouvertures) ; connexions et tableau de bord comptés sur la chauffe et la mesure ; \
         la référence du stockage est l'upsert d'une ligne.\n",
    );
    md.push_str(
        "\nDébit : écritures acquittées par seconde pour l'autosave, réponses complètes (40 réponses en un PATCH, \
         soumission, réouverture) par seconde pour les réponses complètes ; la référence du stockage est alors la \
         même transaction de 40 upserts.\n",
    );
    md
}

/// One rush's figures for the cluster comparison.
struct RushRun {
    setup: &'static str,
    requests_per_second: f64,
    saves_per_second: f64,
    p50_ms: f64,
    p99_ms: f64,
    acknowledged: i64,
    lost: i64,
    errors: i64,
}

/// The deadline-day rush on `base`, as the load benchmark runs it.
async fn rush_on(
    setup: &'static str,
    base: &str,
    target: &Target,
    members: &[Member],
    coordinator: &Coordinator,
    settings: &Settings,
) -> RushRun {
    let rush = rush(
        base,
        &target.url,
        members,
        &coordinator.cookie,
        SIGN_INS_PER_SECOND,
        settings.warm_up,
        settings.run,
        LOAD,
    )
    .await;
    let run = &rush.saves.run;
    let figures = RushRun {
        setup,
        requests_per_second: run.requests_per_second,
        saves_per_second: run.per_second("saved"),
        p50_ms: run.p50_ms,
        p99_ms: run.p99_ms,
        acknowledged: rush.saves.acknowledged,
        lost: rush.saves.lost,
        errors: (run.count("refused") + run.count("socket_errors")) as i64
            + (rush.sign_ins.failures.len() + rush.dashboard.failures.len()) as i64,
    };
    eprintln!(
        "  {setup}: {:.0} requests/s p99 {:.1} ms, {} lost, {} errors {}",
        figures.requests_per_second,
        figures.p99_ms,
        figures.lost,
        figures.errors,
        run.why()
    );
    figures
}

/// `--cluster`: the rush on PostgreSQL against one instance, then through HAProxy in
/// front of one, then of two (`scripts/cluster`) set as the single one and sharing the
/// machine, then against one again (the mean of the two direct runs is the baseline:
/// the database grows during the runs). Returns the section.
async fn cluster_comparison(settings: &Settings, pg_admin: &str, command: &str) -> String {
    let (target, server, mut coordinator, _) = prepare(
        Backend::Postgres,
        settings.organisations,
        Status::Draft,
        pg_admin,
    )
    .await;
    coordinator
        .post(
            &format!("/api/v1/rounds/{SLUG}/open"),
            serde_json::json!({}),
        )
        .await;
    let members = seed_members(&target.url, settings.organisations);
    let mut runs = Vec::new();
    let on = |setup, base: String| {
        let (target, members, coordinator) = (&target, &members, &coordinator);
        async move { rush_on(setup, &base, target, members, coordinator, settings).await }
    };
    runs.push(on("1 instance, en direct (avant)", server.base.clone()).await);
    // What the proxy alone costs: a public reading, direct then through it.
    let reading = |base: &str| {
        wrk(
            &format!("{base}/api/v1/rounds"),
            None,
            settings.run,
            LOAD,
            &[],
        )
        .requests_per_second
    };
    let read_direct = reading(&server.base);
    drop(server);
    let mut read_proxied = f64::NAN;
    // Each instance as the single one (a worker per core, 20 connections), then sharing
    // the machine (one worker and 10 connections each: the same threads and database
    // connections in all as the single instance).
    let shared = [
        ("CONCERTO_WORKERS", "1"),
        ("CONCERTO_DATABASE__MAX_CONNECTIONS", "10"),
    ];
    for (setup, count, env) in [
        ("1 instance derrière HAProxy", 1, &[][..]),
        (
            "2 instances derrière HAProxy, réglages d'une seule",
            2,
            &[][..],
        ),
        (
            "2 instances derrière HAProxy, machine partagée",
            2,
            &shared[..],
        ),
    ] {
        let cluster = common::cluster::Cluster::start(&target.url, count, env);
        if count == 1 {
            read_proxied = reading(&cluster.base);
        }
        runs.push(on(setup, cluster.base.clone()).await);
    }
    let server = Server::start(&target.url).await;
    runs.push(on("1 instance, en direct (après)", server.base.clone()).await);
    drop(server);

    let single = (runs[0].requests_per_second + runs[4].requests_per_second) / 2.0;
    let best = runs[2].requests_per_second.max(runs[3].requests_per_second);
    let ratio = best / single;
    let behind_proxy = best / runs[1].requests_per_second;
    let mut md = String::from("## Plusieurs instances\n\n");
    writeln!(
        md,
        "Produit par `{command}` le {}. La ruée de la section « Charge » (même script `wrk`, {CONNECTIONS} connexions, \
         connexions et tableau de bord à côté) sur PostgreSQL, {} organisations, {} s de chauffe puis {} s mesurées : \
         contre une instance en direct, puis par HAProxy (`scripts/cluster`, configuration `deploy/haproxy.cfg`) \
         devant une instance, puis devant deux réglées chacune comme la seule (un fil par cœur, 20 connexions), puis \
         devant deux qui se partagent la machine (un fil et 10 connexions chacune), puis de nouveau contre une seule \
         en direct ; la référence est la moyenne des deux passages en direct. Tout tourne sur la même machine de 2 cœurs (instances, proxy, PostgreSQL, `wrk`) : \
         deux instances n'y ajoutent pas de processeur, la mesure dit ce que coûtent le proxy et le partage de la base, \
         l'objectif étant d'en garder au moins 90 %.\n",
        chrono::Utc::now().format("%Y-%m-%d %H:%M UTC"),
        settings.organisations,
        settings.warm_up.as_secs(),
        settings.run.as_secs(),
    )
    .unwrap();
    writeln!(
        md,
        "| Montage | Requêtes (/s) | Enregistrements (/s) | p50 (ms) | p99 (ms) | Écritures acquittées | Perdues | Erreurs |\n|---|---:|---:|---:|---:|---:|---:|---:|"
    )
    .unwrap();
    for run in &runs {
        writeln!(
            md,
            "| {} | {:.0} | {:.0} | {:.2} | {:.2} | {} | {} | {} |",
            run.setup,
            run.requests_per_second,
            run.saves_per_second,
            run.p50_ms,
            run.p99_ms,
            run.acknowledged,
            run.lost,
            run.errors
        )
        .unwrap();
    }
    let errors: i64 = runs.iter().map(|r| r.errors + r.lost).sum();
    writeln!(
        md,
        "\nCe que coûte le proxy seul, sur une lecture publique (`/api/v1/rounds`, même charge `wrk`) : \
         {read_direct:.0} requêtes/s en direct, {read_proxied:.0} par HAProxy devant la même instance ({:.0} %). \
         Deux instances derrière le proxy font **{:.0} %** du débit d'une seule derrière lui.",
        read_proxied / read_direct * 100.0,
        behind_proxy * 100.0,
    )
    .unwrap();
    writeln!(
        md,
        "\nDeux instances derrière le proxy, au mieux des deux réglages : **{:.0} %** du débit d'une seule (objectif ≥ 90 %, {}) ; erreurs et écritures perdues sur l'ensemble : {}.",
        ratio * 100.0,
        if ratio >= 0.9 { "tenu" } else { "non tenu" },
        errors,
    )
    .unwrap();
    md
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let quick = args.iter().any(|a| a == "--quick");
    let whole_only = args
        .iter()
        .position(|a| a == "--whole-only")
        .map(|i| args.get(i + 1).and_then(|n| n.parse().ok()).unwrap_or(3));
    let keep_raw = !args.iter().any(|a| a == "--no-write") && whole_only.is_none();
    let settings = if quick {
        Settings {
            keep_raw,
            organisations: 1_000,
            warm_up: Duration::from_secs(1),
            run: Duration::from_secs(2),
            whole_only,
        }
    } else {
        Settings {
            keep_raw,
            organisations: 2_000,
            warm_up: Duration::from_secs(3),
            run: Duration::from_secs(10),
            whole_only,
        }
    };
    // Without TLS on loopback, for the service and pgbench alike: there it protects
    // nothing, and libpq's default (`prefer`) had encryption take a seventh of the
    // machine (perf), paid more often by the service, which makes more round trips.
    let pg_admin = std::env::var("CONCERTO_BENCH_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable".into());
    let command = std::env::var("CONCERTO_BENCH_COMMAND")
        .unwrap_or_else(|_| "cargo bench --bench load".into());
    let rt = tokio::runtime::Runtime::new().unwrap();
    if args.iter().any(|a| a == "--cluster") {
        let section = rt.block_on(cluster_comparison(&settings, &pg_admin, &command));
        println!("{section}");
        if keep_raw {
            write_section("Plusieurs instances", &section);
        }
        return;
    }
    let (mut rows, mut sides) = (Vec::new(), Vec::new());
    rt.block_on(async {
        for backend in [Backend::Sqlite, Backend::Postgres] {
            let only = args
                .iter()
                .position(|a| a == "--only")
                .and_then(|i| args.get(i + 1));
            let name = backend.name().to_lowercase();
            if only.is_some_and(|wanted| !name.starts_with(&wanted.to_lowercase())) {
                continue;
            }
            measure(backend, &settings, &pg_admin, &mut rows, &mut sides).await;
        }
    });
    if whole_only.is_some() {
        return;
    }
    let section = report(&rows, &sides, &settings, &command);
    println!("{section}");
    if keep_raw {
        write_section("Charge", &section);
    }
}
