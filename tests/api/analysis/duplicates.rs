//! Near-identical answers grouped at a threshold, marked as a campaign, counted once.

use super::*;

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
    app.journal_reads_in_words().await;
}
