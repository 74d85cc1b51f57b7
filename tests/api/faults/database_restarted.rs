//! Fault 2: PostgreSQL restarted (`pg_ctlcluster` stop, fast: every connection dropped,
//! then start after a second and a half) in the middle of the rush. During the outage the service answers
//! 503 with `Retry-After`, never 500 and never after a long wait; `/readyz` says so;
//! the pool recovers by itself once PostgreSQL is back, and no acknowledged write is
//! lost.
//!
//! It restarts the PostgreSQL every other test uses, so it is ignored in the suite's
//! main run and `scripts/test` runs it alone afterwards
//! (`cargo test --test api -- --ignored faults::database_restarted`).

use std::process::Command;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use super::{Figures, open_round_for, scale};
use crate::helpers::Backend;

/// The local cluster's version (`/etc/postgresql/<version>/main`), when pg_ctlcluster
/// can restart it.
fn local_cluster() -> Option<String> {
    Command::new("pg_ctlcluster").arg("--help").output().ok()?;
    let mut versions: Vec<String> = std::fs::read_dir("/etc/postgresql")
        .ok()?
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    versions.sort_by_key(|v| v.parse::<u32>().unwrap_or(0));
    versions.pop()
}

/// Stops the local PostgreSQL (fast: every connection dropped), keeps it down for
/// `down`, and starts it again: a restart whose outage the rush cannot miss (a bare
/// `restart` is down for a fraction of a second). Returns when it accepts connections.
fn restart(version: &str, down: Duration) {
    // As root (the CI machine), or through sudo.
    let root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0\n"));
    let pg_ctlcluster = |action: &str| {
        let mut command = if root {
            Command::new("pg_ctlcluster")
        } else {
            let mut sudo = Command::new("sudo");
            sudo.args(["-n", "pg_ctlcluster"]);
            sudo
        };
        let done = command
            .args(["--skip-systemctl-redirect", version, "main", action])
            .output()
            .expect("pg_ctlcluster runs");
        assert!(
            done.status.success(),
            "{action}: {}",
            String::from_utf8_lossy(&done.stderr)
        );
    };
    pg_ctlcluster("stop");
    std::thread::sleep(down);
    pg_ctlcluster("start");
}

#[tokio::test]
#[ignore = "restarts the shared PostgreSQL: scripts/test runs it alone"]
async fn the_rush_loses_nothing_when_postgresql_restarts() {
    let Some(version) = local_cluster() else {
        assert!(
            std::env::var("CONCERTO_TEST_REQUIRE_POSTGRES").is_err(),
            "pg_ctlcluster is needed to restart PostgreSQL"
        );
        return;
    };
    let Some(app) = crate::helpers::spawn_app(Backend::Postgres).await else {
        return;
    };
    let scale = scale();
    let respondents = open_round_for(&app, scale.organisations).await;

    let progress = AtomicUsize::new(0);
    let planned = scale.organisations * (scale.saves + 2);
    let rushing = AtomicBool::new(true);
    // `/readyz` watched all along: (answered at, status, how long it took).
    let watcher = async {
        let mut seen = Vec::new();
        while rushing.load(Ordering::SeqCst) {
            let asked = Instant::now();
            let status = app.get("/readyz").await.status().as_u16();
            seen.push((Instant::now(), status, asked.elapsed()));
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        seen
    };
    let restarter = async {
        while progress.load(Ordering::SeqCst) < planned / 3 {
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        let began = Instant::now();
        tokio::task::spawn_blocking(move || restart(&version, Duration::from_millis(1500)))
            .await
            .unwrap();
        (began, Instant::now())
    };
    let rush = async {
        // An autosave's cadence, so that the rush outlasts the restart (seconds).
        let pace = super::Pace {
            saves: scale.saves,
            between: Duration::from_millis(150),
        };
        let seen = super::rush(&app.address, &respondents, pace, &progress).await;
        rushing.store(false, Ordering::SeqCst);
        seen
    };
    let (seen, (down, up), readiness) = tokio::join!(rush, restarter, watcher);

    let mut figures = Figures::of("PostgreSQL redémarré", &seen);
    figures.recovery = Figures::recovered_after(&seen, up);
    figures.lost = super::lost_writes(&app, &respondents, &seen).await.len();
    let astray = super::submissions_astray(&app, &respondents, &seen).await;
    let (missing, extra) =
        super::receipts(&app.mailbox, &respondents, &seen, Duration::from_secs(30)).await;
    figures.duplicate_emails = extra;
    figures.report();
    eprintln!(
        "PostgreSQL down for {} ms (restart command)",
        (up - down).as_millis()
    );

    assert_eq!(figures.lost, 0, "acknowledged writes lost");
    assert!(astray.is_empty(), "submissions astray: {astray:?}");
    assert_eq!(figures.submissions, respondents.len());
    assert_eq!((missing, extra), (0, 0), "receipts missing, too many");
    assert_eq!(
        figures.other_5xx + figures.cut,
        0,
        "only 503 while it is down"
    );
    assert!(figures.unavailable > 0, "the outage was met");
    assert_eq!(
        seen.iter()
            .map(|s| s.unavailable_without_retry_after)
            .sum::<usize>(),
        0,
        "every 503 says when to retry"
    );
    // Bounded by the pool's timeout (5 s); a refusal comes at once, not after a wait
    // for connections that died with the database.
    assert!(
        figures.slowest < Duration::from_secs(5),
        "no request hung: {:?}",
        figures.slowest
    );
    let slowest_refusal = seen
        .iter()
        .flat_map(|s| &s.log)
        .filter(|(_, status, _)| *status == 503)
        .map(|(_, _, took)| *took)
        .max();
    assert!(
        slowest_refusal < Some(Duration::from_secs(1)),
        "{slowest_refusal:?}"
    );
    let recovery = figures.recovery.expect("writes acknowledged after");
    assert!(
        recovery < Duration::from_secs(5),
        "recovered in {recovery:?}"
    );
    // `/readyz` said it while PostgreSQL was down, quickly, and is ready again.
    assert!(
        readiness
            .iter()
            .any(|(at, status, _)| *status == 503 && *at >= down),
        "{:?}",
        readiness.iter().map(|r| r.1).collect::<Vec<_>>()
    );
    assert!(
        readiness
            .iter()
            .all(|(_, _, took)| *took < Duration::from_secs(6))
    );
    assert_eq!(app.get("/readyz").await.status(), 200);
}
