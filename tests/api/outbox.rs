//! The outbox: nothing lost when the SMTP server is down, nothing sent twice when several
//! instances share one database.

use std::time::Duration;

use chrono::Utc;
use concerto::config::Secret;
use concerto::mail::OutgoingEmail;
use serde_json::json;

use crate::accounts::PASSWORD;
use crate::helpers::{Backend, TestApp, client, test_settings};
use crate::mailbox::Mailbox;

async fn pending(app: &crate::helpers::TestApp) -> i64 {
    app.with_db(|conn| concerto::store::outbox::pending_count(conn).unwrap())
        .await
}

async fn email_waits_for_the_smtp_server(backend: Backend) {
    // A port with nothing listening on it, yet.
    let port = crate::mailbox::unused_port();
    let Some(app) = TestApp::builder(backend)
        .settings(|s| s.smtp_url = Some(Secret::from(format!("smtp://127.0.0.1:{port}"))))
        .start()
        .await
    else {
        return;
    };
    let response = app
        .post_json(&client(), "/api/v1/auth/register", json!({"email": "patiente@exemple.fr", "display_name": "Patiente", "password": PASSWORD}))
        .await;
    assert_eq!(response.status(), 201);
    // Attempts fail and are recorded…
    for _ in 0..100 {
        let attempts = app
            .with_db(|conn| {
                use concerto::store::schema::outbox::dsl as o;
                use diesel::prelude::*;
                o::outbox.select(o::attempts).first::<i32>(conn).unwrap()
            })
            .await;
        if attempts >= 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(
        pending(&app).await,
        1,
        "the email is kept while the server is down"
    );
    // …and once the server is up, the email arrives, once.
    let late = Mailbox::start_on(port);
    late.wait_for("patiente@exemple.fr", 1).await;
    for _ in 0..100 {
        if pending(&app).await == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(pending(&app).await, 0);
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        late.for_recipient("patiente@exemple.fr").len(),
        1,
        "exactly once"
    );
    // Its identifier names its outbox row: the same at every attempt.
    let id = app
        .with_db(|conn| {
            use concerto::store::schema::outbox::dsl as o;
            use diesel::prelude::*;
            o::outbox.select(o::id).first::<i64>(conn).unwrap()
        })
        .await;
    let delivered = late.for_recipient("patiente@exemple.fr").remove(0);
    let message_id = delivered.message_id.expect("a Message-ID");
    assert!(
        message_id.starts_with(&format!("concerto.outbox.{id}@")),
        "{message_id}"
    );
}

crate::each_backend!(email_waits_for_the_smtp_server);

/// Two instances on one PostgreSQL drain a shared outbox of 200 emails: each is
/// delivered exactly once.
#[tokio::test]
async fn two_instances_deliver_each_email_exactly_once() {
    let Some(first) = TestApp::builder(Backend::Postgres)
        .settings(|s| s.mail.batch_size = 5)
        .start()
        .await
    else {
        return;
    };
    let mailbox = first.mailbox.clone();
    let mut settings = test_settings(&first.db);
    settings.smtp_url = Some(Secret::from(mailbox.url()));
    settings.mail.batch_size = 5;
    let second = concerto::startup::Application::build(settings)
        .await
        .unwrap();
    let second_outbox = second.background();
    tokio::spawn(second.run_until_stopped());

    first
        .with_db(|conn| {
            let now = Utc::now();
            for i in 0..200 {
                let email = OutgoingEmail {
                    to: format!("membre{i}@exemple.fr"),
                    subject: format!("Rappel {i}"),
                    text: "Bonjour".into(),
                    html: "<p>Bonjour</p>".into(),
                };
                concerto::store::outbox::enqueue(conn, &email, now).unwrap();
            }
        })
        .await;
    for _ in 0..400 {
        if pending(&first).await == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(pending(&first).await, 0, "every email sent");
    tokio::time::sleep(Duration::from_millis(300)).await;
    let received = mailbox.all();
    assert_eq!(received.len(), 200, "no email sent twice");
    let mut recipients: Vec<String> = received.iter().map(|m| m.to[0].clone()).collect();
    recipients.sort();
    recipients.dedup();
    assert_eq!(recipients.len(), 200);
    second_outbox.stop();
}

/// Without an SMTP server, every email is written as an `.eml` file under `data/mail/`.
#[tokio::test]
async fn without_smtp_emails_become_files() {
    let data = tempfile::tempdir().unwrap();
    let dir = data.path().to_owned();
    let app = TestApp::builder(Backend::Sqlite)
        .settings(move |s| {
            s.smtp_url = None;
            s.data_dir = dir;
        })
        .start()
        .await
        .unwrap();
    let response = app
        .post_json(
            &client(),
            "/api/v1/auth/register",
            json!({"email": "fichier@exemple.fr", "display_name": "Fichier", "password": PASSWORD}),
        )
        .await;
    assert_eq!(response.status(), 201);
    let mail_dir = data.path().join("mail");
    for _ in 0..100 {
        if pending(&app).await == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let files: Vec<_> = std::fs::read_dir(&mail_dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    assert_eq!(files[0].extension().unwrap(), "eml");
    let raw = std::fs::read(&files[0]).unwrap();
    let message = mail_parser::MessageParser::default().parse(&raw).unwrap();
    assert_eq!(
        message.subject(),
        Some("Confirmez votre adresse électronique")
    );
    assert!(
        message
            .body_text(0)
            .unwrap()
            .contains("/compte/verifier?jeton=")
    );
    assert!(app.mailbox.all().is_empty());
}

/// Many writes at once (registrations, each queueing an email the worker then marks
/// sent): SQLite's single writer makes them queue, never fail.
#[tokio::test]
async fn concurrent_writes_queue_instead_of_failing() {
    let app = crate::helpers::spawn_app(Backend::Sqlite).await.unwrap();
    // Ten: the per-address registration limit.
    let requests = (0..10).map(|i| {
        let app = &app;
        async move {
            app.post_json(&client(), "/api/v1/auth/register", json!({"email": format!("foule{i}@exemple.fr"), "display_name": "Foule", "password": PASSWORD}))
                .await
                .status()
                .as_u16()
        }
    });
    let statuses = futures_util::future::join_all(requests).await;
    assert!(statuses.iter().all(|s| *s == 201), "{statuses:?}");
}

fn email(i: usize) -> OutgoingEmail {
    OutgoingEmail {
        to: format!("membre{i}@exemple.fr"),
        subject: format!("Rappel {i}"),
        text: "Bonjour".into(),
        html: "<p>Bonjour</p>".into(),
    }
}

async fn queue(app: &crate::helpers::TestApp, range: std::ops::Range<usize>) {
    app.with_db(move |conn| {
        for i in range {
            concerto::store::outbox::enqueue(conn, &email(i), Utc::now()).unwrap();
        }
    })
    .await;
}

/// The outbox rows' states, counted.
async fn states(app: &crate::helpers::TestApp) -> Vec<(String, i64)> {
    app.with_db(|conn| {
        use concerto::store::schema::outbox::dsl as o;
        use diesel::dsl::count_star;
        use diesel::prelude::*;
        o::outbox
            .group_by(o::state)
            .select((o::state, count_star()))
            .order(o::state)
            .load(conn)
            .unwrap()
    })
    .await
}

/// Emails given up are dead, never claimed again: more of them than a batch holds do not
/// stop the next emails (on SQLite, a sentinel date once sorted before every real one).
async fn given_up_emails_never_block_the_outbox(backend: Backend) {
    let port = crate::mailbox::unused_port();
    let Some(app) = TestApp::builder(backend)
        .settings(|s| {
            s.smtp_url = Some(Secret::from(format!("smtp://127.0.0.1:{port}")));
            s.mail.max_attempts = 1;
            s.mail.batch_size = 5;
        })
        .start()
        .await
    else {
        return;
    };
    queue(&app, 0..12).await;
    for _ in 0..200 {
        if pending(&app).await == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(states(&app).await, [("dead".to_owned(), 12)]);
    let late = Mailbox::start_on(port);
    queue(&app, 100..101).await;
    late.wait_for("membre100@exemple.fr", 1).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(late.all().len(), 1, "dead emails stay dead");
    assert_eq!(
        states(&app).await,
        [("dead".to_owned(), 12), ("sent".to_owned(), 1)]
    );
    let attempts: Vec<i32> = app
        .with_db(|conn| {
            use concerto::store::schema::outbox::dsl as o;
            use diesel::prelude::*;
            o::outbox
                .filter(o::state.eq("dead"))
                .select(o::attempts)
                .load(conn)
                .unwrap()
        })
        .await;
    assert!(attempts.iter().all(|a| *a == 1), "{attempts:?}");
}

crate::each_backend!(given_up_emails_never_block_the_outbox);

/// A slow SMTP server makes a batch outlast its first lease; the worker renews it as it
/// goes, so a second instance never takes those emails too.
async fn a_slow_server_gets_each_email_once(backend: Backend) {
    let slow = Mailbox::start_slow(Duration::from_millis(400));
    let adjust = |s: &mut concerto::config::Settings| {
        // The floor of a lease: 11 steps of 0.8 s, and a second (9.8 s); the batch
        // takes 28 × 0.4 = 11.2 s.
        s.mail.smtp_timeout_ms = 800;
        s.mail.lease_secs = 1;
        s.mail.batch_size = 28;
    };
    let url = slow.url();
    let Some(first) = TestApp::builder(backend)
        .settings(|s| {
            adjust(s);
            s.smtp_url = Some(Secret::from(url));
        })
        .start()
        .await
    else {
        return;
    };
    let mut settings = test_settings(&first.db);
    adjust(&mut settings);
    settings.smtp_url = Some(Secret::from(slow.url()));
    let second = concerto::startup::Application::build(settings)
        .await
        .unwrap();
    let second_outbox = second.background();
    tokio::spawn(second.run_until_stopped());
    queue(&first, 0..28).await;
    for _ in 0..600 {
        if pending(&first).await == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(pending(&first).await, 0, "every email sent");
    tokio::time::sleep(Duration::from_millis(1000)).await;
    let mut recipients: Vec<String> = slow.all().iter().map(|m| m.to[0].clone()).collect();
    let received = recipients.len();
    recipients.sort();
    recipients.dedup();
    assert_eq!((received, recipients.len()), (28, 28), "each email once");
    second_outbox.stop();
}

crate::each_backend!(a_slow_server_gets_each_email_once);
