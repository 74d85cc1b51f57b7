//! Searching a round's answers: French words with or without their accents, plurals,
//! phrases, prefixes, filters; nothing of other rounds, nor drafts unless asked; the index
//! follows every write; only coordinators with the second factor.

use serde_json::{Value, json};

use crate::both_backends;
use crate::fixtures::{
    Who, approve_new_organisation, coordinator, coordinator_2fa, member, organisation, send,
};
use crate::helpers::{TestApp, problem, problem_fields};

both_backends!(
    coordinators_find_what_was_written,
    the_most_telling_answers_come_first
);

pub(crate) async fn answer(
    app: &TestApp,
    who: &Who,
    slug: &str,
    org: i64,
    code: &str,
    value: &str,
) {
    let path = format!("/api/v1/rounds/{slug}/responses/{org}/answers/{code}");
    let saved = send(app, who, "PUT", &path, Some(json!({ "value": value }))).await;
    assert_eq!(saved.status(), 200, "{path}");
}

pub(crate) async fn submit(app: &TestApp, who: &Who, slug: &str, org: i64) {
    let path = format!("/api/v1/rounds/{slug}/responses/{org}/submit");
    let body = json!({"publication_consent": "attributed"});
    assert_eq!(
        send(app, who, "POST", &path, Some(body)).await.status(),
        200
    );
}

pub(crate) async fn open(app: &TestApp, coord: &Who, slug: &str) {
    crate::round_admin::built_round(app, coord, slug, chrono::Duration::days(30)).await;
    let opened = send(
        app,
        coord,
        "POST",
        &format!("/api/v1/rounds/{slug}/open"),
        None,
    )
    .await;
    assert_eq!(opened.status(), 200);
}

/// What `who` finds with `params` (a query string) in round `essai`.
async fn search(app: &TestApp, who: &Who, params: &str) -> reqwest::Response {
    send(
        app,
        who,
        "GET",
        &format!("/api/v1/rounds/essai/search?{params}"),
        None,
    )
    .await
}

/// The organisations of what the coordinator finds.
async fn found(app: &TestApp, who: &Who, params: &str) -> Vec<String> {
    let response = search(app, who, params).await;
    assert_eq!(response.status(), 200, "{params}");
    let body: Value = response.json().await.unwrap();
    let names: Vec<String> = body["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["organisation"]["name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(body["total"], names.len(), "{params}: {body}");
    names
}

const WEST: &str = "Patients de l'Ouest";
const NORTH: &str = "Fédération du Nord";

fn encode(q: &str) -> String {
    url::form_urlencoded::byte_serialize(q.as_bytes()).collect()
}

/// Two approved organisations, each with its member: `WEST` (a patients' association)
/// and `NORTH` (a federation).
async fn west_and_north(app: &TestApp, coord: &Who) -> ((Who, i64), (Who, i64)) {
    let west = member(app, "ouest@exemple.fr").await;
    let mut fields = organisation("W751234567");
    fields["name"] = json!(WEST);
    let west_org = approve_new_organisation(app, coord, &west, fields).await;
    let north = member(app, "nord@exemple.fr").await;
    let mut fields = organisation("W751234568");
    fields["name"] = json!(NORTH);
    fields["kind"] = json!("federation");
    let north_org = approve_new_organisation(app, coord, &north, fields).await;
    ((west, west_org), (north, north_org))
}

/// Both engines rank by how often an answer says what is sought against its length: a
/// short answer that says it three times before a long one that says it once, whichever
/// was written first.
async fn the_most_telling_answers_come_first(app: TestApp) {
    let coord = coordinator_2fa(&app, "coord@exemple.fr").await;
    open(&app, &coord, "essai").await;
    let ((west, west_org), (north, north_org)) = west_and_north(&app, &coord).await;
    let long = format!(
        "{} Les soins à domicile manquent. {}",
        "Nous avons interrogé nos adhérents pendant trois mois.".repeat(4),
        "Les transports restent difficiles pour les familles.".repeat(4)
    );
    answer(&app, &west, "essai", west_org, "E1.Q2", &long).await;
    let short = "Soins à domicile : les soins à domicile, encore les soins à domicile.";
    answer(&app, &north, "essai", north_org, "E1.Q2", short).await;
    for q in ["domicile", "\"soins à domicile\"", "soins domicile"] {
        let params = format!("q={}&drafts=true", encode(q));
        assert_eq!(found(&app, &coord, &params).await, [NORTH, WEST], "{q}");
    }
}

async fn coordinators_find_what_was_written(app: TestApp) {
    let coord = coordinator_2fa(&app, "coord@exemple.fr").await;
    open(&app, &coord, "essai").await;
    open(&app, &coord, "autre").await;
    let ((west, west_org), (north, north_org)) = west_and_north(&app, &coord).await;

    // Submitted in `essai`: the testimony; a choice whose key is a word ("oui").
    answer(&app, &west, "essai", west_org, "E1.Q1", "Oui, clairement.").await;
    let testimony = "Les patientes de l'Hôpital attendent des soins à domicile depuis des mois.";
    answer(&app, &west, "essai", west_org, "E1.Q2", testimony).await;
    // Written twice before any search: noted once.
    answer(&app, &west, "essai", west_org, "E1.Q2", testimony).await;
    let chosen = format!("/api/v1/rounds/essai/responses/{west_org}/answers/E1.Q3");
    assert_eq!(
        send(&app, &west, "PUT", &chosen, Some(json!({"value": "oui"})))
            .await
            .status(),
        200
    );
    submit(&app, &west, "essai", west_org).await;
    // A draft in `essai`, and the same words in another round.
    let draft = "Nous demandons l'accès aux hôpitaux de proximité.";
    answer(&app, &north, "essai", north_org, "E1.Q2", draft).await;
    answer(
        &app,
        &west,
        "autre",
        west_org,
        "E1.Q2",
        "L'hôpital, encore l'hôpital.",
    )
    .await;

    // Accents and case folded; plurals; submitted only unless drafts are asked; never
    // another round.
    for q in ["hopital", "HÔPITAL", "hôpitaux"] {
        assert_eq!(
            found(&app, &coord, &format!("q={}", encode(q))).await,
            [WEST],
            "{q}"
        );
        let mut with_drafts = found(&app, &coord, &format!("q={}&drafts=true", encode(q))).await;
        with_drafts.sort();
        assert_eq!(with_drafts, [NORTH, WEST], "{q}");
    }
    assert_eq!(found(&app, &coord, "q=patiente").await, [WEST]);
    assert_eq!(found(&app, &coord, "q=patien*").await, [WEST]);
    // A phrase is its words in their order.
    assert_eq!(
        found(
            &app,
            &coord,
            &format!("q={}", encode("\"soins à domicile\""))
        )
        .await,
        [WEST]
    );
    assert!(
        found(
            &app,
            &coord,
            &format!("q={}", encode("\"domicile à soins\""))
        )
        .await
        .is_empty()
    );
    // Every word must be there.
    assert!(found(&app, &coord, "q=hopital+proximite").await.is_empty());
    // Choices are not texts.
    assert!(found(&app, &coord, "q=oui&question=E1.Q3").await.is_empty());
    // Filters.
    assert_eq!(
        found(&app, &coord, "q=hopital&drafts=true&kind=federation").await,
        [NORTH]
    );
    assert!(
        found(&app, &coord, "q=hopital&question=E1.Q1")
            .await
            .is_empty()
    );
    assert_eq!(
        found(&app, &coord, "q=hopital&chapter=E1&question=E1.Q2").await,
        [WEST]
    );
    assert_eq!(found(&app, &coord, "q=hopital&chapter=E1").await, [WEST]);
    assert_eq!(
        found(
            &app,
            &coord,
            &format!("q={}&question=E1.Q2", encode("\"soins à domicile\""))
        )
        .await,
        [WEST]
    );
    assert!(found(&app, &coord, "q=hopital&chapter=E9").await.is_empty());
    assert!(
        found(&app, &coord, "q=hopital&question=E9.Q1")
            .await
            .is_empty()
    );

    // What a result says: the excerpt with its match, the answer in context.
    let body: Value = search(&app, &coord, "q=domicile")
        .await
        .json()
        .await
        .unwrap();
    let result = &body["results"][0];
    assert_eq!(result["question"], "E1.Q2");
    assert_eq!(result["status"], "submitted");
    assert_eq!(result["organisation"]["kind"], "patient_association");
    let pieces = result["excerpt"].as_array().unwrap();
    assert!(
        pieces
            .iter()
            .any(|p| p["matched"] == true
                && p["text"].as_str().unwrap().to_lowercase() == "domicile"),
        "{pieces:?}"
    );
    let whole: String = pieces.iter().map(|p| p["text"].as_str().unwrap()).collect();
    assert!(whole.contains("soins à"), "{whole}");
    assert!(
        result["link"]
            .as_str()
            .unwrap()
            .contains("/resultats?question=E1.Q2&apres=")
    );

    // A search sees every write before it (on SQLite, the answers the triggers noted are
    // folded into the index first).
    answer(
        &app,
        &north,
        "essai",
        north_org,
        "E1.Q2",
        "Plus rien de tel.",
    )
    .await;
    assert_eq!(found(&app, &coord, "q=hopitaux&drafts=true").await, [WEST]);
    assert_eq!(found(&app, &coord, "q=tel&drafts=true").await, [NORTH]);
    if app.db.url.starts_with("sqlite") {
        let pending = app
            .with_db(|conn| {
                #[derive(diesel::QueryableByName)]
                struct Count {
                    #[diesel(sql_type = diesel::sql_types::BigInt)]
                    n: i64,
                }
                use diesel::RunQueryDsl;
                diesel::sql_query("SELECT COUNT(*) AS n FROM answer_search_pending")
                    .get_result::<Count>(conn)
                    .unwrap()
                    .n
            })
            .await;
        assert_eq!(pending, 0, "folded into the index by the search");
    }

    // Bad requests name their field; nothing is searched.
    for (params, field) in [
        ("q=", "q"),
        ("q=%22%22", "q"),
        (&format!("q={}", "a".repeat(201)) as &str, "q"),
        ("q=hopital&page=0", "page"),
        ("q=hopital&page=51", "page"),
        ("q=hopital&kind=inconnu", "kind"),
        ("q=%E6%97%A5%E6%9C%AC", "q"),
    ] {
        let refused = problem(search(&app, &coord, params).await, 422).await;
        assert_eq!(problem_fields(&refused), [field], "{params}");
    }
    let unknown = send(
        &app,
        &coord,
        "GET",
        "/api/v1/rounds/inconnue/search?q=hopital",
        None,
    )
    .await;
    assert_eq!(unknown.status(), 404);

    // Only coordinators with the second factor.
    let anonymous = app
        .client
        .get(app.url("/api/v1/rounds/essai/search?q=hopital"))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);
    assert_eq!(search(&app, &west, "q=hopital").await.status(), 403);
    let plain = coordinator(&app, "sans2fa@exemple.fr").await;
    assert_eq!(search(&app, &plain, "q=hopital").await.status(), 403);

    // The page says the same, to the same people.
    let page = "/coordination/consultations/essai/recherche?q=soins";
    let shown = send(&app, &coord, "GET", page, None).await;
    assert_eq!(shown.status(), 200);
    let html = shown.text().await.unwrap();
    assert!(html.contains("1 réponse trouvée"), "{html}");
    assert!(html.contains("<mark>soins</mark>"), "{html}");
    let refused = send(
        &app,
        &coord,
        "GET",
        "/coordination/consultations/essai/recherche?q=%22%22",
        None,
    )
    .await;
    assert_eq!(refused.status(), 422);
    let anonymous = app.client.get(app.url(page)).send().await.unwrap();
    assert_eq!(anonymous.status(), 303);
    assert_eq!(send(&app, &west, "GET", page, None).await.status(), 403);
    assert_eq!(send(&app, &plain, "GET", page, None).await.status(), 403);
}

/// SQLite: the scheduled jobs fold the answers the triggers noted into the index while
/// nobody writes, so that a search after a quiet time has little left to fold.
#[tokio::test]
async fn noted_answers_are_folded_in_while_nobody_writes() {
    #[derive(diesel::QueryableByName)]
    struct Noted {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let Some(app) = crate::helpers::spawn_app(crate::helpers::Backend::Sqlite).await else {
        return;
    };
    let coord = coordinator_2fa(&app, "coord@exemple.fr").await;
    open(&app, &coord, "essai").await;
    let west = member(&app, "ouest@exemple.fr").await;
    let org = approve_new_organisation(&app, &coord, &west, organisation("W751234567")).await;
    answer(
        &app,
        &west,
        "essai",
        org,
        "E1.Q2",
        "Un témoignage à ranger.",
    )
    .await;
    for _ in 0..100 {
        let noted = app
            .with_db(|conn| {
                use diesel::RunQueryDsl;
                diesel::sql_query("SELECT COUNT(*) AS n FROM answer_search_pending")
                    .get_result::<Noted>(conn)
                    .unwrap()
                    .n
            })
            .await;
        if noted == 0 {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("answers still noted after 5 s of quiet");
}

both_backends!(excerpts_mark_the_words_the_engine_matched);

/// Testimonies in the shapes French takes: accents, capitals, plurals, elisions, hyphens,
/// ligatures, digits.
const CORPUS: [&str; 4] = [
    "Aujourd'hui, les Hôpitaux publics ferment des lits : l'hôpital de proximité reste \
     l'unique recours. Les soignantes et les soignants manquent ; les patientes attendent \
     des soins à domicile qui n'arrivent pas. Un patient de 87 ans a attendu 12 heures aux \
     urgences en 2025.",
    "La télémédecine aide les personnes éloignées, mais la téléconsultation exclut celles \
     qui n'ont pas d'ordinateur. Les données de santé doivent rester protégées ; \
     l'intelligence artificielle ne remplace pas l'écoute. Cœur, œuvre et sœur : des \
     ligatures que les moteurs plient.",
    "Nos bénévoles accompagnent les malades chroniques : diabète de type 2, insuffisance \
     rénale, covid19 long. Les aidants familiaux, épuisés, demandent un répit ; les \
     associations d'usagers veulent être associées aux décisions des établissements.",
    "Soins à domicile, soins palliatifs, soins de suite : l'hospitalisation à domicile \
     (HAD) évite des hospitalisations longues. Les infirmières libérales se déplacent \
     chaque jour ; le médecin traitant coordonne. Naïve ou non, notre demande est simple.",
];

/// Queries of every kind, each found somewhere in `CORPUS`.
const QUERIES: [&str; 10] = [
    "hopital",
    "Hôpitaux",
    "soignante",
    "\"soins à domicile\"",
    "télé*",
    "donnees sante",
    "coeur",
    "covid19",
    "hospitalisation",
    "\"aidants familiaux\" répit",
];

/// The excerpts are made by the service, not the engines: the words they mark are the
/// words the engine itself marks (`ts_headline`, FTS5's `highlight`) in every text and
/// for every query; and every letter the service folds, it folds as the index does.
async fn excerpts_mark_the_words_the_engine_matched(app: TestApp) {
    use concerto::domain::search::SearchQuery;
    use concerto::domain::search::excerpt::{Engine, Marker};
    use diesel::RunQueryDsl;
    use diesel::connection::SimpleConnection;
    use diesel::sql_types::Text;

    #[derive(diesel::QueryableByName)]
    struct Said {
        #[diesel(sql_type = Text)]
        said: String,
    }
    fn between(text: &str) -> Vec<String> {
        text.split('[')
            .skip(1)
            .filter_map(|part| part.split_once(']'))
            .map(|(marked, _)| marked.to_owned())
            .collect()
    }
    let postgres = !app.db.url.starts_with("sqlite");
    let (ours, theirs, letters) = app
        .with_db(move |conn| {
            let said = |conn: &mut concerto::store::DbConnection, sql: &str, text: &str, q: &str| {
                diesel::sql_query(sql)
                    .bind::<Text, _>(text)
                    .bind::<Text, _>(q)
                    .get_result::<Said>(conn)
                    .unwrap()
                    .said
            };
            if !postgres {
                conn.batch_execute(
                    "CREATE VIRTUAL TABLE temp.parity USING fts5(body, \
                     tokenize = 'unicode61 remove_diacritics 2'); \
                     CREATE VIRTUAL TABLE temp.parity_terms USING fts5vocab(temp, parity, 'instance');",
                )
                .unwrap();
            }
            let (mut ours, mut theirs) = (Vec::new(), Vec::new());
            for raw in QUERIES {
                let query = SearchQuery::parse(raw).unwrap();
                for text in CORPUS {
                    let marker = if postgres {
                        Marker::postgres(&said(
                            conn,
                            "SELECT to_tsquery('concerto_fr', $2)::text || $1 AS said",
                            "",
                            &query.tsquery(),
                        ))
                    } else {
                        Marker::sqlite(&query)
                    };
                    let marked = concerto::domain::search::words(&marker.marked_words(text).join(" "));
                    let engine = if postgres {
                        said(
                            conn,
                            "SELECT ts_headline('concerto_fr', $1, to_tsquery('concerto_fr', $2), \
                             'StartSel=[, StopSel=], HighlightAll=true') AS said",
                            text,
                            &query.tsquery(),
                        )
                    } else {
                        conn.batch_execute("DELETE FROM temp.parity").unwrap();
                        diesel::sql_query("INSERT INTO temp.parity (rowid, body) VALUES (1, ?)")
                            .bind::<Text, _>(text)
                            .execute(conn)
                            .unwrap();
                        said(
                            conn,
                            "SELECT COALESCE((SELECT highlight(parity, 0, '[', ']') \
                             FROM temp.parity WHERE parity MATCH ?2), ?1) AS said",
                            "",
                            &query.fts5(),
                        )
                    };
                    let engine = concerto::domain::search::words(&between(&engine).join(" "));
                    ours.push((raw, marked));
                    theirs.push((raw, engine));
                }
            }
            // Every letter a word can hold, alone and inside a word, as the index keeps it.
            let mut letters = Vec::new();
            for c in (0u32..0x180).filter_map(char::from_u32) {
                let word = format!("{c}");
                if concerto::domain::search::words(&word) != [c.to_lowercase().to_string()] {
                    continue;
                }
                let word = format!("zz{c}zz");
                let kept = if postgres {
                    said(
                        conn,
                        "SELECT COALESCE(string_agg(lexeme, ' '), '') || $2 AS said \
                         FROM unnest(to_tsvector('concerto_fr', $1))",
                        &word,
                        "",
                    )
                } else {
                    conn.batch_execute("DELETE FROM temp.parity").unwrap();
                    diesel::sql_query("INSERT INTO temp.parity (rowid, body) VALUES (1, ?)")
                        .bind::<Text, _>(&word)
                        .execute(conn)
                        .unwrap();
                    said(
                        conn,
                        "SELECT COALESCE(group_concat(term, ' '), '') || ?1 || ?2 AS said \
                         FROM temp.parity_terms",
                        "",
                        "",
                    )
                };
                let engine = if postgres { Engine::Postgres } else { Engine::Sqlite };
                letters.push((c, engine.key(&word), kept));
            }
            (ours, theirs, letters)
        })
        .await;
    for raw in QUERIES {
        // FTS5 folds diacritics, not ligatures: « coeur » does not find « cœur » on SQLite.
        if raw == "coeur" && !postgres {
            continue;
        }
        assert!(
            ours.iter()
                .any(|(q, marked)| *q == raw && !marked.is_empty()),
            "{raw} marks words somewhere"
        );
    }
    assert_eq!(ours, theirs);
    let differ: Vec<_> = letters
        .iter()
        .filter(|(_, ours, theirs)| ours != theirs)
        .collect();
    assert!(differ.is_empty(), "{differ:?}");
}
