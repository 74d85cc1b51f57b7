//! Personal data is not kept forever: on a moved clock the retention job pseudonymises
//! old audit addresses, deletes expired sessions and kept drafts, empties old emails'
//! bodies, deletes the drafts of rounds archived long ago and the answers of those whose
//! coordinators chose not to keep them, and nothing else; run again, or on two instances
//! at once, it finds nothing more. The privacy page says the configured periods.

use chrono::{Duration, Utc};
use concerto::services::retention::{self, Purged};
use concerto::store::DbConnection;
use diesel::prelude::*;

use crate::both_backends;
use crate::fixtures::{coordinator_2fa, member, send, west_and_east};
use crate::helpers::TestApp;
use crate::search::{answer, open, submit};

both_backends!(retention_purges_what_is_due_and_nothing_else);
both_backends!(the_privacy_page_says_the_configured_periods);

async fn count(app: &TestApp, sql: &'static str) -> i64 {
    app.with_db(move |conn| {
        #[derive(QueryableByName)]
        struct N {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        diesel::sql_query(sql).get_result::<N>(conn).unwrap().n
    })
    .await
}

fn apply(
    conn: &mut DbConnection,
    days: i64,
    privacy: &concerto::config::PrivacySettings,
) -> Purged {
    retention::apply(conn, Utc::now() + Duration::days(days), privacy).unwrap()
}

async fn retention_purges_what_is_due_and_nothing_else(app: TestApp) {
    let privacy = app.state.settings.privacy.clone();
    let coord = coordinator_2fa(&app, "coord@exemple.fr").await;
    let ((west, west_org), (east, east_org)) = west_and_east(&app, &coord).await;
    // Two rounds, each with West's submitted response and East's draft, archived: one
    // keeps its answers, the other lets them go after the period.
    for (slug, answers) in [("gardee", "keep"), ("effacee", "purge")] {
        open(&app, &coord, slug).await;
        answer(&app, &west, slug, west_org, "E1.Q1", "Notre avis.").await;
        submit(&app, &west, slug, west_org).await;
        answer(&app, &east, slug, east_org, "E1.Q1", "Un brouillon.").await;
        let base = format!("/api/v1/rounds/{slug}");
        let closed = send(&app, &coord, "POST", &format!("{base}/close"), None).await;
        assert_eq!(closed.status(), 200);
        let path = format!("{base}/archive?answers={answers}");
        let archived = send(&app, &coord, "POST", &path, None).await;
        assert_eq!(archived.status(), 200, "{slug}");
    }
    let refused = send(
        &app,
        &coord,
        "POST",
        "/api/v1/rounds/gardee/archive?answers=jamais",
        None,
    )
    .await;
    assert_eq!(refused.status(), 422);
    // Someone who signed in once, long ago: an expired session.
    let _gone = member(&app, "parti@exemple.fr").await;
    // From here the test runs the job itself, at the moments it chooses.
    app.background.stop();
    let runs = count(
        &app,
        "SELECT COUNT(*) AS n FROM audit_events WHERE action = 'retention_applied'",
    )
    .await;
    let now = Utc::now().naive_utc();
    app.with_db(move |conn| {
        use concerto::store::schema::{
            audit_events as a, kept_drafts as k, outbox as o, sessions as s, users as u,
        };
        let gone: i64 = u::table
            .filter(u::email.eq("parti@exemple.fr"))
            .select(u::id)
            .first(conn)
            .unwrap();
        diesel::update(s::table.filter(s::user_id.eq(gone)))
            .set(s::expires_at.eq(now - Duration::hours(1)))
            .execute(conn)
            .unwrap();
        for (days, ip) in [(400, "203.0.113.7"), (1, "198.51.100.1")] {
            diesel::insert_into(a::table)
                .values((
                    a::occurred_at.eq(now - Duration::days(days)),
                    a::action.eq("sign_in"),
                    a::ip.eq(ip),
                    a::details.eq("{}"),
                ))
                .execute(conn)
                .unwrap();
        }
        for (key, hours) in [("expire", -1), ("vivant", 1)] {
            diesel::insert_into(k::table)
                .values((
                    k::key_hash.eq(key),
                    k::round_slug.eq("gardee"),
                    k::organisation_id.eq(west_org),
                    k::chapter.eq("E1"),
                    k::fields.eq("[]"),
                    k::created_at.eq(now - Duration::hours(2)),
                    k::expires_at.eq(now + Duration::hours(hours)),
                ))
                .execute(conn)
                .unwrap();
        }
        for (days, body) in [(40, "Bonjour Lucie, ancien"), (2, "Bonjour Lucie, récent")] {
            diesel::insert_into(o::table)
                .values((
                    o::recipient.eq("lucie@exemple.fr"),
                    o::subject.eq("Accusé de réception"),
                    o::body_text.eq(body),
                    o::body_html.eq(body),
                    o::created_at.eq(now - Duration::days(days)),
                    o::attempts.eq(1),
                    o::next_attempt_at.eq(now - Duration::days(days)),
                    o::sent_at.eq(now - Duration::days(days)),
                    o::state.eq("sent"),
                ))
                .execute(conn)
                .unwrap();
        }
    })
    .await;
    let events = count(&app, "SELECT COUNT(*) AS n FROM audit_events").await;

    // Today: the old address, the expired session and kept draft, the old email's body.
    let first = {
        let privacy = privacy.clone();
        app.with_db(move |conn| apply(conn, 0, &privacy)).await
    };
    assert_eq!(
        (
            first.audit_ips,
            first.sessions,
            first.kept_drafts,
            first.email_bodies
        ),
        (1, 1, 1, 1),
        "{first:?}"
    );
    assert_eq!(
        (first.archived_drafts, first.unkept_responses),
        (0, 0),
        "archived today"
    );
    let ips: Vec<Option<String>> = app
        .with_db(|conn| {
            use concerto::store::schema::audit_events as a;
            a::table
                .filter(a::action.eq("sign_in"))
                .filter(a::details.eq("{}"))
                .order(a::occurred_at)
                .select(a::ip)
                .load(conn)
                .unwrap()
        })
        .await;
    let old = ips[0].clone().unwrap();
    assert!(old.starts_with("pseudo:") && !old.contains("203"), "{old}");
    assert_eq!(ips[1].as_deref(), Some("198.51.100.1"));
    // Nothing else went: every event is there (one more: the run's own), the recent
    // email whole, the live kept draft, the coordinator still signed in.
    assert_eq!(
        count(&app, "SELECT COUNT(*) AS n FROM audit_events").await,
        events + 1
    );
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) AS n FROM outbox WHERE body_text = 'Bonjour Lucie, récent'"
        )
        .await,
        1
    );
    assert_eq!(
        count(&app, "SELECT COUNT(*) AS n FROM kept_drafts").await,
        1
    );
    let me = send(&app, &coord, "GET", "/api/v1/me", None).await;
    assert_eq!(me.status(), 200);
    let again = {
        let privacy = privacy.clone();
        app.with_db(move |conn| apply(conn, 0, &privacy)).await
    };
    assert!(again.is_empty(), "a second run finds nothing: {again:?}");

    // Thirteen months on, on two instances at once: the drafts of both archived rounds
    // go, and the answers of the one that did not keep them; between them the two runs
    // do it once.
    let twin = app.twin().await;
    let (p1, p2) = (privacy.clone(), privacy.clone());
    let (one, other) = tokio::join!(
        app.state
            .db
            .run(move |conn| Ok::<_, concerto::store::DbError>(apply(conn, 400, &p1))),
        twin.state
            .db
            .run(move |conn| Ok::<_, concerto::store::DbError>(apply(conn, 400, &p2))),
    );
    let (one, other) = (one.unwrap(), other.unwrap());
    assert_eq!(
        one.archived_drafts + other.archived_drafts,
        2,
        "{one:?} {other:?}"
    );
    assert_eq!(
        one.unkept_responses + other.unkept_responses,
        1,
        "{one:?} {other:?}"
    );
    let left = count(
        &app,
        "SELECT COUNT(*) AS n FROM responses r JOIN rounds d ON d.id = r.round_id \
         WHERE d.slug = 'gardee' AND r.status = 'submitted'",
    )
    .await;
    assert_eq!(left, 1, "the kept round keeps its submitted response");
    assert_eq!(count(&app, "SELECT COUNT(*) AS n FROM responses").await, 1);
    let third = {
        let privacy = privacy.clone();
        app.with_db(move |conn| apply(conn, 400, &privacy)).await
    };
    assert!(third.is_empty(), "{third:?}");
    // The daily claim: two instances asking for the same day, one runs.
    let tomorrow = Utc::now() + Duration::days(401);
    let (p1, p2) = (privacy.clone(), privacy.clone());
    let (a, b) = tokio::join!(
        app.state
            .db
            .run(move |conn| retention::run_daily(conn, tomorrow, &p1)),
        twin.state
            .db
            .run(move |conn| retention::run_daily(conn, tomorrow, &p2)),
    );
    let ran = [a.unwrap(), b.unwrap()]
        .iter()
        .filter(|r| r.is_some())
        .count();
    assert_eq!(ran, 1);
    let audited = count(
        &app,
        "SELECT COUNT(*) AS n FROM audit_events WHERE action = 'retention_applied' AND ip IS NULL",
    )
    .await;
    assert_eq!(audited, runs + 6, "each run audited, without an address");
    app.journal_reads_in_words().await;
}

async fn the_privacy_page_says_the_configured_periods(app: TestApp) {
    let privacy = &app.state.settings.privacy;
    let page = app.get("/confidentialite").await;
    assert_eq!(page.status(), 200);
    let page = page
        .text()
        .await
        .unwrap()
        .replace("&#x27;", "'")
        .replace("&#39;", "'");
    for said in [
        format!("après {} mois", privacy.audit_ip_months),
        format!("{} jours après l'envoi", privacy.outbox_body_days),
        format!("{} mois après l'archivage", privacy.archived_drafts_months),
        privacy.dpo_contact.clone(),
        "aucun bandeau".to_owned(),
    ] {
        assert!(page.contains(&said), "{said} in {page}");
    }
    let english = app
        .client
        .get(app.url("/confidentialite"))
        .header("accept-language", "en")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(english.contains("Retention periods"), "{english}");
    let home = app.get("/").await.text().await.unwrap();
    assert!(home.contains("href=\"/confidentialite\""));
}
