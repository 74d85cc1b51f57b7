//! The text of attached documents in the round's search: PDF, ODT and DOCX read once per
//! content, off the upload's request; found with the answers' words (accents folded,
//! phrases) and filters; current documents only, drafts only when asked; a content left
//! waiting by an instance is taken again by another, once.

use std::time::Duration;

use concerto::domain::attachments::TextState;
use serde_json::{Value, json};

use crate::attachments::{round_with_documents, samples, sha256, upload};
use crate::both_backends;
use crate::fixtures::{Who, coordinator_2fa, send, west_and_east};
use crate::helpers::TestApp;

both_backends!(documents_are_found_by_their_text);
both_backends!(texts_left_waiting_are_read_once_by_another_instance);

/// Waits until no content's text awaits reading (the upload wakes the reader).
async fn texts_read(app: &TestApp) {
    for _ in 0..400 {
        let waiting = app
            .with_db(|conn| concerto::store::attachments::texts_waiting(conn).unwrap())
            .await;
        if waiting == 0 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("documents' texts still waiting after 20 s");
}

async fn text_of(app: &TestApp, bytes: &[u8]) -> (TextState, Option<String>) {
    let sha = sha256(bytes);
    app.with_db(move |conn| {
        concerto::store::attachments::text_of(conn, &sha)
            .unwrap()
            .expect("content recorded")
    })
    .await
}

/// What the coordinator finds in round `essai` with `params`: the documents' titles.
async fn documents(app: &TestApp, coord: &Who, params: &str) -> (Vec<String>, Value) {
    let response = send(
        app,
        coord,
        "GET",
        &format!("/api/v1/rounds/essai/search?{params}"),
        None,
    )
    .await;
    assert_eq!(response.status(), 200, "{params}");
    let body: Value = response.json().await.unwrap();
    let titles: Vec<String> = body["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["title"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(body["documents_total"], titles.len(), "{params}: {body}");
    (titles, body)
}

async fn added(response: reqwest::Response) -> String {
    assert_eq!(response.status(), 201);
    let body: Value = response.json().await.unwrap();
    body["id"].as_str().unwrap().to_owned()
}

async fn documents_are_found_by_their_text(app: TestApp) {
    let coord = coordinator_2fa(&app, "coord@exemple.fr").await;
    round_with_documents(&app, &coord).await;
    let ((west, west_org), (east, east_org)) = west_and_east(&app, &coord).await;
    let west_base = format!("/api/v1/rounds/essai/responses/{west_org}/attachments");
    let east_base = format!("/api/v1/rounds/essai/responses/{east_org}/attachments");

    let manifesto = concerto::extraction::one_page_pdf(
        "Les délais de rendez-vous à l'hôpital sont trop longs.",
    );
    let survey = samples::docx("Enquête auprès des aidants familiaux du Finistère");
    let synthesis = samples::odt("Les aidants épuisés demandent du répit");
    let damaged = b"%PDF-1.4\nrien de lisible ici".to_vec();
    let manifesto_id = added(
        upload(
            &app,
            &west,
            &format!("{west_base}?question=E1.D1"),
            "Manifeste",
            ("manifeste.pdf", &manifesto),
        )
        .await,
    )
    .await;
    added(
        upload(
            &app,
            &west,
            &west_base,
            "Enquête",
            ("enquete.docx", &survey),
        )
        .await,
    )
    .await;
    added(
        upload(
            &app,
            &west,
            &west_base,
            "Schéma",
            ("schema.png", &samples::png()),
        )
        .await,
    )
    .await;
    let synthesis_id = added(
        upload(
            &app,
            &east,
            &format!("{east_base}?question=E1.D1"),
            "Synthèse",
            ("synthese.odt", &synthesis),
        )
        .await,
    )
    .await;
    added(upload(&app, &east, &east_base, "Abîmé", ("abime.pdf", &damaged)).await).await;
    texts_read(&app).await;

    // Each content's text read, or why not.
    let (state, text) = text_of(&app, &manifesto).await;
    assert_eq!(state, TextState::Extracted);
    assert_eq!(
        text.as_deref(),
        Some("Les délais de rendez-vous à l'hôpital sont trop longs.")
    );
    assert_eq!(
        text_of(&app, &survey).await,
        (
            TextState::Extracted,
            Some("Enquête auprès des aidants familiaux du Finistère".into())
        )
    );
    assert_eq!(
        text_of(&app, &samples::png()).await,
        (TextState::NotText, None)
    );
    assert_eq!(text_of(&app, &damaged).await, (TextState::Unreadable, None));

    // West submits; East stays a draft.
    let q1 = send(
        &app,
        &west,
        "PUT",
        &format!("/api/v1/rounds/essai/responses/{west_org}/answers/E1.Q1"),
        Some(json!({"value": "Voir nos documents."})),
    )
    .await;
    assert_eq!(q1.status(), 200);
    let submitted = send(
        &app,
        &west,
        "POST",
        &format!("/api/v1/rounds/essai/responses/{west_org}/submit"),
        Some(json!({"publication_consent": "attributed"})),
    )
    .await;
    assert_eq!(submitted.status(), 200);

    // Without its accent; the match marked in the excerpt; the question, the download.
    let (titles, body) = documents(&app, &coord, "q=hopital").await;
    assert_eq!(titles, ["Manifeste"]);
    let found = &body["documents"][0];
    assert_eq!(found["question"], "E1.D1");
    assert_eq!(found["chapter"], "E1");
    assert_eq!(found["organisation"]["id"], west_org);
    assert_eq!(found["status"], "submitted");
    assert_eq!(found["media_type"], "application/pdf");
    assert_eq!(
        found["download"],
        format!("/api/v1/attachments/{manifesto_id}")
    );
    let marked: Vec<&str> = found["excerpt"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["matched"] == true)
        .map(|p| p["text"].as_str().unwrap())
        .collect();
    assert_eq!(marked, ["hôpital"]);
    assert_eq!(body["total"], 0, "no answer says it");
    let download = send(
        &app,
        &coord,
        "GET",
        found["download"].as_str().unwrap(),
        None,
    )
    .await;
    assert_eq!(download.status(), 200);
    assert_eq!(
        download.bytes().await.unwrap().as_ref(),
        manifesto.as_slice()
    );

    // Drafts only when asked; the filters as for the answers (the response's own area
    // has no chapter nor question).
    assert_eq!(documents(&app, &coord, "q=aidant").await.0, ["Enquête"]);
    let mut both = documents(&app, &coord, "q=aidants&drafts=true").await.0;
    both.sort();
    assert_eq!(both, ["Enquête", "Synthèse"]);
    for filter in ["chapter=E1", "question=E1.D1"] {
        assert_eq!(
            documents(&app, &coord, &format!("q=aidants&drafts=true&{filter}"))
                .await
                .0,
            ["Synthèse"],
            "{filter}"
        );
    }
    assert!(
        documents(&app, &coord, "q=aidants&drafts=true&kind=public_body")
            .await
            .0
            .is_empty()
    );
    assert_eq!(
        documents(&app, &coord, "q=%22aidants+familiaux%22&drafts=true")
            .await
            .0,
        ["Enquête"],
        "a phrase"
    );
    assert!(
        documents(&app, &coord, "q=%22familiaux+aidants%22&drafts=true")
            .await
            .0
            .is_empty(),
        "its words in another order"
    );
    assert_eq!(
        documents(&app, &coord, "q=hopital&page=2").await.1["documents_total"],
        0,
        "listed on the first page"
    );

    // A replaced version and a deleted document are not found any more.
    let replaced = upload(
        &app,
        &east,
        &format!("{east_base}?replaces={synthesis_id}"),
        "Synthèse",
        ("synthese.odt", &samples::odt("Le répit des proches")),
    )
    .await;
    let new_version = added(replaced).await;
    texts_read(&app).await;
    assert_eq!(
        documents(&app, &coord, "q=aidants&drafts=true").await.0,
        ["Enquête"]
    );
    assert_eq!(
        documents(&app, &coord, "q=repit&drafts=true").await.0,
        ["Synthèse"]
    );
    let deleted = send(
        &app,
        &east,
        "DELETE",
        &format!("{east_base}/{new_version}"),
        None,
    )
    .await;
    assert_eq!(deleted.status(), 204);
    assert!(
        documents(&app, &coord, "q=repit&drafts=true")
            .await
            .0
            .is_empty()
    );

    // A content attached twice is read once, and found for each document.
    added(
        upload(
            &app,
            &east,
            &east_base,
            "Manifeste repris",
            ("m.pdf", &manifesto),
        )
        .await,
    )
    .await;
    let waiting = app
        .with_db(|conn| concerto::store::attachments::texts_waiting(conn).unwrap())
        .await;
    assert_eq!(waiting, 0, "its text is known already");
    let mut twice = documents(&app, &coord, "q=hopital&drafts=true").await.0;
    twice.sort();
    assert_eq!(twice, ["Manifeste", "Manifeste repris"]);

    // The search page lists them beside the answers, each with its download.
    let page = send(
        &app,
        &coord,
        "GET",
        "/coordination/consultations/essai/recherche?q=hopital",
        None,
    )
    .await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("1 document joint contient ces mots"),
        "{html}"
    );
    assert!(html.contains(&format!("href=\"/api/v1/attachments/{manifesto_id}\"")));
    assert!(html.contains("<mark>hôpital</mark>"));
}

async fn texts_left_waiting_are_read_once_by_another_instance(app: TestApp) {
    let coord = coordinator_2fa(&app, "coord@exemple.fr").await;
    round_with_documents(&app, &coord).await;
    let ((west, west_org), _) = west_and_east(&app, &coord).await;
    let base = format!("/api/v1/rounds/essai/responses/{west_org}/attachments");
    let paper = samples::docx("Le reste à charge des familles");
    added(upload(&app, &west, &base, "Note", ("note.docx", &paper)).await).await;
    texts_read(&app).await;

    // As if an instance had taken it a minute ago, and died reading it.
    let sha = sha256(&paper);
    let left = |ago: i64| {
        let sha = sha.clone();
        move |conn: &mut concerto::store::DbConnection| {
            use concerto::store::schema::stored_files;
            use diesel::prelude::*;
            let taken = (chrono::Utc::now() - chrono::Duration::seconds(ago)).naive_utc();
            diesel::update(stored_files::table.find(sha))
                .set((
                    stored_files::text_state.eq(TextState::Pending.as_str()),
                    stored_files::extracted_text.eq(None::<String>),
                    stored_files::text_claimed_at.eq(Some(taken)),
                ))
                .execute(conn)
                .unwrap();
        }
    };
    app.with_db(left(60)).await;
    let twin = app.twin().await;
    let read = concerto::services::responses::document_text::read_waiting(&twin.state)
        .await
        .unwrap();
    assert_eq!(read, 0, "a recent claim is left to its instance");
    assert_eq!(text_of(&app, &paper).await.0, TextState::Pending);

    // Its claim old, the first of two instances to look takes it (these two, or the
    // first's own reader, which any upload wakes); it is read once in all.
    let read_before =
        app.state.metrics.document_texts_read() + twin.state.metrics.document_texts_read();
    app.with_db(left(3600)).await;
    let (first, second) = tokio::join!(
        concerto::services::responses::document_text::read_waiting(&twin.state),
        concerto::services::responses::document_text::read_waiting(&app.state),
    );
    assert!(first.unwrap() + second.unwrap() <= 1);
    texts_read(&app).await;
    let read_after =
        app.state.metrics.document_texts_read() + twin.state.metrics.document_texts_read();
    assert_eq!(read_after - read_before, 1, "read once");
    assert_eq!(
        text_of(&app, &paper).await,
        (
            TextState::Extracted,
            Some("Le reste à charge des familles".into())
        )
    );
}

both_backends!(the_documents_index_reads_words_as_the_answers_index);

#[derive(diesel::QueryableByName)]
struct Definition {
    #[diesel(sql_type = diesel::sql_types::Text)]
    definition: String,
}

/// The documents' index folds words as the answers' does (migrations 000019 and 000030
/// each spell it): the same text search configuration on PostgreSQL, the same FTS5
/// tokenizer on SQLite.
async fn the_documents_index_reads_words_as_the_answers_index(app: TestApp) {
    let definitions = app
        .with_db(|conn| {
            use diesel::prelude::*;
            let sql = match conn {
                concerto::store::DbConnection::Postgres(_) => {
                    "SELECT pg_get_expr(d.adbin, d.adrelid) AS definition \
                     FROM pg_attrdef d JOIN pg_attribute a \
                     ON a.attrelid = d.adrelid AND a.attnum = d.adnum \
                     WHERE a.attname = 'search' \
                     AND d.adrelid IN ('answers'::regclass, 'stored_files'::regclass) \
                     ORDER BY d.adrelid::regclass::text"
                }
                concerto::store::DbConnection::Sqlite(_) => {
                    "SELECT sql AS definition FROM sqlite_master \
                     WHERE name IN ('answer_search', 'document_search') ORDER BY name"
                }
            };
            diesel::sql_query(sql).load::<Definition>(conn).unwrap()
        })
        .await;
    assert_eq!(definitions.len(), 2);
    // What says how words are read: the configuration named, or the tokenizer.
    let folding = |definition: &str| -> String {
        let from = definition
            .find("tokenize")
            .or_else(|| definition.find("to_tsvector("))
            .unwrap_or_else(|| panic!("no folding in {definition}"));
        // Up to the second quote: `to_tsvector('concerto_fr'`, `tokenize = '…'`.
        let rest = &definition[from..];
        let end = rest
            .match_indices('\'')
            .nth(1)
            .map_or(rest.len(), |(i, _)| i + 1);
        rest[..end].to_owned()
    };
    let (answers, documents) = (
        folding(&definitions[0].definition),
        folding(&definitions[1].definition),
    );
    assert_eq!(answers, documents);
    assert!(
        answers.contains("concerto_fr") || answers.contains("remove_diacritics 2"),
        "{answers}"
    );
}
