//! Writing answers over the API: validation by kind, versions, concurrency, all-or-nothing
//! batches, invited rounds, and every refusal leaving the answers as they were.

use super::*;

both_backends!(
    invited_rounds_take_answers_from_invited_organisations_only,
    an_autosave_with_its_version_is_refused_as_any_write
);

both_backends!(
    every_bad_value_is_refused_and_nothing_changes,
    versions_protect_colleagues_from_each_other,
    concurrent_writers_on_different_questions_all_succeed,
    concurrent_writers_on_one_question_one_wins,
);

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
