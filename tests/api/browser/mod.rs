//! Pages in a real headless Chromium, checked by the axe-core accessibility engine
//! against WCAG 2.1 A and AA, in French and in English. The harness (ChromeDriver, the
//! `Journey` through pages) is here; one module per journey.

mod account;
mod admin;
mod documents;
mod organisations;
mod pages;
mod reading;
mod synthesis;
mod together;

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
    const SHOWN: [(&str, &str); 11] = [
        ("visitor home", "accueil"),
        ("dsfr theme: visitor home", "theme-dsfr-accueil"),
        ("round page for a visitor", "consultation"),
        ("home: answer", "mon-espace"),
        ("fr sign-up", "inscription"),
        ("fr organisation form", "organisation"),
        ("fr editor", "editeur"),
        ("fr dashboard", "suivi"),
        ("fr results", "resultats"),
        ("fr synthesis built", "synthese"),
        ("fr public contribution", "contribution-publique"),
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

/// A browser with axe at hand, collecting every page's violations.
pub(crate) struct Journey {
    pub(crate) browser: Client,
    pub(crate) axe_source: String,
    pub(crate) app_url: String,
    pub(crate) failures: Vec<String>,
}

impl Journey {
    /// A journey in `browser` on `app`, nothing found wrong yet.
    pub(crate) fn new(browser: Client, axe_source: String, app: &crate::helpers::TestApp) -> Self {
        Self {
            browser,
            axe_source,
            app_url: app.url(""),
            failures: Vec::new(),
        }
    }

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
        self.mark_page().await;
        self.element(css).await.click().await.unwrap();
        self.wait_for_next_page(css).await;
    }

    /// Presses Enter on an element reached by the keyboard (a button, a link) and waits
    /// for the next page to have loaded.
    pub(crate) async fn press_enter(&self, css: &str) {
        self.mark_page().await;
        self.element(css).await.send_keys("\u{E007}").await.unwrap();
        self.wait_for_next_page(css).await;
    }

    /// Types `keys` (WebDriver's key codes: Shift `\u{E008}` and Control `\u{E009}` stay
    /// down until pressed again or until Null `\u{E000}`) as real key presses into the
    /// element that has the focus.
    pub(crate) async fn press_keys(&self, keys: &str) {
        use fantoccini::actions::{InputSource, KeyAction, KeyActions};
        const MODIFIERS: [char; 2] = ['\u{E008}', '\u{E009}'];
        let mut actions = KeyActions::new("keyboard".to_owned());
        let mut down: Vec<char> = Vec::new();
        for key in keys.chars() {
            if key == '\u{E000}' {
                for held in down.drain(..) {
                    actions = actions.then(KeyAction::Up { value: held });
                }
            } else if MODIFIERS.contains(&key) && !down.contains(&key) {
                down.push(key);
                actions = actions.then(KeyAction::Down { value: key });
            } else {
                actions = actions
                    .then(KeyAction::Down { value: key })
                    .then(KeyAction::Up { value: key });
            }
        }
        for held in down {
            actions = actions.then(KeyAction::Up { value: held });
        }
        self.browser.perform_actions(actions).await.unwrap();
    }

    pub(crate) async fn element(&self, css: &str) -> fantoccini::elements::Element {
        self.browser
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"))
    }

    /// Marks the page shown, so that the next one can be told from it.
    async fn mark_page(&self) {
        self.browser
            .execute("window.__before_click = true", vec![])
            .await
            .unwrap();
    }

    async fn wait_for_next_page(&self, after: &str) {
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
        panic!("no new page after {after}");
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

    /// Signs in a coordinator whose second factor is on, with the code of the next step.
    pub(crate) async fn sign_in_with_code(
        &self,
        app: &crate::helpers::TestApp,
        email: &'static str,
    ) {
        self.sign_in(email, crate::accounts::PASSWORD).await;
        assert_eq!(self.path().await, "/connexion/code");
        let secret = app
            .with_db(move |conn| {
                use concerto::store::schema::users::dsl as u;
                use diesel::prelude::*;
                u::users
                    .filter(u::email.eq(email))
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
        let code = concerto::auth::totp::code_at(&secret, email, now + 30).unwrap();
        self.fill("champ-code", &code).await;
        self.click("main form button[type=submit]").await;
    }
}

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
