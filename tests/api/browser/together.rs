//! Answering together: two members in two browsers, autosave announced, a conflict
//! shown with both versions, the error summary, review, submission and the dashboard.

use super::*;

/// Two members answer at once in two browsers; autosave is announced; a colleague's
/// change is never lost silently (a conflict shows both versions); a submission with a
/// missing answer shows the error summary; then review, submit, receipt and dashboard:
/// axe finds nothing on the editor, review, copy and dashboard pages, in both languages.
#[tokio::test]
async fn answering_together_is_safe_and_accessible() {
    let Some((chromium, driver, axe_source)) = browser_tools() else {
        return;
    };
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    let coordinator = crate::fixtures::coordinator_2fa(&app, "coord@exemple.fr").await;
    let owner = crate::fixtures::member(&app, "owner@exemple.fr").await;
    let created: Value = crate::fixtures::send(
        &app,
        &owner,
        "POST",
        "/api/v1/organisations",
        Some(crate::fixtures::organisation("W751234567")),
    )
    .await
    .json()
    .await
    .unwrap();
    let org = created["id"].as_i64().unwrap();
    crate::fixtures::send(
        &app,
        &coordinator,
        "POST",
        &format!("/api/v1/organisations/{org}/approve"),
        None,
    )
    .await;
    crate::fixtures::send(
        &app,
        &owner,
        "POST",
        &format!("/api/v1/organisations/{org}/invitations"),
        Some(json!({"email": "editor@exemple.fr", "role": "editor"})),
    )
    .await;
    let token = crate::mailbox::link_param(
        &app.mailbox
            .wait_for_link("editor@exemple.fr", "/invitations/accepter")
            .await
            .text,
        "/invitations/accepter",
        "jeton",
    );
    let editor_api = crate::fixtures::member(&app, "editor@exemple.fr").await;
    crate::fixtures::send(
        &app,
        &editor_api,
        "POST",
        "/api/v1/invitations/accept",
        Some(json!({ "token": token })),
    )
    .await;
    crate::round_admin::built_round(&app, &coordinator, "ensemble", chrono::Duration::days(30))
        .await;
    crate::fixtures::send(
        &app,
        &coordinator,
        "POST",
        "/api/v1/rounds/ensemble/open",
        None,
    )
    .await;

    let (profile_a, profile_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (_driver_a, browser_a) = start_browser(&chromium, &driver, &profile_a).await;
    let (_driver_b, browser_b) = start_browser(&chromium, &driver, &profile_b).await;
    let mut a = Journey::new(browser_a, axe_source.clone(), &app);
    let b = Journey::new(browser_b, axe_source, &app);
    a.sign_in("owner@exemple.fr", crate::accounts::PASSWORD)
        .await;
    b.sign_in("editor@exemple.fr", crate::accounts::PASSWORD)
        .await;
    let editor_path = format!("/consultations/ensemble/reponse/{org}?chapitre=E1");
    a.goto(&editor_path).await;
    b.goto(&editor_path).await;
    a.audit("fr editor").await;

    // A types; autosave saves and says so.
    a.browser
        .find(Locator::Id("champ-answers.E1.Q2"))
        .await
        .unwrap()
        .send_keys("Témoignage de la propriétaire")
        .await
        .unwrap();
    let mut announced = String::new();
    for _ in 0..100 {
        announced = a.text("#autosave-status").await;
        if !announced.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(announced.starts_with("Enregistré à"), "{announced}");

    // B, still on version 0, types too: a conflict, both versions shown, nothing lost.
    b.browser
        .find(Locator::Id("champ-answers.E1.Q2"))
        .await
        .unwrap()
        .send_keys("Témoignage de l'éditeur")
        .await
        .unwrap();
    let mut conflict = String::new();
    for _ in 0..100 {
        conflict = b.browser.source().await.unwrap_or_default();
        if conflict.contains("conflict") && conflict.contains("Témoignage de la propriétaire") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        conflict.contains("Témoignage de la propriétaire"),
        "the colleague's version is shown"
    );
    assert!(
        conflict.contains("Témoignage de l'éditeur")
            || conflict.contains("Témoignage de l&#39;éditeur"),
        "the typed version is kept"
    );

    // B's session ends while typing: the text is kept, B signs in again, it is saved.
    app.end_sessions("editor@exemple.fr").await;
    b.browser
        .find(Locator::Id("champ-answers.E1.Q1"))
        .await
        .unwrap()
        .send_keys("Écrit après expiration")
        .await
        .unwrap();
    let mut link_shown = false;
    for _ in 0..100 {
        let hidden = b
            .browser
            .execute(
                "return document.getElementById('autosave-sign-in').hidden",
                vec![],
            )
            .await
            .unwrap();
        if hidden == Value::Bool(false) {
            link_shown = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(link_shown, "the page offers to sign in again");
    b.click("#autosave-sign-in a").await;
    b.fill("champ-email", "editor@exemple.fr").await;
    b.fill("champ-password", crate::accounts::PASSWORD).await;
    b.click("main form button[type=submit]").await;
    assert_eq!(
        b.path().await,
        format!("/consultations/ensemble/reponse/{org}")
    );
    let mut saved = Value::Null;
    for _ in 0..100 {
        let stored: Value = crate::fixtures::send(
            &app,
            &owner,
            "GET",
            &format!("/api/v1/rounds/ensemble/responses/{org}"),
            None,
        )
        .await
        .json()
        .await
        .unwrap();
        saved = stored["answers"]["E1.Q1"]["value"].clone();
        if saved != Value::Null {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(
        saved, "Écrit après expiration",
        "nothing lost across the expired session"
    );
    crate::fixtures::send(
        &app,
        &owner,
        "PUT",
        &format!("/api/v1/rounds/ensemble/responses/{org}/answers/E1.Q1"),
        Some(json!({"value": null})),
    )
    .await;

    // Review with a required answer missing: the summary links to it.
    let review = format!("/consultations/ensemble/reponse/{org}/relecture");
    a.goto(&review).await;
    a.audit("fr review").await;
    a.press("label[for='consent-attributed']").await;
    a.click("form[action$='/soumettre'] button").await;
    let summary = a.text("#error-summary").await;
    assert!(summary.contains("E1.Q1"), "{summary}");
    assert!(a.title().await.starts_with("Erreur"));
    a.audit("fr review with errors").await;
    a.click("#error-summary a").await;
    assert_eq!(
        a.path().await,
        format!("/consultations/ensemble/reponse/{org}")
    );
    a.fill("champ-answers.E1.Q1", "Oui").await;
    a.click("form.answer-form button[type=submit]").await;
    a.goto(&review).await;
    a.press("label[for='consent-attributed']").await;
    a.click("form[action$='/soumettre'] button").await;
    assert!(
        a.path().await.ends_with("/copie"),
        "{}",
        a.text("main").await
    );
    a.audit("fr copy").await;
    app.mailbox
        .wait_for_subject("editor@exemple.fr", "Accusé de réception")
        .await;

    // The coordinator's dashboard, in A's browser (sign-in with a two-factor code).
    a.click("form.sign-out button").await;
    a.sign_in_with_code(&app, "coord@exemple.fr").await;
    a.goto("/coordination/consultations/ensemble/avancement")
        .await;
    assert!(
        a.text("main")
            .await
            .contains("Association des patients de l'Ouest")
    );
    a.audit("fr dashboard").await;

    // The results: a chart image with its table, the answers with their organisation,
    // filtered by kind, and every download.
    a.goto("/coordination/consultations/ensemble/resultats")
        .await;
    let results = a.text("main").await;
    assert!(
        results.contains("Association des patients de l'Ouest"),
        "{results}"
    );
    assert!(
        a.browser
            .find(Locator::Css("figure.chart svg[role=img][aria-label]"))
            .await
            .is_ok()
    );
    a.audit("fr results").await;
    let reviewed = a
        .browser
        .execute("return window.__contrast_reviewed || 0", vec![])
        .await
        .unwrap();
    // The chart's texts axe leaves to review were measured (and passed, or audit failed).
    assert!(reviewed.as_u64().is_some_and(|n| n > 0), "{reviewed}");
    a.set("filtre-type", "federation").await;
    a.click("form.filters button[type=submit]").await;
    assert!(
        !a.text("main")
            .await
            .contains("Association des patients de l'Ouest")
    );
    a.audit("fr results filtered").await;
    a.check_downloads("ensemble").await;

    // The search: the answer found, its words marked; a query without a word refused
    // beside its field.
    a.goto("/coordination/consultations/ensemble/recherche?q=oui")
        .await;
    let found = a.text("main").await;
    assert!(found.contains("1 réponse trouvée"), "{found}");
    assert!(
        found.contains("Association des patients de l'Ouest"),
        "{found}"
    );
    assert!(
        a.browser
            .find(Locator::Css("blockquote mark"))
            .await
            .is_ok()
    );
    a.audit("fr search").await;
    a.goto("/coordination/consultations/ensemble/recherche?q=%22%22")
        .await;
    assert!(a.text("#erreur-q").await.contains("au moins un mot"));
    a.audit("fr search refused").await;

    // The same pages in English.
    a.click("button[name=lang][value=en]").await;
    for path in [
        "/coordination/consultations/ensemble/avancement".to_owned(),
        "/coordination/consultations/ensemble/resultats".to_owned(),
        "/coordination/consultations/ensemble/recherche?q=oui".to_owned(),
        format!("/consultations/ensemble/reponse/{org}/copie"),
        review.clone(),
        editor_path.clone(),
    ] {
        a.goto(&path).await;
        let lang = a
            .browser
            .execute("return document.documentElement.lang", vec![])
            .await
            .unwrap();
        assert_eq!(lang, "en", "{path}");
        a.audit(&format!("en {path}")).await;
    }
    a.browser.clone().close().await.ok();
    b.browser.clone().close().await.ok();
    assert!(
        a.failures.is_empty(),
        "accessibility violations:\n{}",
        a.failures.join("\n")
    );
}
