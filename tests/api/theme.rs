//! The look is chosen by configuration: Concerto's own, or the State Design System's
//! (`dsfr`), with the header and footer that system requires, its font and logo served
//! from the binary; either way every page passes axe and fits 320 px.

use concerto::config::Theme;

use crate::browser::{Journey, browser_tools, start_browser};
use crate::helpers::{Backend, TestApp, spawn_app};

#[tokio::test]
async fn the_theme_is_chosen_by_configuration() {
    let own = spawn_app(Backend::Sqlite).await.unwrap();
    let page = own.get("/").await.text().await.unwrap();
    assert!(page.contains("class=\"site-header\"") && page.contains("class=\"site-footer\""));
    assert!(!page.contains("fr-header") && !page.contains("/static/dsfr/"));

    let dsfr = TestApp::builder(Backend::Sqlite)
        .settings(|s| s.theme = Theme::Dsfr)
        .start()
        .await
        .unwrap();
    let page = dsfr.get("/connexion").await.text().await.unwrap();
    // The header and footer the DSFR requires: the "bloc marque", the service's name,
    // the State's sites and the licence line; the same navigation as every theme.
    for expected in [
        "<header class=\"fr-header\">",
        "<p class=\"fr-logo\" lang=\"fr\">République<br>Française</p>",
        "<p class=\"fr-header__service-title\">Concerto</p>",
        "<footer class=\"fr-footer\"",
        "href=\"https://www.service-public.fr\"",
        "licence etalab-2.0",
        "class=\"nav-list\"",
        "action=\"/langue\"",
        "/static/dsfr/css/core.min.css",
        "/static/theme-dsfr.css",
    ] {
        assert!(page.contains(expected), "{expected} missing");
    }
    assert!(!page.contains("class=\"site-header\""));
    // Its stylesheets and the font faces the pages use come from the binary.
    let core = dsfr.get("/static/dsfr/css/core.min.css").await;
    assert_eq!(core.status(), 200);
    assert!(
        core.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/css")
    );
    let core = core.text().await.unwrap();
    for face in ["Marianne-Regular", "Marianne-Medium", "Marianne-Bold"] {
        assert!(
            core.contains(&format!("url(../fonts/{face}.woff2)")),
            "{face}"
        );
        let font = dsfr.get(&format!("/static/dsfr/fonts/{face}.woff2")).await;
        assert_eq!(font.status(), 200, "{face}");
        assert_eq!(font.headers()["content-type"], "font/woff2");
        assert!(font.bytes().await.unwrap().starts_with(b"wOF2"));
    }
    for sheet in ["logo", "header", "footer", "link"] {
        let served = dsfr.get(&format!("/static/dsfr/css/{sheet}.min.css")).await;
        assert_eq!(served.status(), 200, "{sheet}");
    }
}

#[tokio::test]
async fn the_dsfr_theme_passes_axe_and_fits_a_phone() {
    let Some((chromium, driver, axe_source)) = browser_tools() else {
        return;
    };
    let app = TestApp::builder(Backend::Sqlite)
        .settings(|s| s.theme = Theme::Dsfr)
        .start()
        .await
        .unwrap();
    app.seed_demo().await;
    let profile = tempfile::tempdir().unwrap();
    let (_driver, browser) = start_browser(&chromium, &driver, &profile).await;
    let mut journey = Journey::new(browser, axe_source, &app);
    journey.goto("/").await;
    // The font is the DSFR's, loaded from this site.
    let font = journey
        .browser
        .execute(
            "return document.fonts.ready.then(() => [getComputedStyle(document.body).fontFamily, \
             document.fonts.check('16px Marianne')])",
            vec![],
        )
        .await
        .unwrap();
    assert!(
        font[0].as_str().unwrap().starts_with("Marianne") && font[1] == true,
        "{font}"
    );
    journey.audit("dsfr theme: visitor home").await;
    journey.goto("/consultations/ia-en-sante").await;
    journey.audit("dsfr theme: round page").await;
    journey.goto("/connexion").await;
    journey.click("main form button[type=submit]").await;
    journey.audit("dsfr theme: sign-in with errors").await;
    journey.click("button[name=lang][value=en]").await;
    journey.audit("dsfr theme: sign-in in English").await;
    journey.finish().await;
}
