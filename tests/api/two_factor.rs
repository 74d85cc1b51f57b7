//! Two-factor sign-in and personal API tokens over the JSON API.

use serde_json::{Value, json};

use crate::accounts::PASSWORD;
use crate::both_backends;
use crate::helpers::{TestApp, client, problem};

both_backends!(
    two_factor_sign_in_with_codes_and_recovery_codes,
    api_tokens_work_without_csrf_and_die_when_revoked
);

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

async fn two_factor_sign_in_with_codes_and_recovery_codes(app: TestApp) {
    let email = "deux.facteurs@exemple.fr";
    app.verified_account(email, "Deux Facteurs").await;
    let csrf = app.sign_in(&app.client, email, PASSWORD).await;
    let post = |path: &str, body: Value| {
        app.client
            .post(app.url(path))
            .header("x-csrf-token", &csrf)
            .json(&body)
            .send()
    };

    let setup: Value = post("/api/v1/auth/totp/setup", json!({}))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let secret = setup["secret"].as_str().unwrap().to_owned();
    assert!(
        setup["otpauth_uri"]
            .as_str()
            .unwrap()
            .starts_with("otpauth://totp/Concerto:")
    );
    let wrong = post("/api/v1/auth/totp/confirm", json!({"code": "123456"}))
        .await
        .unwrap();
    if concerto::auth::totp::check(&secret, email, "123456").is_none() {
        assert_eq!(problem(wrong, 422).await["errors"][0]["field"], "code");
    }
    let code = concerto::auth::totp::current_code(&secret, email).unwrap();
    let confirmed = post("/api/v1/auth/totp/confirm", json!({ "code": code }))
        .await
        .unwrap();
    assert_eq!(confirmed.status(), 200);
    let recovery: Vec<String> = confirmed.json::<Value>().await.unwrap()["recovery_codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(recovery.len(), 10);
    // The current session stays valid, and says two-factor is on.
    let me: Value = app
        .client
        .get(app.url("/api/v1/me"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["user"]["two_factor_enabled"], true);
    // The same code cannot be used twice.
    let again = post("/api/v1/auth/login/totp", json!({ "code": code }))
        .await
        .unwrap();
    assert_eq!(
        again.status(),
        401,
        "a full session has nothing to complete"
    );

    // Signing in now takes a second step; the half session opens nothing else.
    let half = |who: reqwest::Client| {
        let app = &app;
        async move {
            let first: Value = app
                .post_json(
                    &who,
                    "/api/v1/auth/login",
                    json!({"email": email, "password": PASSWORD}),
                )
                .await
                .json()
                .await
                .unwrap();
            assert_eq!(first["totp_required"], true);
            let csrf = first["csrf_token"].as_str().unwrap().to_owned();
            (who, csrf)
        }
    };
    let second_step = |who: &reqwest::Client, csrf: &str, code: &str| {
        who.post(app.url("/api/v1/auth/login/totp"))
            .header("x-csrf-token", csrf)
            .json(&json!({ "code": code }))
            .send()
    };
    let (browser, half_csrf) = half(client()).await;
    assert_eq!(app.me_status(&browser).await, 401);
    let replay = second_step(&browser, &half_csrf, &code).await.unwrap();
    assert_eq!(
        problem(replay, 422).await["errors"][0]["field"],
        "code",
        "a code is accepted once"
    );
    let next = concerto::auth::totp::code_at(&secret, email, now() + 30).unwrap();
    let done = second_step(&browser, &half_csrf, &next).await.unwrap();
    assert_eq!(done.status(), 200);
    assert_eq!(app.me_status(&browser).await, 200);

    // A recovery code works once in place of a code.
    let (other, other_csrf) = half(client()).await;
    let by_recovery = second_step(&other, &other_csrf, &recovery[0].to_uppercase())
        .await
        .unwrap();
    assert_eq!(by_recovery.status(), 200);
    let (third, third_csrf) = half(client()).await;
    let reused = second_step(&third, &third_csrf, &recovery[0])
        .await
        .unwrap();
    assert_eq!(reused.status(), 422);
}

async fn api_tokens_work_without_csrf_and_die_when_revoked(app: TestApp) {
    let email = "script@exemple.fr";
    app.verified_account(email, "Script").await;
    let csrf = app.sign_in(&app.client, email, PASSWORD).await;
    let created = app
        .client
        .post(app.url("/api/v1/tokens"))
        .header("x-csrf-token", &csrf)
        .json(&json!({"name": "import"}))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    let created: Value = created.json().await.unwrap();
    let token = created["token"].as_str().unwrap().to_owned();
    assert!(token.len() >= 43);
    let stored = app
        .with_db(|conn| {
            use concerto::store::schema::api_tokens::dsl as t;
            use diesel::prelude::*;
            t::api_tokens
                .select(t::token_hash)
                .first::<String>(conn)
                .unwrap()
        })
        .await;
    assert!(!stored.contains(&token), "only a hash is stored");

    let bearer = client();
    let me = bearer
        .get(app.url("/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), 200);
    // A token cannot make tokens (a leaked one would outlive its own revocation).
    let minted = bearer
        .post(app.url("/api/v1/tokens"))
        .bearer_auth(&token)
        .json(&json!({"name": "second"}))
        .send()
        .await
        .unwrap();
    problem(minted, 403).await;
    let second = app
        .client
        .post(app.url("/api/v1/tokens"))
        .header("x-csrf-token", &csrf)
        .json(&json!({"name": "second"}))
        .send()
        .await
        .unwrap();
    assert_eq!(second.status(), 201);
    let list: Value = bearer
        .get(app.url("/api/v1/tokens"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list["tokens"].as_array().unwrap().len(), 2);
    assert!(
        !list.to_string().contains(&token),
        "values are never listed"
    );

    let id = created["id"].as_i64().unwrap();
    let revoked = app
        .client
        .delete(app.url(&format!("/api/v1/tokens/{id}")))
        .header("x-csrf-token", &csrf)
        .send()
        .await
        .unwrap();
    assert_eq!(revoked.status(), 204);
    let after = bearer
        .get(app.url("/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(after.status(), 401);
    let again = app
        .client
        .delete(app.url(&format!("/api/v1/tokens/{id}")))
        .header("x-csrf-token", &csrf)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 404);
    assert_eq!(
        bearer
            .get(app.url("/api/v1/me"))
            .bearer_auth("cct_nope")
            .send()
            .await
            .unwrap()
            .status(),
        401
    );
}
