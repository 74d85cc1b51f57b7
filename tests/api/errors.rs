//! Bad input gets a clear 4xx, in the right shape, and loses nothing.

use serde_json::Value;

use crate::both_backends;
use crate::helpers::{TestApp, problem};

both_backends!(
    bad_input_is_refused_clearly_and_nothing_is_lost,
    unknown_routes_are_404_in_the_right_shape
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
