//! A new member's path in a real headless Chromium, on both backends: from the public
//! home page to the first saved answer, each step shown by the person's home (sign up,
//! confirm the address, register the organisation, wait for approval, answer), with
//! axe on every page of it. Then, over HTTP: an invitation survives signing up, and the
//! coordination team hears of registrations in a digest.

use std::time::Duration;

use fantoccini::Locator;
use serde_json::{Value, json};

use crate::browser::{Journey, browser_tools, start_browser};
use crate::fixtures::send;
use crate::helpers::{Backend, TestApp, spawn_app};
use crate::mailbox::link_param;

#[tokio::test]
async fn a_new_member_is_guided_to_the_first_answer_on_sqlite() {
    new_member_path(Backend::Sqlite).await;
}

#[tokio::test]
async fn a_new_member_is_guided_to_the_first_answer_on_postgres() {
    if !crate::helpers::postgres_required()
        && std::net::TcpStream::connect("127.0.0.1:5432").is_err()
    {
        eprintln!("skipping: PostgreSQL unreachable");
        return;
    }
    new_member_path(Backend::Postgres).await;
}

impl Journey {
    /// The next step's text on the person's home page.
    async fn next_step(&self) -> String {
        self.goto("/").await;
        self.text("section.next-step").await
    }
}

async fn open_round(app: &TestApp, coordinator: &crate::fixtures::Who, slug: &str) {
    crate::round_admin::built_round(app, coordinator, slug, chrono::Duration::days(20)).await;
    let opened = send(
        app,
        coordinator,
        "POST",
        &format!("/api/v1/rounds/{slug}/open"),
        None,
    )
    .await;
    assert_eq!(opened.status(), 200);
}

async fn new_member_path(backend: Backend) {
    let Some((chromium, driver, axe_source)) = browser_tools() else {
        return;
    };
    let app = spawn_app(backend).await.unwrap();
    let coordinator = crate::fixtures::coordinator_2fa(&app, "coord@exemple.fr").await;
    open_round(&app, &coordinator, "chemin").await;

    let profile = tempfile::tempdir().unwrap();
    let (_driver, browser) = start_browser(&chromium, &driver, &profile).await;
    let mut me = Journey::new(browser, axe_source, &app);

    // The reflow check must be able to fail: a block wider than a phone is caught.
    me.goto("/").await;
    me.browser
        .execute(
            "const wide = document.createElement('div'); wide.style.width = '600px'; \
             wide.style.height = '1px'; document.querySelector('main').appendChild(wide);",
            vec![],
        )
        .await
        .unwrap();
    me.audit("too wide").await;
    assert!(
        me.failures.iter().any(|f| f.contains("at 320 px")),
        "{:?}",
        me.failures
    );
    me.failures.clear();

    // A visitor: the home page says how to take part, and leads to signing up.
    me.goto("/").await;
    let how = me.text("section.how-to").await;
    assert!(how.contains("Comment participer"), "{how}");
    me.audit("visitor home").await;
    me.goto("/consultations/chemin").await;
    assert!(me.text("section.how-to").await.contains("Inscrivez"));
    me.audit("round page for a visitor").await;
    me.click("section.how-to a.button").await;
    assert_eq!(me.path().await, "/compte/inscription");

    let email = "nouvelle@exemple.fr";
    me.fill("champ-email", email).await;
    me.fill("champ-display_name", "Nora Nouvelle").await;
    me.fill("champ-password", crate::accounts::PASSWORD).await;
    me.click("form.stacked-form button[type=submit]").await;
    let mail = app
        .mailbox
        .wait_for_link(email, "/compte/verifier?jeton=")
        .await;
    let link = mail
        .text
        .split_whitespace()
        .find(|w| w.contains("/compte/verifier?jeton="))
        .unwrap()
        .to_owned();
    me.browser.goto(&link).await.unwrap();
    me.click("main form button[type=submit]").await;
    me.click("main a[href^='/connexion']").await;
    me.fill("champ-email", email).await;
    me.fill("champ-password", crate::accounts::PASSWORD).await;
    me.click("form.stacked-form button[type=submit]").await;

    // Signed in: home, where the first step is to register the organisation.
    assert_eq!(me.path().await, "/");
    let next = me.text("section.next-step").await;
    assert!(next.contains("inscrivez la vôtre"), "{next}");
    me.audit("home: register first").await;
    me.click("section.next-step a.button").await;
    assert_eq!(me.path().await, "/organisations/nouvelle");
    me.fill("champ-name", "Collectif des usagers du Nord").await;
    me.fill("champ-legal_id", "W591234567").await;
    me.fill("champ-contact_email", "contact@usagers-nord.exemple.fr")
        .await;
    me.click("main form button[type=submit]").await;
    let org: i64 = me
        .path()
        .await
        .trim_start_matches("/organisations/")
        .parse()
        .unwrap_or_else(|_| panic!("not on the organisation's page"));

    // Waiting for approval: said so, and the organisation is listed as pending.
    let next = me.next_step().await;
    assert!(next.contains("attend la validation"), "{next}");
    let organisations = me.text("ul.org-list").await;
    assert!(
        organisations.contains("Collectif des usagers du Nord")
            && organisations.contains("En attente de validation"),
        "{organisations}"
    );
    me.audit("home: awaiting approval").await;

    // The coordination approves; the email leads straight to the response.
    let decided = send(
        &app,
        &coordinator,
        "POST",
        &format!("/api/v1/organisations/{org}/approve"),
        None,
    )
    .await;
    assert_eq!(decided.status(), 200, "{}", decided.text().await.unwrap());
    let approval = app
        .mailbox
        .wait_for_link(email, &format!("/consultations/chemin/reponse/{org}"))
        .await;
    assert!(
        approval.text.contains("Consultation de test"),
        "{}",
        approval.text
    );

    // Home: answer, with the round named; the link opens the editor.
    let next = me.next_step().await;
    assert!(
        next.contains("Consultation de test") && next.contains("Collectif des usagers du Nord"),
        "{next}"
    );
    let task = me.text("ul.task-list").await;
    assert!(task.contains("Pas commencée"), "{task}");
    me.audit("home: answer").await;
    me.click("section.next-step a.button").await;
    assert_eq!(
        me.path().await,
        format!("/consultations/chemin/reponse/{org}")
    );
    me.browser
        .find(Locator::Id("champ-answers.E1.Q1"))
        .await
        .unwrap()
        .send_keys("Notre premier avis")
        .await
        .unwrap();
    let mut saved = Value::Null;
    for _ in 0..100 {
        saved = app
            .with_db(move |conn| {
                use concerto::store::schema::{answers, responses};
                use diesel::prelude::*;
                answers::table
                    .inner_join(responses::table)
                    .filter(responses::organisation_id.eq(org))
                    .select(answers::value)
                    .load::<Option<String>>(conn)
            })
            .await
            .map(|v| json!(v))
            .unwrap();
        // (Stored as JSON: a text answer is a JSON string.)
        if saved == json!(["\"Notre premier avis\""]) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(saved, json!(["\"Notre premier avis\""]), "autosaved");

    // Back home: the draft and its progress.
    me.goto("/").await;
    let task = me.text("ul.task-list").await;
    assert!(task.contains("Brouillon : 1 réponse sur 6"), "{task}");
    assert!(
        me.text("section.next-step").await.contains("Répondez à"),
        "the next step is still to answer"
    );
    me.audit("home: draft").await;

    me.finish().await;
}

/// The invitation's link, followed by someone without an account: signing up, confirming
/// the address and signing in all carry the invitation, which then only waits for its
/// button.
#[tokio::test]
async fn an_invitation_survives_signing_up() {
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    let coordinator = crate::fixtures::coordinator(&app, "coord@exemple.fr").await;
    let (owner, org) = crate::fixtures::approved_organisation(
        &app,
        &coordinator,
        "owner@exemple.fr",
        "W751234567",
    )
    .await;
    let invited = send(
        &app,
        &owner,
        "POST",
        &format!("/api/v1/organisations/{org}/invitations"),
        Some(json!({"email": "invitee@exemple.fr", "role": "editor"})),
    )
    .await;
    assert_eq!(invited.status(), 201, "{}", invited.text().await.unwrap());
    let mail = app
        .mailbox
        .wait_for_link("invitee@exemple.fr", "/invitations/accepter?jeton=")
        .await;
    let token = link_param(&mail.text, "/invitations/accepter", "jeton");
    let back = format!("/invitations/accepter?jeton={token}");
    let encoded = concerto::web::redirects::percent_encode(&back);

    let visitor = crate::helpers::client();
    let page = crate::helpers::text(visitor.get(app.url(&back))).await;
    assert!(
        page.contains(&format!("/compte/inscription?suite={encoded}")),
        "the sign-up link carries the invitation: {page}"
    );
    let form =
        crate::helpers::text(visitor.get(app.url(&format!("/compte/inscription?suite={encoded}"))))
            .await;
    assert!(
        form.contains("name=\"suite\"") && form.contains(&token),
        "the sign-up form carries the invitation: {form}"
    );
    let signed_up = visitor
        .post(app.url("/compte/inscription"))
        .form(&[
            ("email", "invitee@exemple.fr"),
            ("display_name", "Inès Invitée"),
            ("password", crate::accounts::PASSWORD),
            ("suite", back.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(signed_up.status(), 200);
    let verify = app
        .mailbox
        .wait_for_link("invitee@exemple.fr", "/compte/verifier?jeton=")
        .await;
    assert_eq!(
        link_param(&verify.text, "/compte/verifier", "suite"),
        encoded,
        "the confirmation link carries the invitation"
    );
    let verified = visitor
        .post(app.url("/compte/verifier"))
        .form(&[
            (
                "token",
                link_param(&verify.text, "/compte/verifier", "jeton").as_str(),
            ),
            ("suite", back.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(verified.status(), 200);
    let page = verified.text().await.unwrap();
    assert!(
        page.contains(&format!("/connexion?suite={encoded}")),
        "{page}"
    );
    let signed_in = visitor
        .post(app.url("/connexion"))
        .form(&[
            ("email", "invitee@exemple.fr"),
            ("password", crate::accounts::PASSWORD),
            ("suite", back.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(signed_in.status(), 303);
    assert_eq!(
        signed_in.headers()["location"].to_str().unwrap(),
        back,
        "signed in, back to the invitation"
    );
}

/// Registrations reach the coordination team in one email per hour at most, each naming
/// only the organisations no earlier digest named; decided ones are left out.
#[tokio::test]
async fn coordinators_hear_of_registrations_in_a_digest() {
    let clock = concerto::clock::Clock::manual(chrono::Utc::now());
    let app = TestApp::builder(Backend::Sqlite)
        .clock(clock.clone())
        .start()
        .await
        .unwrap();
    let _coordinator = crate::fixtures::coordinator(&app, "coord@exemple.fr").await;
    let register = |email: &'static str, legal_id: &'static str, name: &'static str| {
        let app = &app;
        async move {
            let who = crate::fixtures::member(app, email).await;
            let mut body = crate::fixtures::organisation(legal_id);
            body["name"] = json!(name);
            let created = send(app, &who, "POST", "/api/v1/organisations", Some(body)).await;
            assert_eq!(created.status(), 201);
        }
    };
    register("a@exemple.fr", "W751234561", "Première association").await;
    let first = app
        .mailbox
        .wait_for_subject("coord@exemple.fr", "Une nouvelle organisation")
        .await;
    assert!(
        first.text.contains("Première association"),
        "{}",
        first.text
    );
    assert!(
        !first.subject.contains("Première"),
        "no free text in the subject"
    );

    register("b@exemple.fr", "W751234562", "Deuxième association").await;
    register("c@exemple.fr", "W751234563", "Troisième association").await;
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(
        app.mailbox.for_recipient("coord@exemple.fr").len(),
        1,
        "within the hour, registrations wait"
    );
    clock.advance(chrono::Duration::minutes(61));
    let second = app
        .mailbox
        .wait_for_subject("coord@exemple.fr", "2 nouvelles organisations")
        .await;
    assert!(
        second.text.contains("Deuxième association")
            && second.text.contains("Troisième association")
            && !second.text.contains("Première association"),
        "{}",
        second.text
    );
    clock.advance(chrono::Duration::minutes(61));
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(
        app.mailbox.for_recipient("coord@exemple.fr").len(),
        2,
        "nothing new, nothing sent"
    );
}

/// The review page says what is still missing before Submit is pressed: each required
/// question without an answer, marked in place and listed with a link to it.
#[tokio::test]
async fn the_review_says_what_is_missing_before_submitting() {
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    let coordinator = crate::fixtures::coordinator_2fa(&app, "coord@exemple.fr").await;
    let (owner, org) = crate::fixtures::approved_organisation(
        &app,
        &coordinator,
        "owner@exemple.fr",
        "W751234567",
    )
    .await;
    open_round(&app, &coordinator, "chemin").await;
    let review = format!("/consultations/chemin/reponse/{org}/relecture");
    let page = crate::helpers::text(owner.0.get(app.url(&review))).await;
    assert!(
        page.contains("Une réponse obligatoire manque")
            && page.contains("Réponse obligatoire manquante")
            && page.contains("?chapitre=E1#question-E1.Q1"),
        "{page}"
    );
    let saved = send(
        &app,
        &owner,
        "PUT",
        &format!("/api/v1/rounds/chemin/responses/{org}/answers/E1.Q1"),
        Some(json!({"value": "Notre avis", "version": 0})),
    )
    .await;
    assert_eq!(saved.status(), 200, "{}", saved.text().await.unwrap());
    let page = crate::helpers::text(owner.0.get(app.url(&review))).await;
    assert!(
        !page.contains("obligatoire manque") && page.contains("Notre avis"),
        "{page}"
    );
}

/// The profile form starts from the stored name, so that changing only the language saves.
#[tokio::test]
async fn the_profile_form_starts_from_the_stored_name() {
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    let who = crate::fixtures::member(&app, "profil@exemple.fr").await;
    let page = crate::helpers::text(who.0.get(app.url("/compte"))).await;
    let field = page
        .split("id=\"champ-display_name\"")
        .nth(1)
        .and_then(|rest| rest.split('>').next())
        .unwrap_or_default();
    assert!(field.contains("value=\"Membre\""), "{field}");
    let saved = who
        .0
        .post(app.url("/compte/profil"))
        .form(&[
            ("csrf_token", who.1.as_str()),
            ("display_name", "Membre"),
            ("language", "en"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), 303, "{}", saved.text().await.unwrap());
    let me: Value = send(&app, &who, "GET", "/api/v1/me", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["user"]["language"], "en", "{me}");
}
