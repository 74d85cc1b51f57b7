//! Bad input gets a clear 4xx, in the right shape, and loses nothing.

use serde_json::{Value, json};

use crate::both_backends;
use crate::fixtures::coordinator_2fa;
use crate::fixtures::send;
use crate::helpers::{TestApp, problem};
use crate::round_admin::{built_round, round};

both_backends!(
    bad_input_is_refused_clearly_and_nothing_is_lost,
    unknown_routes_are_404_in_the_right_shape,
    every_body_is_read_as_json_schema_reads_it,
    a_state_that_refuses_answers_409_not_422
);

async fn snapshot(app: &TestApp) -> Value {
    app.get("/api/v1/rounds/ia-en-sante")
        .await
        .json()
        .await
        .unwrap()
}

async fn bad_input_is_refused_clearly_and_nothing_is_lost(app: TestApp) {
    app.seed_demo().await;
    let before = snapshot(&app).await;
    let reports = app.url("/api/v1/csp-reports");
    let post = |body: Vec<u8>, content_type: &'static str| {
        app.client
            .post(reports.clone())
            .header("content-type", content_type)
            .body(body)
            .send()
    };

    // Malformed JSON.
    let body = problem(
        post(b"{\"csp-report\": ".to_vec(), "application/json")
            .await
            .unwrap(),
        400,
    )
    .await;
    assert_eq!(body["code"], "bad_request");
    // Well-formed, but not what the route takes: the field is named.
    let body = problem(
        post(b"{\"autre\": 1}".to_vec(), "application/json")
            .await
            .unwrap(),
        422,
    )
    .await;
    assert_eq!(body["errors"][0]["field"], "csp-report");
    // Too large: past the configured JSON limit.
    let limit = app.state.settings.limits.json_bytes;
    let huge = format!(
        "{{\"csp-report\": {{\"blocked-uri\": \"{}\"}}}}",
        "x".repeat(limit + 1)
    );
    let body = problem(
        post(huge.into_bytes(), "application/csp-report")
            .await
            .unwrap(),
        413,
    )
    .await;
    assert_eq!(body["code"], "payload_too_large");
    // Not JSON at all.
    let body = problem(post(b"bonjour".to_vec(), "text/plain").await.unwrap(), 415).await;
    assert_eq!(body["code"], "unsupported_media_type");
    // Invalid UTF-8.
    problem(
        post(vec![b'"', 0xff, 0xfe, b'"'], "application/json")
            .await
            .unwrap(),
        400,
    )
    .await;
    // A real report is accepted.
    let ok = post(
        br#"{"csp-report": {"document-uri": "http://x/", "violated-directive": "script-src"}}"#
            .to_vec(),
        "application/csp-report",
    )
    .await
    .unwrap();
    assert_eq!(ok.status(), 204);

    // Oversized and malformed forms on a page: an HTML error page, never a 500.
    let form_limit = app.state.settings.limits.form_bytes;
    let response = app
        .client
        .post(app.url("/langue"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("lang=en&next=/{}", "a".repeat(form_limit)))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 413);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let response = app
        .client
        .post(app.url("/langue"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("next=/")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("Certaines valeurs sont invalides")
    );

    assert_eq!(
        snapshot(&app).await,
        before,
        "stored data changed after refused requests"
    );
}

async fn unknown_routes_are_404_in_the_right_shape(app: TestApp) {
    let page = app.get("/nulle-part").await;
    assert_eq!(page.status(), 404);
    assert!(
        page.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let html = page.text().await.unwrap();
    assert!(html.contains("Page introuvable") && html.contains("<html lang=\"fr\">"));

    let body = problem(app.get("/api/v1/nulle-part").await, 404).await;
    assert_eq!(body["code"], "not_found");
    // A documented path with a method it does not have: 405, saying which it has.
    let response = app
        .client
        .delete(app.url("/api/v1/rounds"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["allow"], "GET, POST");
    assert_eq!(problem(response, 405).await["code"], "method_not_allowed");
    let response = app
        .client
        .put(app.url("/api/v1/rounds/essai/responses/1"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["allow"], "GET");
    problem(response, 405).await;
    // An unknown static file.
    assert_eq!(app.get("/static/absent.css").await.status(), 404);
}

/// Every JSON body goes through one reader (`api::body`): an integral float is an integer
/// wherever an integer is expected (JSON Schema says `30.0` is one), and a value of the
/// wrong shape is refused naming its field, however deep. Found by Schemathesis on
/// `expires_in_days: 298.0` and `closes_at: ""` ("premature end of input", no field).
async fn every_body_is_read_as_json_schema_reads_it(app: TestApp) {
    let coord = coordinator_2fa(&app, "coord@exemple.fr").await;
    let token = send(
        &app,
        &coord,
        "POST",
        "/api/v1/tokens",
        Some(json!({"name": "client généré", "expires_in_days": 30.0})),
    )
    .await;
    assert_eq!(token.status(), 201);
    let half = send(
        &app,
        &coord,
        "POST",
        "/api/v1/tokens",
        Some(json!({"name": "demi", "expires_in_days": 2.5})),
    )
    .await;
    assert_eq!(
        problem(half, 422).await["errors"][0]["field"],
        "expires_in_days"
    );

    let mut body = round("formes", chrono::Duration::days(9));
    body["closes_at"] = json!("");
    let refused = send(&app, &coord, "POST", "/api/v1/rounds", Some(body)).await;
    assert_eq!(
        problem(refused, 422).await["errors"][0]["field"],
        "closes_at"
    );

    built_round(&app, &coord, "formes", chrono::Duration::days(9)).await;
    let question = |scale: Value| json!({"code": "E1.Q9", "prompt": "Quelle note ?", "kind": "scale", "scale": scale});
    let path = "/api/v1/rounds/formes/chapters/E1/questions";
    let nested = send(
        &app,
        &coord,
        "PATCH",
        "/api/v1/rounds/formes/responses/1/answers",
        Some(json!({"answers": {"E1.Q1": {"value": "oui", "version": "deux"}}})),
    )
    .await;
    assert_eq!(
        problem(nested, 422).await["errors"][0]["field"],
        "answers.E1.Q1.version"
    );
    let floats = send(
        &app,
        &coord,
        "POST",
        path,
        Some(question(json!({"min": 1.0, "max": 5e0}))),
    )
    .await;
    assert_eq!(floats.status(), 201);
    let detail: Value = send(&app, &coord, "GET", "/api/v1/rounds/formes", None)
        .await
        .json()
        .await
        .unwrap();
    let added = detail["chapters"][0]["questions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["code"] == "E1.Q9")
        .cloned()
        .unwrap_or_default();
    assert_eq!(added["scale"]["max"], 5, "{detail}");
}

/// A well-formed request that the state of things refuses is a 409, with what is missing
/// named (a client generated from the document must not read it as its own mistake):
/// opening a round with no question, moving the first chapter up, inviting to a round open
/// to all, an emailed link already used.
async fn a_state_that_refuses_answers_409_not_422(app: TestApp) {
    let coord = coordinator_2fa(&app, "coord@exemple.fr").await;
    let created = send(
        &app,
        &coord,
        "POST",
        "/api/v1/rounds",
        Some(round("vide", chrono::Duration::days(9))),
    )
    .await;
    assert_eq!(created.status(), 201);
    let empty = send(&app, &coord, "POST", "/api/v1/rounds/vide/open", None).await;
    let body = problem(empty, 409).await;
    assert_eq!(body["code"], "not_ready");
    assert_eq!(body["errors"][0]["field"], "chapters");

    built_round(&app, &coord, "pleine", chrono::Duration::days(9)).await;
    let first_up = send(
        &app,
        &coord,
        "POST",
        "/api/v1/rounds/pleine/chapters/E1/move",
        Some(json!({"direction": "up"})),
    )
    .await;
    assert_eq!(problem(first_up, 409).await["code"], "conflict");
    let to_all = send(
        &app,
        &coord,
        "POST",
        "/api/v1/rounds/pleine/invitations",
        Some(json!({"organisation_ids": [1]})),
    )
    .await;
    assert_eq!(problem(to_all, 409).await["code"], "conflict");
    let link = app
        .post_json(
            &app.client,
            "/api/v1/auth/verify-email",
            json!({"token": "jamais-emis"}),
        )
        .await;
    assert_eq!(problem(link, 409).await["code"], "invalid_token");
}
