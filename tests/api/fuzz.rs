//! Schemathesis against the running service, generating requests from the OpenAPI
//! document it publishes: as a coordinator who presented the second factor and as an
//! organisation's owner, on both backends, with a fixed seed and a bounded number of
//! examples per operation.
//!
//! `scripts/test` installs Schemathesis into a virtual environment and points
//! `CONCERTO_SCHEMATHESIS` at its `st` command. Every check runs (`--checks all`): no
//! server error, no status the document does not list, no schema-valid request refused,
//! no invalid one accepted, no response unlike its schema. The few rules JSON Schema
//! cannot state are listed with their reasons in `schemathesis.toml`.

use std::process::Stdio;

use serde_json::{Value, json};

use crate::both_backends;
use crate::fixtures::send;
use crate::helpers::TestApp;
use crate::responses::setup;

both_backends!(generated_requests_meet_the_document);

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

async fn token(app: &TestApp, who: &crate::fixtures::Who) -> String {
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

/// Examples per operation of the random run: 5, or `CONCERTO_FUZZ_EXAMPLES` for a
/// longer search by hand.
fn random_examples() -> u32 {
    std::env::var("CONCERTO_FUZZ_EXAMPLES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(5)
}

/// The random run's seed: none (a new one each run), or `CONCERTO_FUZZ_SEED` to replay
/// a run a report printed (Schemathesis's seeds may pass 64 bits).
fn random_seed() -> Option<String> {
    std::env::var("CONCERTO_FUZZ_SEED")
        .ok()
        .filter(|s| !s.is_empty())
}

/// One Schemathesis run; the report when it found failures.
async fn run_schemathesis(
    st: &str,
    app: &TestApp,
    scratch: &std::path::Path,
    bearer: &str,
    seed: Option<String>,
    examples: u32,
) -> (bool, String) {
    let config = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/api/schemathesis.toml");
    let mut args: Vec<String> = [
        "--config-file",
        config,
        "run",
        &app.url("/api/v1/openapi.json"),
        "--checks",
        "all",
        "--phases",
        "examples,coverage,fuzzing",
        "--max-examples",
        &examples.to_string(),
        // One: Hypothesis describes its strategies with Python's `ast`, which CPython
        // 3.11 cannot run in two threads at once (a "recursion depth mismatch" runtime
        // error of the tool, seen in CI).
        "--workers",
        "1",
        "--request-timeout",
        "20",
        "--exclude-path-regex",
        // Signing out or revoking would end the run's own credentials; CSP reports are
        // `application/csp-report`, which Schemathesis cannot write (tested in
        // attacks.rs).
        "^/api/v1/(auth/logout|tokens/|csp-reports)",
        "--header",
        &format!("Authorization: Bearer {bearer}"),
    ]
    .into_iter()
    .map(str::to_owned)
    .collect();
    if let Some(seed) = seed {
        args.extend(["--seed".to_owned(), seed]);
    }
    let output = tokio::process::Command::new(st)
        .args(&args)
        .env("NO_COLOR", "1")
        .current_dir(scratch)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .await
        .expect("schemathesis runs");
    let report = format!(
        "{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), report)
}

/// The lines from the summary on, and the seed (to replay a random run).
fn summary(report: &str) -> String {
    report
        .lines()
        .filter(|l| l.contains("Seed"))
        .chain(report.lines().skip_while(|l| !l.contains("SUMMARY")))
        .collect::<Vec<_>>()
        .join("\n")
}

async fn generated_requests_meet_the_document(app: TestApp) {
    let Some(st) = schemathesis() else {
        return;
    };
    let s = setup(&app, chrono::Duration::days(30)).await;
    // Schemathesis keeps a cache of what it found in its working directory: a scratch
    // one, so that no run replays another's cases nor leaves files in the checkout.
    let scratch = tempfile::tempdir().expect("scratch directory");
    for (who, name) in [(&s.coordinator, "coordinator"), (&s.owner, "owner")] {
        let bearer = token(&app, who).await;
        // The fixed seed replays the same requests on every run; the random one, smaller,
        // tries new ones each time (its seed is printed: `CONCERTO_FUZZ_SEED` replays it).
        for (seed, examples) in [
            (Some("20261203".to_owned()), 15),
            (random_seed(), random_examples()),
        ] {
            let (passed, report) =
                run_schemathesis(&st, &app, scratch.path(), &bearer, seed.clone(), examples).await;
            eprintln!(
                "schemathesis as {name}, seed {seed:?}:\n{}",
                summary(&report)
            );
            assert!(passed, "schemathesis as {name} found failures:\n{report}");
        }
    }
    assert_eq!(app.get("/healthz").await.status(), 200);
}
