use crate::both_backends;
use crate::helpers::{Backend, TestApp};

both_backends!(every_response_carries_the_security_headers);

async fn every_response_carries_the_security_headers(app: TestApp) {
    for path in [
        "/",
        "/nulle-part",
        "/api/v1/rounds",
        "/api/v1/nulle-part",
        "/static/concerto.css",
        "/healthz",
    ] {
        let response = app.get(path).await;
        let headers = response.headers();
        let csp = headers["content-security-policy"].to_str().unwrap();
        for directive in [
            "default-src 'self'",
            "frame-ancestors 'none'",
            "object-src 'none'",
            "base-uri 'none'",
            "script-src 'self'",
        ] {
            assert!(csp.contains(directive), "{path}: {csp}");
        }
        assert!(
            !csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"),
            "{path}: {csp}"
        );
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(
            headers["referrer-policy"], "strict-origin-when-cross-origin",
            "{path}"
        );
        assert_eq!(headers["x-frame-options"], "DENY", "{path}");
        assert!(
            headers.get("strict-transport-security").is_none(),
            "no HSTS over http ({path})"
        );
        assert_eq!(headers["x-request-id"].len(), 24, "{path}");
    }
}

#[tokio::test]
async fn hsts_is_sent_when_the_base_url_is_https() {
    let app = TestApp::builder(Backend::Sqlite)
        .settings(|s| s.base_url = "https://concerto.example".into())
        .start()
        .await
        .unwrap();
    let response = app.get("/").await;
    assert_eq!(
        response.headers()["strict-transport-security"],
        "max-age=31536000; includeSubDomains"
    );
}
