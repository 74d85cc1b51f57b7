//! Exports over the API: who may export, what a CSV holds, drafts, the French Excel
//! dialect, formula neutralisation, the JSON export against its schema and statistics.

use chrono::Duration;
use serde_json::{Value, json};

use crate::both_backends;
use crate::helpers::{TestApp, problem, repo_path};
use crate::organisations::{coordinator, member, organisation, send};
use crate::responses::{Setup, setup};

both_backends!(
    csv_export_holds_every_answer_safely,
    exports_are_for_coordinators_only,
    json_export_fits_its_schema_with_correct_statistics,
);

async fn export(app: &TestApp, who: &(reqwest::Client, String), query: &str) -> reqwest::Response {
    send(
        app,
        who,
        "GET",
        &format!("/api/v1/rounds/essai/export?{query}"),
        None,
    )
    .await
}

async fn answer(app: &TestApp, s: &Setup, code: &str, value: Value) {
    let path = format!("/api/v1/rounds/essai/responses/{}/answers/{code}", s.org);
    let status = send(app, &s.owner, "PUT", &path, Some(json!({ "value": value })))
        .await
        .status();
    assert_eq!(status, 200, "{code}");
}

async fn submit(app: &TestApp, s: &Setup, consent: &str) {
    let path = format!("/api/v1/rounds/essai/responses/{}/submit", s.org);
    let status = send(
        app,
        &s.owner,
        "POST",
        &path,
        Some(json!({ "publication_consent": consent })),
    )
    .await
    .status();
    assert_eq!(status, 200);
}

async fn csv_export_holds_every_answer_safely(app: TestApp) {
    let s = setup(&app, Duration::days(30)).await;
    let answers = [
        ("E1.Q1", json!("=SUM(A1) été 🙂")),
        ("E1.Q2", json!("Il a dit \"non\"\nsur deux lignes")),
        ("E1.Q4", json!(["oui", "nsp"])),
    ];
    for (code, value) in answers {
        answer(&app, &s, code, value).await;
    }
    // A draft is left out unless asked for.
    let submitted_only = export(&app, &s.coordinator, "format=csv").await;
    assert_eq!(submitted_only.status(), 200);
    assert!(
        submitted_only.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let disposition = submitted_only.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        disposition.starts_with("attachment; filename=\"essai-csv-"),
        "{disposition}"
    );
    let body = submitted_only.text().await.unwrap();
    assert_eq!(body.lines().count(), 1, "header only: {body}");
    assert!(body.starts_with("\"round\",\"chapter_code\""));
    let with_drafts = export(&app, &s.coordinator, "format=csv&include=all")
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(
        with_drafts.matches("\"draft\"").count(),
        6,
        "one row per question: {with_drafts}"
    );

    submit(&app, &s, "attributed").await;
    let body = export(&app, &s.coordinator, "format=csv")
        .await
        .text()
        .await
        .unwrap();
    assert!(!body.starts_with('\u{feff}'));
    assert_eq!(body.matches("\"submitted\"").count(), 6);
    // A formula reaches the spreadsheet as text; quotes, new lines and accents survive.
    assert!(body.contains("\"'=SUM(A1) été 🙂\""), "{body}");
    assert!(
        body.contains("\"Il a dit \"\"non\"\"\nsur deux lignes\""),
        "{body}"
    );
    assert!(body.contains("\"W751234567\""));
    // Unanswered questions keep their row, with an empty answer.
    let scale_row = body.lines().find(|l| l.contains("\"E1.Q5\"")).unwrap();
    assert!(scale_row.ends_with(",\"\""), "{scale_row}");

    // Choices come out by label, never as codes.
    assert!(body.contains("\"Oui ; Ne sait pas\""), "{body}");

    let wide = export(&app, &s.coordinator, "format=csv-wide").await;
    assert!(
        wide.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment; filename=\"essai-csv-wide-")
    );
    let wide = wide.text().await.unwrap();
    let header = wide.lines().next().unwrap();
    assert_eq!(
        header,
        "\"organisation_name\",\"organisation_legal_id\",\"organisation_kind\",\"response_status\",\"submitted_at\",\"E1.Q1 — Votre avis en une phrase ?\",\"E1.Q2 — Racontez.\",\"E1.Q3 — D'accord ?\",\"E1.Q4 — Lesquels ?\",\"E1.Q5 — Quelle confiance ?\",\"E1.Q6 — Vos propositions ?\""
    );
    let row = wide.strip_prefix(header).unwrap();
    assert_eq!(row.matches("\"submitted\"").count(), 1);
    assert!(
        row.contains("\"'=SUM(A1) été 🙂\",\"Il a dit \"\"non\"\"\nsur deux lignes\",\"\",\"Oui ; Ne sait pas\",\"\",\"\"\n"),
        "{row}"
    );

    let excel = export(&app, &s.coordinator, "format=csv&dialect=excel-fr")
        .await
        .text()
        .await
        .unwrap();
    assert!(excel.starts_with("\u{feff}\"round\";\"chapter_code\";"));
    assert!(excel.ends_with("\r\n"));
    assert_eq!(excel.matches("\"submitted\"").count(), 6);
}

async fn exports_are_for_coordinators_only(app: TestApp) {
    let s = setup(&app, Duration::days(30)).await;
    assert_eq!(
        app.get("/api/v1/rounds/essai/export?format=csv")
            .await
            .status(),
        401
    );
    problem(export(&app, &s.owner, "format=csv").await, 403).await;
    let without_2fa = coordinator(&app, "sans2fa@exemple.fr").await;
    problem(export(&app, &without_2fa, "format=csv").await, 403).await;
    // The round page offers the downloads only to those who may take them.
    let app_ref = &app;
    let page = |who| async move {
        send(
            app_ref,
            who,
            "GET",
            "/coordination/consultations/essai",
            None,
        )
        .await
        .text()
        .await
        .unwrap()
    };
    let hint = page(&without_2fa).await;
    assert!(!hint.contains("/export?format=") && hint.contains("double authentification"));
    assert!(
        page(&s.coordinator)
            .await
            .contains("/api/v1/rounds/essai/export?format=csv")
    );
    let unknown = problem(export(&app, &s.coordinator, "format=pdf").await, 422).await;
    assert_eq!(unknown["errors"][0]["field"], "format");
    let bad = problem(
        export(&app, &s.coordinator, "format=csv&include=tout").await,
        422,
    )
    .await;
    assert_eq!(bad["errors"][0]["field"], "include");
    let bad = problem(
        export(&app, &s.coordinator, "format=csv&dialect=latin1").await,
        422,
    )
    .await;
    assert_eq!(bad["errors"][0]["field"], "dialect");
    problem(
        send(
            &app,
            &s.coordinator,
            "GET",
            "/api/v1/rounds/inconnue/export?format=csv",
            None,
        )
        .await,
        404,
    )
    .await;
}

/// Two organisations answer (one submits, one stays a draft); the JSON export holds the
/// submitted one only, with statistics computed by hand here, and fits its schema.
async fn json_export_fits_its_schema_with_correct_statistics(app: TestApp) {
    let s = setup(&app, Duration::days(30)).await;
    for (code, value) in [
        ("E1.Q1", json!("Avis « complet » 🙂")),
        ("E1.Q3", json!("non")),
        ("E1.Q4", json!(["oui", "nsp"])),
        ("E1.Q5", json!(4)),
        (
            "E1.Q6",
            json!([{"title": "Former les soignants", "description": "Dès 2027."}]),
        ),
    ] {
        answer(&app, &s, code, value).await;
    }
    submit(&app, &s, "anonymous").await;

    let response = export(&app, &s.coordinator, "format=json").await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/json");
    assert!(
        response.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains(".json\"")
    );
    assert_eq!(response.headers()["cache-control"], "no-store");
    let body: Value = response.json().await.unwrap();
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(repo_path("docs/export.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&body)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:?}");

    assert_eq!(body["round"]["slug"], "essai");
    assert_eq!(body["include"], "submitted");
    let questions = &body["chapters"][0]["questions"];
    assert_eq!(questions[0]["statistics"], json!({"respondents": 1}));
    assert_eq!(questions[1]["statistics"], json!({"respondents": 0}));
    assert_eq!(
        questions[2]["statistics"]["options"][1],
        json!({"key": "non", "label": "Non", "count": 1, "share": 1.0})
    );
    assert_eq!(questions[3]["statistics"]["options"][0]["count"], 1);
    assert_eq!(questions[3]["statistics"]["options"][1]["count"], 0);
    assert_eq!(questions[3]["statistics"]["options"][2]["count"], 1);
    assert_eq!(questions[4]["statistics"]["mean"], 4.0);
    assert_eq!(questions[4]["statistics"]["median"], 4.0);
    assert_eq!(
        questions[4]["statistics"]["distribution"][3],
        json!({"value": 4, "count": 1, "share": 1.0})
    );
    let responses = body["responses"].as_array().unwrap();
    assert_eq!(responses.len(), 1);
    assert_eq!(responses[0]["organisation"]["legal_id"], "W751234567");
    assert_eq!(responses[0]["publication_consent"], "anonymous");
    assert_eq!(
        responses[0]["answers"]["E1.Q1"]["value"],
        "Avis « complet » 🙂"
    );
    assert_eq!(
        responses[0]["answers"]["E1.Q4"]["text"],
        "Oui ; Ne sait pas"
    );
    assert_eq!(
        responses[0]["answers"]["E1.Q6"]["text"],
        "1. Former les soignants — Dès 2027."
    );
    assert_eq!(
        responses[0]["answers"]["E1.Q2"],
        json!({"value": null, "text": ""})
    );

    // A second organisation's draft appears with include=all only, and changes no statistic
    // of the default export.
    let other = member(&app, "autre@exemple.fr").await;
    let created: Value = send(
        &app,
        &other,
        "POST",
        "/api/v1/organisations",
        Some(organisation("W130000009")),
    )
    .await
    .json()
    .await
    .unwrap();
    let other_org = created["id"].as_i64().unwrap();
    send(
        &app,
        &s.coordinator,
        "POST",
        &format!("/api/v1/organisations/{other_org}/approve"),
        None,
    )
    .await;
    let other_path = format!("/api/v1/rounds/essai/responses/{other_org}/answers/E1.Q5");
    assert_eq!(
        send(&app, &other, "PUT", &other_path, Some(json!({"value": 1})))
            .await
            .status(),
        200
    );
    let all: Value = export(&app, &s.coordinator, "format=json&include=all")
        .await
        .json()
        .await
        .unwrap();
    assert!(validator.is_valid(&all));
    assert_eq!(all["responses"].as_array().unwrap().len(), 2);
    assert_eq!(
        all["chapters"][0]["questions"][4]["statistics"]["mean"],
        2.5
    );
    let submitted: Value = export(&app, &s.coordinator, "format=json")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        submitted["chapters"][0]["questions"][4]["statistics"]["mean"],
        4.0
    );
}
