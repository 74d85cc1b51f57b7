//! The public pages (home, a round, a missing page) pass axe in both languages, and the
//! engine and the contrast measure are first shown able to fail.

use super::*;

#[tokio::test]
async fn pages_pass_axe_in_french_and_english() {
    let Some((chromium, driver, axe_source)) = browser_tools() else {
        return;
    };
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    app.seed_demo().await;
    let profile = tempfile::tempdir().unwrap();
    let (_driver, browser) = start_browser(&chromium, &driver, &profile).await;

    // The engine must be able to fail: an image without text alternative is caught.
    browser.goto(&app.url("/")).await.unwrap();
    browser
        .execute("document.querySelector('main').appendChild(document.createElement('img')).src = '/static/x.png'", vec![])
        .await
        .unwrap();
    let caught = axe_violations(&browser, &axe_source).await;
    assert!(
        caught.iter().any(|v| v["id"] == "image-alt"),
        "axe did not catch a missing alt: {caught:?}"
    );
    // Pale text in a chart: axe leaves SVG text to review, the test's own measure
    // catches it (1.92:1 here).
    browser
        .execute("document.querySelector('main').insertAdjacentHTML('beforeend', \
            '<svg role=\"img\" aria-label=\"x\" width=\"200\" height=\"30\"><text x=\"0\" y=\"20\" font-size=\"14\" fill=\"#bbbbbb\">Texte pâle</text></svg>')", vec![])
        .await
        .unwrap();
    let caught = axe_violations(&browser, &axe_source).await;
    assert!(
        caught.iter().any(|v| v["id"] == "color-contrast-reviewed"),
        "pale chart text not caught: {caught:?}"
    );

    let mut failures = Vec::new();
    for (lang, heading) in [
        ("fr", "Consultations ouvertes"),
        ("en", "Open consultations"),
    ] {
        browser.goto(&app.url("/")).await.unwrap();
        // Switch language the way a visitor does: with the button in the header.
        if lang == "en" {
            browser
                .find(Locator::Css("button[name=lang][value=en]"))
                .await
                .unwrap()
                .click()
                .await
                .unwrap();
            // The click returns before the switch's round trip ends: going elsewhere at
            // once could cancel it (seen once in CI, the next page still in French).
            browser
                .wait()
                .at_most(std::time::Duration::from_secs(10))
                .for_element(Locator::Css("html[lang='en']"))
                .await
                .unwrap();
        }
        for path in [
            "/",
            "/consultations/ia-en-sante",
            "/confidentialite",
            "/page-absente",
        ] {
            browser.goto(&app.url(path)).await.unwrap();
            let html_lang = browser
                .execute("return document.documentElement.lang", vec![])
                .await
                .unwrap();
            assert_eq!(html_lang, lang, "{path}");
            if path == "/" {
                let h1 = browser
                    .find(Locator::Css("h1"))
                    .await
                    .unwrap()
                    .text()
                    .await
                    .unwrap();
                assert_eq!(h1, heading);
                // The stylesheet loaded under the CSP (no inline styles needed).
                let padding = browser
                    .execute("return getComputedStyle(document.querySelector('.site-header')).borderBottomStyle", vec![])
                    .await
                    .unwrap();
                assert_eq!(padding, "solid", "stylesheet applied");
            }
            let violations = axe_violations(&browser, &axe_source).await;
            if !violations.is_empty() {
                failures.push(format!(
                    "{lang} {path}: {}",
                    serde_json::to_string_pretty(&violations).unwrap()
                ));
            }
        }
    }
    browser.close().await.ok();
    assert!(
        failures.is_empty(),
        "accessibility violations:\n{}",
        failures.join("\n")
    );
}
