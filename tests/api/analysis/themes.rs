//! The codebook and its checks, tags on passages that follow unrelated edits and are
//! flagged after edits of their passage, suggestions that never tag by themselves, the
//! coders' agreement on a hand-computed example.

use super::*;

both_backends!(
    a_codebook_tags_passages_and_suggests,
    coders_agreement_is_cohens_kappa
);

async fn a_codebook_tags_passages_and_suggests(app: TestApp) {
    let coord = coordinator_2fa(&app, "coord@exemple.fr").await;
    open(&app, &coord, "essai").await;
    open(&app, &coord, "autre").await;
    let (west, west_org) = west(&app, &coord).await;
    let (north, north_org) = north(&app, &coord).await;
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
    // The theme's page leads to the tagged answer itself in the coding view.
    let page = send(
        &app,
        &coord,
        "GET",
        &format!("/coordination/consultations/essai/themes/{access_id}"),
        None,
    )
    .await
    .text()
    .await
    .unwrap();
    let to_answer = format!("/codage/{west_org}#reponse-{}", west_ids["E1.Q2"]);
    assert!(page.contains(&to_answer), "{to_answer} in {page}");
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
    app.journal_reads_in_words().await;
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
