//! The editor pages in a plain HTTP client: save, review, submit, and typing kept across
//! an ended session.

use super::*;

both_backends!(
    the_editor_pages_save_review_and_submit,
    a_save_after_the_session_ended_loses_nothing
);

async fn the_editor_pages_save_review_and_submit(app: TestApp) {
    let s = setup(&app, Duration::days(30)).await;
    let editor_url = app.url(&format!(
        "/consultations/essai/reponse/{}?chapitre=E1",
        s.org
    ));
    let page = s
        .editor
        .0
        .get(&editor_url)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("name=\"q.E1.Q1\"") && page.contains("name=\"v.E1.Q1\" value=\"0\""),
        "{page}"
    );
    assert!(
        page.contains("<legend class=\"prompt\""),
        "choices are grouped in fieldsets"
    );
    // The stepper: where this chapter stands; after the last one, the review.
    assert!(
        page.contains("<p class=\"stepper-step\">Étape 1 sur 1</p>"),
        "{page}"
    );
    assert!(page.contains(&format!(
        "<a class=\"step-next\" href=\"/consultations/essai/reponse/{}/relecture\">",
        s.org
    )));
    assert!(!page.contains("step-previous"));
    let post = |who: &Who, fields: Vec<(&str, &str)>| {
        let mut fields: Vec<(String, String)> = fields
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        fields.push(("csrf_token".into(), who.1.clone()));
        who.0.post(editor_url.clone()).form(&fields).send()
    };
    // A save without JavaScript: only changed answers are written.
    let saved = post(
        &s.editor,
        vec![
            ("q.E1.Q1", "Une réponse"),
            ("v.E1.Q1", "0"),
            ("q.E1.Q4", "oui"),
            ("q.E1.Q4", "nsp"),
            ("v.E1.Q4", "0"),
            ("q.E1.Q5", "4"),
            ("v.E1.Q5", "0"),
            ("q.E1.Q6.title.0", "Former"),
            ("q.E1.Q6.description.0", "Les soignants\r\nà domicile"),
            ("v.E1.Q6", "0"),
        ],
    )
    .await
    .unwrap();
    assert_eq!(saved.status(), 303);
    let stored = response(&app, &s.owner, s.org).await;
    assert_eq!(stored["answers"]["E1.Q4"]["value"], json!(["oui", "nsp"]));
    assert_eq!(
        stored["answers"]["E1.Q6"]["value"],
        json!([{"title": "Former", "description": "Les soignants\nà domicile"}]),
        "a browser's line end (CRLF) stored as the one character it shows"
    );
    assert!(
        stored["answers"].get("E1.Q2").is_none(),
        "untouched answers are not written"
    );

    // A refused value keeps what was typed, with the error; the chapter's valid answers
    // posted with it are saved all the same (the whole form, as a browser sends it).
    let long = "x".repeat(250);
    let refused = post(
        &s.editor,
        vec![
            ("q.E1.Q1", long.as_str()),
            ("v.E1.Q1", "1"),
            ("q.E1.Q2", "Un témoignage valide"),
            ("v.E1.Q2", "0"),
            ("q.E1.Q4", "oui"),
            ("q.E1.Q4", "nsp"),
            ("v.E1.Q4", "1"),
            ("q.E1.Q5", "4"),
            ("v.E1.Q5", "1"),
            ("q.E1.Q6.title.0", "Former"),
            ("q.E1.Q6.description.0", "Les soignants"),
            ("v.E1.Q6", "1"),
        ],
    )
    .await
    .unwrap();
    let status = refused.status();
    let html = refused.text().await.unwrap();
    assert_eq!(status, 422, "{html}");
    let stored = response(&app, &s.owner, s.org).await;
    assert_eq!(stored["answers"]["E1.Q2"]["value"], "Un témoignage valide");
    assert_eq!(stored["answers"]["E1.Q1"]["value"], "Une réponse");
    assert!(
        html.contains("name=\"v.E1.Q2\" value=\"1\""),
        "the saved answer's new version is in the form"
    );
    assert!(
        html.contains(&"x".repeat(250)) && html.contains("href=\"#champ-answers.E1.Q1\""),
        "typed text kept, error linked"
    );

    // A colleague changed it meanwhile: both versions side by side, nothing lost.
    put_answer(
        &app,
        &s.owner,
        s.org,
        "E1.Q1",
        json!({"value": "Version de la propriétaire", "version": 1}),
    )
    .await;
    let conflict = post(
        &s.editor,
        vec![("q.E1.Q1", "Version de l'éditeur"), ("v.E1.Q1", "1")],
    )
    .await
    .unwrap();
    assert_eq!(conflict.status(), 409);
    let html = conflict.text().await.unwrap();
    assert!(html.contains("Version de la propriétaire"), "{html}");
    assert!(
        html.contains("Version de l&#39;éditeur") || html.contains("Version de l&#x27;éditeur"),
        "{html}"
    );
    assert!(
        html.contains("name=\"v.E1.Q1\" value=\"2\""),
        "saving again is based on the current version"
    );

    // Review: a missing required answer is listed with a link to it.
    put_answer(&app, &s.owner, s.org, "E1.Q1", json!({"value": null})).await;
    let submit_url = app.url(&format!("/consultations/essai/reponse/{}/soumettre", s.org));
    let missing = s
        .editor
        .0
        .post(&submit_url)
        .form(&[
            ("publication_consent", "attributed"),
            ("csrf_token", s.editor.1.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 409);
    let html = missing.text().await.unwrap();
    assert!(
        html.contains("<title>Erreur")
            && html.contains(&format!(
                "/consultations/essai/reponse/{}?chapitre=E1#question-E1.Q1",
                s.org
            )),
        "{html}"
    );
    put_answer(&app, &s.owner, s.org, "E1.Q1", json!({"value": "Complète"})).await;
    put_answer(&app, &s.owner, s.org, "E1.Q5", json!({"value": 5})).await;
    let done = s
        .editor
        .0
        .post(&submit_url)
        .form(&[
            ("publication_consent", "anonymous"),
            ("csrf_token", s.editor.1.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(done.status(), 303);
    let copy = s
        .viewer
        .0
        .get(app.url(&format!("/consultations/essai/reponse/{}/copie", s.org)))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        copy.contains("Complète")
            && copy.contains("Oui ; Ne sait pas")
            && copy.contains("1. Former — Les soignants")
            // A scale's end with what it means, as the editor showed it.
            && copy.contains("5 — Totale"),
        "{copy}"
    );
    // Members see who changed what.
    let history = s
        .viewer
        .0
        .get(app.url(&format!(
            "/consultations/essai/reponse/{}/historique/E1.Q1",
            s.org
        )))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        history.contains("Complète")
            && history.contains("Version de la propriétaire")
            && history.contains("Une réponse"),
        "{history}"
    );
    // Viewers see the editor read-only.
    let read_only = s
        .viewer
        .0
        .get(&editor_url)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(read_only.contains("readonly") && !read_only.contains("Enregistrer ce chapitre"));
}

/// Without JavaScript: the save arrives after the session ended; the answers are kept,
/// the person signs in and finds them in the editor, ready to save.
async fn a_save_after_the_session_ended_loses_nothing(app: TestApp) {
    let s = setup(&app, Duration::days(30)).await;
    let editor_url = app.url(&format!(
        "/consultations/essai/reponse/{}?chapitre=E1",
        s.org
    ));
    app.end_sessions("editor@exemple.fr").await;
    let typed = "Un long témoignage écrit pendant que la session expirait";
    let late = s
        .editor
        .0
        .post(&editor_url)
        .form(&[
            ("q.E1.Q2", typed),
            ("v.E1.Q2", "0"),
            ("csrf_token", s.editor.1.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(late.status(), 303);
    let location = late.headers()["location"].to_str().unwrap().to_owned();
    assert!(
        location.starts_with("/connexion?suite=") && location.contains("repris%3D1"),
        "{location}"
    );
    let cookie = late
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|c| c.starts_with("concerto_brouillon="));
    assert!(
        cookie
            .as_deref()
            .is_some_and(|c| c.contains("HttpOnly") && c.contains("SameSite=Lax")),
        "{cookie:?}"
    );

    app.sign_in(&s.editor.0, "editor@exemple.fr", crate::accounts::PASSWORD)
        .await;
    let back = app.url(&format!(
        "/consultations/essai/reponse/{}?chapitre=E1&repris=1",
        s.org
    ));
    let page = s
        .editor
        .0
        .get(&back)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains(typed), "the typed text is back");
    assert!(page.contains("conservée"), "and said so");
    // Served once only.
    let again = s
        .editor
        .0
        .get(&back)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!again.contains(typed));
}
