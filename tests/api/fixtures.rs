//! What the tests start from, defined once: people (a member, a coordinator with or
//! without the second factor), an approved organisation, and `send`, the one way a test
//! calls the API as someone.

use concerto::domain::accounts::PlatformRole;
use serde_json::{Value, json};

use crate::accounts::PASSWORD;
use crate::authorisation::operator;
use crate::helpers::{TestApp, client};
use crate::mailbox::link_param;

/// A signed-in client and its CSRF token.
pub type Who = (reqwest::Client, String);

pub fn organisation(legal_id: &str) -> Value {
    json!({
        "name": "Association des patients de l'Ouest",
        "acronym": "APO",
        "kind": "patient_association",
        "legal_id": legal_id,
        "website": "https://apo.exemple.fr",
        "contact_email": "contact@apo.exemple.fr",
        "description": "Association fictive pour les tests."
    })
}

/// A signed-in client for a new verified account, with its CSRF token.
pub async fn member(app: &TestApp, email: &str) -> Who {
    app.verified_account(email, "Membre").await;
    let who = client();
    let csrf = app.sign_in(&who, email, PASSWORD).await;
    (who, csrf)
}

pub async fn coordinator(app: &TestApp, email: &'static str) -> Who {
    signed_in_operator(app, email, PlatformRole::Coordinator).await
}

/// A signed-in client for a new account of platform role `role`.
pub async fn signed_in_operator(app: &TestApp, email: &'static str, role: PlatformRole) -> Who {
    operator(app, email, role).await;
    let who = client();
    let csrf = app.sign_in(&who, email, PASSWORD).await;
    (who, csrf)
}

/// A request of `method` to `path` by `client` (no CSRF token: see `send`).
pub fn request(
    app: &TestApp,
    client: &reqwest::Client,
    method: &str,
    path: &str,
) -> reqwest::RequestBuilder {
    let url = app.url(path);
    match method {
        "GET" => client.get(url),
        "POST" => client.post(url),
        "PUT" => client.put(url),
        "PATCH" => client.patch(url),
        "DELETE" => client.delete(url),
        other => panic!("{other}"),
    }
}

pub async fn send(
    app: &TestApp,
    who: &Who,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> reqwest::Response {
    let request = request(app, &who.0, method, path).header("x-csrf-token", &who.1);
    match body {
        Some(body) => request.json(&body),
        None => request,
    }
    .send()
    .await
    .unwrap()
}

/// A coordinator with two-factor sign-in on (needed to open, close, archive).
pub async fn coordinator_2fa(app: &TestApp, email: &'static str) -> Who {
    let who = coordinator(app, email).await;
    enable_two_factor(app, &who, email).await;
    who
}

/// Turns two-factor sign-in on from `who`'s session, which then has shown the code.
pub async fn enable_two_factor(app: &TestApp, who: &Who, email: &str) {
    let setup: Value = send(app, who, "POST", "/api/v1/auth/totp/setup", None)
        .await
        .json()
        .await
        .unwrap();
    let code =
        concerto::auth::totp::current_code(setup["secret"].as_str().unwrap(), email).unwrap();
    let confirmed = send(
        app,
        who,
        "POST",
        "/api/v1/auth/totp/confirm",
        Some(json!({ "code": code })),
    )
    .await;
    assert_eq!(confirmed.status(), 200);
}

/// An organisation created by a new member (`email`) and approved: (its owner, its id).
pub async fn approved_organisation(
    app: &TestApp,
    coord: &Who,
    email: &'static str,
    legal_id: &str,
) -> (Who, i64) {
    let owner = member(app, email).await;
    let id = approve_new_organisation(app, coord, &owner, organisation(legal_id)).await;
    (owner, id)
}

/// An organisation's registration fields with its name and kind.
pub fn organisation_of(legal_id: &str, name: &str, kind: &str) -> Value {
    let mut fields = organisation(legal_id);
    fields["name"] = json!(name);
    fields["kind"] = json!(kind);
    fields
}

/// An organisation of `kind` named `name`, owned by a new member (`email`) and approved
/// by `coord`: (its owner, its id).
pub async fn organisation_named(
    app: &TestApp,
    coord: &Who,
    email: &str,
    legal_id: &str,
    name: &str,
    kind: &str,
) -> (Who, i64) {
    let owner = member(app, email).await;
    let fields = organisation_of(legal_id, name, kind);
    let id = approve_new_organisation(app, coord, &owner, fields).await;
    (owner, id)
}

/// Two approved patient associations, « Patients de l'Ouest » (ouest@exemple.fr) and
/// « Amis de l'Est » (est@exemple.fr): each (owner, id).
pub async fn west_and_east(app: &TestApp, coord: &Who) -> ((Who, i64), (Who, i64)) {
    let west = organisation_named(
        app,
        coord,
        "ouest@exemple.fr",
        "W751234567",
        "Patients de l'Ouest",
        "patient_association",
    )
    .await;
    let east = organisation_named(
        app,
        coord,
        "est@exemple.fr",
        "W751234568",
        "Amis de l'Est",
        "patient_association",
    )
    .await;
    (west, east)
}

/// The organisation `fields` describe, created by `owner` and approved by `coord`: its id.
pub async fn approve_new_organisation(
    app: &TestApp,
    coord: &Who,
    owner: &Who,
    fields: Value,
) -> i64 {
    let created: Value = send(app, owner, "POST", "/api/v1/organisations", Some(fields))
        .await
        .json()
        .await
        .unwrap();
    let id = created["id"].as_i64().expect("organisation created");
    assert_eq!(
        send(
            app,
            coord,
            "POST",
            &format!("/api/v1/organisations/{id}/approve"),
            None
        )
        .await
        .status(),
        200
    );
    id
}

/// `owner` invites `email` into `org` with `role` (the invitation is sent).
pub async fn invite(app: &TestApp, owner: &Who, org: i64, email: &str, role: &str) {
    let sent = send(
        app,
        owner,
        "POST",
        &format!("/api/v1/organisations/{org}/invitations"),
        Some(json!({"email": email, "role": role})),
    )
    .await;
    assert_eq!(sent.status(), 201);
}

/// A new member (`email`) invited by `owner` into `org` with `role`, who accepts.
pub async fn join(app: &TestApp, owner: &Who, org: i64, email: &'static str, role: &str) -> Who {
    invite(app, owner, org, email, role).await;
    let token = link_param(
        &app.mailbox
            .wait_for_link(email, "/invitations/accepter")
            .await
            .text,
        "/invitations/accepter",
        "jeton",
    );
    let who = member(app, email).await;
    let accepted = send(
        app,
        &who,
        "POST",
        "/api/v1/invitations/accept",
        Some(json!({ "token": token })),
    )
    .await;
    assert_eq!(accepted.status(), 200);
    who
}
