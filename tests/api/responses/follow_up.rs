//! The coordinators' follow-up: progress, answers' history, reminders, the dashboard at
//! scale.

use super::*;

both_backends!(
    progress_and_history,
    history_follows_its_answers_and_their_authors,
    the_dashboard_holds_two_thousand_organisations,
    the_dashboard_counts_answers_given_cleared_and_given_again
);

async fn progress_and_history(app: TestApp) {
    let s = setup(&app, Duration::days(30)).await;
    let other_owner = member(&app, "b@exemple.fr").await;
    let b: Value = send(
        &app,
        &other_owner,
        "POST",
        "/api/v1/organisations",
        Some(organisation("W130000001")),
    )
    .await
    .json()
    .await
    .unwrap();
    send(
        &app,
        &s.coordinator,
        "POST",
        &format!("/api/v1/organisations/{}/approve", b["id"]),
        None,
    )
    .await;
    for (i, text) in ["Un", "Deux", "Trois"].iter().enumerate() {
        let who = if i == 1 { &s.owner } else { &s.editor };
        put_answer(&app, who, s.org, "E1.Q2", json!({ "value": text })).await;
    }
    let history = history(&app, &s.viewer, s.org, "E1.Q2").await;
    let versions: Vec<(i64, &str)> = history["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| (v["version"].as_i64().unwrap(), v["value"].as_str().unwrap()))
        .collect();
    assert_eq!(versions, [(3, "Trois"), (2, "Deux"), (1, "Un")]);
    assert_eq!(history["versions"][1]["changed_by"], "Membre");

    problem(
        send(&app, &s.owner, "GET", "/api/v1/rounds/essai/progress", None).await,
        403,
    )
    .await;
    let progress = progress_of(&app, &s.coordinator).await;
    assert_eq!(
        progress["totals"],
        json!({"organisations": 2, "not_started": 1, "draft": 1, "submitted": 0})
    );
    let mine = row_of(&progress, s.org);
    assert_eq!(mine["status"], "draft");
    assert_eq!(mine["answered"], 1);
    assert_eq!(
        mine["missing_required"], 1,
        "E1.Q1 is required and unanswered"
    );
    assert!(mine["last_activity"].is_string());
}

/// An answer's history goes with the answer, and a deleted account's versions lose their
/// author but stay (on PostgreSQL by triggers, not by foreign keys: migration 000012).
async fn history_follows_its_answers_and_their_authors(app: TestApp) {
    use concerto::store::schema::{answer_history, responses, users};
    use diesel::prelude::*;
    let s = setup(&app, Duration::days(30)).await;
    for (who, text) in [
        (&s.editor, "De l'éditrice"),
        (&s.owner, "De la propriétaire"),
    ] {
        let saved = put_answer(&app, who, s.org, "E1.Q2", json!({ "value": text })).await;
        assert_eq!(saved.status(), 200);
    }
    let authors = app
        .with_db(|conn| {
            diesel::delete(users::table.filter(users::email.eq("editor@exemple.fr")))
                .execute(conn)
                .unwrap();
            answer_history::table
                .order(answer_history::version)
                .select(answer_history::changed_by)
                .load::<Option<i64>>(conn)
                .unwrap()
        })
        .await;
    // Emptied, not left pointing to an account that is gone.
    assert!(matches!(authors[..], [None, Some(_)]), "{authors:?}");
    let history = history(&app, &s.owner, s.org, "E1.Q2").await;
    let versions: Vec<(i64, &str, bool)> = history["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            let by = &v["changed_by"];
            (
                v["version"].as_i64().unwrap(),
                v["value"].as_str().unwrap(),
                by.is_string(),
            )
        })
        .collect();
    assert_eq!(
        versions,
        [(2, "De la propriétaire", true), (1, "De l'éditrice", false)],
        "{history}"
    );
    let org = s.org;
    let left = app
        .with_db(move |conn| {
            diesel::delete(responses::table.filter(responses::organisation_id.eq(org)))
                .execute(conn)
                .unwrap();
            answer_history::table
                .count()
                .get_result::<i64>(conn)
                .unwrap()
        })
        .await;
    assert_eq!(left, 0, "the history of the deleted answers stays");
}

/// 7 days and 1 day before the deadline, members of organisations that have not
/// submitted get one reminder each, once; coordinators can also remind now.
async fn reminders_on(backend: Backend) {
    let clock = Clock::manual(Utc::now());
    let Some(app) = TestApp::builder(backend).clock(clock.clone()).start().await else {
        return;
    };
    let s = setup(&app, Duration::days(10)).await;
    let late_owner = member(&app, "retard@exemple.fr").await;
    let late: Value = send(
        &app,
        &late_owner,
        "POST",
        "/api/v1/organisations",
        Some(organisation("W130000001")),
    )
    .await
    .json()
    .await
    .unwrap();
    send(
        &app,
        &s.coordinator,
        "POST",
        &format!("/api/v1/organisations/{}/approve", late["id"]),
        None,
    )
    .await;
    put_answer(&app, &s.editor, s.org, "E1.Q1", json!({"value": "Fait"})).await;
    let submitted = send(
        &app,
        &s.editor,
        "POST",
        &format!("/api/v1/rounds/essai/responses/{}/submit", s.org),
        Some(json!({"publication_consent": "none"})),
    )
    .await;
    assert_eq!(submitted.status(), 200);
    let reminders = |email: &'static str| {
        let app = &app;
        move || {
            app.mailbox
                .for_recipient(email)
                .into_iter()
                .filter(|m| m.subject.starts_with("Rappel"))
                .count()
        }
    };
    let (late_count, done_count) = (
        reminders("retard@exemple.fr"),
        reminders("owner@exemple.fr"),
    );
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(late_count(), 0, "ten days before: nothing yet");

    clock.advance(Duration::days(3) + Duration::hours(12));
    app.mailbox
        .wait_for_subject("retard@exemple.fr", "Rappel")
        .await;
    clock.advance(Duration::hours(6));
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    assert_eq!(late_count(), 1, "the 7-day reminder, once");

    clock.advance(Duration::days(5) + Duration::hours(12));
    for _ in 0..100 {
        if late_count() == 2 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    assert_eq!(late_count(), 2, "the 1-day reminder, once");
    assert_eq!(
        done_count(),
        0,
        "an organisation that submitted is not reminded"
    );
    let audited: Vec<String> = app
        .with_db(|conn| {
            use concerto::store::schema::audit_events::dsl as a;
            use diesel::prelude::*;
            a::audit_events
                .filter(a::action.eq("reminder_queued"))
                .select(a::details)
                .load(conn)
                .unwrap()
        })
        .await;
    assert_eq!(
        audited.len(),
        2,
        "each reminder is an audit event: {audited:?}"
    );

    let now: Value = send(
        &app,
        &s.coordinator,
        "POST",
        "/api/v1/rounds/essai/reminders",
        None,
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(now["reminded"], 1);
    app.mailbox.wait_for("retard@exemple.fr", 5).await;
    problem(
        send(
            &app,
            &s.owner,
            "POST",
            "/api/v1/rounds/essai/reminders",
            None,
        )
        .await,
        403,
    )
    .await;
}

crate::each_backend!(reminders_on);

/// The progress API and page stay quick with 2,000 eligible organisations.
async fn the_dashboard_holds_two_thousand_organisations(app: TestApp) {
    let s = setup(&app, Duration::days(30)).await;
    app.with_db(|conn| {
        use concerto::domain::organisations::{OrganisationKind, OrganisationStatus};
        let now = Utc::now();
        concerto::store::write_transaction(conn, |conn| {
            for i in 0..2000 {
                let legal_id = format!("W9{i:08}");
                let name = format!("Organisation {i:04}");
                let org = concerto::store::organisations::NewOrganisation {
                    name: &name,
                    acronym: None,
                    kind: OrganisationKind::Other,
                    legal_id: &legal_id,
                    website: None,
                    contact_email: "c@exemple.fr",
                    description: "",
                };
                let id = concerto::store::organisations::insert(conn, &org, 1, now)?;
                concerto::store::organisations::set_status(
                    conn,
                    id,
                    OrganisationStatus::Approved,
                    None,
                    now,
                )?;
            }
            Ok::<_, diesel::result::Error>(())
        })
        .unwrap();
    })
    .await;
    let started = std::time::Instant::now();
    let progress = progress_of(&app, &s.coordinator).await;
    let api = started.elapsed();
    assert_eq!(progress["totals"]["organisations"], 2001);
    let started = std::time::Instant::now();
    let page = s
        .coordinator
        .0
        .get(app.url("/coordination/consultations/essai/avancement"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    let rendered = started.elapsed();
    assert!(html.contains("Organisation 1999"));
    // Debug build on two cores: generous bounds, still far from "unusable".
    assert!(api < std::time::Duration::from_secs(3), "API took {api:?}");
    assert!(
        rendered < std::time::Duration::from_secs(3),
        "page took {rendered:?}"
    );
    eprintln!("progress of 2001 organisations: API {api:?}, page {rendered:?}");
}

/// The dashboard reads each response's tallies, kept by the writes: an answer given, cleared,
/// given again (the one-statement autosave then steps aside) and changed, a batch, a
/// refused batch; after each, the tallies match the answers themselves.
async fn the_dashboard_counts_answers_given_cleared_and_given_again(app: TestApp) {
    let s = setup(&app, Duration::days(30)).await;
    let org = s.org;
    let tallies = || async {
        let mine = row_of(&progress_of(&app, &s.coordinator).await, org);
        let answers = response(&app, &s.owner, org).await["answers"].clone();
        let given = answers
            .as_object()
            .unwrap()
            .values()
            .filter(|a| !a["value"].is_null())
            .count();
        assert_eq!(mine["answered"], given, "{answers}");
        (
            mine["answered"].as_i64().unwrap(),
            mine["missing_required"].as_i64().unwrap(),
        )
    };
    let put = |code: &'static str, value: Value, version: i32| {
        let (app, editor) = (&app, s.editor.clone());
        async move {
            let body = json!({"value": value, "version": version});
            send(app, &editor, "PUT", &answer_path(org, code), Some(body))
                .await
                .status()
                .as_u16()
        }
    };
    assert_eq!(put("E1.Q2", json!("Un"), 0).await, 200);
    assert_eq!(tallies().await, (1, 1));
    assert_eq!(put("E1.Q1", json!("Obligatoire"), 0).await, 200);
    assert_eq!(tallies().await, (2, 0));
    assert_eq!(put("E1.Q2", Value::Null, 1).await, 200);
    assert_eq!(tallies().await, (1, 0));
    assert_eq!(put("E1.Q2", json!("De retour"), 2).await, 200);
    assert_eq!(tallies().await, (2, 0));
    assert_eq!(put("E1.Q2", json!("Encore"), 3).await, 200);
    assert_eq!(tallies().await, (2, 0));

    let batch = |answers: Value| {
        let (app, owner) = (&app, s.owner.clone());
        async move {
            let path = format!("/api/v1/rounds/essai/responses/{org}/answers");
            let body = json!({ "answers": answers });
            send(app, &owner, "PATCH", &path, Some(body))
                .await
                .status()
                .as_u16()
        }
    };
    let cleared =
        json!({"E1.Q1": {"value": null, "version": 1}, "E1.Q3": {"value": "oui", "version": 0}});
    assert_eq!(batch(cleared).await, 200);
    assert_eq!(tallies().await, (2, 1));
    let stale = json!({"E1.Q1": {"value": "Refusée", "version": 1}, "E1.Q4": {"value": ["oui"], "version": 0}});
    assert_eq!(batch(stale).await, 409);
    assert_eq!(tallies().await, (2, 1));
    // Given again in a batch of answers already stored, none of them new: the one that
    // was cleared counts again.
    let again = json!({"E1.Q1": {"value": "Revenue", "version": 2}, "E1.Q2": {"value": "Toujours", "version": 4}});
    assert_eq!(batch(again).await, 200);
    assert_eq!(tallies().await, (3, 0));
}
