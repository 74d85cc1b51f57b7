//! Reading a round's answers: coding (`themes`), redaction (`redactions`) and campaign
//! detection (`duplicates`), only for coordinators with the second factor. This module
//! holds what their scenarios share: requests to the round `essai`, organisations with a
//! name and kind, answer ids, exports.

use serde_json::{Value, json};

use crate::both_backends;
use crate::fixtures::{Who, coordinator, coordinator_2fa, organisation_named, send};
use crate::helpers::{TestApp, problem, problem_fields};
use crate::search::{answer, open, submit};

mod duplicates;
mod redactions;
mod themes;

const TESTIMONY: &str =
    "Les patientes de l'Hôpital attendent des soins à domicile depuis des mois.";

/// `who`'s request; the body of a 2xx, or the status and problem otherwise.
pub(crate) async fn call(
    app: &TestApp,
    who: &Who,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let response = send(
        app,
        who,
        method,
        &format!("/api/v1/rounds/essai{path}"),
        body,
    )
    .await;
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

pub(crate) async fn ok(
    app: &TestApp,
    who: &Who,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> Value {
    let (status, body) = call(app, who, method, path, body).await;
    assert!(
        (200..300).contains(&status),
        "{method} {path}: {status} {body}"
    );
    body
}

/// « Patients de l'Ouest », a patients' association approved by `coord`: (owner, id).
async fn west(app: &TestApp, coord: &Who) -> (Who, i64) {
    let (email, legal_id) = ("ouest@exemple.fr", "W751234567");
    organisation_named(
        app,
        coord,
        email,
        legal_id,
        "Patients de l'Ouest",
        "patient_association",
    )
    .await
}

/// « Fédération du Nord », a federation approved by `coord`: (owner, id).
async fn north(app: &TestApp, coord: &Who) -> (Who, i64) {
    let (email, legal_id) = ("nord@exemple.fr", "W751234568");
    organisation_named(
        app,
        coord,
        email,
        legal_id,
        "Fédération du Nord",
        "federation",
    )
    .await
}

/// The ids of an organisation's answers in `essai`, by question code.
pub(crate) async fn answer_ids(app: &TestApp, who: &Who, org: i64) -> Value {
    let body = ok(app, who, "GET", &format!("/responses/{org}"), None).await;
    let mut ids = serde_json::Map::new();
    for (code, answer) in body["answers"].as_object().unwrap() {
        ids.insert(code.clone(), answer["id"].clone());
    }
    Value::Object(ids)
}

/// The coordinator's export of round `essai` in `format` (query string after `format=`).
async fn export(app: &TestApp, coord: &Who, format: &str) -> String {
    let path = format!("/api/v1/rounds/essai/export?format={format}");
    let response = send(app, coord, "GET", &path, None).await;
    assert_eq!(response.status(), 200, "{format}");
    response.text().await.unwrap()
}

/// Characters (not bytes) before `part` in `text`, and after it.
fn range_of(text: &str, part: &str) -> (usize, usize) {
    let byte = text.find(part).expect("the part is in the text");
    let start = text[..byte].chars().count();
    (start, start + part.chars().count())
}
