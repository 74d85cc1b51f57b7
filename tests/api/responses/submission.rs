//! Submitting and reopening: receipts, the deadline on a clock moved by hand, a
//! submission racing the close.

use super::*;

both_backends!(a_submission_racing_the_close_is_whole_or_refused);

both_backends!(submission_receipts_and_reopening,);

async fn submission_receipts_and_reopening(app: TestApp) {
    let s = setup(&app, Duration::days(30)).await;
    let submit_path = format!("/api/v1/rounds/essai/responses/{}/submit", s.org);
    let submit = |who, consent: &str| {
        send(
            &app,
            who,
            "POST",
            &submit_path,
            Some(json!({ "publication_consent": consent })),
        )
    };
    let missing = problem(submit(&s.editor, "attributed").await, 409).await;
    assert_eq!(missing["code"], "not_ready");
    assert_eq!(missing["errors"][0]["field"], "answers.E1.Q1");
    assert!(
        missing["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("Votre avis en une phrase")
    );
    problem(submit(&s.editor, "publique").await, 422).await;
    // A draft missing a required answer is refused too, and stays a draft.
    put_answer(
        &app,
        &s.editor,
        s.org,
        "E1.Q2",
        json!({"value": "Un début."}),
    )
    .await;
    let missing = problem(submit(&s.editor, "attributed").await, 409).await;
    assert_eq!(missing["code"], "not_ready");
    assert_eq!(missing["errors"][0]["field"], "answers.E1.Q1");
    assert_eq!(response(&app, &s.owner, s.org).await["status"], "draft");
    put_answer(
        &app,
        &s.editor,
        s.org,
        "E1.Q1",
        json!({"value": "Oui, clairement."}),
    )
    .await;
    problem(submit(&s.viewer, "attributed").await, 403).await;
    let submitted: Value = submit(&s.editor, "anonymous").await.json().await.unwrap();
    assert_eq!(submitted["status"], "submitted");
    assert_eq!(submitted["publication_consent"], "anonymous");
    // What the submission answered is what a later reading gives, to the microsecond,
    // answers included.
    let read = response(&app, &s.owner, s.org).await;
    assert_eq!(read["submitted_at"], submitted["submitted_at"]);
    assert!(submitted["submitted_at"].is_string());
    assert_eq!(read["answers"], submitted["answers"]);
    // Every member gets the receipt, with the answers, once.
    for email in ["owner@exemple.fr", "editor@exemple.fr", "viewer@exemple.fr"] {
        let receipt = app
            .mailbox
            .wait_for_subject(email, "Accusé de réception")
            .await;
        assert!(receipt.text.contains("Oui, clairement."));
        assert!(
            receipt.text.contains("Association des patients de l'Ouest"),
            "the receipt names the organisation: {}",
            receipt.text
        );
    }
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let receipts = app
        .mailbox
        .for_recipient("owner@exemple.fr")
        .into_iter()
        .filter(|m| m.subject.starts_with("Accusé"))
        .count();
    assert_eq!(receipts, 1);
    // Submitted: no more writes until reopened.
    problem(
        put_answer(&app, &s.editor, s.org, "E1.Q2", json!({"value": "Après"})).await,
        409,
    )
    .await;
    problem(submit(&s.editor, "none").await, 409).await;
    let reopened: Value = send(
        &app,
        &s.owner,
        "POST",
        &format!("/api/v1/rounds/essai/responses/{}/reopen", s.org),
        None,
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(reopened["status"], "draft");
    assert_eq!(
        put_answer(&app, &s.editor, s.org, "E1.Q2", json!({"value": "Après"}))
            .await
            .status(),
        200
    );
    // The audit trail holds the submission and the reopening, by whom, from where; not
    // the refused attempts (their transactions were undone).
    type Event = (String, Option<i64>, Option<String>, Option<String>, String);
    let events: Vec<Event> = app
        .with_db(|conn| {
            use concerto::store::schema::audit_events::dsl as a;
            use diesel::prelude::*;
            a::audit_events
                .filter(a::action.like("response_%"))
                .order(a::id)
                .select((a::action, a::actor_user_id, a::target, a::ip, a::details))
                .load(conn)
                .unwrap()
        })
        .await;
    let actions: Vec<&str> = events.iter().map(|e| e.0.as_str()).collect();
    assert_eq!(
        actions,
        ["response_submitted", "response_reopened"],
        "{events:?}"
    );
    assert_ne!(events[0].1, events[1].1, "editor, then owner: {events:?}");
    for (_, actor, target, ip, details) in &events {
        assert!(actor.is_some(), "{events:?}");
        assert_eq!(target.as_deref(), Some("round:essai"));
        assert!(ip.as_deref().is_some_and(|ip| !ip.is_empty()), "{events:?}");
        let details: Value = serde_json::from_str(details).unwrap();
        assert_eq!(details["organisation"], s.org);
    }
    let details: Value = serde_json::from_str(&events[0].4).unwrap();
    assert_eq!(details["publication_consent"], "anonymous");
}

/// Once `closes_at` has passed, every write is refused at once (no job involved).
async fn deadline_on(backend: Backend) {
    let clock = Clock::manual(Utc::now());
    let Some(app) = TestApp::builder(backend).clock(clock.clone()).start().await else {
        return;
    };
    let s = setup(&app, Duration::hours(2)).await;
    let path = answer_path(s.org, "E1.Q1");
    assert_eq!(
        send(
            &app,
            &s.editor,
            "PUT",
            &path,
            Some(json!({"value": "À temps"}))
        )
        .await
        .status(),
        200
    );
    clock.advance(Duration::hours(3));
    let late = problem(
        send(
            &app,
            &s.editor,
            "PUT",
            &path,
            Some(json!({"value": "Trop tard"})),
        )
        .await,
        409,
    )
    .await;
    assert_eq!(late["code"], "conflict");
    problem(
        send(
            &app,
            &s.editor,
            "POST",
            &format!("/api/v1/rounds/essai/responses/{}/submit", s.org),
            Some(json!({"publication_consent": "none"})),
        )
        .await,
        409,
    )
    .await;
    assert_eq!(
        response(&app, &s.owner, s.org).await["answers"]["E1.Q1"]["value"],
        "À temps"
    );
}

crate::each_backend!(deadline_on);

async fn a_submission_racing_the_close_is_whole_or_refused(app: TestApp) {
    let s = setup(&app, Duration::days(30)).await;
    put_answer(&app, &s.editor, s.org, "E1.Q1", json!({"value": "Prête"})).await;
    let submit_path = format!("/api/v1/rounds/essai/responses/{}/submit", s.org);
    let submit = send(
        &app,
        &s.editor,
        "POST",
        &submit_path,
        Some(json!({"publication_consent": "attributed"})),
    );
    let close = send(
        &app,
        &s.coordinator,
        "POST",
        "/api/v1/rounds/essai/close",
        None,
    );
    let (submitted, closed) = tokio::join!(submit, close);
    assert_eq!(closed.status(), 200);
    let stored = response(&app, &s.coordinator, s.org).await;
    match submitted.status().as_u16() {
        200 => assert_eq!(stored["status"], "submitted"),
        409 => assert_eq!(stored["status"], "draft", "refused: nothing half done"),
        other => panic!("unexpected {other}"),
    }
}
