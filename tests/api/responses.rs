//! Responses over the API: validation by kind, versions, all-or-nothing batches,
//! concurrency, the deadline, submission and receipts.

use chrono::{Duration, Utc};
use concerto::clock::Clock;
use serde_json::{Value, json};

use crate::both_backends;
use crate::helpers::{Backend, TestApp, problem, spawn_app_with_clock};
use crate::mailbox::link_param;
use crate::organisations::{member, organisation, send};
use crate::round_admin::{approved_organisation, built_round, coordinator_2fa};

pub type Who = (reqwest::Client, String);

both_backends!(
    every_bad_value_is_refused_and_nothing_changes,
    versions_protect_colleagues_from_each_other,
    concurrent_writers_on_different_questions_all_succeed,
    concurrent_writers_on_one_question_one_wins,
    submission_receipts_and_reopening,
);

/// An open round `essai` (chapter E1, questions E1.Q1–Q6 of every kind, Q1 required) and
/// an approved organisation with an owner, an editor and a viewer.
pub struct Setup {
    pub org: i64,
    pub owner: Who,
    pub editor: Who,
    pub viewer: Who,
    pub coordinator: Who,
}

async fn join(app: &TestApp, owner: &Who, org: i64, email: &'static str, role: &str) -> Who {
    send(
        app,
        owner,
        "POST",
        &format!("/api/v1/organisations/{org}/invitations"),
        Some(json!({"email": email, "role": role})),
    )
    .await;
    let token = link_param(
        &app.mailbox
            .wait_for_link(email, "/invitations/accepter")
            .await
            .text,
        "/invitations/accepter",
        "jeton",
    );
    let who = member(app, email).await;
    assert_eq!(
        send(
            app,
            &who,
            "POST",
            "/api/v1/invitations/accept",
            Some(json!({ "token": token }))
        )
        .await
        .status(),
        200
    );
    who
}

pub async fn setup(app: &TestApp, closes_in: Duration) -> Setup {
    let coordinator = coordinator_2fa(app, "coord@exemple.fr").await;
    let owner = member(app, "owner@exemple.fr").await;
    let created: Value = send(
        app,
        &owner,
        "POST",
        "/api/v1/organisations",
        Some(organisation("W751234567")),
    )
    .await
    .json()
    .await
    .unwrap();
    let org = created["id"].as_i64().unwrap();
    send(
        app,
        &coordinator,
        "POST",
        &format!("/api/v1/organisations/{org}/approve"),
        None,
    )
    .await;
    let editor = join(app, &owner, org, "editor@exemple.fr", "editor").await;
    let viewer = join(app, &owner, org, "viewer@exemple.fr", "viewer").await;
    built_round(app, &coordinator, "essai", closes_in).await;
    assert_eq!(
        send(app, &coordinator, "POST", "/api/v1/rounds/essai/open", None)
            .await
            .status(),
        200
    );
    Setup {
        org,
        owner,
        editor,
        viewer,
        coordinator,
    }
}

/// The round's progress, as the coordination reads it.
async fn progress_of(app: &TestApp, coordinator: &Who) -> Value {
    send(
        app,
        coordinator,
        "GET",
        "/api/v1/rounds/essai/progress",
        None,
    )
    .await
    .json()
    .await
    .unwrap()
}

/// One organisation's row of the progress.
fn row_of(progress: &Value, org: i64) -> Value {
    progress["organisations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["organisation_id"] == org)
        .unwrap()
        .clone()
}

fn answer_path(org: i64, code: &str) -> String {
    format!("/api/v1/rounds/essai/responses/{org}/answers/{code}")
}

/// `who` writes one answer of `org`'s response to `essai` (`body`: value and version).
async fn put_answer(
    app: &TestApp,
    who: &Who,
    org: i64,
    code: &str,
    body: Value,
) -> reqwest::Response {
    send(app, who, "PUT", &answer_path(org, code), Some(body)).await
}

/// The last versions of one answer, as `who` reads them.
async fn history(app: &TestApp, who: &Who, org: i64, code: &str) -> Value {
    send(
        app,
        who,
        "GET",
        &format!("{}/history", answer_path(org, code)),
        None,
    )
    .await
    .json()
    .await
    .unwrap()
}

async fn response(app: &TestApp, who: &Who, org: i64) -> Value {
    send(
        app,
        who,
        "GET",
        &format!("/api/v1/rounds/essai/responses/{org}"),
        None,
    )
    .await
    .json()
    .await
    .unwrap()
}

async fn every_bad_value_is_refused_and_nothing_changes(app: TestApp) {
    let s = setup(&app, Duration::days(30)).await;
    let good = [
        ("E1.Q1", json!("Une réponse courte")),
        ("E1.Q2", json!("Un témoignage détaillé")),
        ("E1.Q3", json!("oui")),
        ("E1.Q4", json!(["oui", "nsp"])),
        ("E1.Q5", json!(4)),
        (
            "E1.Q6",
            json!([{"title": "Former", "description": "Les soignants"}]),
        ),
    ];
    for (code, value) in &good {
        assert_eq!(
            put_answer(&app, &s.editor, s.org, code, json!({ "value": value }))
                .await
                .status(),
            200,
            "{code}"
        );
    }
    let before = response(&app, &s.owner, s.org).await;
    let bad: Vec<(&str, Value, &str)> = vec![
        ("E1.Q1", json!("x".repeat(201)), "too_long"),
        ("E1.Q1", json!(42), "not_text"),
        ("E1.Q2", json!(["liste"]), "not_text"),
        ("E1.Q3", json!("peut-etre"), "unknown_option"),
        ("E1.Q3", json!(["oui"]), "not_a_choice"),
        ("E1.Q4", json!(["oui", "non", "nsp"]), "choice_count"),
        ("E1.Q4", json!(["oui", "oui"]), "duplicate_option"),
        ("E1.Q4", json!("oui"), "not_a_list"),
        ("E1.Q5", json!(6), "out_of_range"),
        ("E1.Q5", json!(2.5), "not_an_integer"),
        ("E1.Q5", json!("3"), "not_an_integer"),
        ("E1.Q6", json!([{"title": ""}]), "required"),
        (
            "E1.Q6",
            json!([{"title": "a"}, {"title": "b"}, {"title": "c"}, {"title": "d"}, {"title": "e"}, {"title": "f"}]),
            "too_many",
        ),
        (
            "E1.Q6",
            json!([{"title": "a", "autre": 1}]),
            "unknown_field",
        ),
        ("E1.Q9", json!("?"), "unknown_question"),
    ];
    for (code, value, expected) in &bad {
        let body = problem(
            put_answer(&app, &s.editor, s.org, code, json!({ "value": value })).await,
            422,
        )
        .await;
        let codes: Vec<&str> = body["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["code"].as_str().unwrap())
            .collect();
        assert!(codes.contains(expected), "{code} {value}: {codes:?}");
        assert!(
            body["errors"][0]["field"]
                .as_str()
                .unwrap()
                .starts_with(&format!("answers.{code}")),
            "{body}"
        );
    }
    // A batch with one bad answer saves nothing, and lists every bad one.
    let batch = json!({"answers": {"E1.Q1": {"value": "Changée"}, "E1.Q3": {"value": "zz"}, "E1.Q5": {"value": 9}}});
    let body = problem(
        send(
            &app,
            &s.editor,
            "PATCH",
            &format!("/api/v1/rounds/essai/responses/{}/answers", s.org),
            Some(batch),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(body["errors"].as_array().unwrap().len(), 2);
    assert_eq!(
        response(&app, &s.owner, s.org).await,
        before,
        "nothing changed"
    );

    // Text survives byte for byte: accents, emoji, right-to-left marks.
    let text = "Égalité d’accès 🙂 — \u{200F}עברית\u{200E} fin";
    put_answer(&app, &s.editor, s.org, "E1.Q2", json!({ "value": text })).await;
    assert_eq!(
        response(&app, &s.owner, s.org).await["answers"]["E1.Q2"]["value"],
        text
    );
    // Clearing is allowed.
    put_answer(&app, &s.editor, s.org, "E1.Q4", json!({ "value": null })).await;
    assert_eq!(
        response(&app, &s.owner, s.org).await["answers"]["E1.Q4"]["value"],
        Value::Null
    );
}

async fn versions_protect_colleagues_from_each_other(app: TestApp) {
    let s = setup(&app, Duration::days(30)).await;
    let path = answer_path(s.org, "E1.Q2");
    let first: Value = send(
        &app,
        &s.owner,
        "PUT",
        &path,
        Some(json!({"value": "Version de la propriétaire", "version": 0})),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(first["version"], 1);
    let second: Value = send(
        &app,
        &s.editor,
        "PUT",
        &path,
        Some(json!({"value": "Version de l'éditeur", "version": 1})),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(second["version"], 2);
    // The owner still had version 1: refused, told what is there now and by whom.
    let stale = problem(
        send(
            &app,
            &s.owner,
            "PUT",
            &path,
            Some(json!({"value": "Écrasement ?", "version": 1})),
        )
        .await,
        409,
    )
    .await;
    assert_eq!(stale["code"], "stale_version");
    assert_eq!(
        stale["conflicts"][0]["current_value"],
        "Version de l'éditeur"
    );
    assert_eq!(stale["conflicts"][0]["current_version"], 2);
    assert_eq!(stale["conflicts"][0]["updated_by"], "Membre");
    assert_eq!(
        response(&app, &s.owner, s.org).await["answers"]["E1.Q2"]["value"],
        "Version de l'éditeur"
    );
    // A batch with a stale version saves nothing.
    let batch = json!({"answers": {"E1.Q1": {"value": "Nouvelle", "version": 0}, "E1.Q2": {"value": "Encore", "version": 1}}});
    problem(
        send(
            &app,
            &s.owner,
            "PATCH",
            &format!("/api/v1/rounds/essai/responses/{}/answers", s.org),
            Some(batch),
        )
        .await,
        409,
    )
    .await;
    assert!(
        response(&app, &s.owner, s.org).await["answers"]
            .get("E1.Q1")
            .is_none(),
        "all or nothing"
    );
    // Without a version, a write is unconditional.
    let forced: Value = send(
        &app,
        &s.owner,
        "PUT",
        &path,
        Some(json!({"value": "Sans version"})),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(forced["version"], 3);
    // Viewers read but do not write; coordinators read everything, write nothing.
    problem(
        send(
            &app,
            &s.viewer,
            "PUT",
            &path,
            Some(json!({"value": "Lecteur"})),
        )
        .await,
        403,
    )
    .await;
    assert_eq!(
        response(&app, &s.coordinator, s.org).await["answers"]["E1.Q2"]["value"],
        "Sans version"
    );
    problem(
        send(
            &app,
            &s.coordinator,
            "PUT",
            &path,
            Some(json!({"value": "Coordination"})),
        )
        .await,
        403,
    )
    .await;
    let stranger = member(&app, "stranger@exemple.fr").await;
    problem(
        send(
            &app,
            &stranger,
            "GET",
            &format!("/api/v1/rounds/essai/responses/{}", s.org),
            None,
        )
        .await,
        404,
    )
    .await;
}

async fn concurrent_writers_on_different_questions_all_succeed(app: TestApp) {
    let s = setup(&app, Duration::days(30)).await;
    send(
        &app,
        &s.coordinator,
        "POST",
        "/api/v1/rounds",
        Some(crate::round_admin::round("large", Duration::days(30))),
    )
    .await;
    send(
        &app,
        &s.coordinator,
        "POST",
        "/api/v1/rounds/large/chapters",
        Some(json!({"code": "E1", "title": "Tout"})),
    )
    .await;
    for i in 0..50 {
        let question = json!({"code": format!("Q{i}"), "prompt": "?", "kind": "short_text", "max_length": 100});
        assert_eq!(
            send(
                &app,
                &s.coordinator,
                "POST",
                "/api/v1/rounds/large/chapters/E1/questions",
                Some(question)
            )
            .await
            .status(),
            201
        );
    }
    send(
        &app,
        &s.coordinator,
        "POST",
        "/api/v1/rounds/large/open",
        None,
    )
    .await;
    let writes = (0..50).map(|i| {
        let (app, s) = (&app, &s);
        async move {
            let who = if i % 2 == 0 { &s.owner } else { &s.editor };
            send(
                app,
                who,
                "PUT",
                &format!("/api/v1/rounds/large/responses/{}/answers/Q{i}", s.org),
                Some(json!({"value": format!("Réponse {i}"), "version": 0})),
            )
            .await
            .status()
            .as_u16()
        }
    });
    let statuses = futures_util::future::join_all(writes).await;
    assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
    let stored: Value = send(
        &app,
        &s.owner,
        "GET",
        &format!("/api/v1/rounds/large/responses/{}", s.org),
        None,
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(stored["answers"].as_object().unwrap().len(), 50);
}

async fn concurrent_writers_on_one_question_one_wins(app: TestApp) {
    let s = setup(&app, Duration::days(30)).await;
    let path = answer_path(s.org, "E1.Q2");
    send(
        &app,
        &s.owner,
        "PUT",
        &path,
        Some(json!({"value": "Départ", "version": 0})),
    )
    .await;
    let writes = (0..20).map(|i| {
        let (app, s, path) = (&app, &s, &path);
        async move {
            let who = if i % 2 == 0 { &s.owner } else { &s.editor };
            send(
                app,
                who,
                "PUT",
                path,
                Some(json!({"value": format!("Écriture {i}"), "version": 1})),
            )
            .await
            .status()
            .as_u16()
        }
    });
    let statuses = futures_util::future::join_all(writes).await;
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 409).count(),
        19,
        "{statuses:?}"
    );
    assert_eq!(
        response(&app, &s.owner, s.org).await["answers"]["E1.Q2"]["version"],
        2
    );
}

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
    let Some(app) = spawn_app_with_clock(backend, |_| {}, clock.clone()).await else {
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

#[tokio::test]
async fn deadline_on_sqlite() {
    deadline_on(Backend::Sqlite).await;
}

#[tokio::test]
async fn deadline_on_postgres() {
    deadline_on(Backend::Postgres).await;
}

both_backends!(progress_and_history);

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

both_backends!(history_follows_its_answers_and_their_authors);

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
    let Some(app) = spawn_app_with_clock(backend, |_| {}, clock.clone()).await else {
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

#[tokio::test]
async fn reminders_on_sqlite() {
    reminders_on(Backend::Sqlite).await;
}

#[tokio::test]
async fn reminders_on_postgres() {
    reminders_on(Backend::Postgres).await;
}

both_backends!(a_submission_racing_the_close_is_whole_or_refused);

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

both_backends!(the_editor_pages_save_review_and_submit);

async fn the_editor_pages_save_review_and_submit(app: TestApp) {
    let s = setup(&app, Duration::days(30)).await;
    let editor_url = app.url(&format!(
        "/consultations/essai/reponse/{}?chapitre=E1",
        s.org
    ));
    let page = s
        .editor
        .0
        .get(&editor_url)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("name=\"q.E1.Q1\"") && page.contains("name=\"v.E1.Q1\" value=\"0\""),
        "{page}"
    );
    assert!(
        page.contains("<legend class=\"prompt\""),
        "choices are grouped in fieldsets"
    );
    // The stepper: where this chapter stands; after the last one, the review.
    assert!(
        page.contains("<p class=\"stepper-step\">Étape 1 sur 1</p>"),
        "{page}"
    );
    assert!(page.contains(&format!(
        "<a class=\"step-next\" href=\"/consultations/essai/reponse/{}/relecture\">",
        s.org
    )));
    assert!(!page.contains("step-previous"));
    let post = |who: &Who, fields: Vec<(&str, &str)>| {
        let mut fields: Vec<(String, String)> = fields
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        fields.push(("csrf_token".into(), who.1.clone()));
        who.0.post(editor_url.clone()).form(&fields).send()
    };
    // A save without JavaScript: only changed answers are written.
    let saved = post(
        &s.editor,
        vec![
            ("q.E1.Q1", "Une réponse"),
            ("v.E1.Q1", "0"),
            ("q.E1.Q4", "oui"),
            ("q.E1.Q4", "nsp"),
            ("v.E1.Q4", "0"),
            ("q.E1.Q5", "4"),
            ("v.E1.Q5", "0"),
            ("q.E1.Q6.title.0", "Former"),
            ("q.E1.Q6.description.0", "Les soignants"),
            ("v.E1.Q6", "0"),
        ],
    )
    .await
    .unwrap();
    assert_eq!(saved.status(), 303);
    let stored = response(&app, &s.owner, s.org).await;
    assert_eq!(stored["answers"]["E1.Q4"]["value"], json!(["oui", "nsp"]));
    assert_eq!(
        stored["answers"]["E1.Q6"]["value"],
        json!([{"title": "Former", "description": "Les soignants"}])
    );
    assert!(
        stored["answers"].get("E1.Q2").is_none(),
        "untouched answers are not written"
    );

    // A refused value keeps what was typed, with the error; the chapter's valid answers
    // posted with it are saved all the same (the whole form, as a browser sends it).
    let long = "x".repeat(250);
    let refused = post(
        &s.editor,
        vec![
            ("q.E1.Q1", long.as_str()),
            ("v.E1.Q1", "1"),
            ("q.E1.Q2", "Un témoignage valide"),
            ("v.E1.Q2", "0"),
            ("q.E1.Q4", "oui"),
            ("q.E1.Q4", "nsp"),
            ("v.E1.Q4", "1"),
            ("q.E1.Q5", "4"),
            ("v.E1.Q5", "1"),
            ("q.E1.Q6.title.0", "Former"),
            ("q.E1.Q6.description.0", "Les soignants"),
            ("v.E1.Q6", "1"),
        ],
    )
    .await
    .unwrap();
    let status = refused.status();
    let html = refused.text().await.unwrap();
    assert_eq!(status, 422, "{html}");
    let stored = response(&app, &s.owner, s.org).await;
    assert_eq!(stored["answers"]["E1.Q2"]["value"], "Un témoignage valide");
    assert_eq!(stored["answers"]["E1.Q1"]["value"], "Une réponse");
    assert!(
        html.contains("name=\"v.E1.Q2\" value=\"1\""),
        "the saved answer's new version is in the form"
    );
    assert!(
        html.contains(&"x".repeat(250)) && html.contains("href=\"#champ-answers.E1.Q1\""),
        "typed text kept, error linked"
    );

    // A colleague changed it meanwhile: both versions side by side, nothing lost.
    put_answer(
        &app,
        &s.owner,
        s.org,
        "E1.Q1",
        json!({"value": "Version de la propriétaire", "version": 1}),
    )
    .await;
    let conflict = post(
        &s.editor,
        vec![("q.E1.Q1", "Version de l'éditeur"), ("v.E1.Q1", "1")],
    )
    .await
    .unwrap();
    assert_eq!(conflict.status(), 409);
    let html = conflict.text().await.unwrap();
    assert!(html.contains("Version de la propriétaire"), "{html}");
    assert!(
        html.contains("Version de l&#39;éditeur") || html.contains("Version de l&#x27;éditeur"),
        "{html}"
    );
    assert!(
        html.contains("name=\"v.E1.Q1\" value=\"2\""),
        "saving again is based on the current version"
    );

    // Review: a missing required answer is listed with a link to it.
    put_answer(&app, &s.owner, s.org, "E1.Q1", json!({"value": null})).await;
    let submit_url = app.url(&format!("/consultations/essai/reponse/{}/soumettre", s.org));
    let missing = s
        .editor
        .0
        .post(&submit_url)
        .form(&[
            ("publication_consent", "attributed"),
            ("csrf_token", s.editor.1.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 409);
    let html = missing.text().await.unwrap();
    assert!(
        html.contains("<title>Erreur")
            && html.contains(&format!(
                "/consultations/essai/reponse/{}?chapitre=E1#question-E1.Q1",
                s.org
            )),
        "{html}"
    );
    put_answer(&app, &s.owner, s.org, "E1.Q1", json!({"value": "Complète"})).await;
    put_answer(&app, &s.owner, s.org, "E1.Q5", json!({"value": 5})).await;
    let done = s
        .editor
        .0
        .post(&submit_url)
        .form(&[
            ("publication_consent", "anonymous"),
            ("csrf_token", s.editor.1.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(done.status(), 303);
    let copy = s
        .viewer
        .0
        .get(app.url(&format!("/consultations/essai/reponse/{}/copie", s.org)))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        copy.contains("Complète")
            && copy.contains("Oui ; Ne sait pas")
            && copy.contains("1. Former — Les soignants")
            // A scale's end with what it means, as the editor showed it.
            && copy.contains("5 — Totale"),
        "{copy}"
    );
    // Members see who changed what.
    let history = s
        .viewer
        .0
        .get(app.url(&format!(
            "/consultations/essai/reponse/{}/historique/E1.Q1",
            s.org
        )))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        history.contains("Complète")
            && history.contains("Version de la propriétaire")
            && history.contains("Une réponse"),
        "{history}"
    );
    // Viewers see the editor read-only.
    let read_only = s
        .viewer
        .0
        .get(&editor_url)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(read_only.contains("readonly") && !read_only.contains("Enregistrer ce chapitre"));
}

both_backends!(the_dashboard_holds_two_thousand_organisations);

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

both_backends!(a_save_after_the_session_ended_loses_nothing);

/// Without JavaScript: the save arrives after the session ended; the answers are kept,
/// the person signs in and finds them in the editor, ready to save.
async fn a_save_after_the_session_ended_loses_nothing(app: TestApp) {
    let s = setup(&app, Duration::days(30)).await;
    let editor_url = app.url(&format!(
        "/consultations/essai/reponse/{}?chapitre=E1",
        s.org
    ));
    app.end_sessions("editor@exemple.fr").await;
    let typed = "Un long témoignage écrit pendant que la session expirait";
    let late = s
        .editor
        .0
        .post(&editor_url)
        .form(&[
            ("q.E1.Q2", typed),
            ("v.E1.Q2", "0"),
            ("csrf_token", s.editor.1.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(late.status(), 303);
    let location = late.headers()["location"].to_str().unwrap().to_owned();
    assert!(
        location.starts_with("/connexion?suite=") && location.contains("repris%3D1"),
        "{location}"
    );
    let cookie = late
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|c| c.starts_with("concerto_brouillon="));
    assert!(
        cookie
            .as_deref()
            .is_some_and(|c| c.contains("HttpOnly") && c.contains("SameSite=Lax")),
        "{cookie:?}"
    );

    app.sign_in(&s.editor.0, "editor@exemple.fr", crate::accounts::PASSWORD)
        .await;
    let back = app.url(&format!(
        "/consultations/essai/reponse/{}?chapitre=E1&repris=1",
        s.org
    ));
    let page = s
        .editor
        .0
        .get(&back)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains(typed), "the typed text is back");
    assert!(page.contains("conservée"), "and said so");
    // Served once only.
    let again = s
        .editor
        .0
        .get(&back)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!again.contains(typed));
}

both_backends!(invited_rounds_take_answers_from_invited_organisations_only);

async fn invited_rounds_take_answers_from_invited_organisations_only(app: TestApp) {
    let coordinator = coordinator_2fa(&app, "coord@exemple.fr").await;
    let mut organisations = Vec::new();
    for (email, legal_id) in [
        ("invitee@exemple.fr", "W751234567"),
        ("outsider@exemple.fr", "W130000001"),
    ] {
        organisations.push(approved_organisation(&app, &coordinator, email, legal_id).await);
    }
    let [(invitee, invited_org), (outsider, outsider_org)] = &organisations[..] else {
        unreachable!()
    };
    built_round(&app, &coordinator, "essai", Duration::days(30)).await;
    for (method, path, body) in [
        (
            "PATCH",
            "/api/v1/rounds/essai",
            json!({"audience": "invited"}),
        ),
        (
            "POST",
            "/api/v1/rounds/essai/invitations",
            json!({"organisation_ids": [invited_org]}),
        ),
        ("POST", "/api/v1/rounds/essai/open", json!({})),
    ] {
        let answered = send(&app, &coordinator, method, path, Some(body)).await;
        assert!(answered.status().is_success(), "{method} {path}");
    }
    let value = Some(json!({"value": "Notre avis."}));
    let written = send(
        &app,
        invitee,
        "PUT",
        &answer_path(*invited_org, "E1.Q1"),
        value.clone(),
    )
    .await;
    assert_eq!(written.status(), 200);
    let refused = send(
        &app,
        outsider,
        "PUT",
        &answer_path(*outsider_org, "E1.Q1"),
        value,
    )
    .await;
    let refused = problem(refused, 403).await;
    assert!(
        refused["detail"].as_str().unwrap().contains("invitées"),
        "{refused}"
    );
    // Nothing of the refused write was kept.
    assert_eq!(
        response(&app, outsider, *outsider_org).await["status"],
        "not_started"
    );
    assert_eq!(
        response(&app, invitee, *invited_org).await["answers"]["E1.Q1"]["value"],
        "Notre avis."
    );
}

both_backends!(an_autosave_with_its_version_is_refused_as_any_write);

/// The usual autosave (answers already given, their versions sent: one or several at once)
/// is one statement on PostgreSQL that checks every rule at once: each refusal must still
/// be the precise one, and leave the answers and their history as they were; several
/// answers are written all together or not at all.
async fn an_autosave_with_its_version_is_refused_as_any_write(app: TestApp) {
    let s = setup(&app, Duration::days(30)).await;
    let other = member(&app, "autre@exemple.fr").await;
    let path = answer_path(s.org, "E1.Q2");
    let save = |who: &Who, value: &str, version: i32| {
        let body = json!({"value": value, "version": version});
        let (app, who, path) = (&app, who.clone(), path.clone());
        async move { send(app, &who, "PUT", &path, Some(body)).await }
    };
    // The same refusals for several answers at once (one statement on PostgreSQL too).
    let batch_path = format!("/api/v1/rounds/essai/responses/{}/answers", s.org);
    let save_both = |who: &Who, text: &str, versions: (i32, i32)| {
        let body = json!({"answers": {
            "E1.Q2": {"value": text, "version": versions.0},
            "E1.Q5": {"value": 4, "version": versions.1},
        }});
        let (app, who, path) = (&app, who.clone(), batch_path.clone());
        async move { send(app, &who, "PATCH", &path, Some(body)).await }
    };
    let first: Value = save(&s.editor, "Première", 0).await.json().await.unwrap();
    assert_eq!(first["version"], 1);
    let scale = answer_path(s.org, "E1.Q5");
    let body = json!({"value": 3, "version": 0});
    assert_eq!(
        send(&app, &s.editor, "PUT", &scale, Some(body))
            .await
            .status(),
        200
    );
    // Both answers as they were after `version` writes, each of them in the history.
    let intact = |text: &'static str, scale: i64, version: usize| {
        let app = &app;
        let (owner, org) = (s.owner.clone(), s.org);
        async move {
            let answers = response(app, &owner, org).await["answers"].clone();
            assert_eq!(answers["E1.Q2"]["value"], text, "{answers}");
            assert_eq!(answers["E1.Q2"]["version"], version);
            assert_eq!(answers["E1.Q5"]["value"], scale, "{answers}");
            assert_eq!(answers["E1.Q5"]["version"], version);
            for code in ["E1.Q2", "E1.Q5"] {
                let history = history(app, &owner, org, code).await;
                let versions = history["versions"].as_array().unwrap();
                assert_eq!(versions.len(), version, "{history}");
            }
        }
    };

    for (who, status, detail) in [
        (&s.viewer, 403, "lecteurs"),
        (&s.coordinator, 403, "coordination"),
        (&other, 404, ""),
    ] {
        let sent = problem(save(who, "Intrus", 1).await, status).await;
        assert!(
            sent["detail"].as_str().unwrap_or_default().contains(detail),
            "{sent}"
        );
        let sent = problem(save_both(who, "Intrus", (1, 1)).await, status).await;
        assert!(
            sent["detail"].as_str().unwrap_or_default().contains(detail),
            "{sent}"
        );
        intact("Première", 3, 1).await;
    }
    let stale = problem(save(&s.owner, "Périmée", 7).await, 409).await;
    assert_eq!(stale["conflicts"][0]["current_version"], 1);
    intact("Première", 3, 1).await;
    // One version current, the other stale: neither is written, the stale one is named.
    let stale = problem(save_both(&s.owner, "Périmée", (1, 7)).await, 409).await;
    let conflicts = stale["conflicts"].as_array().unwrap();
    assert_eq!(conflicts.len(), 1, "{stale}");
    assert_eq!(conflicts[0]["question"], "E1.Q5");
    assert_eq!(conflicts[0]["current_value"], 3);
    intact("Première", 3, 1).await;
    let saved: Value = save_both(&s.owner, "Deuxième", (1, 1))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(saved["versions"], json!({"E1.Q2": 2, "E1.Q5": 2}));
    intact("Deuxième", 4, 2).await;

    let org = s.org;
    let coordinate = |action: &str| {
        let path = format!("/api/v1/organisations/{org}/{action}");
        let (app, coordinator) = (&app, s.coordinator.clone());
        async move {
            let body = json!({"reason": "Vérification"});
            send(app, &coordinator, "POST", &path, Some(body)).await
        }
    };
    assert_eq!(coordinate("suspend").await.status(), 200);
    let suspended = problem(save(&s.editor, "Suspendue", 2).await, 403).await;
    assert!(
        suspended["detail"].as_str().unwrap().contains("suspendue"),
        "{suspended}"
    );
    let suspended = problem(save_both(&s.editor, "Suspendue", (2, 2)).await, 403).await;
    assert!(
        suspended["detail"].as_str().unwrap().contains("suspendue"),
        "{suspended}"
    );
    intact("Deuxième", 4, 2).await;
    assert_eq!(coordinate("reinstate").await.status(), 200);

    let required = put_answer(
        &app,
        &s.owner,
        s.org,
        "E1.Q1",
        json!({"value": "Obligatoire", "version": 0}),
    )
    .await;
    assert_eq!(required.status(), 200);
    let responses = format!("/api/v1/rounds/essai/responses/{org}");
    let submitted = send(
        &app,
        &s.owner,
        "POST",
        &format!("{responses}/submit"),
        Some(json!({"publication_consent": "none"})),
    )
    .await;
    assert_eq!(submitted.status(), 200);
    for refused in [
        save(&s.editor, "Après envoi", 2).await,
        save_both(&s.editor, "Après envoi", (2, 2)).await,
    ] {
        let after_submission = problem(refused, 409).await;
        assert!(
            after_submission["detail"]
                .as_str()
                .unwrap()
                .contains("soumise"),
            "{after_submission}"
        );
    }
    intact("Deuxième", 4, 2).await;
    let reopened = send(&app, &s.owner, "POST", &format!("{responses}/reopen"), None).await;
    assert_eq!(reopened.status(), 200);

    let closed = send(
        &app,
        &s.coordinator,
        "POST",
        "/api/v1/rounds/essai/close",
        None,
    )
    .await;
    assert_eq!(closed.status(), 200);
    for refused in [
        save(&s.editor, "Trop tard", 2).await,
        save_both(&s.editor, "Trop tard", (2, 2)).await,
    ] {
        let after_close = problem(refused, 409).await;
        assert!(
            after_close["detail"].as_str().unwrap().contains("closed"),
            "{after_close}"
        );
    }
    intact("Deuxième", 4, 2).await;
}

both_backends!(the_dashboard_counts_answers_given_cleared_and_given_again);

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
