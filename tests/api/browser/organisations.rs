//! Organisations and round building, page by page.

use super::*;

/// An organisation registers and is approved; a coordinator builds a round with one
/// question of each kind, previews and opens it: every page passes axe, in both languages.
#[tokio::test]
async fn organisations_and_round_building_are_accessible_in_french_and_english() {
    let Some((chromium, driver, axe_source)) = browser_tools() else {
        return;
    };
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    // The coordinator has two-factor sign-in on (needed to open a round).
    crate::authorisation::operator(
        &app,
        "coord@exemple.fr",
        concerto::domain::accounts::PlatformRole::Coordinator,
    )
    .await;
    let api = crate::helpers::client();
    let csrf = app
        .sign_in(&api, "coord@exemple.fr", crate::accounts::PASSWORD)
        .await;
    let setup: Value = api
        .post(app.url("/api/v1/auth/totp/setup"))
        .header("x-csrf-token", &csrf)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let secret = setup["secret"].as_str().unwrap().to_owned();
    let code = concerto::auth::totp::current_code(&secret, "coord@exemple.fr").unwrap();
    let confirmed: Value = api
        .post(app.url("/api/v1/auth/totp/confirm"))
        .header("x-csrf-token", &csrf)
        .json(&json!({ "code": code }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut recovery: Vec<String> = confirmed["recovery_codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_owned())
        .collect();

    let profile = tempfile::tempdir().unwrap();
    let (_driver, browser) = start_browser(&chromium, &driver, &profile).await;
    let mut journey = Journey::new(browser, axe_source, &app);

    for (n, lang) in ["fr", "en"].into_iter().enumerate() {
        let owner = format!("proprietaire.{lang}@exemple.fr");
        app.verified_account(&owner, "Propriétaire").await;
        journey.goto("/").await;
        if lang == "en" {
            journey.click("button[name=lang][value=en]").await;
        }
        // An organisation registers.
        journey.sign_in(&owner, crate::accounts::PASSWORD).await;
        journey.goto("/organisations/nouvelle").await;
        journey.audit(&format!("{lang} organisation form")).await;
        journey
            .fill("champ-name", &format!("Association fictive {lang}"))
            .await;
        journey
            .fill("champ-legal_id", &format!("W75123456{n}"))
            .await;
        journey
            .fill("champ-contact_email", "contact@fictive.exemple.fr")
            .await;
        journey.click("main form button[type=submit]").await;
        assert!(
            journey.path().await.starts_with("/organisations/"),
            "{}",
            journey.text("main").await
        );
        journey.audit(&format!("{lang} organisation page")).await;
        journey.goto("/organisations").await;
        journey.audit(&format!("{lang} my organisations")).await;
        journey.click("form.sign-out button").await;

        // The coordinator approves it.
        journey
            .sign_in("coord@exemple.fr", crate::accounts::PASSWORD)
            .await;
        assert_eq!(journey.path().await, "/connexion/code");
        journey.fill("champ-code", &recovery.remove(0)).await;
        journey.click("main form button[type=submit]").await;
        journey.goto("/organisations?statut=pending").await;
        journey.audit(&format!("{lang} organisations queue")).await;
        journey.click("table.data a").await;
        journey
            .audit(&format!("{lang} organisation decision"))
            .await;
        journey.click("button[name=decision][value=approve]").await;
        assert!(journey.text(".notice").await.len() > 5);

        // …and builds a round with one question of each kind.
        journey.goto("/coordination/consultations").await;
        journey.audit(&format!("{lang} coordination rounds")).await;
        let slug = format!("parcours-{lang}");
        journey.fill("champ-slug", &slug).await;
        journey
            .fill("champ-title", "Consultation du parcours")
            .await;
        journey.set("champ-closes_at", "2099-06-30T18:00").await;
        journey.click("main form button[type=submit]").await;
        assert_eq!(
            journey.path().await,
            format!("/coordination/consultations/{slug}"),
            "{}",
            journey.text("main").await
        );
        journey.audit(&format!("{lang} round builder")).await;
        journey.fill("champ-chapter_code", "E1").await;
        journey.fill("champ-chapter_title", "Premier enjeu").await;
        journey.click("form[action$='/chapitres'] button").await;
        for (i, kind) in [
            "short_text",
            "long_text",
            "single_choice",
            "multiple_choice",
            "scale",
            "proposals",
        ]
        .iter()
        .enumerate()
        {
            journey
                .fill("champ-question_code", &format!("E1.Q{}", i + 1))
                .await;
            journey.set("champ-question_kind", kind).await;
            // Only the chosen kind's settings are in sight.
            let shown = journey
                .browser
                .execute(
                    "return Array.from(document.querySelectorAll('fieldset[data-kinds]')).filter(f => !f.hidden).map(f => f.dataset.kinds)",
                    vec![],
                )
                .await
                .unwrap();
            let shown: Vec<String> = serde_json::from_value(shown).unwrap();
            assert!(
                shown.len() == 1 && shown[0].split(" ").any(|k| k == *kind),
                "{kind}: {shown:?}"
            );
            journey
                .fill("champ-question_prompt", &format!("Question {kind}"))
                .await;
            if kind.ends_with("choice") {
                journey.fill("champ-options", "Oui\nNon\nNe sait pas").await;
            }
            journey
                .click("form[action$='/questions'] button[type=submit]")
                .await;
            assert!(
                !journey.title().await.starts_with("Erreur")
                    && !journey.title().await.starts_with("Error"),
                "{}",
                journey.text("main").await
            );
        }
        let questions = journey
            .browser
            .find_all(Locator::Css("section.chapter table.data tbody tr"))
            .await
            .unwrap();
        assert_eq!(questions.len(), 6);
        journey
            .audit(&format!("{lang} round builder with questions"))
            .await;
        journey.check_downloads(&slug).await;

        // A refused action shows why: opening without confirming.
        journey.click("button[name=action][value=open]").await;
        assert!(journey.text("#error-summary").await.len() > 5);
        journey.audit(&format!("{lang} lifecycle refused")).await;

        journey.goto(&format!("/consultations/{slug}")).await;
        journey.audit(&format!("{lang} round preview")).await;
        journey
            .goto(&format!("/coordination/consultations/{slug}"))
            .await;
        journey
            .browser
            .find(Locator::Id("champ-confirm"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        journey.click("button[name=action][value=open]").await;
        let status = journey.text("dl.facts dd").await;
        assert!(status == "Ouverte" || status == "Open", "{status}");
        journey.goto(&format!("/consultations/{slug}")).await;
        journey.audit(&format!("{lang} open round")).await;
        journey.click("form.sign-out button").await;
    }
    journey.finish().await;
}
