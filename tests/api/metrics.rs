//! `/metrics`, as Prometheus scrapes it: behind its token, and moving with what happens.

use concerto::config::Secret;
use serde_json::json;

use crate::fixtures::send;
use crate::helpers::{Backend, TestApp, spawn_app};

const TOKEN: &str = "jeton-des-metriques-de-test";

async fn scrape(app: &TestApp, token: Option<&str>) -> reqwest::Response {
    let mut request = app.client.get(app.url("/metrics"));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.unwrap()
}

/// The value of one series (`name{labels}` exactly as exposed), 0 when absent.
fn value(text: &str, series: &str) -> f64 {
    text.lines()
        .find_map(|line| line.strip_prefix(series)?.strip_prefix(' '))
        .map_or(0.0, |v| v.trim().parse().unwrap())
}

async fn metrics_move_with_a_journey(backend: Backend) {
    let Some(app) = TestApp::builder(backend)
        .settings(|s| {
            s.metrics_token = Some(Secret::from(TOKEN.to_owned()));
            s.trusted_proxies = vec!["127.0.0.1".parse().unwrap()];
        })
        .start()
        .await
    else {
        return;
    };
    // Behind the token, compared whole.
    assert_eq!(scrape(&app, None).await.status(), 401);
    assert_eq!(
        scrape(&app, Some("jeton-des-metriques")).await.status(),
        401
    );
    assert_eq!(scrape(&app, Some(&format!("{TOKEN}x"))).await.status(), 401);

    let s = crate::responses::setup(&app, chrono::Duration::days(30)).await;
    let before = scrape(&app, Some(TOKEN)).await;
    assert_eq!(before.status(), 200);
    assert!(
        before.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain; version=0.0.4")
    );
    let before = before.text().await.unwrap();
    let path = format!("/api/v1/rounds/essai/responses/{}/answers/E1.Q2", s.org);
    for (value, version) in [("Premier jet", 0), ("Second jet", 1)] {
        let saved = send(
            &app,
            &s.editor,
            "PUT",
            &path,
            Some(json!({"value": value, "version": version})),
        )
        .await;
        assert_eq!(saved.status(), 200);
    }
    let stale = send(
        &app,
        &s.editor,
        "PUT",
        &path,
        Some(json!({"value": "Tard", "version": 1})),
    )
    .await;
    assert_eq!(stale.status(), 409);
    let export = send(
        &app,
        &s.coordinator,
        "GET",
        "/api/v1/rounds/essai/export?format=csv",
        None,
    )
    .await;
    assert_eq!(export.status(), 200);
    export.bytes().await.unwrap();

    let after = scrape(&app, Some(TOKEN)).await.text().await.unwrap();
    let moved = |series: &str| value(&after, series) - value(&before, series);
    assert_eq!(moved("concerto_answers_written_total"), 2.0, "{after}");
    let route = "/api/v1/rounds/{slug}/responses/{org}/answers/{question_code}";
    let requests = |status: u16| {
        format!(r#"concerto_http_requests_total{{method="PUT",route="{route}",status="{status}"}}"#)
    };
    assert_eq!(moved(&requests(200)), 2.0, "{after}");
    assert_eq!(moved(&requests(409)), 1.0, "{after}");
    let timed =
        format!(r#"concerto_http_request_duration_seconds_count{{method="PUT",route="{route}"}}"#);
    assert_eq!(moved(&timed), 3.0, "{after}");
    let exports = r#"concerto_http_requests_total{method="GET",route="/api/v1/rounds/{slug}/export",status="200"}"#;
    assert_eq!(moved(exports), 1.0, "{after}");
    // The export ended: none running.
    assert_eq!(value(&after, "concerto_exports_running"), 0.0);
    // The database's state: the invitations of the set-up went through the outbox, the
    // four people are signed in, the pool was used.
    let emails = value(&after, r#"concerto_outbox_emails{state="pending"}"#)
        + value(&after, r#"concerto_outbox_emails{state="sent"}"#);
    assert!(emails >= 2.0, "{after}");
    assert!(value(&after, "concerto_sessions_live") >= 4.0, "{after}");
    assert!(moved("concerto_db_pool_checkouts") >= 4.0, "{after}");
    assert!(
        value(&after, "concerto_db_pool_connections") >= 1.0,
        "{after}"
    );

    // The dashboard and the operations guide name only metrics that exist.
    for doc in ["docs/grafana-dashboard.json", "docs/operations.md"] {
        let text = std::fs::read_to_string(crate::helpers::repo_path(doc)).unwrap();
        let names = text
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .filter(|word| word.starts_with("concerto_"));
        for name in names {
            assert!(
                after.contains(name),
                "{doc} names {name}, which is not exposed"
            );
        }
    }

    // A trusted proxy's request id is kept (logs on both sides name the same request);
    // a malformed one is replaced.
    let kept = app
        .client
        .get(app.url("/healthz"))
        .header("x-request-id", "nginx-7f3a.42_b")
        .send()
        .await
        .unwrap();
    assert_eq!(kept.headers()["x-request-id"], "nginx-7f3a.42_b");
    let replaced = app
        .client
        .get(app.url("/healthz"))
        .header("x-request-id", "pas une id <script>")
        .send()
        .await
        .unwrap();
    let id = replaced.headers()["x-request-id"].to_str().unwrap();
    assert_eq!(id.len(), 24, "{id}");
}

crate::each_backend!(metrics_move_with_a_journey);

/// Without a token configured there are no metrics, and a client's own request id is
/// not believed when no proxy is trusted.
#[tokio::test]
async fn no_token_no_metrics() {
    let app = spawn_app(Backend::Sqlite)
        .await
        .expect("SQLite always runs");
    assert_eq!(scrape(&app, None).await.status(), 404);
    assert_eq!(scrape(&app, Some("")).await.status(), 404);
    let ignored = app
        .client
        .get(app.url("/healthz"))
        .header("x-request-id", "client-chosen-id")
        .send()
        .await
        .unwrap();
    assert_ne!(ignored.headers()["x-request-id"], "client-chosen-id");
}
