//! Exports over the API: who may export, what a CSV holds, drafts, the French Excel
//! dialect, formula neutralisation, the JSON export against its schema and statistics.

use chrono::Duration;
use serde_json::{Value, json};

use crate::both_backends;
use crate::fixtures::Who;
use crate::fixtures::{
    approve_new_organisation, coordinator, member, organisation, organisation_named,
    organisation_of, send,
};
use crate::helpers::{TestApp, problem, repo_path};
use crate::responses::{Setup, setup};

both_backends!(
    csv_export_holds_every_answer_safely,
    exports_are_for_coordinators_only,
    json_export_fits_its_schema_with_correct_statistics,
    xlsx_export_reads_back_with_text_cells_and_statistics,
    xlsx_export_names_a_sheet_for_any_chapter_title,
    document_respects_each_publication_consent,
    results_page_charts_choices_and_lists_answers_by_kind,
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
    answer_as(app, &s.owner, s.org, code, value).await;
}

async fn answer_as(app: &TestApp, who: &Who, org: i64, code: &str, value: Value) {
    let path = format!("/api/v1/rounds/essai/responses/{org}/answers/{code}");
    let status = send(app, who, "PUT", &path, Some(json!({ "value": value })))
        .await
        .status();
    assert_eq!(status, 200, "{code}");
}

async fn submit(app: &TestApp, s: &Setup, consent: &str) {
    submit_as(app, &s.owner, s.org, consent).await;
}

async fn submit_as(app: &TestApp, who: &Who, org: i64, consent: &str) {
    let path = format!("/api/v1/rounds/essai/responses/{org}/submit");
    let status = send(
        app,
        who,
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
        ("E1.Q1", json!("=HYPERLINK(\"http://x\",\"y\") été 🙂")),
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
    assert!(
        body.contains("\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\") été 🙂\""),
        "{body}"
    );
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
        "\"organisation_name\",\"organisation_legal_id\",\"organisation_kind\",\"response_status\",\"submitted_at\",\"E1.Q1 — Votre avis en une phrase ?\",\"E1.Q2 — Racontez.\",\"E1.Q3 — D'accord ?\",\"E1.Q4 — Lesquels ?\",\"E1.Q5 — Quelle confiance ?\",\"E1.Q6 — Vos propositions ?\",\"campaigns\""
    );
    let row = wide.strip_prefix(header).unwrap();
    assert_eq!(row.matches("\"submitted\"").count(), 1);
    assert!(
        row.contains("\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\") été 🙂\",\"Il a dit \"\"non\"\"\nsur deux lignes\",\"\",\"Oui ; Ne sait pas\",\"\",\"\",\"\"\n"),
        "{row}"
    );

    // The French spreadsheet's file: its own name, French words, Paris time.
    let excel = export(&app, &s.coordinator, "format=csv&dialect=excel-fr").await;
    assert!(
        excel.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment; filename=\"essai-csv-excel-fr-")
    );
    let excel = excel.text().await.unwrap();
    assert!(
        excel.starts_with("\u{feff}\"Consultation\";\"Chapitre\";\"Titre du chapitre\";"),
        "{excel}"
    );
    assert!(excel.ends_with("\r\n"));
    assert_eq!(excel.matches("\"Soumise\"").count(), 6);
    assert!(!excel.contains("\"submitted\"") && !excel.contains("\"long_text\""));
    assert_eq!(excel.matches("\"Réponse développée\"").count(), 1);
    assert_eq!(excel.matches("\"Association de patients\"").count(), 6);
    let submitted = excel
        .lines()
        .nth(1)
        .unwrap()
        .split(';')
        .nth(10)
        .unwrap()
        .trim_matches('"');
    let paris = chrono::NaiveDateTime::parse_from_str(submitted, "%d/%m/%Y %H:%M");
    assert!(paris.is_ok(), "{submitted}");
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
        json!({"value": null, "text": "", "themes": [], "campaign": null})
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

async fn xlsx_export_reads_back_with_text_cells_and_statistics(app: TestApp) {
    use calamine::{Data, Reader, Xlsx};

    let s = setup(&app, Duration::days(30)).await;
    for (code, value) in [
        ("E1.Q1", json!("=HYPERLINK(\"http://x\",\"y\")")),
        ("E1.Q2", json!("Témoignage « long » 🙂\nsur deux lignes")),
        ("E1.Q3", json!("non")),
        ("E1.Q4", json!(["oui", "nsp"])),
        ("E1.Q5", json!(4)),
    ] {
        answer(&app, &s, code, value).await;
    }
    // A draft first: left out by default.
    let draft = export(&app, &s.coordinator, "format=xlsx").await;
    assert_eq!(draft.status(), 200);
    let bytes = draft.bytes().await.unwrap();
    let mut book = Xlsx::new(std::io::Cursor::new(bytes.to_vec())).expect("a valid workbook");
    assert_eq!(book.sheet_names(), vec!["Synthèse", "E1 Premier enjeu"]);
    assert_eq!(
        book.worksheet_range("E1 Premier enjeu").unwrap().height(),
        1
    );

    submit(&app, &s, "attributed").await;
    let response = export(&app, &s.coordinator, "format=xlsx").await;
    assert_eq!(
        response.headers()["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let disposition = response.headers()["content-disposition"].to_str().unwrap();
    assert!(
        disposition.starts_with("attachment; filename=\"essai-xlsx-")
            && disposition.ends_with(".xlsx\""),
        "{disposition}"
    );
    assert_eq!(response.headers()["cache-control"], "no-store");
    let bytes = response.bytes().await.unwrap();
    let mut book = Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let chapter = book.worksheet_range("E1 Premier enjeu").unwrap();
    assert_eq!(chapter.height(), 2, "header and one organisation");
    let cell = |row: u32, col: u32| chapter.get_value((row, col)).cloned();
    assert_eq!(cell(0, 0), Some(Data::String("Organisation".into())));
    assert_eq!(
        cell(0, 5),
        Some(Data::String("E1.Q1 — Votre avis en une phrase ?".into()))
    );
    assert_eq!(
        cell(1, 0),
        Some(Data::String("Association des patients de l'Ouest".into()))
    );
    assert_eq!(
        cell(1, 2),
        Some(Data::String("Association de patients".into()))
    );
    // The formula arrives as text starting with '=, never as a formula.
    assert_eq!(
        cell(1, 5),
        Some(Data::String("'=HYPERLINK(\"http://x\",\"y\")".into()))
    );
    let formulas = book.worksheet_formula("E1 Premier enjeu").unwrap();
    assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()));
    assert_eq!(
        cell(1, 6),
        Some(Data::String(
            "Témoignage « long » 🙂\nsur deux lignes".into()
        ))
    );
    assert_eq!(cell(1, 8), Some(Data::String("Oui ; Ne sait pas".into())));

    // The summary: each question with its respondents, each option with count and share.
    let summary = book.worksheet_range("Synthèse").unwrap();
    let rows: Vec<Vec<Data>> = summary.rows().map(|r| r.to_vec()).collect();
    let row_of = |col: usize, text: &str| {
        rows.iter()
            .position(|r| r.get(col) == Some(&Data::String(text.into())))
            .unwrap_or_else(|| panic!("{text} in {rows:?}"))
    };
    let q3 = row_of(1, "E1.Q3");
    assert_eq!(rows[q3][4], Data::Float(1.0));
    assert_eq!(rows[q3 + 2][5], Data::String("Non".into()));
    assert_eq!(rows[q3 + 2][6], Data::Float(1.0));
    assert_eq!(rows[q3 + 2][7], Data::Float(1.0));
    let q5 = row_of(1, "E1.Q5");
    assert_eq!(rows[q5][6], Data::Float(4.0), "mean");
    assert_eq!(rows[q5 + 4][5], Data::String("4".into()));
    assert_eq!(rows[q5 + 4][6], Data::Float(1.0));
    assert_eq!(rows[row_of(1, "E1.Q2")][4], Data::Float(1.0));
    assert_eq!(rows[row_of(1, "E1.Q6")][4], Data::Float(0.0));
}

/// Chapters whose names Excel could not take as sheet names as they are (too wide in
/// UTF-16, an apostrophe at the end, reserved, the fallback taken; control characters
/// never reach a title): the workbook is still written, with a sheet
/// for each chapter, valid and distinct.
async fn xlsx_export_names_a_sheet_for_any_chapter_title(app: TestApp) {
    use calamine::{Reader, Xlsx};

    let coord = crate::fixtures::coordinator_2fa(&app, "coord@exemple.fr").await;
    crate::round_admin::built_round(&app, &coord, "titres", Duration::days(30)).await;
    // `HISTORY` is reserved, and its fallback, `Chapitre 5`, taken by another chapter.
    let titles = [
        ("E2", "🙂".repeat(30)),
        ("E3", "l'accès '".to_owned()),
        ("CHAPITRE", "5".to_owned()),
        ("HISTORY", "'".to_owned()),
    ];
    for (code, title) in &titles {
        let chapter = json!({ "code": code, "title": title });
        let path = "/api/v1/rounds/titres/chapters";
        let created = send(&app, &coord, "POST", path, Some(chapter)).await;
        assert_eq!(created.status(), 201, "{code} {title:?}");
    }
    let response = send(
        &app,
        &coord,
        "GET",
        "/api/v1/rounds/titres/export?format=xlsx&include=all",
        None,
    )
    .await;
    assert_eq!(response.status(), 200);
    let bytes = response.bytes().await.unwrap();
    let book = Xlsx::new(std::io::Cursor::new(bytes.to_vec())).expect("a valid workbook");
    let names = book.sheet_names();
    assert_eq!(names.len(), 2 + titles.len(), "{names:?}");
    let folded: std::collections::HashSet<String> =
        names.iter().map(|n| n.to_lowercase()).collect();
    assert_eq!(folded.len(), names.len(), "{names:?}");
    for name in &names {
        assert!(
            (1..=31).contains(&name.encode_utf16().count())
                && !name.starts_with('\'')
                && !name.ends_with('\'')
                && !name.chars().any(char::is_control)
                && !name.eq_ignore_ascii_case("history"),
            "{name:?}"
        );
    }
}

/// Three organisations submit with each consent, a fourth keeps a draft: the document
/// names the first, shows the second by kind only, counts the third without printing it,
/// and leaves the draft out, in HTML and in Markdown.
async fn document_respects_each_publication_consent(app: TestApp) {
    let s = setup(&app, Duration::days(30)).await;
    answer(&app, &s, "E1.Q1", json!("Oui")).await;
    answer(
        &app,
        &s,
        "E1.Q2",
        json!("Témoignage nommé <script>alert(1)</script>\n\n# pas un titre"),
    )
    .await;
    answer(
        &app,
        &s,
        "E1.Q6",
        json!([{"title": "Former les soignants", "description": "Dès 2027."}]),
    )
    .await;
    answer(&app, &s, "E1.Q3", json!("oui")).await;
    submit(&app, &s, "attributed").await;
    let consents = [
        (
            "sud@exemple.fr",
            "W130000017",
            "Collectif du Sud",
            "anonymous",
        ),
        ("discret@exemple.fr", "W130000025", "Union Discrète", "none"),
    ];
    for (email, legal_id, name, consent) in consents {
        let (owner, org) = organisation_named(
            &app,
            &s.coordinator,
            email,
            legal_id,
            name,
            "patient_association",
        )
        .await;
        answer_as(&app, &owner, org, "E1.Q1", json!("Oui")).await;
        answer_as(
            &app,
            &owner,
            org,
            "E1.Q2",
            json!(format!("Témoignage de {name}")),
        )
        .await;
        answer_as(&app, &owner, org, "E1.Q3", json!("non")).await;
        submit_as(&app, &owner, org, consent).await;
    }
    let (owner, org) = organisation_named(
        &app,
        &s.coordinator,
        "brouillon@exemple.fr",
        "W130000033",
        "Brouillon SA",
        "other",
    )
    .await;
    answer_as(&app, &owner, org, "E1.Q2", json!("Texte en brouillon")).await;

    let response = export(&app, &s.coordinator, "format=document").await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "text/html; charset=utf-8"
    );
    assert!(
        response.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .ends_with(".html\"")
    );
    let html = response.text().await.unwrap();
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"fr\">"));
    assert!(html.contains("@media print"));
    assert!(html.contains("<h2>E1 — Premier enjeu</h2>"));
    assert!(html.contains("<h3>E1.Q2 — Racontez.</h3>"));
    // Attributed: by name, text escaped, never markup.
    assert!(html.contains("Association des patients de l&#39;Ouest <span class=\"kind\">(Association de patients)</span>"));
    assert!(html.contains("Témoignage nommé &#60;script&#62;alert(1)&#60;/script&#62;"));
    assert!(!html.contains("<script>"));
    assert!(html.contains("<li><strong>Former les soignants</strong><p>Dès 2027.</p>\n</li>"));
    // Anonymous: the kind only.
    assert!(html.contains("Témoignage de Collectif du Sud"));
    assert!(
        html.contains("Association de patients <span class=\"kind\">(contribution anonyme)</span>")
    );
    assert_eq!(
        html.matches("Collectif du Sud").count(),
        1,
        "the name only inside its own text"
    );
    // None: left out, counted.
    assert!(!html.contains("Union Discrète"));
    assert!(html.contains("1 contribution sans consentement à la publication non reproduite."));
    assert!(html.contains("1 organisation n&#39;a pas consenti à la publication"));
    // Drafts are not contributions.
    assert!(!html.contains("Texte en brouillon") && !html.contains("Brouillon SA"));
    assert!(html.contains("à partir de 3 réponses (réponses soumises)"));
    // Choices as a results table, every submitted response counted.
    assert!(html.contains("<caption>Résultats : 3 répondants</caption>"));
    assert!(html.contains("<tr><th scope=\"row\">Non</th><td>2</td><td>66,7 %</td></tr>"));

    let markdown = export(&app, &s.coordinator, "format=document&as=markdown").await;
    assert_eq!(
        markdown.headers()["content-type"],
        "text/markdown; charset=utf-8"
    );
    assert!(
        markdown.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .ends_with(".md\"")
    );
    let markdown = markdown.text().await.unwrap();
    assert!(markdown.starts_with("# Contribution consolidée : "));
    assert!(markdown.contains("\n## E1 — Premier enjeu\n"));
    assert!(
        markdown.contains("\n#### Association des patients de l'Ouest (Association de patients)\n")
    );
    assert!(
        markdown.contains("Témoignage nommé \\<script\\>alert(1)\\</script\\>\n\n\\# pas un titre")
    );
    assert!(markdown.contains("\n1. **Former les soignants**  \n   Dès 2027.\n"));
    assert!(markdown.contains("\n#### Association de patients (contribution anonyme)\n"));
    assert!(!markdown.contains("Union Discrète") && !markdown.contains("Texte en brouillon"));
    assert!(markdown.contains("| Non | 2 | 66,7 % |"));

    // `as` is the document's: the other formats have one rendering and pay it no heed.
    let csv = export(&app, &s.coordinator, "format=csv&as=markdown").await;
    assert_eq!(csv.status(), 200);
    assert!(
        csv.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let unknown = problem(
        export(&app, &s.coordinator, "format=document&as=pdf").await,
        422,
    )
    .await;
    assert_eq!(unknown["errors"][0]["field"], "as");
}

/// The results page: choices and scales as SVG charts with their table, text answers with
/// their organisation, filters by kind of organisation and by chapter, drafts left out,
/// the overview's ten answers per question then the question's own page.
async fn results_page_charts_choices_and_lists_answers_by_kind(app: TestApp) {
    let s = setup(&app, Duration::days(30)).await;
    let page = |query: &'static str| {
        let app = &app;
        let coordinator = &s.coordinator;
        async move {
            let response = send(
                app,
                coordinator,
                "GET",
                &format!("/coordination/consultations/essai/resultats{query}"),
                None,
            )
            .await;
            assert_eq!(response.status(), 200, "{query}");
            response.text().await.unwrap()
        }
    };
    answer(&app, &s, "E1.Q1", json!("Oui")).await;
    answer(
        &app,
        &s,
        "E1.Q2",
        json!("Témoignage des patients\n<b>gras</b>"),
    )
    .await;
    answer(&app, &s, "E1.Q3", json!("non")).await;
    answer(&app, &s, "E1.Q5", json!(4)).await;
    answer(
        &app,
        &s,
        "E1.Q6",
        json!([{"title": "Former", "description": ""}, {"title": "Informer", "description": "Mieux."}]),
    )
    .await;
    submit(&app, &s, "none").await;
    let (fed, fed_org) = organisation_named(
        &app,
        &s.coordinator,
        "federation@exemple.fr",
        "W130000041",
        "Fédération Nord",
        "federation",
    )
    .await;
    for (code, value) in [
        ("E1.Q1", json!("Oui")),
        ("E1.Q2", json!("Témoignage fédéral")),
        ("E1.Q3", json!("oui")),
        ("E1.Q5", json!(2)),
    ] {
        answer_as(&app, &fed, fed_org, code, value).await;
    }
    submit_as(&app, &fed, fed_org, "attributed").await;
    let (draft, draft_org) = organisation_named(
        &app,
        &s.coordinator,
        "brouillon@exemple.fr",
        "W130000058",
        "Brouillon SA",
        "other",
    )
    .await;
    answer_as(
        &app,
        &draft,
        draft_org,
        "E1.Q2",
        json!("Texte en brouillon"),
    )
    .await;
    answer_as(&app, &draft, draft_org, "E1.Q3", json!("oui")).await;

    let all = page("").await;
    assert!(all.contains("2 réponses soumises."), "{all}");
    assert!(all.contains("<h2 id=\"chapitre-1\">E1 — <span lang=\"fr\">Premier enjeu</span></h2>"));
    // The chart is an image with its summary, and the same numbers are in a table.
    assert!(
        all.contains(
            "role=\"img\" aria-label=\"D&#39;accord ? : Oui 1 (50,0 %), Non 1 (50,0 %), Ne sait pas 0 (0,0 %)\""
        ),
        "{all}"
    );
    assert!(all.contains("<tr><th scope=\"row\">Non</th><td>1</td><td>50,0 %</td></tr>"));
    // The bars say their values; no label is cut short.
    assert!(all.contains(">1 (50,0 %)</text>") && all.contains(">Ne sait pas</text>"));
    assert!(!all.contains("…</text>"));
    assert!(all.contains("<tr><th scope=\"row\">4</th><td>1</td><td>50,0 %</td></tr>"));
    assert!(all.contains("Moyenne : 3,00 · médiane : 3,00"));
    // Text answers with their organisation, escaped; the draft is nowhere.
    assert!(all.contains(
        "<strong>Association des patients de l&#39;Ouest</strong> (Association de patients)"
    ));
    assert!(all.contains("Témoignage des patients\n&#60;b&#62;gras&#60;/b&#62;"));
    assert!(all.contains("<strong>Fédération Nord</strong> (Fédération)"));
    assert!(!all.contains("Texte en brouillon") && !all.contains("Brouillon SA"));
    assert!(all.contains("2 propositions recueillies dans ce chapitre."));
    assert!(all.contains("<li><strong>Informer</strong><p class=\"answer-text\">Mieux.</p></li>"));
    // The downloads are offered here too.
    assert!(all.contains("/api/v1/rounds/essai/export?format=xlsx"));

    let federations = page("?type=federation").await;
    assert!(federations.contains("1 réponse soumise."));
    assert!(federations.contains("Témoignage fédéral"));
    assert!(!federations.contains("Témoignage des patients"));
    assert!(federations.contains("<tr><th scope=\"row\">Non</th><td>0</td><td>0,0 %</td></tr>"));
    assert!(federations.contains("<option value=\"federation\" selected>"));
    let none = page("?chapitre=ZZ").await;
    assert!(none.contains("Aucune question ne correspond à ces filtres."));
    assert!(
        page("?chapitre=E1")
            .await
            .contains("E1.Q6 — <span lang=\"fr\">Vos propositions ?</span>")
    );

    // Ten answers per question in the overview, then a link to all of them. (One owner
    // for all these organisations: registrations are throttled per address.)
    let owner = member(&app, "asso@exemple.fr").await;
    for i in 0..10 {
        let legal_id = format!("W1300001{i}0");
        let name = format!("Asso {i}");
        let fields = organisation_of(&legal_id, &name, "other");
        let org = approve_new_organisation(&app, &s.coordinator, &owner, fields).await;
        answer_as(&app, &owner, org, "E1.Q1", json!("Oui")).await;
        answer_as(
            &app,
            &owner,
            org,
            "E1.Q2",
            json!(format!("Réponse numéro {i}")),
        )
        .await;
        submit_as(&app, &owner, org, "attributed").await;
    }
    let overview = page("").await;
    assert!(overview.contains("12 répondants"));
    assert_eq!(
        overview.matches("Réponse numéro").count(),
        8,
        "ten answers, two of them the earlier ones"
    );
    assert!(
        overview.contains("href=\"/coordination/consultations/essai/resultats?question=E1.Q2\"")
    );
    let question = page("?question=E1.Q2").await;
    assert_eq!(question.matches("Réponse numéro").count(), 10);
    assert!(question.contains("Témoignage des patients"));
    assert!(
        !question.contains("D&#39;accord ?"),
        "only the question asked for"
    );
    assert!(!question.contains("Réponses suivantes"));
}
