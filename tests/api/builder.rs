//! The round builder: parts of a draft deleted (never of an open round), options chosen
//! alone, and the builder page listing what each question's settings say.

use chrono::Duration;
use serde_json::{Value, json};

use crate::both_backends;
use crate::fixtures::{approved_organisation, coordinator_2fa};
use crate::fixtures::{member, send};
use crate::helpers::{TestApp, problem};
use crate::round_admin::{built_round, round_json};

both_backends!(
    a_draft_loses_parts_an_open_round_keeps_them,
    an_exclusive_option_is_answered_alone,
    the_builder_page_shows_settings_and_takes_exclusive_options,
    an_empty_form_names_every_field_at_once,
);

fn codes(round: &Value) -> Vec<String> {
    round["chapters"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| {
            let chapter = c["code"].as_str().unwrap().to_owned();
            std::iter::once(chapter).chain(
                c["questions"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|q| q["code"].as_str().unwrap().to_owned()),
            )
        })
        .collect()
}

async fn audit_actions(app: &TestApp) -> Vec<String> {
    app.with_db(|conn| {
        use concerto::store::schema::audit_events::dsl as a;
        use diesel::prelude::*;
        a::audit_events
            .order(a::id)
            .select(a::action)
            .load::<String>(conn)
    })
    .await
    .unwrap()
}

async fn a_draft_loses_parts_an_open_round_keeps_them(app: TestApp) {
    let coord = coordinator_2fa(&app, "coord@exemple.fr").await;
    built_round(&app, &coord, "brouillon", Duration::days(30)).await;
    let chapter = json!({"code": "E2", "title": "Second enjeu"});
    send(
        &app,
        &coord,
        "POST",
        "/api/v1/rounds/brouillon/chapters",
        Some(chapter),
    )
    .await;
    for code in ["E2.Q1", "E2.Q2"] {
        let question =
            json!({"code": code, "prompt": "Et ici ?", "kind": "short_text", "max_length": 100});
        let added = send(
            &app,
            &coord,
            "POST",
            "/api/v1/rounds/brouillon/chapters/E2/questions",
            Some(question),
        )
        .await;
        assert_eq!(added.status(), 201);
    }

    // Someone else than the coordination: refused, nothing gone.
    let stranger = member(&app, "membre@exemple.fr").await;
    problem(
        send(
            &app,
            &stranger,
            "DELETE",
            "/api/v1/rounds/brouillon/questions/E1.Q6",
            None,
        )
        .await,
        403,
    )
    .await;
    let unknown = problem(
        send(
            &app,
            &coord,
            "DELETE",
            "/api/v1/rounds/brouillon/questions/E9.Q9",
            None,
        )
        .await,
        404,
    )
    .await;
    assert_eq!(unknown["code"], "not_found");

    let after_question = send(
        &app,
        &coord,
        "DELETE",
        "/api/v1/rounds/brouillon/questions/E1.Q6",
        None,
    )
    .await;
    assert_eq!(after_question.status(), 200);
    let round: Value = after_question.json().await.unwrap();
    assert!(!codes(&round).contains(&"E1.Q6".to_owned()));
    assert!(codes(&round).contains(&"E1.Q5".to_owned()));

    let after_chapter = send(
        &app,
        &coord,
        "DELETE",
        "/api/v1/rounds/brouillon/chapters/E2",
        None,
    )
    .await;
    assert_eq!(after_chapter.status(), 200);
    let left = codes(&after_chapter.json().await.unwrap());
    assert_eq!(
        left,
        ["E1", "E1.Q1", "E1.Q2", "E1.Q3", "E1.Q4", "E1.Q5"],
        "the chapter went with its questions"
    );
    // A code freed by a deletion can be used again.
    let again =
        json!({"code": "E1.Q6", "prompt": "De nouveau ?", "kind": "short_text", "max_length": 50});
    let readded = send(
        &app,
        &coord,
        "POST",
        "/api/v1/rounds/brouillon/chapters/E1/questions",
        Some(again),
    )
    .await;
    assert_eq!(readded.status(), 201);
    let actions = audit_actions(&app).await;
    assert!(
        actions.contains(&"question_deleted".to_owned()),
        "{actions:?}"
    );
    assert!(
        actions.contains(&"chapter_deleted".to_owned()),
        "{actions:?}"
    );

    // Open: the structure is what organisations answer, nothing is deleted.
    approved_organisation(&app, &coord, "owner@exemple.fr", "W751234567").await;
    let opened = send(&app, &coord, "POST", "/api/v1/rounds/brouillon/open", None).await;
    assert_eq!(opened.status(), 200);
    let before = round_json(&app, &coord, "brouillon").await;
    for path in [
        "/api/v1/rounds/brouillon/questions/E1.Q1",
        "/api/v1/rounds/brouillon/chapters/E1",
    ] {
        let refused = problem(send(&app, &coord, "DELETE", path, None).await, 409).await;
        assert!(
            refused["detail"].as_str().unwrap().contains("figée"),
            "{refused}"
        );
    }
    assert_eq!(round_json(&app, &coord, "brouillon").await, before);
}

async fn an_exclusive_option_is_answered_alone(app: TestApp) {
    let coord = coordinator_2fa(&app, "coord@exemple.fr").await;
    built_round(&app, &coord, "essai", Duration::days(30)).await;
    let options = json!([
        {"key": "agenda", "label": "Un agenda partagé"},
        {"key": "visio", "label": "La visioconférence"},
        {"key": "aucun", "label": "Aucun de ces outils", "exclusive": true}
    ]);
    // On a single choice, "alone" means nothing: refused on the option's field.
    let single =
        json!({"code": "E1.Q7", "prompt": "Lequel ?", "kind": "single_choice", "options": options});
    let refused = problem(
        send(
            &app,
            &coord,
            "POST",
            "/api/v1/rounds/essai/chapters/E1/questions",
            Some(single),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(refused["errors"][0]["field"], "options[2].exclusive");
    assert_eq!(refused["errors"][0]["code"], "exclusive_single");

    let multiple = json!({"code": "E1.Q7", "prompt": "Quels outils ?", "kind": "multiple_choice",
        "options": options, "min_choices": 2, "max_choices": 2});
    let added = send(
        &app,
        &coord,
        "POST",
        "/api/v1/rounds/essai/chapters/E1/questions",
        Some(multiple),
    )
    .await;
    assert_eq!(added.status(), 201);
    let round = round_json(&app, &coord, "essai").await;
    let q7 = round["chapters"][0]["questions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["code"] == "E1.Q7")
        .unwrap()
        .clone();
    assert_eq!(q7["options"][2]["exclusive"], true, "{q7}");
    assert!(q7["options"][0].get("exclusive").is_none(), "{q7}");

    let (owner, org) = approved_organisation(&app, &coord, "owner@exemple.fr", "W751234567").await;
    send(&app, &coord, "POST", "/api/v1/rounds/essai/open", None).await;
    // Once open, exclusivity is structure, not wording.
    let flipped = json!({"code": "E1.Q7", "prompt": "Quels outils ?", "kind": "multiple_choice",
        "options": [{"key": "agenda", "label": "Un agenda partagé"}, {"key": "visio", "label": "La visioconférence"},
                    {"key": "aucun", "label": "Aucun de ces outils"}],
        "min_choices": 2, "max_choices": 2});
    problem(
        send(
            &app,
            &coord,
            "PUT",
            "/api/v1/rounds/essai/questions/E1.Q7",
            Some(flipped),
        )
        .await,
        409,
    )
    .await;

    let path = format!("/api/v1/rounds/essai/responses/{org}/answers/E1.Q7");
    let both = send(
        &app,
        &owner,
        "PUT",
        &path,
        Some(json!({"value": ["agenda", "visio"]})),
    )
    .await;
    assert_eq!(both.status(), 200);
    let version = both.json::<Value>().await.unwrap()["version"].clone();
    let mixed = problem(
        send(
            &app,
            &owner,
            "PUT",
            &path,
            Some(json!({"value": ["agenda", "aucun"], "version": version})),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(mixed["errors"].as_array().unwrap().len(), 1, "{mixed}");
    assert_eq!(mixed["errors"][0]["code"], "exclusive_option");
    assert!(
        mixed["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("Aucun de ces outils")
    );
    let response = send(
        &app,
        &owner,
        "GET",
        &format!("/api/v1/rounds/essai/responses/{org}"),
        None,
    )
    .await
    .json::<Value>()
    .await
    .unwrap();
    assert_eq!(
        response["answers"]["E1.Q7"]["value"],
        json!(["agenda", "visio"]),
        "the refusal left the stored answer as it was: {response}"
    );
    // Alone, it answers the question although the minimum is two.
    let alone = send(
        &app,
        &owner,
        "PUT",
        &path,
        Some(json!({"value": ["aucun"], "version": version})),
    )
    .await;
    assert_eq!(alone.status(), 200);
}

async fn the_builder_page_shows_settings_and_takes_exclusive_options(app: TestApp) {
    let coord = coordinator_2fa(&app, "coord@exemple.fr").await;
    built_round(&app, &coord, "essai", Duration::days(30)).await;
    let add = |fields: Vec<(&'static str, &'static str)>| {
        let mut form = vec![
            ("question_chapter", "E1"),
            ("question_kind", "multiple_choice"),
            ("question_prompt", "Quels outils utilisez-vous ?"),
            (
                "options",
                "agenda | Un agenda partagé\nvisio | La visioconférence\naucun | Aucun de ces outils",
            ),
        ];
        form.extend(fields);
        form.push(("csrf_token", coord.1.as_str()));
        coord
            .0
            .post(app.url("/coordination/consultations/essai/questions"))
            .form(&form)
            .send()
    };
    let unknown = add(vec![
        ("question_code", "E1.Q7"),
        ("exclusive_options", "rien"),
    ])
    .await
    .unwrap();
    assert_eq!(unknown.status(), 422);
    let page = unknown.text().await.unwrap();
    assert!(page.contains("href=\"#champ-exclusive_options\""), "{page}");
    assert!(page.contains("« rien » n&#39;est ni la clé"), "{page}");

    let added = add(vec![
        ("question_code", "E1.Q7"),
        ("exclusive_options", "Aucun de ces outils"),
    ])
    .await
    .unwrap();
    assert_eq!(added.status(), 303);
    let round = round_json(&app, &coord, "essai").await;
    let q7 = &round["chapters"][0]["questions"][6];
    assert_eq!(q7["code"], "E1.Q7");
    assert_eq!(q7["options"][2]["exclusive"], true, "{q7}");

    let page = coord
        .0
        .get(app.url("/coordination/consultations/essai"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for expected in [
        "Aucun de ces outils (clé aucun) : se coche seule",
        "Oui (clé oui)",
        "De 1 à 2 choix",
        "De 1 (Aucune) à 5 (Totale)",
        "200 caractères au plus",
        "5 propositions au plus",
        "la structure sera figée",
        "/coordination/consultations/essai/questions/E1.Q7/supprimer",
        "Le chapitre E1 et ses 7 questions seront supprimés.",
        "data-kinds=\"scale\"",
    ] {
        assert!(page.contains(expected), "{expected} missing");
    }

    let deleted = coord
        .0
        .post(app.url("/coordination/consultations/essai/questions/E1.Q7/supprimer"))
        .form(&[("csrf_token", coord.1.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), 303);
    let round = round_json(&app, &coord, "essai").await;
    assert_eq!(
        round["chapters"][0]["questions"].as_array().unwrap().len(),
        6
    );
    // Without the page's token: refused, nothing deleted.
    let forged = coord
        .0
        .post(app.url("/coordination/consultations/essai/chapitres/E1/supprimer"))
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403);
    assert_eq!(round_json(&app, &coord, "essai").await, round);
}

async fn an_empty_form_names_every_field_at_once(app: TestApp) {
    let coord = coordinator_2fa(&app, "coord@exemple.fr").await;
    // English first, then French (in which the rest of the test reads the pages).
    for (lang, expected) in [
        (
            "en",
            [
                "Expected identifier",
                "Give the consultation a title.",
                "Enter the closing date.",
            ],
        ),
        (
            "fr",
            [
                "doit faire de 3 à 80 caractères",
                "Donnez un titre à la consultation.",
                "Indiquez la date de clôture.",
            ],
        ),
    ] {
        // The language switch (the account's preference would win over the browser's).
        let switched = coord
            .0
            .post(app.url("/langue"))
            .form(&[("lang", lang), ("csrf_token", coord.1.as_str())])
            .send()
            .await
            .unwrap();
        assert!(switched.status().is_redirection() || switched.status().is_success());
        let refused = coord
            .0
            .post(app.url("/coordination/consultations"))
            .form(&[
                ("slug", ""),
                ("title", " "),
                ("closes_at", ""),
                ("audience", "all_approved"),
                ("csrf_token", coord.1.as_str()),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), 422);
        let page = refused.text().await.unwrap();
        let summary = &page[page.find("id=\"error-summary\"").unwrap()..];
        let summary = &summary[..summary.find("</div>").unwrap()];
        for (field, message) in ["slug", "title", "closes_at"].iter().zip(expected) {
            assert!(
                summary.contains(&format!("href=\"#champ-{field}\"")),
                "{lang} {field}: {summary}"
            );
            assert!(summary.contains(message), "{lang} {message}: {summary}");
        }
        assert!(!summary.contains("This field is required"), "{summary}");
        assert!(!summary.contains("Ce champ est obligatoire"), "{summary}");
    }
    // A service's own French sentence is not replaced by a general one.
    built_round(&app, &coord, "essai", Duration::days(30)).await;
    let chapter = coord
        .0
        .post(app.url("/coordination/consultations/essai/chapitres"))
        .form(&[
            ("chapter_code", "e 1"),
            ("chapter_title", "Un titre"),
            ("csrf_token", coord.1.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(chapter.status(), 422);
    let page = chapter.text().await.unwrap();
    assert!(page.contains("Code de chapitre attendu"), "{page}");
    assert!(!page.contains("Code incorrect ou expiré"), "{page}");
}
