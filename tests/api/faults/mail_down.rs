//! Fault 3: the mail server is down for the whole rush, then comes back. The receipts
//! wait in the outbox (written in the submission's transaction) and the two instances'
//! workers, which claim emails with `SKIP LOCKED` under a lease, deliver each exactly
//! once when it is back.

use std::sync::atomic::AtomicUsize;
use std::time::{Duration, Instant};

use super::{Figures, rush_behind_the_proxy, scale};
use crate::cluster::{ONE_AT_A_TIME, cluster_with, haproxy_present};
use crate::helpers::Backend;
use crate::mailbox::Mailbox;

#[tokio::test]
async fn receipts_go_exactly_once_when_the_mail_server_is_back() {
    use concerto::store::schema::outbox;
    use diesel::prelude::*;

    if !haproxy_present() {
        return;
    }
    let _turn = ONE_AT_A_TIME.lock().await;
    let Some(app) = crate::helpers::spawn_app(Backend::Postgres).await else {
        return;
    };
    let scale = scale();
    // A port nothing listens on yet: the mail server, down.
    let smtp_port = crate::mailbox::unused_port();
    let smtp_url = format!("smtp://127.0.0.1:{smtp_port}");
    let (respondents, dir, port) = rush_behind_the_proxy(&app, scale, smtp_url).await;

    let base = format!("http://127.0.0.1:{port}");
    let seen = super::rush(&base, &respondents, scale.flat_out(), &AtomicUsize::new(0)).await;
    let mut figures = Figures::of("Serveur de courriel arrêté", &seen);
    assert_eq!(figures.submissions, respondents.len());
    // The instances did try, and kept every receipt.
    let tried = || {
        app.with_db(|conn| {
            outbox::table
                .filter(outbox::sent_at.is_null())
                .filter(outbox::attempts.ge(1))
                .count()
                .get_result::<i64>(conn)
                .unwrap()
        })
    };
    let until = Instant::now() + Duration::from_secs(10);
    while tried().await < respondents.len() as i64 && Instant::now() < until {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        tried().await >= respondents.len() as i64,
        "the receipts wait, tried"
    );

    let back = Instant::now();
    let mailbox = Mailbox::start_on(smtp_port);
    let (missing, extra) =
        super::receipts(&mailbox, &respondents, &seen, Duration::from_secs(30)).await;
    // Every receipt delivered once it is back: measured to the last one.
    figures.recovery = mailbox_filled_at(&mailbox, back);
    figures.duplicate_emails = extra;
    figures.lost = super::lost_writes(&app, &respondents, &seen).await.len();
    figures.report();
    let stopped = cluster_with(&["stop"], &app.db.url, port, dir.path(), &[]);
    assert!(stopped.status.success());

    assert_eq!((missing, extra), (0, 0), "receipts missing, too many");
    assert_eq!(figures.lost, 0);
    assert_eq!(figures.other_5xx + figures.cut + figures.unavailable, 0);
    let unsent = app
        .with_db(|conn| {
            outbox::table
                .filter(outbox::sent_at.is_null())
                .count()
                .get_result::<i64>(conn)
                .unwrap()
        })
        .await;
    assert_eq!(unsent, 0, "the outbox is empty");
}

/// How long after `since` the mailbox got its last message.
fn mailbox_filled_at(mailbox: &Mailbox, since: Instant) -> Option<Duration> {
    mailbox
        .last_received()
        .map(|at| at.saturating_duration_since(since))
}
