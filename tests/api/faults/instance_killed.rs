//! Fault 1: one of two instances behind HAProxy killed with SIGKILL in the middle of
//! the rush. Writes are not retried by the proxy (`disable-l7-retry` for all but
//! readings): a save or a submission cut by the death gets the proxy's 502, and the
//! client sends it again; the version check makes that safe (a save that had landed is
//! refused as stale, a submission that had landed as already done). So every
//! acknowledged save is kept, no submission is done twice, and no receipt goes twice.

use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use super::{Figures, open_round_for, scale};
use crate::cluster::{ONE_AT_A_TIME, cluster_with, free_ports, haproxy_present};
use crate::helpers::Backend;

/// The instances' mail settings for the scenarios: sent within a tenth of a second,
/// retried soon, and a dead instance's claims on emails lapse within seconds.
pub fn quick_mail(smtp_url: String) -> Vec<(&'static str, String)> {
    vec![
        ("CONCERTO_SMTP_URL", smtp_url),
        ("CONCERTO_MAIL__POLL_INTERVAL_MS", "100".into()),
        ("CONCERTO_MAIL__RETRY_BASE_MS", "200".into()),
        ("CONCERTO_MAIL__MAX_ATTEMPTS", "30".into()),
        ("CONCERTO_MAIL__SMTP_TIMEOUT_MS", "200".into()),
        ("CONCERTO_MAIL__LEASE_SECS", "1".into()),
    ]
}

#[tokio::test]
async fn the_rush_loses_nothing_when_an_instance_is_killed() {
    if !haproxy_present() {
        return;
    }
    let _turn = ONE_AT_A_TIME.lock().await;
    let Some(app) = crate::helpers::spawn_app(Backend::Postgres).await else {
        return;
    };
    let scale = scale();
    let respondents = open_round_for(&app, scale.organisations).await;
    // The receipts go through the cluster's instances only.
    app.background.stop();
    let dir = tempfile::tempdir().unwrap();
    let port = free_ports();
    let env = quick_mail(app.mailbox.url());
    let started = cluster_with(&["start", "2"], &app.db.url, port, dir.path(), &env);
    assert!(
        started.status.success(),
        "{}",
        String::from_utf8_lossy(&started.stderr)
    );

    let progress = AtomicUsize::new(0);
    let planned = scale.organisations * (scale.saves + 2);
    let killer = async {
        while progress.load(Ordering::SeqCst) < planned / 3 {
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        let pid = std::fs::read_to_string(dir.path().join("app1.pid")).unwrap();
        let killed = Command::new("kill")
            .args(["-KILL", pid.trim()])
            .status()
            .unwrap();
        assert!(killed.success());
        (progress.load(Ordering::SeqCst), std::time::Instant::now())
    };
    let base = format!("http://127.0.0.1:{port}");
    let (seen, (killed_at, death)) = tokio::join!(
        super::rush(&base, &respondents, scale.flat_out(), &progress),
        killer
    );
    assert!(killed_at < planned, "killed in the middle: {killed_at}");

    let mut figures = Figures::of("Instance tuée (SIGKILL)", &seen);
    figures.recovery = Figures::recovered_after(&seen, death);
    let lost = super::lost_writes(&app, &respondents, &seen).await;
    figures.lost = lost.len();
    let astray = super::submissions_astray(&app, &respondents, &seen).await;
    let (missing, extra) =
        super::receipts(&app.mailbox, &respondents, &seen, Duration::from_secs(30)).await;
    figures.duplicate_emails = extra;
    figures.report();
    let stopped = cluster_with(&["stop"], &app.db.url, port, dir.path(), &[]);
    assert!(stopped.status.success());

    assert!(lost.is_empty(), "acknowledged saves lost: {lost:?}");
    assert!(astray.is_empty(), "submissions astray: {astray:?}");
    // The survivor carried on: every organisation got through.
    assert_eq!(figures.submissions, respondents.len());
    assert_eq!((missing, extra), (0, 0), "receipts missing, too many");
    // Only the requests in flight at the death were cut (one per client at most),
    // answered by the proxy's 502 or not at all; never a 5xx from the service.
    assert!(
        figures.cut <= respondents.len(),
        "{} requests cut",
        figures.cut
    );
    assert_eq!(figures.other_5xx, 0);
    assert_eq!(figures.unavailable, 0);
}
