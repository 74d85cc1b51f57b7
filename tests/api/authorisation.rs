//! Every route of the accounts issue, asked by each kind of caller: anonymous, plain
//! user, coordinator, admin. Each must get exactly the status in the table.

use chrono::Utc;
use concerto::domain::accounts::{DisplayName, Email, Password, PlatformRole};
use concerto::i18n::Lang;
use serde_json::{Value, json};

use crate::accounts::PASSWORD;
use crate::both_backends;
use crate::helpers::{TestApp, client};

both_backends!(
    every_route_answers_each_role_as_it_must,
    suspension_ends_sessions_and_tokens,
    an_administrator_never_changes_their_own_account,
);

/// Creates a verified account with a platform role, as `concerto users add` does.
pub async fn operator(app: &TestApp, email: &'static str, role: PlatformRole) -> i64 {
    let hash = concerto::auth::passwords::hash(&Password::parse(PASSWORD, &[]).unwrap()).unwrap();
    app.with_db(move |conn| {
        let email = Email::parse(email).unwrap();
        let name = DisplayName::parse("Opérateur").unwrap();
        let user = concerto::store::users::NewUser {
            email: &email,
            display_name: &name,
            password_hash: &hash,
            role,
            language: Lang::Fr,
            verified: true,
        };
        concerto::store::users::insert(conn, &user, Utc::now()).unwrap()
    })
    .await
}

struct Caller {
    name: &'static str,
    client: reqwest::Client,
    csrf: Option<String>,
}

enum Body {
    None,
    Json(Value),
    Form(Vec<(&'static str, String)>),
}

async fn send(app: &TestApp, caller: &Caller, method: &str, path: &str, body: &Body) -> u16 {
    let mut request = crate::fixtures::request(app, &caller.client, method, path);
    if let Some(csrf) = &caller.csrf {
        request = request.header("x-csrf-token", csrf);
    }
    request = match body {
        Body::None => request,
        // "{caller}" in a body becomes the caller's name, for per-caller addresses.
        Body::Json(value) => request.json(
            &serde_json::from_str::<Value>(&value.to_string().replace("{caller}", caller.name))
                .unwrap(),
        ),
        Body::Form(fields) => {
            let mut fields: Vec<(&str, String)> = fields
                .iter()
                .map(|(k, v)| (*k, v.replace("{caller}", caller.name)))
                .collect();
            if let Some(csrf) = &caller.csrf {
                fields.push(("csrf_token", csrf.clone()));
            }
            request.form(&fields)
        }
    };
    request.send().await.unwrap().status().as_u16()
}

async fn every_route_answers_each_role_as_it_must(app: TestApp) {
    app.verified_account("plain@exemple.fr", "Utilisatrice")
        .await;
    let plain_id = app
        .with_db(|conn| {
            concerto::store::users::find_by_email(conn, &Email::parse("plain@exemple.fr").unwrap())
                .unwrap()
                .unwrap()
                .id
        })
        .await;
    operator(&app, "coord@exemple.fr", PlatformRole::Coordinator).await;
    operator(&app, "admin@exemple.fr", PlatformRole::Admin).await;
    let mut callers = vec![Caller {
        name: "anonymous",
        client: client(),
        csrf: None,
    }];
    for (name, email) in [
        ("user", "plain@exemple.fr"),
        ("coordinator", "coord@exemple.fr"),
        ("admin", "admin@exemple.fr"),
    ] {
        let who = client();
        let csrf = app.sign_in(&who, email, PASSWORD).await;
        callers.push(Caller {
            name,
            client: who,
            csrf: Some(csrf),
        });
    }

    let form = |pairs: &[(&'static str, &str)]| {
        Body::Form(pairs.iter().map(|(k, v)| (*k, v.to_string())).collect())
    };
    // (method, path, body, [anonymous, user, coordinator, admin])
    let table: Vec<(&str, String, Body, [u16; 4])> = vec![
        (
            "POST",
            "/api/v1/auth/verify-email".into(),
            Body::Json(json!({"token": "faux"})),
            [409; 4],
        ),
        (
            "POST",
            "/api/v1/auth/login".into(),
            Body::Json(json!({"email": "x@exemple.fr", "password": "pas le bon"})),
            [401; 4],
        ),
        (
            "POST",
            "/api/v1/auth/login/totp".into(),
            Body::Json(json!({"code": "123456"})),
            [401; 4],
        ),
        (
            "POST",
            "/api/v1/auth/password-reset".into(),
            Body::Json(json!({"email": "reset.{caller}@exemple.fr"})),
            [202; 4],
        ),
        (
            "POST",
            "/api/v1/auth/password-reset/confirm".into(),
            Body::Json(json!({"token": "faux", "password": PASSWORD})),
            [409; 4],
        ),
        ("GET", "/api/v1/me".into(), Body::None, [401, 200, 200, 200]),
        (
            "POST",
            "/api/v1/auth/totp/setup".into(),
            Body::None,
            [401, 200, 200, 200],
        ),
        (
            "POST",
            "/api/v1/tokens".into(),
            Body::Json(json!({"name": "essai"})),
            [401, 201, 201, 201],
        ),
        (
            "GET",
            "/api/v1/tokens".into(),
            Body::None,
            [401, 200, 200, 200],
        ),
        (
            "DELETE",
            "/api/v1/tokens/999999".into(),
            Body::None,
            [401, 404, 404, 404],
        ),
        ("GET", "/compte/inscription".into(), Body::None, [200; 4]),
        (
            "GET",
            "/compte/verifier?jeton=x".into(),
            Body::None,
            [200; 4],
        ),
        (
            "GET",
            "/compte/mot-de-passe-oublie".into(),
            Body::None,
            [200; 4],
        ),
        (
            "GET",
            "/compte/reinitialiser?jeton=x".into(),
            Body::None,
            [200; 4],
        ),
        ("GET", "/connexion".into(), Body::None, [200, 303, 303, 303]),
        ("GET", "/connexion/code".into(), Body::None, [303; 4]),
        ("GET", "/compte".into(), Body::None, [303, 200, 200, 200]),
        (
            "POST",
            "/compte/profil".into(),
            form(&[("display_name", "Nouveau nom"), ("language", "fr")]),
            [303; 4],
        ),
        (
            "POST",
            "/compte/sessions/999999/fermer".into(),
            form(&[]),
            [303, 404, 404, 404],
        ),
        (
            "POST",
            "/compte/jetons/999999/revoquer".into(),
            form(&[]),
            [303, 404, 404, 404],
        ),
        (
            "GET",
            "/admin/journal".into(),
            Body::None,
            [303, 403, 200, 200],
        ),
        (
            "GET",
            "/admin/utilisateurs".into(),
            Body::None,
            [303, 403, 403, 200],
        ),
        (
            "POST",
            format!("/admin/utilisateurs/{plain_id}/role"),
            form(&[("role", "none")]),
            [303, 403, 403, 303],
        ),
        (
            "POST",
            format!("/admin/utilisateurs/{plain_id}/suspension"),
            form(&[("suspend", "false")]),
            [303, 403, 403, 303],
        ),
        (
            "POST",
            "/api/v1/auth/logout".into(),
            Body::None,
            [401, 204, 204, 204],
        ),
    ];
    let mut wrong = Vec::new();
    for (method, path, body, expected) in &table {
        for (caller, expected) in callers.iter().zip(expected) {
            let got = send(&app, caller, method, path, body).await;
            if got != *expected {
                wrong.push(format!(
                    "{method} {path} as {}: got {got}, expected {expected}",
                    caller.name
                ));
            }
        }
    }
    // Registration answers everyone the same way.
    for caller in &callers {
        let email = format!("nouveau.{}@exemple.fr", caller.name);
        let body =
            Body::Json(json!({"email": email, "display_name": "Nouveau", "password": PASSWORD}));
        let got = send(&app, caller, "POST", "/api/v1/auth/register", &body).await;
        if got != 201 {
            wrong.push(format!(
                "POST /api/v1/auth/register as {}: got {got}",
                caller.name
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    // Refusals of authorisation are in the audit trail.
    let refused = app
        .with_db(|conn| {
            use concerto::store::schema::audit_events::dsl as a;
            use diesel::prelude::*;
            a::audit_events
                .filter(a::action.eq("authorisation_refused"))
                .count()
                .get_result::<i64>(conn)
                .unwrap()
        })
        .await;
    assert_eq!(refused, 7);
}

async fn suspension_ends_sessions_and_tokens(app: TestApp) {
    app.verified_account("suspendue@exemple.fr", "Suspendue")
        .await;
    let target = app
        .with_db(|conn| {
            concerto::store::users::find_by_email(
                conn,
                &Email::parse("suspendue@exemple.fr").unwrap(),
            )
            .unwrap()
            .unwrap()
            .id
        })
        .await;
    let member = client();
    let csrf = app.sign_in(&member, "suspendue@exemple.fr", PASSWORD).await;
    let token: Value = member
        .post(app.url("/api/v1/tokens"))
        .header("x-csrf-token", &csrf)
        .json(&json!({"name": "script"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = token["token"].as_str().unwrap().to_owned();

    let (admin, admin_csrf) =
        crate::fixtures::signed_in_operator(&app, "admin@exemple.fr", PlatformRole::Admin).await;
    let response = admin
        .post(app.url(&format!("/admin/utilisateurs/{target}/suspension")))
        .form(&[("suspend", "true"), ("csrf_token", admin_csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    assert_eq!(app.me_status(&member).await, 401, "session ended");
    assert_eq!(
        client()
            .get(app.url("/api/v1/me"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .status(),
        401,
        "token revoked"
    );
    let again = app
        .post_json(
            &client(),
            "/api/v1/auth/login",
            json!({"email": "suspendue@exemple.fr", "password": PASSWORD}),
        )
        .await;
    assert_eq!(again.status(), 403);
}

/// An administrator cannot change their own role or suspend themselves (422, nothing
/// changed, nothing audited); the same requests on another account land, audited.
async fn an_administrator_never_changes_their_own_account(app: TestApp) {
    let own = operator(&app, "admin@exemple.fr", PlatformRole::Admin).await;
    let other = operator(&app, "coord@exemple.fr", PlatformRole::Coordinator).await;
    let admin = client();
    let csrf = app.sign_in(&admin, "admin@exemple.fr", PASSWORD).await;
    let post = |id: i64, what: &'static str, field: (&'static str, &'static str)| {
        let (admin, csrf, url) = (
            admin.clone(),
            csrf.clone(),
            app.url(&format!("/admin/utilisateurs/{id}/{what}")),
        );
        async move {
            admin
                .post(url)
                .form(&[field, ("csrf_token", csrf.as_str())])
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    let events = |action: &'static str| {
        app.with_db(move |conn| {
            use concerto::store::schema::audit_events::dsl as a;
            use diesel::prelude::*;
            a::audit_events
                .filter(a::action.eq(action))
                .select(a::target)
                .load::<Option<String>>(conn)
                .unwrap()
        })
    };
    let account = |id: i64| {
        app.with_db(move |conn| {
            use concerto::store::schema::users::dsl as u;
            use diesel::prelude::*;
            u::users
                .find(id)
                .select((u::platform_role, u::suspended_at.is_not_null()))
                .first::<(String, bool)>(conn)
                .unwrap()
        })
    };
    assert_eq!(post(own, "role", ("role", "none")).await, 422);
    assert_eq!(post(own, "suspension", ("suspend", "true")).await, 422);
    assert_eq!(
        account(own).await,
        (PlatformRole::Admin.as_str().to_owned(), false)
    );
    assert!(events("role_changed").await.is_empty());
    assert!(events("account_suspended").await.is_empty());

    assert_eq!(post(other, "role", ("role", "none")).await, 303);
    assert_eq!(post(other, "suspension", ("suspend", "true")).await, 303);
    assert_eq!(
        account(other).await,
        (PlatformRole::None.as_str().to_owned(), true)
    );
    let target = Some(format!("user:{other}"));
    assert_eq!(events("role_changed").await, vec![target.clone()]);
    assert_eq!(events("account_suspended").await, vec![target]);
}
