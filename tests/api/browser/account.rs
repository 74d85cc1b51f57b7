//! An account's journey: sign-up, the emailed link, sign-in, two-factor, sign-out and
//! back in with a code, the forgotten-password pages.

use super::*;

/// A person signs up, opens the link from the email, signs in, turns on two-factor
/// sign-in, signs out and back in with a code: every page passes axe, in both languages.
#[tokio::test]
async fn account_journey_is_accessible_in_french_and_english() {
    let Some((chromium, driver, axe_source)) = browser_tools() else {
        return;
    };
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    let profile = tempfile::tempdir().unwrap();
    let (_driver, browser) = start_browser(&chromium, &driver, &profile).await;
    let mut journey = Journey::new(browser, axe_source, &app);

    for lang in ["fr", "en"] {
        let email = format!("parcours.{lang}@exemple.fr");
        journey.goto("/compte/inscription").await;
        if lang == "en" {
            journey.click("button[name=lang][value=en]").await;
        }
        journey.audit(&format!("{lang} sign-up")).await;

        // A refused form: error summary first, title says so, nothing typed is lost.
        journey.fill("champ-email", &email).await;
        journey.fill("champ-display_name", "Parcours").await;
        journey.fill("champ-password", "court").await;
        journey.click("form.stacked-form button[type=submit]").await;
        let title = journey.title().await;
        assert!(
            title.starts_with(if lang == "fr" { "Erreur" } else { "Error" }),
            "{title}"
        );
        let focused = journey
            .browser
            .execute("return document.activeElement.id", vec![])
            .await
            .unwrap();
        assert_eq!(focused, "error-summary", "focus goes to the error summary");
        let kept = journey
            .browser
            .execute(
                "return document.getElementById('champ-email').value",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(kept, email.as_str());
        journey.audit(&format!("{lang} sign-up with errors")).await;

        journey
            .fill("champ-password", crate::accounts::PASSWORD)
            .await;
        journey.click("form.stacked-form button[type=submit]").await;
        journey.audit(&format!("{lang} sign-up done")).await;

        // The link from the email, as received by the SMTP listener.
        let mail = app.mailbox.wait_for(&email, 1).await.pop().unwrap();
        let link = mail
            .text
            .split_whitespace()
            .find(|w| w.contains("/compte/verifier?jeton="))
            .unwrap()
            .to_owned();
        journey.browser.goto(&link).await.unwrap();
        journey.audit(&format!("{lang} verify")).await;
        journey.click("main form button[type=submit]").await;
        let verified = journey.text("main").await;
        assert!(
            verified.contains(if lang == "fr" {
                "Adresse confirmée"
            } else {
                "Address confirmed"
            }),
            "{verified}"
        );
        journey.audit(&format!("{lang} verified")).await;

        journey.goto("/connexion").await;
        journey.audit(&format!("{lang} sign-in")).await;
        journey.fill("champ-email", &email).await;
        journey
            .fill("champ-password", crate::accounts::PASSWORD)
            .await;
        journey.click("form.stacked-form button[type=submit]").await;
        // Signed in: the person's home, which says what to do first.
        assert_eq!(journey.path().await, "/", "{}", journey.text("main").await);
        journey.audit(&format!("{lang} personal home")).await;
        journey.goto("/compte").await;
        journey.audit(&format!("{lang} account")).await;

        // Two-factor sign-in: scan (here: read the key), confirm with a code.
        journey
            .click("form[action='/compte/2fa/activer'] button")
            .await;
        journey.audit(&format!("{lang} 2FA set-up")).await;
        let secret = journey.text(".secret").await;
        let code = concerto::auth::totp::current_code(&secret, &email).unwrap();
        journey.fill("champ-code", &code).await;
        journey
            .click("form[action='/compte/2fa/confirmer'] button")
            .await;
        let codes = journey
            .browser
            .find_all(Locator::Css("ul.secret li"))
            .await
            .unwrap();
        assert_eq!(codes.len(), 10, "recovery codes shown once");
        journey.audit(&format!("{lang} 2FA on")).await;

        journey.click("form.sign-out button").await;
        assert_eq!(journey.path().await, "/");
        journey.goto("/compte").await;
        assert_eq!(journey.path().await, "/connexion", "signed out for real");

        // Back in, with the second step.
        journey.fill("champ-email", &email).await;
        journey
            .fill("champ-password", crate::accounts::PASSWORD)
            .await;
        journey.click("form.stacked-form button[type=submit]").await;
        assert_eq!(journey.path().await, "/connexion/code");
        journey.audit(&format!("{lang} sign-in code")).await;
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs();
        let next = concerto::auth::totp::code_at(&secret, &email, now + 30).unwrap();
        journey.fill("champ-code", &next).await;
        journey.click("form.stacked-form button[type=submit]").await;
        // Back where the sign-in was asked for (`/compte`), across the code's step.
        assert_eq!(journey.path().await, "/compte");
        journey.click("form.sign-out button").await;

        journey.goto("/compte/mot-de-passe-oublie").await;
        journey.audit(&format!("{lang} forgotten password")).await;
        journey.goto("/compte/reinitialiser?jeton=x").await;
        journey.audit(&format!("{lang} reset")).await;
    }
    journey.finish().await;
}
