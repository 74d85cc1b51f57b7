//! Every responses route (API and pages), asked by each kind of caller: anonymous,
//! viewer, editor and owner of the organisation, member of another organisation,
//! coordinator, admin. Each must get exactly the status in the table.

use chrono::Duration;
use concerto::domain::accounts::PlatformRole;
use serde_json::{Value, json};

use crate::authorisation_rounds::operator_2fa;
use crate::both_backends;
use crate::fixtures::{member, organisation, send};
use crate::helpers::{TestApp, client};
use crate::responses::setup;

both_backends!(response_routes_answer_each_role_as_they_must);

const CALLERS: [&str; 7] = [
    "anonymous",
    "viewer",
    "editor",
    "owner",
    "other",
    "coordinator",
    "admin",
];

async fn response_routes_answer_each_role_as_they_must(app: TestApp) {
    let s = setup(&app, Duration::days(30)).await;
    let other = member(&app, "other@exemple.fr").await;
    send(
        &app,
        &other,
        "POST",
        "/api/v1/organisations",
        Some(organisation("W130000001")),
    )
    .await;
    let admin = operator_2fa(&app, "admin@exemple.fr", PlatformRole::Admin).await;
    let a = s.org;
    let callers = [
        None,
        Some(&s.viewer),
        Some(&s.editor),
        Some(&s.owner),
        Some(&other),
        Some(&s.coordinator),
        Some(&admin),
    ];
    let response = format!("/api/v1/rounds/essai/responses/{a}");
    let page = format!("/consultations/essai/reponse/{a}");
    let form = |pairs: &[(&str, &str)]| {
        Some(json!({ "__form": pairs.iter().map(|(k, v)| json!([k, v])).collect::<Vec<_>>() }))
    };
    let table: Vec<(&str, String, Option<Value>, [u16; 7])> = vec![
        (
            "GET",
            response.clone(),
            None,
            [401, 200, 200, 200, 404, 200, 200],
        ),
        (
            "PUT",
            format!("{response}/answers/E1.Q2"),
            Some(json!({"value": "Par {caller}"})),
            [401, 403, 200, 200, 404, 403, 403],
        ),
        (
            "PATCH",
            format!("{response}/answers"),
            Some(json!({"answers": {"E1.Q3": {"value": "oui"}}})),
            [401, 403, 200, 200, 404, 403, 403],
        ),
        (
            "GET",
            format!("{response}/answers/E1.Q2/history"),
            None,
            [401, 200, 200, 200, 404, 200, 200],
        ),
        (
            "GET",
            "/api/v1/rounds/essai/progress".into(),
            None,
            [401, 403, 403, 403, 403, 200, 200],
        ),
        (
            "POST",
            "/api/v1/rounds/essai/reminders".into(),
            None,
            [401, 403, 403, 403, 403, 200, 200],
        ),
        (
            "POST",
            format!("{response}/submit"),
            Some(json!({"publication_consent": "none"})),
            [401, 403, 409, 409, 404, 403, 403],
        ),
        (
            "POST",
            format!("{response}/reopen"),
            None,
            [401, 403, 409, 409, 404, 403, 403],
        ),
        ("GET", "/consultations/essai/reponse".into(), None, [303; 7]),
        (
            "GET",
            page.clone(),
            None,
            [303, 200, 200, 200, 404, 200, 200],
        ),
        (
            "POST",
            format!("{page}?chapitre=E1"),
            form(&[("q.E1.Q2", "Page"), ("v.E1.Q2", "0")]),
            [303, 403, 409, 409, 404, 403, 403],
        ),
        (
            "GET",
            format!("{page}/relecture"),
            None,
            [303, 200, 200, 200, 404, 200, 200],
        ),
        (
            "POST",
            format!("{page}/soumettre"),
            form(&[("publication_consent", "none")]),
            [303, 403, 409, 409, 404, 403, 403],
        ),
        (
            "POST",
            format!("{page}/rouvrir"),
            form(&[]),
            [303, 403, 409, 409, 404, 403, 403],
        ),
        (
            "GET",
            format!("{page}/copie"),
            None,
            [303, 200, 200, 200, 404, 200, 200],
        ),
        (
            "GET",
            "/coordination/consultations/essai/avancement".into(),
            None,
            [303, 403, 403, 403, 403, 200, 200],
        ),
        (
            "POST",
            "/coordination/consultations/essai/rappel".into(),
            form(&[]),
            [303, 403, 403, 403, 403, 303, 303],
        ),
    ];
    let mut wrong = Vec::new();
    for (method, path, body, expected) in &table {
        for (i, (caller, expected)) in callers.iter().zip(expected).enumerate() {
            let anonymous = (client(), String::new());
            let who = caller.unwrap_or(&anonymous);
            let body = body.as_ref().map(|b| {
                serde_json::from_str::<Value>(&b.to_string().replace("{caller}", CALLERS[i]))
                    .unwrap()
            });
            let status = match body.as_ref().and_then(|b| b.get("__form")).cloned() {
                Some(pairs) => {
                    let mut fields: Vec<(String, String)> = pairs
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|p| {
                            (
                                p[0].as_str().unwrap().to_owned(),
                                p[1].as_str().unwrap().to_owned(),
                            )
                        })
                        .collect();
                    fields.push(("csrf_token".into(), who.1.clone()));
                    who.0
                        .post(app.url(path))
                        .form(&fields)
                        .send()
                        .await
                        .unwrap()
                        .status()
                        .as_u16()
                }
                None => send(&app, who, method, path, body).await.status().as_u16(),
            };
            if status != *expected {
                wrong.push(format!(
                    "{method} {path} as {}: got {status}, expected {expected}",
                    CALLERS[i]
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
