//! Registration, verification, sign-in and out, password reset, CSRF and throttling over
//! the JSON API, with emails through a real SMTP listener.

use serde_json::{Value, json};

use crate::both_backends;
use crate::helpers::{TestApp, client, problem, problem_fields};
use crate::mailbox::link_param;

pub const PASSWORD: &str = "girafe violette sous la pluie";

both_backends!(
    sign_up_verify_sign_in_and_out,
    nothing_tells_whether_an_email_has_an_account,
    password_reset_is_single_use_and_closes_sessions,
    sign_in_is_throttled_per_account_but_reset_still_works,
    csrf_and_cross_site_requests_are_refused,
    registration_refuses_bad_values_field_by_field,
);

impl TestApp {
    pub async fn post_json(
        &self,
        client: &reqwest::Client,
        path: &str,
        body: Value,
    ) -> reqwest::Response {
        client
            .post(self.url(path))
            .json(&body)
            .send()
            .await
            .unwrap()
    }

    /// Registers and verifies an account through the emailed link (as a visitor).
    pub async fn verified_account(&self, email: &str, name: &str) {
        let visitor = client();
        let response = self
            .post_json(
                &visitor,
                "/api/v1/auth/register",
                json!({"email": email, "display_name": name, "password": PASSWORD}),
            )
            .await;
        assert_eq!(response.status(), 201);
        let mail = self.mailbox.wait_for_link(email, "/compte/verifier").await;
        let token = link_param(&mail.text, "/compte/verifier", "jeton");
        let verified = self
            .post_json(
                &visitor,
                "/api/v1/auth/verify-email",
                json!({ "token": token }),
            )
            .await;
        assert_eq!(verified.status(), 200);
    }

    /// Signs `client` in; returns the CSRF token.
    pub async fn sign_in(&self, client: &reqwest::Client, email: &str, password: &str) -> String {
        let response = self
            .post_json(
                client,
                "/api/v1/auth/login",
                json!({"email": email, "password": password}),
            )
            .await;
        assert_eq!(response.status(), 200, "sign-in of {email}");
        let body: Value = response.json().await.unwrap();
        body["csrf_token"].as_str().unwrap().to_owned()
    }
}

fn session_cookie(response: &reqwest::Response) -> String {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|c| c.starts_with("concerto="))
        .expect("session cookie")
}

async fn sign_up_verify_sign_in_and_out(app: TestApp) {
    let email = "ana.lopez@exemple.fr";
    let response = app
        .post_json(&app.client, "/api/v1/auth/register", json!({"email": "Ana.Lopez@Exemple.fr", "display_name": "Ana López", "password": PASSWORD}))
        .await;
    assert_eq!(response.status(), 201);
    let mail = app.mailbox.wait_for(email, 1).await.pop().unwrap();
    assert_eq!(mail.subject, "Confirmez votre adresse électronique");
    assert!(
        mail.html.contains("/compte/verifier?jeton="),
        "HTML alternative carries the link"
    );
    let token = link_param(&mail.text, &app.url("/compte/verifier"), "jeton");
    assert!(token.len() >= 43, "at least 256 bits: {token}");

    // Not verified yet: no way in.
    let early = app
        .post_json(
            &app.client,
            "/api/v1/auth/login",
            json!({"email": email, "password": PASSWORD}),
        )
        .await;
    assert_eq!(problem(early, 403).await["code"], "forbidden");

    let verified = app
        .post_json(
            &app.client,
            "/api/v1/auth/verify-email",
            json!({ "token": token }),
        )
        .await;
    assert_eq!(verified.status(), 200);
    let again = app
        .post_json(
            &app.client,
            "/api/v1/auth/verify-email",
            json!({ "token": token }),
        )
        .await;
    assert_eq!(
        problem(again, 409).await["code"],
        "invalid_token",
        "single use"
    );

    let response = app
        .post_json(
            &app.client,
            "/api/v1/auth/login",
            json!({"email": email, "password": PASSWORD}),
        )
        .await;
    assert_eq!(response.status(), 200);
    let cookie = session_cookie(&response);
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/"),
        "{cookie}"
    );
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["user"]["email"], email);
    assert_eq!(body["user"]["display_name"], "Ana López");
    let csrf = body["csrf_token"].as_str().unwrap().to_owned();
    let key = cookie.split(';').next().unwrap().to_owned();

    let me: Value = app
        .client
        .get(app.url("/api/v1/me"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["user"]["email"], email);
    assert_eq!(me["csrf_token"], csrf.as_str());

    // The stored hash is argon2id with the required cost; the password is nowhere.
    let hash = app
        .with_db(|conn| {
            use concerto::store::schema::users::dsl as u;
            use diesel::prelude::*;
            u::users
                .filter(u::email.eq("ana.lopez@exemple.fr"))
                .select(u::password_hash)
                .first::<String>(conn)
                .unwrap()
        })
        .await;
    assert!(
        hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
        "{hash}"
    );

    let logout = app
        .client
        .post(app.url("/api/v1/auth/logout"))
        .header("x-csrf-token", &csrf)
        .send()
        .await
        .unwrap();
    assert_eq!(logout.status(), 204);
    assert_eq!(app.me_status(&app.client).await, 401);
    // Replaying the old cookie gets nowhere: the session is dead server-side.
    let replay = client()
        .get(app.url("/api/v1/me"))
        .header("cookie", &key)
        .send()
        .await
        .unwrap();
    assert_eq!(problem(replay, 401).await["code"], "unauthorized");
}

async fn nothing_tells_whether_an_email_has_an_account(app: TestApp) {
    app.verified_account("known@exemple.fr", "Connue").await;
    let register = |email: &'static str| {
        let app = &app;
        async move {
            let r = app
                .post_json(
                    &client(),
                    "/api/v1/auth/register",
                    json!({"email": email, "display_name": "Quelqu'un", "password": PASSWORD}),
                )
                .await;
            (r.status(), r.bytes().await.unwrap())
        }
    };
    assert_eq!(
        register("known@exemple.fr").await,
        register("new@exemple.fr").await
    );
    // The owner of the existing account is told, by email.
    let mails = app.mailbox.wait_for("known@exemple.fr", 2).await;
    assert!(
        mails
            .iter()
            .any(|m| m.subject == "Tentative d'inscription avec votre adresse"),
        "{mails:?}"
    );

    let login = |email: &'static str| {
        let app = &app;
        async move {
            let r = app
                .post_json(
                    &client(),
                    "/api/v1/auth/login",
                    json!({"email": email, "password": "pas le bon mot de passe"}),
                )
                .await;
            (r.status(), r.bytes().await.unwrap())
        }
    };
    let (status, unknown) = login("nobody@exemple.fr").await;
    assert_eq!(status, 401);
    assert_eq!((status, unknown), login("known@exemple.fr").await);

    let reset = |email: &'static str| {
        let app = &app;
        async move {
            let r = app
                .post_json(
                    &client(),
                    "/api/v1/auth/password-reset",
                    json!({ "email": email }),
                )
                .await;
            (r.status(), r.bytes().await.unwrap())
        }
    };
    let (status, body) = reset("nobody@exemple.fr").await;
    assert_eq!(status, 202);
    assert_eq!((status, body), reset("known@exemple.fr").await);
}

async fn password_reset_is_single_use_and_closes_sessions(app: TestApp) {
    let email = "reset@exemple.fr";
    app.verified_account(email, "Réinitialisation").await;
    let old_session = client();
    app.sign_in(&old_session, email, PASSWORD).await;

    let response = app
        .post_json(
            &app.client,
            "/api/v1/auth/password-reset",
            json!({ "email": email }),
        )
        .await;
    assert_eq!(response.status(), 202);
    let mail = app.mailbox.wait_for(email, 2).await.pop().unwrap();
    assert_eq!(mail.subject, "Choisissez un nouveau mot de passe");
    let token = link_param(&mail.text, "/compte/reinitialiser", "jeton");

    // A refused password keeps the token usable.
    let weak = app
        .post_json(
            &app.client,
            "/api/v1/auth/password-reset/confirm",
            json!({"token": token, "password": "court"}),
        )
        .await;
    assert_eq!(problem(weak, 422).await["errors"][0]["field"], "password");
    let new_password = "marmotte orange et tambour lointain";
    let ok = app
        .post_json(
            &app.client,
            "/api/v1/auth/password-reset/confirm",
            json!({"token": token, "password": new_password}),
        )
        .await;
    assert_eq!(ok.status(), 200);
    assert_eq!(ok.headers()["referrer-policy"], "no-referrer");
    let reused = app
        .post_json(
            &app.client,
            "/api/v1/auth/password-reset/confirm",
            json!({"token": token, "password": new_password}),
        )
        .await;
    assert_eq!(problem(reused, 409).await["code"], "invalid_token");

    // Every session is gone, nobody was signed in, and the owner is told.
    assert_eq!(app.me_status(&old_session).await, 401);
    assert_eq!(app.me_status(&app.client).await, 401);
    let notice = app.mailbox.wait_for(email, 3).await.pop().unwrap();
    assert_eq!(notice.subject, "Votre mot de passe a été changé");
    let old = app
        .post_json(
            &client(),
            "/api/v1/auth/login",
            json!({"email": email, "password": PASSWORD}),
        )
        .await;
    assert_eq!(old.status(), 401);
    app.sign_in(&client(), email, new_password).await;
}

async fn sign_in_is_throttled_per_account_but_reset_still_works(app: TestApp) {
    app.verified_account("throttled@exemple.fr", "Limitée")
        .await;
    let attempt = |email: &'static str| {
        let app = &app;
        async move {
            app.post_json(
                &client(),
                "/api/v1/auth/login",
                json!({"email": email, "password": "mauvais mot de passe"}),
            )
            .await
        }
    };
    let mut statuses = Vec::new();
    for _ in 0..11 {
        statuses.push(attempt("throttled@exemple.fr").await.status().as_u16());
    }
    assert_eq!(statuses, [[401; 10].as_slice(), &[429]].concat());
    let throttled = attempt("throttled@exemple.fr").await;
    let retry_after: u64 = throttled.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=30).contains(&retry_after));
    let known_body = problem(throttled, 429).await;
    // An unknown account is throttled identically.
    for _ in 0..10 {
        attempt("ghost@exemple.fr").await;
    }
    assert_eq!(
        problem(attempt("ghost@exemple.fr").await, 429).await,
        known_body
    );
    // Even the right password waits…
    let right = app
        .post_json(
            &client(),
            "/api/v1/auth/login",
            json!({"email": "throttled@exemple.fr", "password": PASSWORD}),
        )
        .await;
    assert_eq!(right.status(), 429);
    // …but the owner can still reset the password.
    let reset = app
        .post_json(
            &client(),
            "/api/v1/auth/password-reset",
            json!({"email": "throttled@exemple.fr"}),
        )
        .await;
    assert_eq!(reset.status(), 202);
    app.mailbox.wait_for("throttled@exemple.fr", 2).await;
}

async fn csrf_and_cross_site_requests_are_refused(app: TestApp) {
    app.verified_account("csrf@exemple.fr", "Jeton").await;
    let csrf = app.sign_in(&app.client, "csrf@exemple.fr", PASSWORD).await;
    let audit_count = || async {
        app.with_db(|conn| {
            use concerto::store::schema::audit_events::dsl as a;
            use diesel::prelude::*;
            a::audit_events
                .filter(a::action.eq("csrf_refused"))
                .count()
                .get_result::<i64>(conn)
                .unwrap()
        })
        .await
    };
    // No token, a foreign token: refused, and the session survives.
    let missing = app
        .client
        .post(app.url("/api/v1/auth/logout"))
        .send()
        .await
        .unwrap();
    assert_eq!(problem(missing, 403).await["code"], "forbidden");
    let other = client();
    app.verified_account("other@exemple.fr", "Autre").await;
    let foreign = app.sign_in(&other, "other@exemple.fr", PASSWORD).await;
    assert_ne!(foreign, csrf);
    let forged = app
        .client
        .post(app.url("/api/v1/auth/logout"))
        .header("x-csrf-token", &foreign)
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403);
    assert_eq!(app.me_status(&app.client).await, 200, "nothing changed");
    assert_eq!(audit_count().await, 2, "each refusal is audited");

    // A state change from another site is refused, signed in or not.
    let cross = client()
        .post(app.url("/api/v1/auth/login"))
        .header("origin", "https://evil.example")
        .json(&json!({"email": "csrf@exemple.fr", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(cross.status(), 403);
    let fetch_meta = client()
        .post(app.url("/api/v1/auth/password-reset"))
        .header("sec-fetch-site", "cross-site")
        .json(&json!({"email": "csrf@exemple.fr"}))
        .send()
        .await
        .unwrap();
    assert_eq!(fetch_meta.status(), 403);
    // The right token works.
    let ok = app
        .client
        .post(app.url("/api/v1/auth/logout"))
        .header("x-csrf-token", &csrf)
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), 204);
}

async fn registration_refuses_bad_values_field_by_field(app: TestApp) {
    let response = app
        .post_json(
            &app.client,
            "/api/v1/auth/register",
            json!({"email": "pas-une-adresse", "display_name": " ", "password": "court"}),
        )
        .await;
    let body = problem(response, 422).await;
    let mut fields = problem_fields(&body);
    fields.sort();
    assert_eq!(fields, ["display_name", "email", "password"]);
    let guessable = app
        .post_json(&app.client, "/api/v1/auth/register", json!({"email": "jean.dupont@exemple.fr", "display_name": "Jean Dupont", "password": "jeandupont2024"}))
        .await;
    assert_eq!(
        problem(guessable, 422).await["errors"][0]["code"],
        "too_guessable"
    );
    let missing = app
        .post_json(
            &app.client,
            "/api/v1/auth/register",
            json!({"email": "x@exemple.fr"}),
        )
        .await;
    assert_eq!(
        problem(missing, 422).await["errors"][0]["field"],
        "password"
    );
    // Nothing was created, nothing was sent.
    let users = app
        .with_db(|conn| {
            use concerto::store::schema::users::dsl as u;
            use diesel::prelude::*;
            u::users.count().get_result::<i64>(conn).unwrap()
        })
        .await;
    assert_eq!(users, 0);
    assert!(app.mailbox.all().is_empty());
}

both_backends!(
    password_change_on_the_page_closes_every_other_session,
    page_forms_without_csrf_change_nothing
);

fn cookie_pair(response: &reqwest::Response) -> String {
    session_cookie(response)
        .split(';')
        .next()
        .unwrap()
        .to_owned()
}

async fn password_change_on_the_page_closes_every_other_session(app: TestApp) {
    let email = "changement@exemple.fr";
    app.verified_account(email, "Changement").await;
    let elsewhere = client();
    app.sign_in(&elsewhere, email, PASSWORD).await;
    let login = app
        .post_json(
            &client(),
            "/api/v1/auth/login",
            json!({"email": email, "password": PASSWORD}),
        )
        .await;
    let old_cookie = cookie_pair(&login);
    let csrf = login.json::<Value>().await.unwrap()["csrf_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let here = client();
    let new_password = "harpe bleue dans le grenier";
    let wrong = here
        .post(app.url("/compte/mot-de-passe"))
        .header("cookie", &old_cookie)
        .form(&[
            ("current_password", "pas le bon"),
            ("password", new_password),
            ("csrf_token", &csrf),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 422);
    let page = wrong.text().await.unwrap();
    assert!(
        page.contains("<title>Erreur")
            && page.contains("id=\"error-summary\"")
            && page.contains("href=\"#champ-current_password\"")
    );
    let changed = here
        .post(app.url("/compte/mot-de-passe"))
        .header("cookie", &old_cookie)
        .form(&[
            ("current_password", PASSWORD),
            ("password", new_password),
            ("csrf_token", &csrf),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(changed.status(), 303);
    let fresh_cookie = cookie_pair(&changed);
    assert_ne!(fresh_cookie, old_cookie, "a new session for this browser");
    let me = |cookie: String| {
        client()
            .get(app.url("/api/v1/me"))
            .header("cookie", cookie)
            .send()
    };
    assert_eq!(
        me(old_cookie).await.unwrap().status(),
        401,
        "the old cookie is dead"
    );
    assert_eq!(me(fresh_cookie).await.unwrap().status(), 200);
    assert_eq!(
        app.me_status(&elsewhere).await,
        401,
        "other sessions closed"
    );
    let notice = app.mailbox.wait_for(email, 2).await.pop().unwrap();
    assert_eq!(notice.subject, "Votre mot de passe a été changé");
}

async fn page_forms_without_csrf_change_nothing(app: TestApp) {
    let email = "formulaire@exemple.fr";
    app.verified_account(email, "Avant").await;
    app.sign_in(&app.client, email, PASSWORD).await;
    let refused = app
        .client
        .post(app.url("/compte/profil"))
        .form(&[("display_name", "Après"), ("language", "en")])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403);
    assert!(
        refused.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let forged = app
        .client
        .post(app.url("/compte/profil"))
        .form(&[
            ("display_name", "Après"),
            ("language", "en"),
            ("csrf_token", "faux"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403);
    let me: Value = app
        .client
        .get(app.url("/api/v1/me"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["user"]["display_name"], "Avant");
    assert_eq!(me["user"]["language"], "fr");
    // With its token, the same form works.
    let csrf = me["csrf_token"].as_str().unwrap();
    let ok = app
        .client
        .post(app.url("/compte/profil"))
        .form(&[
            ("display_name", "Après"),
            ("language", "en"),
            ("csrf_token", csrf),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), 303);
    let me: Value = app
        .client
        .get(app.url("/api/v1/me"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["user"]["display_name"], "Après");
}

both_backends!(
    sessions_expire_when_idle_or_old,
    weak_hashes_are_upgraded_at_sign_in,
    audit_and_logs_hold_no_secrets
);

async fn sessions_expire_when_idle_or_old(app: TestApp) {
    use concerto::store::schema::sessions::dsl as s;
    use diesel::prelude::*;
    let email = "expiration@exemple.fr";
    app.verified_account(email, "Expiration").await;
    let idle = client();
    app.sign_in(&idle, email, PASSWORD).await;
    let old = client();
    app.sign_in(&old, email, PASSWORD).await;
    let keep = client();
    let keep_csrf = app.sign_in(&keep, email, PASSWORD).await;
    let ids: Vec<i64> = app
        .with_db(|conn| s::sessions.order(s::id).select(s::id).load(conn).unwrap())
        .await;
    assert_eq!(ids.len(), 3);
    let (idle_id, old_id) = (ids[0], ids[1]);
    app.with_db(move |conn| {
        let now = chrono::Utc::now().naive_utc();
        diesel::update(s::sessions.find(idle_id))
            .set(s::last_seen_at.eq(now - chrono::Duration::minutes(31)))
            .execute(conn)
            .unwrap();
        diesel::update(s::sessions.find(old_id))
            .set(s::expires_at.eq(now - chrono::Duration::seconds(1)))
            .execute(conn)
            .unwrap();
    })
    .await;
    assert_eq!(app.me_status(&idle).await, 401, "idle for 31 minutes");
    assert_eq!(app.me_status(&old).await, 401, "past 12 hours");
    assert_eq!(app.me_status(&keep).await, 200);
    let left: i64 = app
        .with_db(|conn| s::sessions.count().get_result(conn).unwrap())
        .await;
    assert_eq!(left, 1, "expired sessions are deleted");

    // The account page lists sessions and closes any of them.
    let other = client();
    app.sign_in(&other, email, PASSWORD).await;
    let page = keep
        .get(app.url("/compte"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(
        page.matches("/fermer\"").count(),
        1,
        "one other session, with its close button"
    );
    let other_id: i64 = app
        .with_db(|conn| {
            s::sessions
                .order(s::id.desc())
                .select(s::id)
                .first(conn)
                .unwrap()
        })
        .await;
    let closed = keep
        .post(app.url(&format!("/compte/sessions/{other_id}/fermer")))
        .form(&[("csrf_token", keep_csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(closed.status(), 303);
    assert_eq!(app.me_status(&other).await, 401);
    assert_eq!(app.me_status(&keep).await, 200);
}

async fn weak_hashes_are_upgraded_at_sign_in(app: TestApp) {
    use argon2::password_hash::PasswordHasher;
    use concerto::store::schema::users::dsl as u;
    use diesel::prelude::*;
    let email = "ancien@exemple.fr";
    app.verified_account(email, "Ancien").await;
    let weak = argon2::Argon2::new(
        argon2::Algorithm::Argon2id,
        argon2::Version::V0x13,
        argon2::Params::new(4096, 1, 1, None).unwrap(),
    )
    .hash_password(PASSWORD.as_bytes())
    .unwrap()
    .to_string();
    app.with_db(move |conn| {
        diesel::update(u::users.filter(u::email.eq(email)))
            .set(u::password_hash.eq(weak))
            .execute(conn)
            .unwrap()
    })
    .await;
    app.sign_in(&client(), email, PASSWORD).await;
    let stored: String = app
        .with_db(move |conn| {
            u::users
                .filter(u::email.eq(email))
                .select(u::password_hash)
                .first(conn)
                .unwrap()
        })
        .await;
    assert!(
        stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
        "{stored}"
    );
}

async fn audit_and_logs_hold_no_secrets(app: TestApp) {
    use concerto::store::schema::audit_events::dsl as a;
    use diesel::prelude::*;
    let email = "secrets@exemple.fr";
    app.verified_account(email, "Secrets").await;
    let login = app
        .post_json(
            &app.client,
            "/api/v1/auth/login",
            json!({"email": email, "password": PASSWORD}),
        )
        .await;
    let cookie = cookie_pair(&login);
    let key = cookie.split_once('=').unwrap().1.to_owned();
    let csrf = login.json::<Value>().await.unwrap()["csrf_token"]
        .as_str()
        .unwrap()
        .to_owned();
    app.post_json(
        &client(),
        "/api/v1/auth/login",
        json!({"email": email, "password": "mauvais mot de passe"}),
    )
    .await;
    let rows: Vec<(String, Option<String>, String)> = app
        .with_db(|conn| {
            a::audit_events
                .select((a::action, a::target, a::details))
                .load(conn)
                .unwrap()
        })
        .await;
    let actions: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    for expected in ["register", "email_verified", "sign_in", "sign_in_failed"] {
        assert!(
            actions.contains(&expected),
            "{expected} missing from {actions:?}"
        );
    }
    let everything = format!("{rows:?}");
    for secret in [
        PASSWORD,
        "mauvais mot de passe",
        key.as_str(),
        csrf.as_str(),
    ] {
        assert!(!everything.contains(secret), "audit rows hold a secret");
    }
}
