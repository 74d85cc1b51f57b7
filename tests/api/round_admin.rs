//! Coordinators build and run rounds: every rule, each refusal with its status and field,
//! and nothing changed by a refusal. Deadlines are tested on a clock moved by hand.

use chrono::{Duration, Utc};
use concerto::clock::Clock;
use serde_json::{Value, json};

use crate::both_backends;
use crate::fixtures::{
    Who, approved_organisation, coordinator, coordinator_2fa, member, organisation, send,
};
use crate::helpers::{Backend, TestApp, client, problem, problem_fields};

both_backends!(
    a_round_is_built_checked_and_opened,
    an_open_round_keeps_its_structure,
    invited_audiences_and_duplicates,
);

pub fn round(slug: &str, closes_in: Duration) -> Value {
    json!({
        "slug": slug,
        "title": "Consultation de test",
        "summary": "Une consultation pour les tests.",
        "body": "Un **corps** en Markdown.",
        "closes_at": (Utc::now() + closes_in).to_rfc3339(),
        "audience": "all_approved"
    })
}

/// One question of each kind, codes `<chapter>.Q1` … `.Q6`.
pub fn questions_of_every_kind(chapter: &str) -> Vec<Value> {
    let options = json!([{"key": "oui", "label": "Oui"}, {"key": "non", "label": "Non"}, {"key": "nsp", "label": "Ne sait pas"}]);
    vec![
        json!({"code": format!("{chapter}.Q1"), "prompt": "Votre avis en une phrase ?", "kind": "short_text", "max_length": 200, "required": true}),
        json!({"code": format!("{chapter}.Q2"), "prompt": "Racontez.", "kind": "long_text", "max_length": 5000}),
        json!({"code": format!("{chapter}.Q3"), "prompt": "D'accord ?", "kind": "single_choice", "options": options, "min_choices": 1, "max_choices": 1}),
        json!({"code": format!("{chapter}.Q4"), "prompt": "Lesquels ?", "kind": "multiple_choice", "options": options, "min_choices": 1, "max_choices": 2}),
        json!({"code": format!("{chapter}.Q5"), "prompt": "Quelle confiance ?", "kind": "scale", "scale": {"min": 1, "max": 5, "min_label": "Aucune", "max_label": "Totale"}}),
        json!({"code": format!("{chapter}.Q6"), "prompt": "Vos propositions ?", "kind": "proposals", "max_items": 5}),
    ]
}

/// A draft with chapter E1 holding one question of each kind.
pub async fn built_round(app: &TestApp, who: &Who, slug: &str, closes_in: Duration) {
    assert_eq!(
        send(
            app,
            who,
            "POST",
            "/api/v1/rounds",
            Some(round(slug, closes_in))
        )
        .await
        .status(),
        201
    );
    let chapter = json!({"code": "E1", "title": "Premier enjeu"});
    assert_eq!(
        send(
            app,
            who,
            "POST",
            &format!("/api/v1/rounds/{slug}/chapters"),
            Some(chapter)
        )
        .await
        .status(),
        201
    );
    for question in questions_of_every_kind("E1") {
        let response = send(
            app,
            who,
            "POST",
            &format!("/api/v1/rounds/{slug}/chapters/E1/questions"),
            Some(question),
        )
        .await;
        assert_eq!(response.status(), 201);
    }
}

pub async fn round_json(app: &TestApp, who: &Who, slug: &str) -> Value {
    send(app, who, "GET", &format!("/api/v1/rounds/{slug}"), None)
        .await
        .json()
        .await
        .unwrap()
}

async fn a_round_is_built_checked_and_opened(app: TestApp) {
    let coord = coordinator_2fa(&app, "coord@exemple.fr").await;
    let bad = json!({"slug": "Pas Bon", "title": "", "opens_at": "2030-01-02T00:00:00Z", "closes_at": "2030-01-01T00:00:00Z", "audience": "tous"});
    let body = problem(
        send(&app, &coord, "POST", "/api/v1/rounds", Some(bad)).await,
        422,
    )
    .await;
    let mut fields = problem_fields(&body);
    fields.sort();
    assert_eq!(fields, ["audience", "closes_at", "slug", "title"]);

    built_round(&app, &coord, "essai", Duration::days(30)).await;
    problem(
        send(
            &app,
            &coord,
            "POST",
            "/api/v1/rounds",
            Some(round("essai", Duration::days(3))),
        )
        .await,
        409,
    )
    .await;
    problem(
        send(
            &app,
            &coord,
            "POST",
            "/api/v1/rounds/essai/chapters",
            Some(json!({"code": "E1", "title": "Doublon"})),
        )
        .await,
        409,
    )
    .await;
    let bad_code = send(
        &app,
        &coord,
        "POST",
        "/api/v1/rounds/essai/chapters",
        Some(json!({"code": "e-2", "title": "x"})),
    )
    .await;
    assert_eq!(problem(bad_code, 422).await["errors"][0]["field"], "code");
    let bad_choice = json!({"code": "E1.Q9", "prompt": "?", "kind": "multiple_choice",
        "options": [{"key": "a", "label": "A"}, {"key": "a", "label": "B"}], "min_choices": 2, "max_choices": 3});
    let body = problem(
        send(
            &app,
            &coord,
            "POST",
            "/api/v1/rounds/essai/chapters/E1/questions",
            Some(bad_choice),
        )
        .await,
        422,
    )
    .await;
    let fields = problem_fields(&body);
    assert_eq!(fields, ["options[1].key", "min_choices"]);
    let wide_scale = json!({"code": "E1.Q9", "prompt": "?", "kind": "scale", "scale": {"min": 0, "max": 11, "min_label": "", "max_label": ""}});
    assert_eq!(
        problem(
            send(
                &app,
                &coord,
                "POST",
                "/api/v1/rounds/essai/chapters/E1/questions",
                Some(wide_scale)
            )
            .await,
            422
        )
        .await["errors"][0]["code"],
        "too_many_points"
    );
    let duplicate = json!({"code": "E1.Q1", "prompt": "?", "kind": "short_text", "max_length": 10});
    problem(
        send(
            &app,
            &coord,
            "POST",
            "/api/v1/rounds/essai/chapters/E1/questions",
            Some(duplicate),
        )
        .await,
        409,
    )
    .await;
    let draft = round_json(&app, &coord, "essai").await;
    assert_eq!(draft["status"], "draft");
    assert_eq!(
        draft["chapters"][0]["questions"].as_array().unwrap().len(),
        6,
        "refusals added nothing"
    );

    // Drafts are for coordinators.
    assert_eq!(
        client()
            .get(app.url("/api/v1/rounds/essai"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    let stranger = member(&app, "visiteur@exemple.fr").await;
    problem(
        send(
            &app,
            &stranger,
            "POST",
            "/api/v1/rounds/essai/chapters",
            Some(json!({"code": "E2", "title": "x"})),
        )
        .await,
        403,
    )
    .await;

    // Reordering, in a draft.
    let moved: Value = send(
        &app,
        &coord,
        "POST",
        "/api/v1/rounds/essai/questions/E1.Q2/move",
        Some(json!({"direction": "up"})),
    )
    .await
    .json()
    .await
    .unwrap();
    let codes: Vec<&str> = moved["chapters"][0]["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes[..2], ["E1.Q2", "E1.Q1"]);
    problem(
        send(
            &app,
            &coord,
            "POST",
            "/api/v1/rounds/essai/questions/E1.Q2/move",
            Some(json!({"direction": "up"})),
        )
        .await,
        409,
    )
    .await;

    // Opening needs two-factor sign-in.
    let plain = coordinator(&app, "coord2@exemple.fr").await;
    problem(
        send(&app, &plain, "POST", "/api/v1/rounds/essai/open", None).await,
        403,
    )
    .await;
    let (_, org) = approved_organisation(&app, &coord, "membre@exemple.fr", "W751234567").await;
    assert!(org > 0);
    let opened = send(&app, &coord, "POST", "/api/v1/rounds/essai/open", None).await;
    assert_eq!(opened.status(), 200);
    assert_eq!(opened.json::<Value>().await.unwrap()["status"], "open");
    let announce = app
        .mailbox
        .wait_for_link("membre@exemple.fr", "/consultations/essai")
        .await;
    assert_eq!(
        announce.subject,
        "Consultation ouverte : Consultation de test"
    );
    assert_eq!(
        client()
            .get(app.url("/api/v1/rounds/essai"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    problem(
        send(&app, &coord, "POST", "/api/v1/rounds/essai/open", None).await,
        409,
    )
    .await;

    assert_eq!(
        send(&app, &coord, "POST", "/api/v1/rounds/essai/close", None)
            .await
            .json::<Value>()
            .await
            .unwrap()["status"],
        "closed"
    );
    assert_eq!(
        send(&app, &coord, "POST", "/api/v1/rounds/essai/archive", None)
            .await
            .json::<Value>()
            .await
            .unwrap()["status"],
        "archived"
    );
    problem(
        send(&app, &coord, "POST", "/api/v1/rounds/essai/close", None).await,
        409,
    )
    .await;
}

async fn an_open_round_keeps_its_structure(app: TestApp) {
    let coord = coordinator_2fa(&app, "coord@exemple.fr").await;
    built_round(&app, &coord, "figee", Duration::days(30)).await;
    approved_organisation(&app, &coord, "membre@exemple.fr", "W751234567").await;
    send(&app, &coord, "POST", "/api/v1/rounds/figee/open", None).await;
    let before = round_json(&app, &coord, "figee").await;

    problem(
        send(
            &app,
            &coord,
            "POST",
            "/api/v1/rounds/figee/chapters",
            Some(json!({"code": "E2", "title": "Nouveau"})),
        )
        .await,
        409,
    )
    .await;
    let new_question =
        json!({"code": "E1.Q7", "prompt": "?", "kind": "short_text", "max_length": 10});
    problem(
        send(
            &app,
            &coord,
            "POST",
            "/api/v1/rounds/figee/chapters/E1/questions",
            Some(new_question),
        )
        .await,
        409,
    )
    .await;
    problem(
        send(
            &app,
            &coord,
            "POST",
            "/api/v1/rounds/figee/chapters/E1/move",
            Some(json!({"direction": "down"})),
        )
        .await,
        409,
    )
    .await;
    let mut other_keys = questions_of_every_kind("E1")[2].clone();
    other_keys["options"][0]["key"] = json!("yes");
    problem(
        send(
            &app,
            &coord,
            "PUT",
            "/api/v1/rounds/figee/questions/E1.Q3",
            Some(other_keys),
        )
        .await,
        409,
    )
    .await;
    let mut other_kind = questions_of_every_kind("E1")[0].clone();
    other_kind["kind"] = json!("long_text");
    problem(
        send(
            &app,
            &coord,
            "PUT",
            "/api/v1/rounds/figee/questions/E1.Q1",
            Some(other_kind),
        )
        .await,
        409,
    )
    .await;
    problem(
        send(
            &app,
            &coord,
            "PATCH",
            "/api/v1/rounds/figee",
            Some(json!({"audience": "invited"})),
        )
        .await,
        409,
    )
    .await;
    let earlier = (Utc::now() + Duration::days(1)).to_rfc3339();
    assert_eq!(
        problem(
            send(
                &app,
                &coord,
                "PATCH",
                "/api/v1/rounds/figee",
                Some(json!({"closes_at": earlier}))
            )
            .await,
            422
        )
        .await["errors"][0]["field"],
        "closes_at"
    );
    assert_eq!(
        round_json(&app, &coord, "figee").await,
        before,
        "refusals changed nothing"
    );

    // Wording fixes pass, and are audited.
    let mut reworded = questions_of_every_kind("E1")[2].clone();
    reworded["prompt"] = json!("Êtes-vous d'accord ?");
    reworded["options"][2]["label"] = json!("Sans avis");
    let fixed: Value = send(
        &app,
        &coord,
        "PUT",
        "/api/v1/rounds/figee/questions/E1.Q3",
        Some(reworded),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(
        fixed["chapters"][0]["questions"][2]["prompt"],
        "Êtes-vous d'accord ?"
    );
    let audited = app
        .with_db(|conn| {
            use concerto::store::schema::audit_events::dsl as a;
            use diesel::prelude::*;
            a::audit_events
                .filter(a::action.eq("question_wording_fixed"))
                .count()
                .get_result::<i64>(conn)
                .unwrap()
        })
        .await;
    assert_eq!(audited, 1);
    // The same through the builder page.
    let page = coord
        .0
        .post(app.url("/coordination/consultations/figee/questions/E1.Q1"))
        .form(&[
            ("prompt", "Votre avis en quelques mots ?"),
            ("help", "Une phrase suffit."),
            ("csrf_token", coord.1.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 303);
    let reworded = round_json(&app, &coord, "figee").await;
    assert_eq!(
        reworded["chapters"][0]["questions"][0]["prompt"],
        "Votre avis en quelques mots ?"
    );
    assert_eq!(
        reworded["chapters"][0]["questions"][0]["kind"], "short_text",
        "the kind stays"
    );

    // A later deadline is allowed, and members are told.
    let later = Utc::now() + Duration::days(60);
    let extended: Value = send(
        &app,
        &coord,
        "PATCH",
        "/api/v1/rounds/figee",
        Some(json!({"closes_at": later.to_rfc3339()})),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(
        chrono::DateTime::parse_from_rfc3339(extended["closes_at"].as_str().unwrap())
            .unwrap()
            .timestamp(),
        later.timestamp()
    );
    let mails = app.mailbox.wait_for("membre@exemple.fr", 4).await;
    assert!(
        mails
            .iter()
            .any(|m| m.subject.starts_with("Délai prolongé")),
        "{mails:?}"
    );
}

async fn invited_audiences_and_duplicates(app: TestApp) {
    let coord = coordinator_2fa(&app, "coord@exemple.fr").await;
    built_round(&app, &coord, "ouverte", Duration::days(30)).await;
    let (_, org) = approved_organisation(&app, &coord, "membre@exemple.fr", "W751234567").await;
    let body = problem(
        send(
            &app,
            &coord,
            "POST",
            "/api/v1/rounds/ouverte/invitations",
            Some(json!({"organisation_ids": [org]})),
        )
        .await,
        409,
    )
    .await;
    assert!(
        body["detail"]
            .as_str()
            .unwrap()
            .contains("toutes les organisations")
    );

    send(
        &app,
        &coord,
        "PATCH",
        "/api/v1/rounds/ouverte",
        Some(json!({"audience": "invited"})),
    )
    .await;
    let pending_owner = member(&app, "attente@exemple.fr").await;
    let pending: Value = send(
        &app,
        &pending_owner,
        "POST",
        "/api/v1/organisations",
        Some(organisation("W130000001")),
    )
    .await
    .json()
    .await
    .unwrap();
    let body = problem(
        send(
            &app,
            &coord,
            "POST",
            "/api/v1/rounds/ouverte/invitations",
            Some(json!({"organisation_ids": [org, pending["id"], 999999]})),
        )
        .await,
        422,
    )
    .await;
    let fields = problem_fields(&body);
    assert_eq!(fields, ["organisation_ids[1]", "organisation_ids[2]"]);
    let invited: Value = send(
        &app,
        &coord,
        "POST",
        "/api/v1/rounds/ouverte/invitations",
        Some(json!({"organisation_ids": [org]})),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(invited["invited"], 1);
    let again: Value = send(
        &app,
        &coord,
        "POST",
        "/api/v1/rounds/ouverte/invitations",
        Some(json!({"organisation_ids": [org]})),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(again["invited"], 0);

    // What the round allows of documents goes with its questions.
    let policy = json!({"area": true, "file_limit": 1048576, "response_limit": 2097152});
    let set = send(
        &app,
        &coord,
        "PUT",
        "/api/v1/rounds/ouverte/attachment-policy",
        Some(policy.clone()),
    )
    .await;
    assert_eq!(set.status(), 200);
    let copy = send(
        &app,
        &coord,
        "POST",
        "/api/v1/rounds/ouverte/duplicate",
        Some(json!({"slug": "ouverte-2027", "title": "Deuxième édition"})),
    )
    .await;
    assert_eq!(copy.status(), 201);
    let copy: Value = copy.json().await.unwrap();
    assert_eq!(copy["status"], "draft");
    assert_eq!(copy["title"], "Deuxième édition");
    assert_eq!(
        copy["chapters"][0]["questions"].as_array().unwrap().len(),
        6
    );
    let copied = send(
        &app,
        &coord,
        "GET",
        "/api/v1/rounds/ouverte-2027/attachment-policy",
        None,
    )
    .await;
    assert_eq!(copied.json::<Value>().await.unwrap(), policy);
    problem(
        send(
            &app,
            &coord,
            "POST",
            "/api/v1/rounds/ouverte/duplicate",
            Some(json!({"slug": "ouverte-2027"})),
        )
        .await,
        409,
    )
    .await;
}

/// Writes are refused the moment the deadline passes, with no job having run.
async fn deadline_on(backend: Backend) {
    let clock = Clock::manual(Utc::now());
    let Some(app) = TestApp::builder(backend).clock(clock.clone()).start().await else {
        return;
    };
    let coord = coordinator_2fa(&app, "coord@exemple.fr").await;
    built_round(&app, &coord, "echeance", Duration::hours(1)).await;
    send(&app, &coord, "POST", "/api/v1/rounds/echeance/open", None).await;
    assert_eq!(round_json(&app, &coord, "echeance").await["status"], "open");
    clock.advance(Duration::minutes(59));
    assert_eq!(
        send(
            &app,
            &coord,
            "PATCH",
            "/api/v1/rounds/echeance",
            Some(json!({"title": "Encore modifiable"}))
        )
        .await
        .status(),
        200
    );
    // The round's deadline was set a moment after the clock started: two minutes on, it
    // has passed.
    clock.advance(Duration::minutes(2));
    assert_eq!(
        round_json(&app, &coord, "echeance").await["status"],
        "closed"
    );
    problem(
        send(
            &app,
            &coord,
            "PATCH",
            "/api/v1/rounds/echeance",
            Some(json!({"title": "Trop tard"})),
        )
        .await,
        409,
    )
    .await;
    assert_eq!(
        round_json(&app, &coord, "echeance").await["title"],
        "Encore modifiable"
    );
    assert_eq!(
        send(
            &app,
            &coord,
            "POST",
            "/api/v1/rounds/echeance/archive",
            None
        )
        .await
        .status(),
        200
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

/// A round opened with a future `opens_at` is scheduled; when its time comes, the
/// background worker announces it, once.
async fn scheduled_on(backend: Backend) {
    let clock = Clock::manual(Utc::now());
    let Some(app) = TestApp::builder(backend).clock(clock.clone()).start().await else {
        return;
    };
    let coord = coordinator_2fa(&app, "coord@exemple.fr").await;
    approved_organisation(&app, &coord, "membre@exemple.fr", "W751234567").await;
    built_round(&app, &coord, "plus-tard", Duration::days(10)).await;
    let opens_at = (clock.now() + Duration::days(2)).to_rfc3339();
    send(
        &app,
        &coord,
        "PATCH",
        "/api/v1/rounds/plus-tard",
        Some(json!({"opens_at": opens_at})),
    )
    .await;
    let opened: Value = send(&app, &coord, "POST", "/api/v1/rounds/plus-tard/open", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(opened["status"], "scheduled");
    let announcements = || {
        app.mailbox
            .for_recipient("membre@exemple.fr")
            .into_iter()
            .filter(|m| m.text.contains("/consultations/plus-tard"))
            .count()
    };
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(announcements(), 0, "not announced before it opens");
    clock.advance(Duration::days(2));
    assert_eq!(
        round_json(&app, &coord, "plus-tard").await["status"],
        "open"
    );
    app.mailbox
        .wait_for_link("membre@exemple.fr", "/consultations/plus-tard")
        .await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(announcements(), 1, "announced exactly once");
}

#[tokio::test]
async fn scheduled_on_sqlite() {
    scheduled_on(Backend::Sqlite).await;
}

#[tokio::test]
async fn scheduled_on_postgres() {
    scheduled_on(Backend::Postgres).await;
}
