//! Fault 1: one of two instances behind HAProxy killed with SIGKILL in the middle of
//! the rush. Writes are not retried by the proxy (`disable-l7-retry` for all but
//! readings): a save or a submission cut by the death gets the proxy's 502, and the
//! client sends it again; the version check makes that safe (a save that had landed is
//! refused as stale, a submission that had landed as already done). So every
//! acknowledged save is kept, no submission is done twice, and no receipt goes twice.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use super::{Figures, rush_behind_the_proxy, scale};
use crate::cluster::{ONE_AT_A_TIME, cluster_with, haproxy_present, kill_outright};
use crate::helpers::Backend;

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
    let (respondents, dir, port) = rush_behind_the_proxy(&app, scale, app.mailbox.url()).await;

    let progress = AtomicUsize::new(0);
    let planned = scale.organisations * (scale.saves + 2);
    let killer = async {
        while progress.load(Ordering::SeqCst) < planned / 3 {
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        kill_outright(dir.path(), "app1");
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
