//! Schemathesis against the running service, generating requests from the OpenAPI
//! document it publishes: as a coordinator who presented the second factor and as an
//! organisation's owner, on both backends, with a fixed seed and a bounded number of
//! examples per operation.
//!
//! `scripts/test` installs Schemathesis into a virtual environment and points
//! `CONCERTO_SCHEMATHESIS` at its `st` command. What this run requires today: no server
//! error for anything generated (check `not_a_server_error`). The document's full
//! agreement with the service (`--checks all`) is the next step of the API contract work.

use std::process::Stdio;

use serde_json::{Value, json};

use crate::both_backends;
use crate::helpers::TestApp;
use crate::organisations::send;
use crate::responses::setup;

both_backends!(generated_requests_never_meet_a_server_error);

/// The `st` command, or None when not installed and not required.
fn schemathesis() -> Option<String> {
    match std::env::var("CONCERTO_SCHEMATHESIS") {
        Ok(path) if !path.is_empty() => Some(path),
        _ => {
            assert!(
                std::env::var_os("CONCERTO_TEST_REQUIRE_SCHEMATHESIS").is_none(),
                "Schemathesis is required (scripts/test installs it)"
            );
            eprintln!("skipping the API fuzzing: CONCERTO_SCHEMATHESIS is not set");
            None
        }
    }
}

async fn token(app: &TestApp, who: &crate::responses::Who) -> String {
    let created = send(
        app,
        who,
        "POST",
        "/api/v1/tokens",
        Some(json!({"name": "fuzz"})),
    )
    .await;
    assert_eq!(created.status(), 201);
    created.json::<Value>().await.unwrap()["token"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn generated_requests_never_meet_a_server_error(app: TestApp) {
    let Some(st) = schemathesis() else {
        return;
    };
    let s = setup(&app, chrono::Duration::days(30)).await;
    // Schemathesis keeps a cache of what it found in its working directory: a scratch
    // one, so that no run replays another's cases nor leaves files in the checkout.
    let scratch = tempfile::tempdir().expect("scratch directory");
    // Throttles would turn most generated requests into 429s: this run is about what
    // the handlers do with what they are given.
    for (who, name) in [(&s.coordinator, "coordinator"), (&s.owner, "owner")] {
        let bearer = token(&app, who).await;
        let output = tokio::process::Command::new(&st)
            .args([
                "run",
                &app.url("/api/v1/openapi.json"),
                "--checks",
                "not_a_server_error",
                "--phases",
                "examples,coverage,fuzzing",
                "--max-examples",
                "15",
                "--seed",
                "20261203",
                // One: Hypothesis describes its strategies with Python's `ast`, which
                // CPython 3.11 cannot run in two threads at once (a "recursion depth
                // mismatch" runtime error of the tool, seen in CI).
                "--workers",
                "1",
                "--request-timeout",
                "20",
                "--exclude-path-regex",
                // Signing out or revoking would end the run's own credentials; CSP
                // reports are `application/csp-report`, which Schemathesis cannot
                // write (tested in attacks.rs).
                "^/api/v1/(auth/logout|tokens/|csp-reports)",
                "--header",
                &format!("Authorization: Bearer {bearer}"),
            ])
            .env("NO_COLOR", "1")
            .current_dir(scratch.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .output()
            .await
            .expect("schemathesis runs");
        let report = String::from_utf8_lossy(&output.stdout);
        let summary: String = report
            .lines()
            .skip_while(|l| !l.contains("SUMMARY"))
            .collect::<Vec<_>>()
            .join("\n");
        eprintln!("schemathesis as {name}:\n{summary}");
        assert!(
            output.status.success(),
            "schemathesis as {name} found failures:\n{report}\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    assert_eq!(app.get("/healthz").await.status(), 200);
}
