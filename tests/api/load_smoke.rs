//! A few seconds of the load benchmark's deadline-day rush (autosave, submissions and
//! reopenings under wrk, sign-ins and the coordinator's dashboard beside it), on both
//! backends, through the same code (`benches/common`) and the same wrk script: every
//! request answered with success, every acknowledged write in the database. Timings are
//! the benchmark's business, not this.

#[path = "../../benches/common/mod.rs"]
pub mod bench;

use std::process::Command;
use std::time::Duration;

use crate::helpers::{postgres_admin_url, postgres_required};

#[tokio::test]
async fn deadline_rush_loses_nothing_on_sqlite() {
    smoke(bench::Backend::Sqlite).await;
}

#[tokio::test]
async fn deadline_rush_loses_nothing_on_postgres() {
    let reachable = std::net::TcpStream::connect("127.0.0.1:5432").is_ok();
    if !reachable && !postgres_required() {
        eprintln!("skipping: PostgreSQL unreachable");
        return;
    }
    smoke(bench::Backend::Postgres).await;
}

fn wrk_installed() -> bool {
    Command::new("wrk").arg("--version").output().is_ok()
}

async fn smoke(backend: bench::Backend) {
    if !wrk_installed() {
        assert!(
            std::env::var_os("CONCERTO_TEST_REQUIRE_WRK").is_none(),
            "wrk is required (scripts/test installs it)"
        );
        eprintln!("skipping the load smoke run: wrk is not installed");
        return;
    }
    let organisations = 60;
    let (target, server, mut coordinator, _) = bench::prepare(
        backend,
        organisations,
        bench::Status::Draft,
        &postgres_admin_url(),
    )
    .await;
    coordinator
        .post(
            &format!("/api/v1/rounds/{}/open", bench::SLUG),
            serde_json::json!({}),
        )
        .await;
    let members = bench::seed_members(&target.url, organisations);
    let rush = bench::load::rush(
        &server.base,
        &target.url,
        &members,
        &coordinator.cookie,
        4,
        Duration::from_secs(1),
        Duration::from_secs(2),
        bench::load::Load {
            connections: 8,
            threads: 2,
        },
    )
    .await;
    let outcome = &rush.saves;
    let why = outcome.run.why();
    assert!(outcome.acknowledged > 0, "{}", outcome.run.raw);
    assert_eq!(
        outcome.refused, 0,
        "refused requests: {why}; warm-up: {:?}; run: {:?}",
        outcome.warm_up.counts, outcome.run.counts
    );
    assert_eq!(
        outcome.lost, 0,
        "acknowledged writes missing from the database"
    );
    for run in [&outcome.warm_up, &outcome.run] {
        let counts = run.counts.as_ref().expect("the script's counts");
        assert_eq!(counts["socket_errors"], 0, "{}", run.raw);
        // One request in twenty submits: the rush did submit, and each submission and
        // reopening was answered with success (no refusal above).
        assert!(counts["submitted"].as_i64().unwrap() > 0, "{}", run.raw);
    }
    assert!(
        rush.sign_ins.failures.is_empty() && rush.sign_ins.millis.len() >= 8,
        "sign-ins: {} done, failures {:?}",
        rush.sign_ins.millis.len(),
        rush.sign_ins.failures
    );
    assert!(
        rush.dashboard.failures.is_empty() && rush.dashboard.millis.len() >= 2,
        "dashboard: {} loads, failures {:?}",
        rush.dashboard.millis.len(),
        rush.dashboard.failures
    );
    drop(server);
}
