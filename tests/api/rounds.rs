use chrono::{Duration, Utc};
use concerto::domain::demo::demo_round;
use concerto::domain::rounds::{RoundStatus, Slug};
use serde_json::Value;

use crate::both_backends;
use crate::helpers::{TestApp, json, text};

both_backends!(
    demo_round_is_listed_with_its_four_chapters,
    round_detail_has_questions_of_every_kind,
    unknown_and_draft_rounds_are_not_found,
    deadline_closes_a_round_without_any_job,
    home_page_lists_open_rounds_in_french,
    home_page_has_an_empty_state,
    language_follows_accept_language_and_the_switch,
    round_page_shows_chapters_and_questions,
);

/// Stores a variant of the demo round under another slug.
async fn insert_round(app: &TestApp, slug: &'static str, status: RoundStatus, closes_in: Duration) {
    app.with_db(move |conn| {
        let now = Utc::now();
        let mut round = demo_round(now);
        round.slug = Slug::parse(slug).unwrap();
        round.title = format!("Consultation {slug}");
        round.status = status;
        round.closes_at = now + closes_in;
        concerto::store::rounds::insert(conn, &round, now).unwrap();
    })
    .await;
}

async fn demo_round_is_listed_with_its_four_chapters(app: TestApp) {
    app.seed_demo().await;
    let response = app.get("/api/v1/rounds").await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    let rounds = body["rounds"].as_array().unwrap();
    assert_eq!(rounds.len(), 1);
    let round = &rounds[0];
    assert_eq!(round["slug"], "ia-en-sante");
    assert_eq!(round["status"], "open");
    let titles: Vec<&str> = round["chapters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        [
            "Repenser l'accès et le recours au système de santé",
            "Repenser les soins proposés aux patients",
            "Repenser la construction des parcours pour plus de prévention et d'accompagnement",
            "L'IA générative face aux questions des usagers sur la santé",
        ]
    );
    let closes_at =
        chrono::DateTime::parse_from_rfc3339(round["closes_at"].as_str().unwrap()).unwrap();
    assert!(closes_at > Utc::now());
}

async fn round_detail_has_questions_of_every_kind(app: TestApp) {
    app.seed_demo().await;
    let body: Value = app
        .get("/api/v1/rounds/ia-en-sante")
        .await
        .json()
        .await
        .unwrap();
    let questions: Vec<&Value> = body["chapters"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["questions"].as_array().unwrap())
        .collect();
    let mut kinds: Vec<&str> = questions
        .iter()
        .map(|q| q["kind"].as_str().unwrap())
        .collect();
    kinds.sort();
    kinds.dedup();
    assert_eq!(
        kinds,
        [
            "long_text",
            "multiple_choice",
            "proposals",
            "scale",
            "short_text",
            "single_choice"
        ]
    );
    let choice = questions.iter().find(|q| q["code"] == "E3.Q2").unwrap();
    assert_eq!(choice["kind"], "single_choice");
    assert_eq!(choice["required"], true);
    assert_eq!(choice["options"][1]["key"], "patient_medecin");
    assert_eq!(choice["min_choices"], 1);
    let scale = questions.iter().find(|q| q["code"] == "E2.Q2").unwrap();
    assert_eq!(scale["scale"]["min"], 1);
    assert_eq!(scale["scale"]["max"], 5);
    let short = questions.iter().find(|q| q["code"] == "E4.Q2").unwrap();
    assert_eq!(short["max_length"], 200);
    let proposals = questions.iter().find(|q| q["code"] == "E1.Q3").unwrap();
    assert_eq!(proposals["max_items"], 10);
    // Chapters and questions come in their positions' order.
    let codes: Vec<&str> = body["chapters"][0]["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["E1.Q1", "E1.Q2", "E1.Q3"]);
}

async fn unknown_and_draft_rounds_are_not_found(app: TestApp) {
    insert_round(&app, "brouillon", RoundStatus::Draft, Duration::days(10)).await;
    for path in [
        "/api/v1/rounds/brouillon",
        "/api/v1/rounds/inconnue",
        "/api/v1/rounds/%2e%2e",
    ] {
        let body = crate::helpers::problem(app.get(path).await, 404).await;
        assert_eq!(body["code"], "not_found");
    }
    let body: Value = json(app.client.get(app.url("/api/v1/rounds"))).await;
    assert_eq!(
        body["rounds"].as_array().unwrap().len(),
        0,
        "drafts are not listed"
    );
    assert_eq!(app.get("/consultations/brouillon").await.status(), 404);
}

async fn deadline_closes_a_round_without_any_job(app: TestApp) {
    insert_round(&app, "echue", RoundStatus::Open, Duration::seconds(-1)).await;
    let body: Value = json(app.client.get(app.url("/api/v1/rounds/echue"))).await;
    assert_eq!(body["status"], "closed");
    let home = text(app.client.get(app.url("/"))).await;
    // Listed among the recently closed ones, not among the open ones.
    let (open_part, closed_part) = home
        .split_once("Consultations récemment closes")
        .expect("a closed section");
    assert!(
        !open_part.contains("Consultation echue"),
        "not listed as open"
    );
    assert!(
        closed_part.contains("Consultation echue") && closed_part.contains("Close le"),
        "{closed_part}"
    );
    let page = text(app.client.get(app.url("/consultations/echue"))).await;
    assert!(page.contains("Close le"));
}

async fn home_page_lists_open_rounds_in_french(app: TestApp) {
    app.seed_demo().await;
    let response = app.get("/").await;
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let html = response.text().await.unwrap();
    assert!(html.contains("<html lang=\"fr\">"));
    assert!(html.contains("Consultations ouvertes"));
    assert!(
        html.contains("Stratégie ministérielle pour l&#39;IA en santé")
            || html.contains("Stratégie ministérielle pour l&#x27;IA en santé"),
        "{html}"
    );
    assert!(html.contains("href=\"/consultations/ia-en-sante\""));
    assert!(html.contains("Aller au contenu principal"));
}

async fn home_page_has_an_empty_state(app: TestApp) {
    let html = text(app.client.get(app.url("/"))).await;
    assert!(
        html.contains("Aucune consultation n&#39;est ouverte")
            || html.contains("Aucune consultation n&#x27;est ouverte"),
        "{html}"
    );
}

async fn language_follows_accept_language_and_the_switch(app: TestApp) {
    let english = app
        .client
        .get(app.url("/"))
        .header("accept-language", "en-GB,en;q=0.9,fr;q=0.5")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(english.contains("<html lang=\"en\">") && english.contains("Open consultations"));

    // The switch (a form) sets a cookie that wins over the browser's preference.
    let switched = app
        .client
        .post(app.url("/langue"))
        .form(&[("lang", "en"), ("next", "/consultations/x")])
        .send()
        .await
        .unwrap();
    assert_eq!(switched.status(), 303);
    assert_eq!(switched.headers()["location"], "/consultations/x");
    let cookie = switched.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        cookie.contains("concerto_lang=en")
            && cookie.contains("HttpOnly")
            && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    let html = text(app.client.get(app.url("/")).header("accept-language", "fr")).await;
    assert!(html.contains("Open consultations"));

    // Never a redirect to another site.
    let response = app
        .client
        .post(app.url("/langue"))
        .form(&[("lang", "en"), ("next", "//evil.example/")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["location"], "/");
    // An unknown language is refused with the field named, and changes nothing.
    let response = app
        .client
        .post(app.url("/langue"))
        .form(&[("lang", "de"), ("next", "/")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    let html = text(app.client.get(app.url("/"))).await;
    assert!(html.contains("Open consultations"));
}

async fn round_page_shows_chapters_and_questions(app: TestApp) {
    app.seed_demo().await;
    let page = text(app.client.get(app.url("/consultations/ia-en-sante"))).await;
    assert!(page.contains("jours pour répondre"), "days left are shown");
    assert!(page.contains("(heure de Paris)"));
    assert!(
        page.contains("<div class=\"round-body\" lang=\"fr\"><p>Cette consultation"),
        "the body is rendered"
    );
    let html = app
        .get("/consultations/ia-en-sante")
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("E4.Q2"));
    assert!(html.contains("Réponse courte"));
    assert!(html.contains("(obligatoire)"));
    assert!(html.contains("id=\"chapitre-E1\""));
    // On an English page the consultation's own words stay marked as French (WCAG 3.1.2),
    // the page's words are not.
    let english = text(
        app.client
            .get(app.url("/consultations/ia-en-sante"))
            .header("accept-language", "en"),
    )
    .await;
    assert!(english.contains("<html lang=\"en\">"));
    assert!(
        english.contains(
            "<span lang=\"fr\">Quelles difficultés d&#39;accès aux soins vos membres rencontrent-ils ?</span>"
        ),
        "{english}"
    );
    assert!(english.contains("<h1 lang=\"fr\">"));
    assert!(english.contains("(required)") && !english.contains("<span lang=\"fr\">(required)"));
}
