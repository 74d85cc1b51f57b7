//! What people type is never lost, in a real headless Chromium, on both backends:
//! leaving a chapter a moment after typing, an over-long answer beside valid ones, the
//! publication consent (no default, kept across a reopening, repeated on the copy), and a
//! colleague's conflicting change settled with each of the two buttons, and an option that
//! is chosen alone.

use std::time::Duration;

use fantoccini::Locator;
use serde_json::{Value, json};

use crate::browser::{Journey, browser_tools, start_browser};
use crate::fixtures::send;
use crate::helpers::{Backend, TestApp, spawn_app};

#[tokio::test]
async fn typing_survives_leaving_errors_and_reopening_on_sqlite() {
    typing_survives(Backend::Sqlite).await;
}

#[tokio::test]
async fn typing_survives_leaving_errors_and_reopening_on_postgres() {
    if !crate::helpers::postgres_required()
        && std::net::TcpStream::connect("127.0.0.1:5432").is_err()
    {
        eprintln!("skipping: PostgreSQL unreachable");
        return;
    }
    typing_survives(Backend::Postgres).await;
}

/// The stored answers of the organisation's response, by question code.
async fn stored(app: &TestApp, who: &crate::fixtures::Who, org: i64) -> Value {
    let body: Value = send(
        app,
        who,
        "GET",
        &format!("/api/v1/rounds/chemin/responses/{org}"),
        None,
    )
    .await
    .json()
    .await
    .unwrap();
    body["answers"].clone()
}

/// A coordinator, and the owner of an approved organisation, with the round `chemin`
/// built but not yet open: (coordinator, owner, organisation).
async fn round_and_owner(app: &TestApp) -> (crate::fixtures::Who, crate::fixtures::Who, i64) {
    let coordinator = crate::fixtures::coordinator_2fa(app, "coord@exemple.fr").await;
    let (owner, org) =
        crate::fixtures::approved_organisation(app, &coordinator, "owner@exemple.fr", "W751234567")
            .await;
    crate::round_admin::built_round(app, &coordinator, "chemin", chrono::Duration::days(30)).await;
    (coordinator, owner, org)
}

async fn open(app: &TestApp, coordinator: &crate::fixtures::Who) {
    let opened = send(app, coordinator, "POST", "/api/v1/rounds/chemin/open", None).await;
    assert_eq!(opened.status(), 200);
}

/// Waits until `check` holds of the stored answers (autosave runs 1.2 s after typing).
async fn until_stored(
    app: &TestApp,
    who: &crate::fixtures::Who,
    org: i64,
    check: impl Fn(&Value) -> bool,
) -> Value {
    let mut answers = Value::Null;
    for _ in 0..100 {
        answers = stored(app, who, org).await;
        if check(&answers) {
            return answers;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("not stored as expected: {answers}");
}

impl Journey {
    async fn value(&self, id: &str) -> String {
        self.browser
            .find(Locator::Id(id))
            .await
            .unwrap_or_else(|e| panic!("{id}: {e}"))
            .prop("value")
            .await
            .unwrap()
            .unwrap_or_default()
    }

    async fn type_into(&self, id: &str, text: &str) {
        self.browser
            .find(Locator::Id(id))
            .await
            .unwrap_or_else(|e| panic!("{id}: {e}"))
            .send_keys(text)
            .await
            .unwrap();
    }

    /// Clicks an element of this page (no new page awaited), brought to the middle of
    /// the window first: the editor's sticky bar covers the bottom edge, where WebDriver
    /// would otherwise scroll it.
    pub(crate) async fn press(&self, css: &str) {
        let element = self
            .browser
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"));
        self.browser
            .execute(
                "arguments[0].scrollIntoView({block: 'center'})",
                vec![serde_json::to_value(&element).unwrap()],
            )
            .await
            .unwrap();
        element.click().await.unwrap();
    }

    /// What the autosave says, once `check` holds of it (or after five seconds).
    async fn saving_status(&self, check: impl Fn(&str) -> bool) -> String {
        let mut said = String::new();
        for _ in 0..50 {
            said = self.text("#autosave-status").await;
            if check(&said) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        said
    }

    async fn js(&self, script: &str) -> Value {
        self.browser.execute(script, vec![]).await.unwrap()
    }
}

async fn typing_survives(backend: Backend) {
    let Some((chromium, driver, axe_source)) = browser_tools() else {
        return;
    };
    let app = spawn_app(backend).await.unwrap();
    let (coordinator, owner, org) = round_and_owner(&app).await;
    let second = send(
        &app,
        &coordinator,
        "POST",
        "/api/v1/rounds/chemin/chapters",
        Some(json!({"code": "E2", "title": "Suite"})),
    )
    .await;
    assert_eq!(second.status(), 201);
    let question = send(
        &app,
        &coordinator,
        "POST",
        "/api/v1/rounds/chemin/chapters/E2/questions",
        Some(json!({"code": "E2.Q1", "prompt": "Autre chose ?", "kind": "long_text", "max_length": 2000})),
    )
    .await;
    assert_eq!(question.status(), 201);
    let exclusive = json!({"code": "E2.Q2", "prompt": "Quels outils ?", "kind": "multiple_choice",
        "options": [{"key": "agenda", "label": "Un agenda partagé"}, {"key": "visio", "label": "La visioconférence"},
                    {"key": "aucun", "label": "Aucun de ces outils", "exclusive": true}],
        "min_choices": 1, "max_choices": 2});
    let question = send(
        &app,
        &coordinator,
        "POST",
        "/api/v1/rounds/chemin/chapters/E2/questions",
        Some(exclusive),
    )
    .await;
    assert_eq!(question.status(), 201);
    open(&app, &coordinator).await;

    let profile = tempfile::tempdir().unwrap();
    let (_driver, browser) = start_browser(&chromium, &driver, &profile).await;
    let mut a = Journey::new(browser, axe_source, &app);
    a.sign_in("owner@exemple.fr", crate::accounts::PASSWORD)
        .await;
    let editor = format!("/consultations/chemin/reponse/{org}?chapitre=E1");
    a.goto(&editor).await;

    // 1. Leaving a chapter 200 ms after typing: the text and the ticked scale are saved
    // before the next chapter shows, and are there on return.
    a.type_into("champ-answers.E1.Q2", "Écrit juste avant de partir")
        .await;
    a.press("label[for='o-E1.Q5-3']").await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    a.click("nav.chapter-nav a[href$='chapitre=E2']").await;
    assert!(a.path().await.ends_with(&format!("/reponse/{org}")));
    let answers = stored(&app, &owner, org).await;
    assert_eq!(answers["E1.Q2"]["value"], "Écrit juste avant de partir");
    assert_eq!(answers["E1.Q5"]["value"], 4, "{answers}");
    a.click("nav.chapter-nav a[href$='chapitre=E1']").await;
    assert_eq!(
        a.value("champ-answers.E1.Q2").await,
        "Écrit juste avant de partir"
    );

    // 2. An over-long answer beside valid ones: the valid ones are saved, the page does
    // not reload, the long one stays as typed with its error, the counter says so.
    a.js("window.__same_page = true").await;
    let long = "x".repeat(241);
    a.type_into("champ-answers.E1.Q1", &long).await;
    a.press("label[for='o-E1.Q3-0']").await;
    a.type_into("champ-answers.E1.Q2", " Et la suite.").await;
    until_stored(&app, &owner, org, |s| {
        s["E1.Q3"]["value"] == "oui"
            && s["E1.Q2"]["value"] == "Écrit juste avant de partir Et la suite."
    })
    .await;
    let mut shown = false;
    for _ in 0..50 {
        if a.js("return !!document.getElementById('erreur-E1.Q1')")
            .await
            == Value::Bool(true)
        {
            shown = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(shown, "the refusal is shown beside the answer");
    assert_eq!(
        a.js("return window.__same_page === true").await,
        Value::Bool(true),
        "the page did not reload"
    );
    assert_eq!(
        a.value("champ-answers.E1.Q1").await,
        long,
        "the text is kept"
    );
    assert!(stored(&app, &owner, org).await["E1.Q1"]["value"].is_null());
    let counter = a.text("#compteur-E1\\.Q1").await;
    assert!(counter.contains("41 de trop"), "{counter}");
    assert_eq!(
        a.js("return document.getElementById('compteur-E1.Q1').classList.contains('counter-over')")
            .await,
        Value::Bool(true)
    );
    assert_eq!(
        a.js("return document.getElementById('champ-answers.E1.Q1').getAttribute('aria-invalid')")
            .await,
        json!("true")
    );
    let status = a.text("#autosave-status").await;
    assert!(status.contains("pas enregistrée"), "{status}");
    // The chapter's counter follows what is saved (Q2, Q3 and Q5 of six).
    let progress = a.text("#chapter-progress").await;
    assert!(progress.contains("3 réponses sur 6"), "{progress}");
    a.audit("fr editor with a refused answer").await;

    // Corrected, it is saved, the error goes, the time is said the French way.
    a.fill("champ-answers.E1.Q1", "Oui, tout à fait").await;
    until_stored(&app, &owner, org, |s| {
        s["E1.Q1"]["value"] == "Oui, tout à fait"
    })
    .await;
    let status = a.saving_status(|s| s.starts_with("Enregistré à")).await;
    let time = status.trim_start_matches("Enregistré à ").trim();
    assert!(
        time.len() == 5 && time.as_bytes()[2] == b':' && !time.contains('M'),
        "{status}"
    );
    assert_eq!(
        a.js("return !!document.getElementById('erreur-E1.Q1')")
            .await,
        Value::Bool(false)
    );

    // 3. The consent: nothing ticked; submitting without choosing says so; the choice is
    // repeated on the copy and kept when the response is reopened.
    let review = format!("/consultations/chemin/reponse/{org}/relecture");
    a.goto(&review).await;
    let ticked =
        "return document.querySelectorAll('input[name=publication_consent]:checked').length";
    assert_eq!(a.js(ticked).await, json!(0));
    a.click("form[action$='/soumettre'] button").await;
    let summary = a.text("#error-summary").await;
    assert!(summary.contains("Choisissez"), "{summary}");
    assert_eq!(a.js(ticked).await, json!(0));
    a.audit("fr review without consent").await;
    a.press("label[for='consent-anonymous']").await;
    a.click("form[action$='/soumettre'] button").await;
    assert!(
        a.path().await.ends_with("/copie"),
        "{}",
        a.text("main").await
    );
    let copy = a.text("main").await;
    assert!(
        copy.contains("Publication choisie : Publiable sans le nom"),
        "{copy}"
    );
    a.audit("fr copy with actions").await;
    a.click("form[action$='/rouvrir'] button").await;
    a.goto(&review).await;
    assert_eq!(
        a.js("return document.querySelector('input[name=publication_consent]:checked').value")
            .await,
        json!("anonymous"),
        "the consent given before is kept"
    );

    // 4. A conflict, settled with each button: a colleague's write (here through the API)
    // lands while the page holds an older version.
    let put = |text: &'static str| {
        let (app, owner) = (&app, &owner);
        async move {
            let current = stored(app, owner, org).await["E1.Q2"]["version"].clone();
            let written = send(
                app,
                owner,
                "PUT",
                &format!("/api/v1/rounds/chemin/responses/{org}/answers/E1.Q2"),
                Some(json!({"value": text, "version": current})),
            )
            .await;
            assert_eq!(written.status(), 200);
        }
    };
    for (button, theirs, typed, expected) in [
        (
            "reprendre",
            "Version de la collègue n°1",
            " Ma version",
            "Version de la collègue n°1",
        ),
        (
            "garder",
            "Version de la collègue n°2",
            " Ma version à garder",
            "Version de la collègue n°1 Ma version à garder",
        ),
    ] {
        a.goto(&editor).await;
        put(theirs).await;
        a.type_into("champ-answers.E1.Q2", typed).await;
        let mut shown = false;
        for _ in 0..100 {
            if a.js("return !!document.querySelector('button[name=reprendre]')")
                .await
                == Value::Bool(true)
            {
                shown = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert!(shown, "the conflict screen offers both choices");
        // A long text: the two versions merged word by word.
        assert_eq!(
            a.js("return document.querySelectorAll('.diff del, .diff ins').length > 0")
                .await,
            Value::Bool(true)
        );
        a.audit(&format!("fr conflict before {button}")).await;
        a.click(&format!("button[name={button}]")).await;
        assert_eq!(stored(&app, &owner, org).await["E1.Q2"]["value"], expected);
        assert_eq!(a.value("champ-answers.E1.Q2").await, expected);
    }

    // 5. An option chosen alone ("none of these"): set apart after "ou"; ticking it
    // unticks the others, ticking another unticks it; what is saved follows.
    a.goto(&format!("/consultations/chemin/reponse/{org}?chapitre=E2"))
        .await;
    let divider = a.text(".choice-divider").await;
    assert_eq!(divider.trim(), "ou");
    // The stepper: the second chapter of two; back to the first, on to the review; the
    // first chapter's tag says how far it is.
    assert_eq!(a.text(".stepper-step").await.trim(), "Étape 2 sur 2");
    let previous = a.text(".chapter-steps .step-previous").await;
    assert!(previous.contains("Chapitre précédent : E1"), "{previous}");
    assert!(
        a.text(".chapter-steps .step-next")
            .await
            .contains("Relire et soumettre")
    );
    let tag = a.text("nav.chapter-nav .tag").await;
    assert!(tag == "Complet" || tag == "Commencé", "{tag}");
    a.press("label[for='o-E2.Q2-0']").await;
    a.press("label[for='o-E2.Q2-1']").await;
    until_stored(&app, &owner, org, |s| {
        s["E2.Q2"]["value"] == json!(["agenda", "visio"])
    })
    .await;
    a.press("label[for='o-E2.Q2-2']").await;
    let ticked = "return Array.from(document.querySelectorAll('input[name=\"q.E2.Q2\"]:checked')).map(e => e.value)";
    assert_eq!(a.js(ticked).await, json!(["aucun"]));
    until_stored(&app, &owner, org, |s| {
        s["E2.Q2"]["value"] == json!(["aucun"])
    })
    .await;
    a.audit("fr editor with an exclusive option").await;
    a.press("label[for='o-E2.Q2-1']").await;
    assert_eq!(a.js(ticked).await, json!(["visio"]));
    until_stored(&app, &owner, org, |s| {
        s["E2.Q2"]["value"] == json!(["visio"])
    })
    .await;

    assert!(
        a.failures.is_empty(),
        "accessibility violations:\n{}",
        a.failures.join("\n")
    );
}

/// A save the service refused for a moment (503, its database restarting) or whose
/// answer was lost on the way after it landed (a dropped connection, a proxy's 502) is
/// sent again by the page, which goes on from its own landed save instead of calling it
/// a colleague's conflict.
#[tokio::test]
async fn saves_refused_for_a_moment_or_cut_are_sent_again() {
    let Some((chromium, driver, axe_source)) = browser_tools() else {
        return;
    };
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    let (coordinator, owner, org) = round_and_owner(&app).await;
    open(&app, &coordinator).await;
    let profile = tempfile::tempdir().unwrap();
    let (_driver, browser) = start_browser(&chromium, &driver, &profile).await;
    let mut a = Journey::new(browser, axe_source, &app);
    a.sign_in("owner@exemple.fr", crate::accounts::PASSWORD)
        .await;
    a.goto(&format!("/consultations/chemin/reponse/{org}?chapitre=E1"))
        .await;
    a.js("window.__same_page = true; window.__fetch = window.fetch;")
        .await;

    // 1. The first save is answered 503 with `Retry-After: 1`: said, then sent again.
    a.js("var refused = false; window.fetch = function (url, init) {
            if (init && init.method === 'PATCH' && !refused) {
              refused = true;
              return Promise.resolve(new Response(JSON.stringify({status: 503, code: 'unavailable'}),
                {status: 503, headers: {'Content-Type': 'application/problem+json', 'Retry-After': '1'}}));
            }
            return window.__fetch(url, init);
          };")
        .await;
    a.type_into("champ-answers.E1.Q2", "Écrit pendant la panne")
        .await;
    let said = a.saving_status(|s| s.contains("indisponible")).await;
    assert!(said.contains("vos réponses sont gardées"), "{said}");
    let answers = until_stored(&app, &owner, org, |s| {
        s["E1.Q2"]["value"] == "Écrit pendant la panne"
    })
    .await;
    assert_eq!(answers["E1.Q2"]["version"], 1);

    // 2. The next save lands, but its answer is lost on the way: the page sends it again
    // from the version it saw, meets its own save, and goes on from it.
    a.js("var cut = false; window.fetch = function (url, init) {
            if (init && init.method === 'PATCH' && !cut) {
              cut = true;
              return window.__fetch(url, init).then(function () { throw new TypeError('coupé'); });
            }
            return window.__fetch(url, init);
          };")
        .await;
    a.type_into("champ-answers.E1.Q2", ", puis coupé").await;
    let answers = until_stored(&app, &owner, org, |s| s["E1.Q2"]["version"] == 3).await;
    assert_eq!(
        answers["E1.Q2"]["value"],
        "Écrit pendant la panne, puis coupé"
    );
    let said = a.saving_status(|s| s.starts_with("Enregistré à")).await;
    assert!(said.starts_with("Enregistré à"), "{said}");
    assert_eq!(
        a.js("return window.__same_page === true").await,
        Value::Bool(true),
        "no conflict page for the page's own save"
    );
    a.audit("fr editor after a cut save").await;
    assert!(a.failures.is_empty(), "{:?}", a.failures);
}
