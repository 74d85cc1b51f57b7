//! Coding and redacting a round's answers: the codebook and its checks, tags on passages
//! that follow unrelated edits and are flagged after edits of their passage, suggestions
//! that never tag by themselves, the coders' agreement on a hand-computed example,
//! redactions masked in the document and absent from raw exports, audited; only
//! coordinators with the second factor.

use serde_json::{Value, json};

use crate::both_backends;
use crate::fixtures::{
    Who, approve_new_organisation, coordinator, coordinator_2fa, member, organisation, send,
};
use crate::helpers::{TestApp, problem, problem_fields};
use crate::search::{answer, open, submit};

both_backends!(
    a_codebook_tags_passages_and_suggests,
    coders_agreement_is_cohens_kappa,
    redactions_mask_what_is_published
);

const TESTIMONY: &str =
    "Les patientes de l'Hôpital attendent des soins à domicile depuis des mois.";

/// `who`'s request; the body of a 2xx, or the status and problem otherwise.
async fn call(
    app: &TestApp,
    who: &Who,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let response = send(
        app,
        who,
        method,
        &format!("/api/v1/rounds/essai{path}"),
        body,
    )
    .await;
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

async fn ok(app: &TestApp, who: &Who, method: &str, path: &str, body: Option<Value>) -> Value {
    let (status, body) = call(app, who, method, path, body).await;
    assert!(
        (200..300).contains(&status),
        "{method} {path}: {status} {body}"
    );
    body
}

/// An organisation of `kind` named `name`, owned by a new member: (owner, id).
async fn organisation_named(
    app: &TestApp,
    coord: &Who,
    email: &str,
    legal_id: &str,
    name: &str,
    kind: &str,
) -> (Who, i64) {
    let owner = member(app, email).await;
    let mut fields = organisation(legal_id);
    fields["name"] = json!(name);
    fields["kind"] = json!(kind);
    let id = approve_new_organisation(app, coord, &owner, fields).await;
    (owner, id)
}

/// The ids of an organisation's answers in `essai`, by question code.
async fn answer_ids(app: &TestApp, who: &Who, org: i64) -> Value {
    let body = ok(app, who, "GET", &format!("/responses/{org}"), None).await;
    let mut ids = serde_json::Map::new();
    for (code, answer) in body["answers"].as_object().unwrap() {
        ids.insert(code.clone(), answer["id"].clone());
    }
    Value::Object(ids)
}

/// The coordinator's export of round `essai` in `format` (query string after `format=`).
async fn export(app: &TestApp, coord: &Who, format: &str) -> String {
    let path = format!("/api/v1/rounds/essai/export?format={format}");
    let response = send(app, coord, "GET", &path, None).await;
    assert_eq!(response.status(), 200, "{format}");
    response.text().await.unwrap()
}

/// Characters (not bytes) before `part` in `text`, and after it.
fn range_of(text: &str, part: &str) -> (usize, usize) {
    let byte = text.find(part).expect("the part is in the text");
    let start = text[..byte].chars().count();
    (start, start + part.chars().count())
}

async fn a_codebook_tags_passages_and_suggests(app: TestApp) {
    let coord = coordinator_2fa(&app, "coord@exemple.fr").await;
    open(&app, &coord, "essai").await;
    open(&app, &coord, "autre").await;
    let (west, west_org) = organisation_named(
        &app,
        &coord,
        "ouest@exemple.fr",
        "W751234567",
        "Patients de l'Ouest",
        "patient_association",
    )
    .await;
    let (north, north_org) = organisation_named(
        &app,
        &coord,
        "nord@exemple.fr",
        "W751234568",
        "Fédération du Nord",
        "federation",
    )
    .await;
    answer(
        &app,
        &west,
        "essai",
        west_org,
        "E1.Q1",
        "Des hôpitaux trop loin.",
    )
    .await;
    answer(&app, &west, "essai", west_org, "E1.Q2", TESTIMONY).await;
    submit(&app, &west, "essai", west_org).await;
    let draft = "Nous demandons des soins à domicile et des hôpitaux de proximité.";
    answer(&app, &north, "essai", north_org, "E1.Q2", draft).await;
    let west_ids = answer_ids(&app, &coord, west_org).await;
    let north_ids = answer_ids(&app, &coord, north_org).await;

    // The codebook: checked fields, each refusal naming its field; nothing stored.
    let (status, refused) = call(
        &app,
        &coord,
        "POST",
        "/themes",
        Some(json!({
            "name": "", "colour": "rouge", "keywords": "soins\u{7}"
        })),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(problem_fields(&refused), ["name", "colour", "keywords"]);
    let access = ok(
        &app,
        &coord,
        "POST",
        "/themes",
        Some(json!({
            "name": "Accès aux soins",
            "description": "Distance, délais, domicile.",
            "keywords": "hopital\n\"soins à domicile\"",
        })),
    )
    .await;
    assert_eq!(access["colour"], "#1f5fa8", "the palette's first colour");
    assert_eq!(
        access["keywords"],
        json!(["hopital", "\"soins à domicile\""])
    );
    let access_id = access["id"].as_i64().unwrap();
    let (status, taken) = call(
        &app,
        &coord,
        "POST",
        "/themes",
        Some(json!({"name": "Accès aux soins"})),
    )
    .await;
    assert_eq!(
        (status, problem_fields(&taken)),
        (409, vec!["name".to_owned()])
    );
    let child = ok(
        &app,
        &coord,
        "POST",
        "/themes",
        Some(json!({
            "name": "Soins à domicile", "parent": access_id, "colour": "#2D6A2F"
        })),
    )
    .await;
    assert_eq!(child["colour"], "#2d6a2f");
    let child_id = child["id"].as_i64().unwrap();
    let (status, cycle) = call(
        &app,
        &coord,
        "PUT",
        &format!("/themes/{access_id}"),
        Some(json!({
            "name": "Accès aux soins", "parent": child_id
        })),
    )
    .await;
    assert_eq!(
        (status, problem_fields(&cycle)),
        (409, vec!["parent".to_owned()])
    );
    let renamed = ok(&app, &coord, "PUT", &format!("/themes/{child_id}"), Some(json!({
        "name": "Soins à la maison", "parent": access_id, "description": "Hospitalisation à domicile."
    }))).await;
    assert_eq!(
        (renamed["name"].as_str(), renamed["colour"].as_str()),
        (Some("Soins à la maison"), Some("#2d6a2f"))
    );
    let (status, _) = call(
        &app,
        &coord,
        "POST",
        "/themes",
        Some(json!({"name": "Orphelin", "parent": 999_999})),
    )
    .await;
    assert_eq!(status, 409);
    let (status, _) = call(
        &app,
        &coord,
        "PUT",
        "/themes/999999",
        Some(json!({"name": "X"})),
    )
    .await;
    assert_eq!(status, 404);

    // Suggestions: the submitted answers the rules match; nothing is tagged by them.
    let suggested = ok(
        &app,
        &coord,
        "GET",
        &format!("/themes/{access_id}/suggestions"),
        None,
    )
    .await;
    let mut answers: Vec<i64> = suggested["suggestions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["answer_id"].as_i64().unwrap())
        .collect();
    answers.sort();
    let mut wanted = vec![
        west_ids["E1.Q1"].as_i64().unwrap(),
        west_ids["E1.Q2"].as_i64().unwrap(),
    ];
    wanted.sort();
    assert_eq!(answers, wanted, "submitted answers only: {suggested}");
    let tags = ok(&app, &coord, "GET", "/tags", None).await;
    assert_eq!(tags["tags"], json!([]), "a suggestion tags nothing");

    // Confirming one is tagging it (here a passage); dismissing the other hides it.
    let (start, end) = range_of(TESTIMONY, "soins à domicile");
    let tag = ok(
        &app,
        &coord,
        "POST",
        "/tags",
        Some(json!({
            "theme": access_id, "answer": west_ids["E1.Q2"], "start": start, "end": end
        })),
    )
    .await;
    assert_eq!(tag["passage"]["text"], "soins à domicile");
    assert_eq!(tag["state"], "current");
    assert_eq!(tag["organisation"], "Patients de l'Ouest");
    ok(
        &app,
        &coord,
        "POST",
        &format!(
            "/themes/{access_id}/suggestions/{}/dismiss",
            west_ids["E1.Q1"]
        ),
        None,
    )
    .await;
    let suggested = ok(
        &app,
        &coord,
        "GET",
        &format!("/themes/{access_id}/suggestions"),
        None,
    )
    .await;
    assert_eq!(suggested["suggestions"], json!([]), "{suggested}");
    let (status, _) = call(
        &app,
        &coord,
        "POST",
        "/tags",
        Some(json!({
            "theme": access_id, "answer": west_ids["E1.Q2"], "start": start, "end": end
        })),
    )
    .await;
    assert_eq!(status, 409, "the same tag twice");

    // Tags the answers refuse name their field (409: the request is well formed, the
    // answer as it is now refuses it); nothing is stored.
    let choice = {
        let path = format!("/api/v1/rounds/essai/responses/{north_org}/answers/E1.Q3");
        assert_eq!(
            send(&app, &north, "PUT", &path, Some(json!({"value": "oui"})))
                .await
                .status(),
            200
        );
        answer_ids(&app, &coord, north_org).await["E1.Q3"].clone()
    };
    let long = draft.chars().count();
    for (body, field) in [
        (
            json!({"theme": 999_999, "answer": north_ids["E1.Q2"]}),
            "theme",
        ),
        (json!({"theme": access_id, "answer": 999_999}), "answer"),
        (
            json!({"theme": access_id, "answer": north_ids["E1.Q2"], "start": 5, "end": 5}),
            "end",
        ),
        (
            json!({"theme": access_id, "answer": north_ids["E1.Q2"], "start": -1, "end": 5}),
            "start",
        ),
        (
            json!({"theme": access_id, "answer": north_ids["E1.Q2"], "start": 0, "end": long + 1}),
            "end",
        ),
        (
            json!({"theme": access_id, "answer": choice, "start": 0, "end": 2}),
            "start",
        ),
    ] {
        let (status, refused) = call(&app, &coord, "POST", "/tags", Some(body.clone())).await;
        assert_eq!(
            (status, problem_fields(&refused)),
            (409, vec![field.to_owned()]),
            "{body}"
        );
    }
    let (status, _) = call(
        &app,
        &coord,
        "POST",
        "/tags",
        Some(json!({"theme": "un", "answer": 1})),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(
        ok(&app, &coord, "GET", "/tags", None).await["tags"]
            .as_array()
            .unwrap()
            .len(),
        1
    );

    // A tag on a passage of the draft follows an edit elsewhere, and is flagged after an
    // edit of its passage.
    let (start, end) = range_of(draft, "hôpitaux de proximité");
    let on_draft = ok(
        &app,
        &coord,
        "POST",
        "/tags",
        Some(json!({
            "theme": child_id, "answer": north_ids["E1.Q2"], "start": start, "end": end
        })),
    )
    .await;
    let whole = ok(
        &app,
        &coord,
        "POST",
        "/tags",
        Some(json!({"theme": access_id, "answer": choice})),
    )
    .await;
    assert_eq!(whole["passage"], Value::Null);
    // One end alone runs to the text's other end.
    let tail = ok(
        &app,
        &coord,
        "POST",
        "/tags",
        Some(json!({
            "theme": access_id, "answer": north_ids["E1.Q2"], "start": start
        })),
    )
    .await;
    assert_eq!(tail["passage"]["text"], "hôpitaux de proximité.");
    let tail_id = tail["id"].as_i64().unwrap();
    assert_eq!(
        call(&app, &coord, "DELETE", &format!("/tags/{tail_id}"), None)
            .await
            .0,
        204
    );
    let earlier = format!("Avant tout : {draft}");
    answer(&app, &north, "essai", north_org, "E1.Q2", &earlier).await;
    let seen = ok(
        &app,
        &coord,
        "GET",
        &format!("/tags?answer={}", north_ids["E1.Q2"]),
        None,
    )
    .await;
    let moved = &seen["tags"][0];
    assert_eq!(moved["id"], on_draft["id"]);
    assert_eq!(moved["state"], "current");
    assert_eq!(moved["passage"]["start"], start + 13, "{moved}");
    assert_eq!(moved["passage"]["text"], "hôpitaux de proximité");
    answer(
        &app,
        &north,
        "essai",
        north_org,
        "E1.Q2",
        &earlier.replace("de proximité", "proches"),
    )
    .await;
    let seen = ok(
        &app,
        &coord,
        "GET",
        &format!("/tags?answer={}", north_ids["E1.Q2"]),
        None,
    )
    .await;
    assert_eq!(seen["tags"][0]["state"], "to_review", "{seen}");

    // Counts per theme: by chapter, question and organisation kind.
    let book = ok(&app, &coord, "GET", "/themes", None).await;
    let access_counts = &book["themes"][0];
    assert_eq!(access_counts["name"], "Accès aux soins");
    assert_eq!(access_counts["answers"], 2);
    assert_eq!(
        access_counts["by_chapter"],
        json!([{"key": "E1", "answers": 2}])
    );
    assert_eq!(
        access_counts["by_question"],
        json!([{"key": "E1.Q2", "answers": 1}, {"key": "E1.Q3", "answers": 1}])
    );
    assert_eq!(
        access_counts["by_kind"],
        json!([{"key": "federation", "answers": 1}, {"key": "patient_association", "answers": 1}])
    );
    assert_eq!(book["themes"][1]["parent"], access_id);

    // The search narrows to a theme.
    let found = ok(
        &app,
        &coord,
        "GET",
        &format!("/search?q=soins&drafts=true&theme={access_id}"),
        None,
    )
    .await;
    assert_eq!(found["total"], 1, "{found}");
    assert_eq!(
        found["results"][0]["organisation"]["name"],
        "Patients de l'Ouest"
    );
    let found = ok(
        &app,
        &coord,
        "GET",
        &format!("/search?q=soins&drafts=true&theme={child_id}"),
        None,
    )
    .await;
    assert_eq!(
        found["results"][0]["organisation"]["name"],
        "Fédération du Nord"
    );

    let page = format!(
        "/coordination/consultations/essai/recherche?q=soins&brouillons=1&theme={child_id}"
    );
    let html = send(&app, &coord, "GET", &page, None)
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("Fédération du Nord")
            && !html.contains("Patients de l&#39;Ouest")
            && !html.contains("Patients de l'Ouest"),
        "{html}"
    );
    assert!(
        html.contains(&format!("<option value=\"{child_id}\" selected>")),
        "{html}"
    );

    // Untagging; deleting a theme takes its tags, its sub-themes stay.
    let tag_id = tag["id"].as_i64().unwrap();
    let (status, _) = call(&app, &coord, "DELETE", &format!("/tags/{tag_id}"), None).await;
    assert_eq!(status, 204);
    let (status, _) = call(&app, &coord, "DELETE", &format!("/tags/{tag_id}"), None).await;
    assert_eq!(status, 404);
    let (status, _) = call(
        &app,
        &coord,
        "DELETE",
        &format!("/themes/{access_id}"),
        None,
    )
    .await;
    assert_eq!(status, 204);
    let book = ok(&app, &coord, "GET", "/themes", None).await;
    assert_eq!(book["themes"].as_array().unwrap().len(), 1);
    assert_eq!(book["themes"][0]["parent"], Value::Null);
    assert_eq!(
        ok(&app, &coord, "GET", "/tags", None).await["tags"]
            .as_array()
            .unwrap()
            .len(),
        1
    );

    // Another round's ids are not this round's.
    let other = send(
        &app,
        &coord,
        "GET",
        &format!("/api/v1/rounds/autre/tags?theme={child_id}"),
        None,
    )
    .await;
    assert_eq!(other.status(), 404);

    // Audited.
    let actions = app
        .with_db(|conn| {
            use concerto::store::schema::audit_events::dsl as a;
            use diesel::prelude::*;
            a::audit_events
                .select(a::action)
                .load::<String>(conn)
                .unwrap()
        })
        .await;
    for action in [
        "theme_created",
        "theme_updated",
        "theme_deleted",
        "answer_tagged",
        "answer_untagged",
        "suggestion_dismissed",
    ] {
        assert!(actions.iter().any(|a| a == action), "{action}");
    }

    // Each tag's copies of its answer's response and question are the answer's.
    let differing = app
        .with_db(|conn| {
            #[derive(diesel::QueryableByName)]
            struct Count {
                #[diesel(sql_type = diesel::sql_types::BigInt)]
                n: i64,
            }
            use diesel::RunQueryDsl;
            diesel::sql_query(
                "SELECT COUNT(*) AS n FROM tags t JOIN answers a ON a.id = t.answer_id \
                 WHERE t.response_id <> a.response_id OR t.question_id <> a.question_id",
            )
            .get_result::<Count>(conn)
            .unwrap()
            .n
        })
        .await;
    assert_eq!(differing, 0);
    // The loser of a race the service's check cannot see (the same tag stored twice at
    // once) is a 409, not a fault.
    let raced = app
        .with_db(|conn| {
            use diesel::RunQueryDsl;
            let twice = diesel::sql_query(
                "INSERT INTO tags (theme_id, answer_id, response_id, question_id, coder_id, \
                 passage_start, passage_end, passage, answer_version, created_at) \
                 SELECT theme_id, answer_id, response_id, question_id, coder_id, passage_start, \
                 passage_end, passage, answer_version, created_at FROM tags LIMIT 1",
            )
            .execute(conn)
            .unwrap_err();
            actix_web::ResponseError::status_code(&concerto::error::AppError::from(twice)).as_u16()
        })
        .await;
    assert_eq!(raced, 409);

    // Only coordinators with the second factor.
    let plain = coordinator(&app, "sans2fa@exemple.fr").await;
    for who in [&west, &plain] {
        assert_eq!(call(&app, who, "GET", "/themes", None).await.0, 403);
        assert_eq!(
            call(&app, who, "POST", "/themes", Some(json!({"name": "X"})))
                .await
                .0,
            403
        );
        assert_eq!(call(&app, who, "GET", "/tags", None).await.0, 403);
    }
    let anonymous = app
        .client
        .get(app.url("/api/v1/rounds/essai/themes"))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);
}

/// Two coders on four answers (all coded by both). Theme A: the first says yes to 1 and
/// 2, the second to 1, 2 and 4: agreement 3/4, chance ½·¾ + ½·¼ = ½, kappa ½. Theme B:
/// the first yes to 3 and 4, the second to 3: agreement ¾, chance ½·¼ + ½·¾ = ½, kappa ½.
async fn coders_agreement_is_cohens_kappa(app: TestApp) {
    let first = coordinator_2fa(&app, "premiere@exemple.fr").await;
    let second = coordinator_2fa(&app, "second@exemple.fr").await;
    open(&app, &first, "essai").await;
    let (west, west_org) = organisation_named(
        &app,
        &first,
        "ouest@exemple.fr",
        "W751234567",
        "Ouest",
        "patient_association",
    )
    .await;
    let (north, north_org) = organisation_named(
        &app,
        &first,
        "nord@exemple.fr",
        "W751234568",
        "Nord",
        "federation",
    )
    .await;
    for (who, org) in [(&west, west_org), (&north, north_org)] {
        answer(&app, who, "essai", org, "E1.Q1", "Une phrase.").await;
        answer(&app, who, "essai", org, "E1.Q2", "Un récit.").await;
    }
    let (w, n) = (
        answer_ids(&app, &first, west_org).await,
        answer_ids(&app, &first, north_org).await,
    );
    let four = [&w["E1.Q1"], &w["E1.Q2"], &n["E1.Q1"], &n["E1.Q2"]];
    let a = ok(&app, &first, "POST", "/themes", Some(json!({"name": "A"}))).await["id"].clone();
    let b = ok(&app, &first, "POST", "/themes", Some(json!({"name": "B"}))).await["id"].clone();
    for (who, theme, answers) in [
        (&first, &a, vec![0, 1]),
        (&first, &b, vec![2, 3]),
        (&second, &a, vec![0, 1, 3]),
        (&second, &b, vec![2]),
    ] {
        for i in answers {
            ok(
                &app,
                who,
                "POST",
                "/tags",
                Some(json!({"theme": theme, "answer": four[i]})),
            )
            .await;
        }
    }
    let book = ok(&app, &first, "GET", "/themes", None).await;
    for theme in book["themes"].as_array().unwrap() {
        let agreement = &theme["agreement"][0];
        assert_eq!(agreement["answers"], 4, "{theme}");
        let kappa = agreement["kappa"].as_f64().unwrap();
        assert!((kappa - 0.5).abs() < 1e-9, "{}: {kappa}", theme["name"]);
        assert_ne!(agreement["first"]["id"], agreement["second"]["id"]);
    }
    // A's answers: 1, 2 and 4 tagged by someone.
    assert_eq!(book["themes"][0]["answers"], 3);
}

async fn redactions_mask_what_is_published(app: TestApp) {
    let coord = coordinator_2fa(&app, "coord@exemple.fr").await;
    open(&app, &coord, "essai").await;
    let (west, west_org) = organisation_named(
        &app,
        &coord,
        "ouest@exemple.fr",
        "W751234567",
        "Patients de l'Ouest",
        "patient_association",
    )
    .await;
    let testimony = "Mme Lucie Martin, 82 ans, attend à l'hôpital de Brest. Lucie Martin n'a plus de médecin traitant.";
    answer(&app, &west, "essai", west_org, "E1.Q1", "Un témoignage.").await;
    answer(&app, &west, "essai", west_org, "E1.Q2", testimony).await;
    let path = format!("/api/v1/rounds/essai/responses/{west_org}/answers/E1.Q3");
    assert_eq!(
        send(&app, &west, "PUT", &path, Some(json!({"value": "oui"})))
            .await
            .status(),
        200
    );
    submit(&app, &west, "essai", west_org).await;
    let ids = answer_ids(&app, &coord, west_org).await;
    let found = ok(&app, &coord, "GET", "/search?q=Brest", None).await;
    let response = found["results"][0]["response_id"].as_i64().unwrap();

    // Candidates: proposed, not masked.
    let proposed = ok(
        &app,
        &coord,
        "GET",
        &format!("/redaction-candidates?response={response}"),
        None,
    )
    .await;
    let looks: Vec<(&str, &str)> = proposed["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["looks"].as_str().unwrap(),
                c["passage"]["text"].as_str().unwrap(),
            )
        })
        .collect();
    assert!(looks.contains(&("name", "Lucie Martin")), "{looks:?}");
    assert!(looks.contains(&("age", "82 ans")), "{looks:?}");
    assert_eq!(
        ok(&app, &coord, "GET", "/redactions", None).await["redactions"],
        json!([])
    );

    // Bad redactions name their field.
    let (start, end) = range_of(testimony, "Lucie Martin");
    for (body, status, field) in [
        (
            json!({"answer": ids["E1.Q2"], "start": start, "end": end, "reason": " "}),
            422,
            "reason",
        ),
        (
            json!({"answer": ids["E1.Q2"], "start": start, "end": 10_000, "reason": "nom"}),
            409,
            "end",
        ),
        (
            json!({"answer": ids["E1.Q3"], "start": 0, "end": 2, "reason": "nom"}),
            409,
            "start",
        ),
        (
            json!({"answer": 999_999, "start": 0, "end": 2, "reason": "nom"}),
            409,
            "answer",
        ),
    ] {
        let (got, refused) = call(&app, &coord, "POST", "/redactions", Some(body.clone())).await;
        assert_eq!(
            (got, problem_fields(&refused)),
            (status, vec![field.to_owned()]),
            "{body}"
        );
    }

    // A name masked: everywhere it is written in the answer, in the document only.
    let made = ok(
        &app,
        &coord,
        "POST",
        "/redactions",
        Some(json!({
            "answer": ids["E1.Q2"], "start": start, "end": end, "reason": "nom d'une patiente"
        })),
    )
    .await;
    assert_eq!(made["passage"]["text"], "Lucie Martin");
    assert_eq!(made["now"]["start"], start);
    let (status, _) = call(
        &app,
        &coord,
        "POST",
        "/redactions",
        Some(json!({
            "answer": ids["E1.Q2"], "start": start, "end": end, "reason": "encore"
        })),
    )
    .await;
    assert_eq!(status, 409);
    for format in ["document", "document&as=markdown"] {
        let document = export(&app, &coord, format).await;
        assert!(!document.contains("Lucie Martin"), "{format}: {document}");
        assert_eq!(
            document.matches("personnelle masqu").count(),
            2,
            "{format}: {document}"
        );
        assert!(
            document.contains("82 ans"),
            "only what was confirmed is masked"
        );
    }
    for format in ["csv", "json", "csv-wide"] {
        assert!(
            export(&app, &coord, format).await.contains("Lucie Martin"),
            "raw export {format} keeps the original"
        );
    }
    // Masked there too when asked (audited as such).
    for format in [
        "csv&masked=true",
        "json&masked=true",
        "csv-wide&masked=true",
    ] {
        let masked = export(&app, &coord, format).await;
        assert!(!masked.contains("Lucie Martin"), "{format}: {masked}");
        assert!(masked.contains("[donnée personnelle masquée]"), "{format}");
    }
    let audited = app
        .with_db(|conn| {
            use concerto::store::schema::audit_events::dsl as a;
            use diesel::prelude::*;
            a::audit_events
                .filter(a::action.eq("export"))
                .select(a::details)
                .load::<String>(conn)
                .unwrap()
        })
        .await;
    assert_eq!(
        audited
            .iter()
            .filter(|d| d.contains("\"masked\":true"))
            .count(),
        3,
        "{audited:?}"
    );
    // The answer itself is intact; the candidate is no longer proposed.
    let stored = ok(&app, &coord, "GET", &format!("/responses/{west_org}"), None).await;
    assert_eq!(stored["answers"]["E1.Q2"]["value"], testimony);
    let proposed = ok(
        &app,
        &coord,
        "GET",
        &format!("/redaction-candidates?response={response}"),
        None,
    )
    .await;
    assert!(!proposed.to_string().contains("Lucie Martin"), "{proposed}");

    // Only coordinators with the second factor.
    let plain = coordinator(&app, "sans2fa@exemple.fr").await;
    for who in [&west, &plain] {
        assert_eq!(call(&app, who, "GET", "/redactions", None).await.0, 403);
        let body = json!({"answer": ids["E1.Q2"], "start": 0, "end": 3, "reason": "x"});
        assert_eq!(
            call(&app, who, "POST", "/redactions", Some(body)).await.0,
            403
        );
        let id = made["id"].as_i64().unwrap();
        assert_eq!(
            call(&app, who, "DELETE", &format!("/redactions/{id}"), None)
                .await
                .0,
            403
        );
    }

    // Removed: published again; both audited, without the personal data.
    let id = made["id"].as_i64().unwrap();
    assert_eq!(
        call(&app, &coord, "DELETE", &format!("/redactions/{id}"), None)
            .await
            .0,
        204
    );
    assert!(
        export(&app, &coord, "document")
            .await
            .contains("Lucie Martin")
    );
    let events = app
        .with_db(|conn| {
            use concerto::store::schema::audit_events::dsl as a;
            use diesel::prelude::*;
            a::audit_events
                .filter(a::action.eq_any(["answer_redacted", "redaction_removed"]))
                .select((a::action, a::details))
                .load::<(String, String)>(conn)
                .unwrap()
        })
        .await;
    assert_eq!(events.len(), 2, "{events:?}");
    assert!(
        events.iter().all(|(_, details)| !details.contains("Lucie")),
        "{events:?}"
    );
    problem(
        send(
            &app,
            &coord,
            "GET",
            "/api/v1/rounds/essai/redaction-candidates",
            None,
        )
        .await,
        400,
    )
    .await;
}

both_backends!(near_identical_answers_are_grouped_and_marked);

const CAMPAIGN: &str = "Nous, patients atteints de maladies chroniques, demandons que l'intelligence \
    artificielle à l'hôpital reste sous le contrôle des soignants et que chaque patient soit \
    informé de son usage dans son parcours de soins.";

async fn near_identical_answers_are_grouped_and_marked(app: TestApp) {
    let coord = coordinator_2fa(&app, "coord@exemple.fr").await;
    open(&app, &coord, "essai").await;
    let near = CAMPAIGN
        .replace("maladies chroniques", "maladies rares")
        .replace("informé", "averti");
    let unrelated = "Les transports sanitaires en zone rurale manquent cruellement de moyens et les \
        délais s'allongent chaque année pour les personnes âgées isolées.";
    let texts = [
        ("A", CAMPAIGN.to_owned()),
        ("B", CAMPAIGN.to_uppercase().replace(',', " ;")),
        ("C", near),
        ("D", unrelated.to_owned()),
        ("E", "Nous sommes d'accord.".to_owned()),
    ];
    let mut orgs = Vec::new();
    for (i, (name, text)) in texts.iter().enumerate() {
        let email = format!("org{i}@exemple.fr");
        let (owner, org) = organisation_named(
            &app,
            &coord,
            &email,
            &format!("W75123456{i}"),
            name,
            "patient_association",
        )
        .await;
        answer(&app, &owner, "essai", org, "E1.Q1", "Une phrase.").await;
        answer(&app, &owner, "essai", org, "E1.Q2", text).await;
        submit(&app, &owner, "essai", org).await;
        let id = answer_ids(&app, &coord, org).await["E1.Q2"]
            .as_i64()
            .unwrap();
        orgs.push((owner, org, id));
    }
    let names = |body: &Value, group: usize| -> Vec<String> {
        let mut names: Vec<String> = body["groups"][group]["members"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["organisation"]["name"].as_str().unwrap().to_owned())
            .collect();
        names.sort();
        names
    };

    // Identical (case and punctuation aside) and near-identical grouped, the rest not;
    // every long answer's signature computed once.
    let loose = ok(&app, &coord, "GET", "/duplicates?threshold=0.5", None).await;
    assert_eq!(loose["computed"], 5, "{loose}");
    assert_eq!(
        loose["compared"], 4,
        "the short answer is not compared: {loose}"
    );
    assert_eq!(loose["groups"].as_array().unwrap().len(), 1, "{loose}");
    assert_eq!(names(&loose, 0), ["A", "B", "C"]);
    assert_eq!(loose["groups"][0]["size"], 3);
    let strict = ok(&app, &coord, "GET", "/duplicates?threshold=1", None).await;
    assert_eq!(
        strict["computed"], 0,
        "nothing written since: nothing recomputed"
    );
    assert_eq!(names(&strict, 0), ["A", "B"]);

    // A new answer is compared incrementally; drafts only when asked.
    let (late_owner, late_org) = organisation_named(
        &app,
        &coord,
        "tard@exemple.fr",
        "W751234599",
        "F",
        "federation",
    )
    .await;
    answer(&app, &late_owner, "essai", late_org, "E1.Q2", CAMPAIGN).await;
    let with_drafts = ok(
        &app,
        &coord,
        "GET",
        "/duplicates?threshold=1&drafts=true",
        None,
    )
    .await;
    assert_eq!(with_drafts["computed"], 1);
    assert_eq!(names(&with_drafts, 0), ["A", "B", "F"]);
    let without = ok(&app, &coord, "GET", "/duplicates?threshold=1", None).await;
    assert_eq!(names(&without, 0), ["A", "B"]);

    // Marking a group as a campaign; each refusal names its field.
    let group: Vec<i64> = orgs[..3].iter().map(|(_, _, id)| *id).collect();
    for (body, status, field) in [
        (json!({"name": "", "answers": group}), 422, Some("name")),
        (
            json!({"name": "Pétition", "answers": [group[0]]}),
            422,
            Some("answers"),
        ),
        (
            json!({"name": "Pétition", "answers": [group[0], 999_999]}),
            409,
            Some("answers"),
        ),
    ] {
        let (got, refused) = call(
            &app,
            &coord,
            "POST",
            "/duplicates/campaigns",
            Some(body.clone()),
        )
        .await;
        assert_eq!(got, status, "{body}");
        assert_eq!(problem_fields(&refused), [field.unwrap()], "{body}");
    }
    let campaign = ok(
        &app,
        &coord,
        "POST",
        "/duplicates/campaigns",
        Some(json!({"name": "Pétition IA", "answers": group})),
    )
    .await;
    assert_eq!(campaign["name"], "Pétition IA");
    let (again, _) = call(
        &app,
        &coord,
        "POST",
        "/duplicates/campaigns",
        Some(json!({"name": "Encore", "answers": group})),
    )
    .await;
    assert_eq!(again, 409);
    let marked = ok(&app, &coord, "GET", "/duplicates?threshold=0.5", None).await;
    assert_eq!(marked["groups"][0]["campaign"]["name"], "Pétition IA");

    // The exports carry the reading: themes and campaign per answer (csv, json), a
    // column per theme and the campaigns per response (csv-wide).
    let theme = ok(
        &app,
        &coord,
        "POST",
        "/themes",
        Some(json!({"name": "IA et soins"})),
    )
    .await;
    ok(
        &app,
        &coord,
        "POST",
        "/tags",
        Some(json!({"theme": theme["id"], "answer": group[0]})),
    )
    .await;
    ok(
        &app,
        &coord,
        "POST",
        "/tags",
        Some(json!({"theme": theme["id"], "answer": group[0], "start": 0, "end": 4})),
    )
    .await;
    let json: Value = serde_json::from_str(&export(&app, &coord, "json").await).unwrap();
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(crate::helpers::repo_path("docs/export.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&json)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(json["themes"][0]["name"], "IA et soins");
    let by_name = |name: &str| {
        json["responses"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["organisation"]["name"] == name)
            .unwrap()["answers"]["E1.Q2"]
            .clone()
    };
    assert_eq!(
        by_name("A")["themes"],
        json!(["IA et soins"]),
        "two tags, one theme"
    );
    assert_eq!(by_name("A")["campaign"], "Pétition IA");
    assert_eq!(by_name("D")["themes"], json!([]));
    assert_eq!(by_name("D")["campaign"], Value::Null);
    let long = export(&app, &coord, "csv").await;
    let mut lines = long.lines();
    assert!(
        lines
            .next()
            .unwrap()
            .ends_with("\"answer\",\"themes\",\"campaign\"")
    );
    let row = lines
        .find(|l| l.contains("\"A\"") && l.contains("E1.Q2"))
        .unwrap();
    assert!(row.ends_with("\"IA et soins\",\"Pétition IA\""), "{row}");
    let wide = export(&app, &coord, "csv-wide").await;
    let mut lines = wide.lines();
    assert!(
        lines
            .next()
            .unwrap()
            .ends_with("\"theme: IA et soins\",\"campaigns\"")
    );
    let row = lines.find(|l| l.starts_with("\"A\"")).unwrap();
    assert!(row.ends_with("\"1\",\"Pétition IA\""), "{row}");
    let row = lines.find(|l| l.starts_with("\"D\"")).unwrap();
    assert!(row.ends_with("\"0\",\"\""), "{row}");

    // The results count each campaign once when asked (its first response).
    for (query, submitted) in [("", 5), ("?campagnes=une", 3)] {
        let path = format!("/coordination/consultations/essai/resultats{query}");
        let html = send(&app, &coord, "GET", &path, None)
            .await
            .text()
            .await
            .unwrap();
        assert!(
            html.contains(&format!("{submitted} réponses soumises")),
            "{query}: {html}"
        );
    }

    // Bad thresholds are refused by name.
    for (query, status) in [
        ("threshold=0.3", 422),
        ("threshold=1.5", 422),
        ("threshold=beaucoup", 400),
    ] {
        let (got, refused) = call(&app, &coord, "GET", &format!("/duplicates?{query}"), None).await;
        assert_eq!(got, status, "{query}");
        if status == 422 {
            assert_eq!(problem_fields(&refused), ["threshold"]);
        }
    }

    // Unmarked; both audited. Only coordinators with the second factor.
    let id = campaign["id"].as_i64().unwrap();
    assert_eq!(
        call(
            &app,
            &coord,
            "DELETE",
            &format!("/duplicates/campaigns/{id}"),
            None
        )
        .await
        .0,
        204
    );
    assert_eq!(
        call(
            &app,
            &coord,
            "DELETE",
            &format!("/duplicates/campaigns/{id}"),
            None
        )
        .await
        .0,
        404
    );
    let actions = app
        .with_db(|conn| {
            use concerto::store::schema::audit_events::dsl as a;
            use diesel::prelude::*;
            a::audit_events
                .select(a::action)
                .load::<String>(conn)
                .unwrap()
        })
        .await;
    assert!(
        actions.iter().any(|a| a == "campaign_marked")
            && actions.iter().any(|a| a == "campaign_unmarked")
    );
    let plain = coordinator(&app, "sans2fa@exemple.fr").await;
    for who in [&orgs[0].0, &plain] {
        assert_eq!(call(&app, who, "GET", "/duplicates", None).await.0, 403);
        let body = json!({"name": "X", "answers": group});
        assert_eq!(
            call(&app, who, "POST", "/duplicates/campaigns", Some(body))
                .await
                .0,
            403
        );
    }
    let anonymous = app
        .client
        .get(app.url("/api/v1/rounds/essai/duplicates"))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);
}
