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

/// A phone held upright (WCAG 1.4.10's 320 CSS px) and a common laptop.
const REFLOW_WIDTHS: [u32; 2] = [320, 1366];

/// The elements sticking out of the viewport, to say what overflows.
const WIDEST: &str = "return [...document.querySelectorAll('body *')]\
    .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)\
    .slice(0, 5).map(e => e.tagName + (e.id ? '#' + e.id : '') + \
      (e.className && typeof e.className === 'string' ? '.' + e.className.split(' ').join('.') : '') + \
      ' ' + Math.round(e.getBoundingClientRect().right) + 'px')";

/// Screenshots of the main pages for the README, taken when `CONCERTO_SCREENSHOTS` names
/// a folder (`docs/screenshots`): the journeys pass through every page anyway.
mod screenshots {
    use super::Journey;

    /// The pages shown, by the label their journey audits them under.
    const SHOWN: [(&str, &str); 9] = [
        ("visitor home", "accueil"),
        ("dsfr theme: visitor home", "theme-dsfr-accueil"),
        ("round page for a visitor", "consultation"),
        ("home: answer", "mon-espace"),
        ("fr sign-up", "inscription"),
        ("fr organisation form", "organisation"),
        ("fr editor", "editeur"),
        ("fr dashboard", "suivi"),
        ("fr results", "resultats"),
    ];

    pub(super) async fn take(journey: &Journey, label: &str, width: u32) {
        let Some(folder) = std::env::var_os("CONCERTO_SCREENSHOTS") else {
            return;
        };
        let Some((_, name)) = SHOWN.iter().find(|(shown, _)| *shown == label) else {
            return;
        };
        let png = journey.browser.screenshot().await.unwrap();
        let path = std::path::Path::new(&folder).join(format!("{name}-{width}.png"));
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, png).unwrap();
    }
}

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

/// What the browser tests need, or None (said) to skip them; missing when required is a
/// failure.
pub(crate) fn browser_tools() -> Option<(PathBuf, PathBuf, String)> {
    match prerequisites() {
        Ok(found) => Some(found),
        Err(why) if required() => panic!("browser test required: {why}"),
        Err(why) => {
            eprintln!(
                "skipping the browser test: {why} (set CONCERTO_TEST_REQUIRE_BROWSER=1 to fail)"
            );
            None
        }
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// ChromeDriver and the Chromium it starts, in a process group of their own: dropped,
/// the whole group is killed. (Killing ChromeDriver alone orphaned its browsers when a
/// test ended without closing its session, or failed: they stayed, busy, after the
/// suite, and skewed the benchmarks run next.)
pub(crate) struct Driver(tokio::process::Child);

impl Drop for Driver {
    fn drop(&mut self) {
        if let Some(group) = self.0.id() {
            let _ = std::process::Command::new("kill")
                .args(["-KILL", "--", &format!("-{group}")])
                .stderr(Stdio::null())
                .status();
        }
    }
}

pub(crate) async fn start_browser(
    chromium: &PathBuf,
    driver: &PathBuf,
    profile: &tempfile::TempDir,
) -> (Driver, Client) {
    let port = free_port();
    let child = tokio::process::Command::new(driver)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0)
        .kill_on_drop(true)
        .spawn()
        .expect("chromedriver starts");
    let child = Driver(child);
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
/// The colour contrasts axe leaves "to review" (SVG text of the charts, text it cannot
/// place over a background), measured here: the text's colour (an SVG text's fill)
/// against the first opaque background behind it, white by default, as WCAG computes
/// the ratio; 4.5:1 needed, 3:1 for large text. Those that fall short come back as
/// violations (`color-contrast-reviewed`), with the ratio found.
const CONTRAST_REVIEW: &str = "
const rgb = text => (text.match(/[\\d.]+/g) || []).map(Number);
const linear = c => { c /= 255; return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4); };
const luminance = ([r, g, b]) => 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
const review = r => ((r.incomplete.find(i => i.id === 'color-contrast') || {nodes: []}).nodes)
  .map(n => {
    const el = document.querySelector(n.target.join(' '));
    if (!el) return null;
    const style = getComputedStyle(el);
    const fg = rgb(el instanceof SVGElement && style.fill !== 'none' ? style.fill : style.color);
    let bg = [255, 255, 255];
    for (let at = el; at; at = at.parentElement) {
      const c = rgb(getComputedStyle(at).backgroundColor);
      if (c.length >= 3 && (c.length === 3 || c[3] > 0)) { bg = c; break; }
    }
    const [hi, lo] = [luminance(fg), luminance(bg)].sort((a, b) => b - a);
    const ratio = (hi + 0.05) / (lo + 0.05);
    const size = parseFloat(style.fontSize), bold = parseInt(style.fontWeight, 10) >= 700;
    const needed = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
    return {target: n.target.join(' '), ratio: Math.round(ratio * 100) / 100, needed};
  })
  .filter(x => x);
";

async fn axe_violations(browser: &Client, axe_source: &str) -> Vec<Value> {
    // WebDriver scripts run outside the page's CSP, so axe needs no 'unsafe-eval' from us.
    let script = format!(
        "{axe_source}\n{CONTRAST_REVIEW}\n;const done = arguments[arguments.length - 1];\
         axe.run(document, {{runOnly: {{type: 'tag', values: {tags}}}}})\
           .then(r => {{ const reviewed = review(r); \
              window.__contrast_reviewed = (window.__contrast_reviewed || 0) + reviewed.length; \
              done(r.violations.map(v => ({{id: v.id, impact: v.impact, help: v.help, \
              nodes: v.nodes.map(n => n.target.join(' '))}})).concat(reviewed \
                .filter(x => x.ratio < x.needed) \
                .map(x => ({{id: 'color-contrast-reviewed', impact: 'serious', \
                   help: 'contrast ' + x.ratio + ':1 < ' + x.needed + ':1', nodes: [x.target]}})))) }})\
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
pub(crate) struct Journey {
    pub(crate) browser: Client,
    pub(crate) axe_source: String,
    pub(crate) app_url: String,
    pub(crate) failures: Vec<String>,
}

impl Journey {
    pub(crate) async fn goto(&self, path: &str) {
        self.browser
            .goto(&format!("{}{path}", self.app_url))
            .await
            .unwrap();
    }

    /// axe's verdict on the page, and its reflow (WCAG 1.4.10): at a phone's 320 px and
    /// a laptop's 1366 px, nothing scrolls sideways.
    pub(crate) async fn audit(&mut self, label: &str) {
        let violations = axe_violations(&self.browser, &self.axe_source).await;
        if !violations.is_empty() {
            self.failures.push(format!(
                "{label}: {}",
                serde_json::to_string_pretty(&violations).unwrap()
            ));
        }
        for width in REFLOW_WIDTHS {
            let (scroll, inner) = self.width_at(width).await;
            if scroll > inner {
                let wide = self
                    .browser
                    .execute(WIDEST, vec![])
                    .await
                    .unwrap_or_default();
                self.failures.push(format!(
                    "{label}: {scroll} px wide at {width} px (scrolls sideways); widest: {wide}"
                ));
            }
            screenshots::take(self, label, width).await;
        }
        self.browser.set_window_size(1280, 900).await.unwrap();
    }

    /// The page's scroll width and its visible width, the window `width` px wide.
    async fn width_at(&self, width: u32) -> (i64, i64) {
        self.browser.set_window_size(width, 900).await.unwrap();
        for _ in 0..20 {
            let measured = self
                .browser
                .execute(
                    "return [document.documentElement.scrollWidth, window.innerWidth, \
                     document.documentElement.clientWidth]",
                    vec![],
                )
                .await
                .unwrap();
            let inner = measured[1].as_i64().unwrap_or(0);
            // The resize lands asynchronously: measure once the viewport has it.
            // (The page's own width leaves out a vertical scrollbar.)
            if (inner - width as i64).abs() <= 20 {
                return (
                    measured[0].as_i64().unwrap_or(0),
                    measured[2].as_i64().unwrap_or(0),
                );
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the window did not become {width} px wide");
    }

    pub(crate) async fn fill(&self, id: &str, value: &str) {
        let field = self
            .browser
            .find(Locator::Id(id))
            .await
            .unwrap_or_else(|e| panic!("field {id}: {e}"));
        field.clear().await.unwrap();
        field.send_keys(value).await.unwrap();
    }

    /// Clicks a submit button and waits for the next page to have loaded.
    pub(crate) async fn click(&self, css: &str) {
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

    pub(crate) async fn text(&self, css: &str) -> String {
        self.browser
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"))
            .text()
            .await
            .unwrap()
    }

    /// Closes the browser; every page seen must have passed axe and the reflow check.
    pub(crate) async fn finish(self) {
        self.browser.close().await.ok();
        assert!(
            self.failures.is_empty(),
            "accessibility or reflow failures:\n{}",
            self.failures.join("\n")
        );
    }

    pub(crate) async fn title(&self) -> String {
        self.browser.title().await.unwrap()
    }

    pub(crate) async fn path(&self) -> String {
        self.browser.current_url().await.unwrap().path().to_owned()
    }
}

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

impl Journey {
    pub(crate) async fn set(&self, id: &str, value: &str) {
        // As a person's choice would: the page's script hears it.
        let script = "const el = document.getElementById(arguments[0]); el.value = arguments[1]; \
            el.dispatchEvent(new Event('input', {bubbles: true})); \
            el.dispatchEvent(new Event('change', {bubbles: true})); return el.value;";
        self.browser
            .execute(script, vec![json!(id), json!(value)])
            .await
            .unwrap();
    }

    pub(crate) async fn sign_in(&self, email: &str, password: &str) {
        self.goto("/connexion").await;
        self.fill("champ-email", email).await;
        self.fill("champ-password", password).await;
        self.click("main form button[type=submit]").await;
    }
}

/// An organisation registers and is approved; a coordinator builds a round with one
/// question of each kind, previews and opens it: every page passes axe, in both languages.
impl Journey {
    /// Each export link of the page downloads with the coordinator's session, as the
    /// format it claims to be.
    async fn check_downloads(&self, slug: &str) {
        let downloads = self
        .browser
        .execute_async(
            "const done = arguments[arguments.length - 1];\
             Promise.all([...document.querySelectorAll('ul.downloads a')].map(a => fetch(a.href)\
               .then(r => r.text().then(t => [r.status, r.headers.get('content-disposition'), t.slice(0, 8)]))))\
               .then(done, e => done(String(e)));",
            vec![],
        )
        .await
        .unwrap();
        let downloads = downloads.as_array().expect("download results");
        assert_eq!(downloads.len(), 7, "{downloads:?}");
        for d in downloads {
            assert_eq!(d[0], 200, "{d}");
            assert!(
                d[1].as_str()
                    .unwrap()
                    .starts_with(&format!("attachment; filename=\"{slug}-")),
                "{d}"
            );
        }
        assert!(downloads[0][2].as_str().unwrap().starts_with("\"round\""));
        // (fetch's text() drops the BOM; the API test checks the bytes.)
        // The French spreadsheet's file, in French words.
        assert_eq!(downloads[1][2], "\"Consult");
        assert!(
            downloads[3][2].as_str().unwrap().starts_with("PK"),
            "xlsx is a zip"
        );
        assert!(downloads[4][2].as_str().unwrap().starts_with('{'));
        assert_eq!(downloads[5][2], "<!DOCTYP");
        assert_eq!(downloads[6][2], "# Contri");
    }
}

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
    let mut journey = Journey {
        browser,
        axe_source,
        app_url: app.url(""),
        failures: Vec::new(),
    };

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
    let coordinator = crate::round_admin::coordinator_2fa(&app, "coord@exemple.fr").await;
    let owner = crate::organisations::member(&app, "owner@exemple.fr").await;
    let created: Value = crate::organisations::send(
        &app,
        &owner,
        "POST",
        "/api/v1/organisations",
        Some(crate::organisations::organisation("W751234567")),
    )
    .await
    .json()
    .await
    .unwrap();
    let org = created["id"].as_i64().unwrap();
    crate::organisations::send(
        &app,
        &coordinator,
        "POST",
        &format!("/api/v1/organisations/{org}/approve"),
        None,
    )
    .await;
    crate::organisations::send(
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
    let editor_api = crate::organisations::member(&app, "editor@exemple.fr").await;
    crate::organisations::send(
        &app,
        &editor_api,
        "POST",
        "/api/v1/invitations/accept",
        Some(json!({ "token": token })),
    )
    .await;
    crate::round_admin::built_round(&app, &coordinator, "ensemble", chrono::Duration::days(30))
        .await;
    crate::organisations::send(
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
    let mut a = Journey {
        browser: browser_a,
        axe_source: axe_source.clone(),
        app_url: app.url(""),
        failures: Vec::new(),
    };
    let b = Journey {
        browser: browser_b,
        axe_source,
        app_url: app.url(""),
        failures: Vec::new(),
    };
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
        let stored: Value = crate::organisations::send(
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
    crate::organisations::send(
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
    a.sign_in("coord@exemple.fr", crate::accounts::PASSWORD)
        .await;
    assert_eq!(a.path().await, "/connexion/code");
    let secret = app
        .with_db(|conn| {
            use concerto::store::schema::users::dsl as u;
            use diesel::prelude::*;
            u::users
                .filter(u::email.eq("coord@exemple.fr"))
                .select(u::totp_secret)
                .first::<Option<String>>(conn)
                .unwrap()
                .unwrap()
        })
        .await;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    a.fill(
        "champ-code",
        &concerto::auth::totp::code_at(&secret, "coord@exemple.fr", now + 30).unwrap(),
    )
    .await;
    a.click("main form button[type=submit]").await;
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

    // The same pages in English.
    a.click("button[name=lang][value=en]").await;
    for path in [
        "/coordination/consultations/ensemble/avancement".to_owned(),
        "/coordination/consultations/ensemble/resultats".to_owned(),
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
