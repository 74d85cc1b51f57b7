//! Pages in a real headless Chromium, checked by the axe-core accessibility engine
//! against WCAG 2.1 A and AA, in French and in English.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

use crate::helpers::{Backend, repo_path, spawn_app};

const WCAG_TAGS: [&str; 4] = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

fn required() -> bool {
    std::env::var("CONCERTO_TEST_REQUIRE_BROWSER").is_ok_and(|v| v == "1")
}

fn tool(env: &str, default: &str) -> PathBuf {
    std::env::var_os(env)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(default))
}

/// What the browser test needs, or why it cannot run.
fn prerequisites() -> Result<(PathBuf, PathBuf, String), String> {
    let chromium = tool("CONCERTO_TEST_CHROMIUM", "/usr/bin/chromium");
    let driver = tool("CONCERTO_TEST_CHROMEDRIVER", "/usr/bin/chromedriver");
    let axe = repo_path("tests/e2e/node_modules/axe-core/axe.min.js");
    for path in [&chromium, &driver, &axe] {
        if !path.exists() {
            return Err(format!(
                "{} is missing (the README's test command installs it)",
                path.display()
            ));
        }
    }
    let axe_source = std::fs::read_to_string(&axe).map_err(|e| e.to_string())?;
    Ok((chromium, driver, axe_source))
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

async fn start_browser(
    chromium: &PathBuf,
    driver: &PathBuf,
    profile: &tempfile::TempDir,
) -> (tokio::process::Child, Client) {
    let port = free_port();
    let child = tokio::process::Command::new(driver)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("chromedriver starts");
    let mut capabilities = serde_json::Map::new();
    capabilities.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": chromium,
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=1280,900",
                // A French visitor: the switch must then bring English.
                "--lang=fr-FR", "--accept-lang=fr-FR,fr",
                format!("--user-data-dir={}", profile.path().display()),
            ]
        }),
    );
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    let mut last_error = String::new();
    for _ in 0..50 {
        match ClientBuilder::new(connector.clone())
            .capabilities(capabilities.clone())
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
        {
            Ok(client) => return (child, client),
            Err(e) => last_error = e.to_string(),
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("cannot drive Chromium: {last_error}");
}

/// Runs axe on the current page; returns the violations, summarised.
async fn axe_violations(browser: &Client, axe_source: &str) -> Vec<Value> {
    // WebDriver scripts run outside the page's CSP, so axe needs no 'unsafe-eval' from us.
    let script = format!(
        "{axe_source}\n;const done = arguments[arguments.length - 1];\
         axe.run(document, {{runOnly: {{type: 'tag', values: {tags}}}}})\
           .then(r => done(r.violations.map(v => ({{id: v.id, impact: v.impact, help: v.help, \
              nodes: v.nodes.map(n => n.target.join(' '))}}))))\
           .catch(e => done([{{id: 'axe-error', help: String(e)}}]));",
        tags = serde_json::to_string(&WCAG_TAGS).unwrap()
    );
    let result = browser
        .execute_async(&script, vec![])
        .await
        .expect("axe runs");
    result
        .as_array()
        .cloned()
        .unwrap_or_else(|| panic!("unexpected axe result: {result}"))
}

#[tokio::test]
async fn pages_pass_axe_in_french_and_english() {
    let (chromium, driver, axe_source) = match prerequisites() {
        Ok(found) => found,
        Err(why) if required() => panic!("browser test required: {why}"),
        Err(why) => {
            eprintln!(
                "skipping the browser test: {why} (set CONCERTO_TEST_REQUIRE_BROWSER=1 to fail)"
            );
            return;
        }
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
        }
        for path in ["/", "/consultations/ia-en-sante", "/page-absente"] {
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

/// A browser with axe at hand, collecting every page's violations.
struct Journey {
    browser: Client,
    axe_source: String,
    app_url: String,
    failures: Vec<String>,
}

impl Journey {
    async fn goto(&self, path: &str) {
        self.browser
            .goto(&format!("{}{path}", self.app_url))
            .await
            .unwrap();
    }

    async fn audit(&mut self, label: &str) {
        let violations = axe_violations(&self.browser, &self.axe_source).await;
        if !violations.is_empty() {
            self.failures.push(format!(
                "{label}: {}",
                serde_json::to_string_pretty(&violations).unwrap()
            ));
        }
    }

    async fn fill(&self, id: &str, value: &str) {
        let field = self
            .browser
            .find(Locator::Id(id))
            .await
            .unwrap_or_else(|e| panic!("field {id}: {e}"));
        field.clear().await.unwrap();
        field.send_keys(value).await.unwrap();
    }

    /// Clicks a submit button and waits for the next page to have loaded.
    async fn click(&self, css: &str) {
        self.browser
            .execute("window.__before_click = true", vec![])
            .await
            .unwrap();
        self.browser
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"))
            .click()
            .await
            .unwrap();
        for _ in 0..100 {
            let loaded = self
                .browser
                .execute(
                    "return !window.__before_click && document.readyState === 'complete'",
                    vec![],
                )
                .await
                .unwrap_or(Value::Bool(false));
            if loaded == Value::Bool(true) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("no new page after clicking {css}");
    }

    async fn text(&self, css: &str) -> String {
        self.browser
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"))
            .text()
            .await
            .unwrap()
    }

    async fn title(&self) -> String {
        self.browser.title().await.unwrap()
    }

    async fn path(&self) -> String {
        self.browser.current_url().await.unwrap().path().to_owned()
    }
}

/// A person signs up, opens the link from the email, signs in, turns on two-factor
/// sign-in, signs out and back in with a code: every page passes axe, in both languages.
#[tokio::test]
async fn account_journey_is_accessible_in_french_and_english() {
    let (chromium, driver, axe_source) = match prerequisites() {
        Ok(found) => found,
        Err(why) if required() => panic!("browser test required: {why}"),
        Err(why) => {
            eprintln!("skipping the browser test: {why}");
            return;
        }
    };
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    let profile = tempfile::tempdir().unwrap();
    let (_driver, browser) = start_browser(&chromium, &driver, &profile).await;
    let mut journey = Journey {
        browser,
        axe_source,
        app_url: app.url(""),
        failures: Vec::new(),
    };

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
        assert_eq!(
            journey.path().await,
            "/compte",
            "{}",
            journey.text("main").await
        );
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
        assert_eq!(journey.path().await, "/compte");
        journey.click("form.sign-out button").await;

        journey.goto("/compte/mot-de-passe-oublie").await;
        journey.audit(&format!("{lang} forgotten password")).await;
        journey.goto("/compte/reinitialiser?jeton=x").await;
        journey.audit(&format!("{lang} reset")).await;
    }
    journey.browser.close().await.ok();
    assert!(
        journey.failures.is_empty(),
        "accessibility violations:\n{}",
        journey.failures.join("\n")
    );
}
