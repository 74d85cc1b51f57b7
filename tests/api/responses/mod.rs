//! Responses over the API: validation by kind, versions, all-or-nothing batches,
//! concurrency, the deadline, submission and receipts.

use chrono::{Duration, Utc};
use concerto::clock::Clock;
use serde_json::{Value, json};

use crate::both_backends;
use crate::fixtures::{approved_organisation, coordinator_2fa};
use crate::fixtures::{join, member, organisation, send};
use crate::helpers::{Backend, TestApp, problem};
use crate::round_admin::built_round;

pub use crate::fixtures::Who;

mod follow_up;
mod pages;
mod submission;
mod writing;

/// An open round `essai` (chapter E1, questions E1.Q1–Q6 of every kind, Q1 required) and
/// an approved organisation with an owner, an editor and a viewer.
pub struct Setup {
    pub org: i64,
    pub owner: Who,
    pub editor: Who,
    pub viewer: Who,
    pub coordinator: Who,
}

pub async fn setup(app: &TestApp, closes_in: Duration) -> Setup {
    let coordinator = coordinator_2fa(app, "coord@exemple.fr").await;
    let owner = member(app, "owner@exemple.fr").await;
    let created: Value = send(
        app,
        &owner,
        "POST",
        "/api/v1/organisations",
        Some(organisation("W751234567")),
    )
    .await
    .json()
    .await
    .unwrap();
    let org = created["id"].as_i64().unwrap();
    send(
        app,
        &coordinator,
        "POST",
        &format!("/api/v1/organisations/{org}/approve"),
        None,
    )
    .await;
    let editor = join(app, &owner, org, "editor@exemple.fr", "editor").await;
    let viewer = join(app, &owner, org, "viewer@exemple.fr", "viewer").await;
    built_round(app, &coordinator, "essai", closes_in).await;
    assert_eq!(
        send(app, &coordinator, "POST", "/api/v1/rounds/essai/open", None)
            .await
            .status(),
        200
    );
    Setup {
        org,
        owner,
        editor,
        viewer,
        coordinator,
    }
}

/// The round's progress, as the coordination reads it.
async fn progress_of(app: &TestApp, coordinator: &Who) -> Value {
    send(
        app,
        coordinator,
        "GET",
        "/api/v1/rounds/essai/progress",
        None,
    )
    .await
    .json()
    .await
    .unwrap()
}

/// One organisation's row of the progress.
fn row_of(progress: &Value, org: i64) -> Value {
    progress["organisations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["organisation_id"] == org)
        .unwrap()
        .clone()
}

fn answer_path(org: i64, code: &str) -> String {
    format!("/api/v1/rounds/essai/responses/{org}/answers/{code}")
}

/// `who` writes one answer of `org`'s response to `essai` (`body`: value and version).
async fn put_answer(
    app: &TestApp,
    who: &Who,
    org: i64,
    code: &str,
    body: Value,
) -> reqwest::Response {
    send(app, who, "PUT", &answer_path(org, code), Some(body)).await
}

/// The last versions of one answer, as `who` reads them.
async fn history(app: &TestApp, who: &Who, org: i64, code: &str) -> Value {
    send(
        app,
        who,
        "GET",
        &format!("{}/history", answer_path(org, code)),
        None,
    )
    .await
    .json()
    .await
    .unwrap()
}

async fn response(app: &TestApp, who: &Who, org: i64) -> Value {
    send(
        app,
        who,
        "GET",
        &format!("/api/v1/rounds/essai/responses/{org}"),
        None,
    )
    .await
    .json()
    .await
    .unwrap()
}
