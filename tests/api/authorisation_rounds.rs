//! Every organisations and rounds API route, asked by each kind of caller: anonymous,
//! plain user, viewer, editor and owner of organisation A, member of organisation B,
//! coordinator, admin. Each must get exactly the status in the table.

use chrono::Duration;
use concerto::domain::accounts::PlatformRole;
use serde_json::{Value, json};

use crate::accounts::PASSWORD;
use crate::authorisation::operator;
use crate::both_backends;
use crate::fixtures::{join, member, organisation, send};
use crate::helpers::{TestApp, client};
use crate::round_admin::built_round;

both_backends!(organisation_and_round_routes_answer_each_role_as_they_must);

const CALLERS: [&str; 8] = [
    "anonymous",
    "user",
    "viewer",
    "editor",
    "owner",
    "other",
    "coordinator",
    "admin",
];

pub async fn operator_2fa(
    app: &TestApp,
    email: &'static str,
    role: PlatformRole,
) -> (reqwest::Client, String) {
    operator(app, email, role).await;
    let who = client();
    let csrf = app.sign_in(&who, email, PASSWORD).await;
    let who = (who, csrf);
    crate::fixtures::enable_two_factor(app, &who, email).await;
    who
}

async fn organisation_and_round_routes_answer_each_role_as_they_must(app: TestApp) {
    let coordinator = operator_2fa(&app, "coord@exemple.fr", PlatformRole::Coordinator).await;
    let admin = operator_2fa(&app, "admin@exemple.fr", PlatformRole::Admin).await;
    let owner = member(&app, "owner@exemple.fr").await;
    let a: Value = send(
        &app,
        &owner,
        "POST",
        "/api/v1/organisations",
        Some(organisation("W751234567")),
    )
    .await
    .json()
    .await
    .unwrap();
    let a = a["id"].as_i64().unwrap();
    // Only approved organisations invite.
    crate::organisations::approve_directly(&app, a).await;
    let viewer = join(&app, &owner, a, "viewer@exemple.fr", "viewer").await;
    let editor = join(&app, &owner, a, "editor@exemple.fr", "editor").await;
    let other = member(&app, "other@exemple.fr").await;
    send(
        &app,
        &other,
        "POST",
        "/api/v1/organisations",
        Some(organisation("W130000001")),
    )
    .await;
    let user = member(&app, "user@exemple.fr").await;
    let viewer_id = send(&app, &viewer, "GET", "/api/v1/me", None)
        .await
        .json::<Value>()
        .await
        .unwrap()["user"]["id"]
        .as_i64()
        .unwrap();
    // One pending organisation per caller for the decisions, so each decision has a fresh target.
    let mut pending = Vec::new();
    let mut to_reject = Vec::new();
    for i in 0..CALLERS.len() {
        let p: Value = send(
            &app,
            &owner,
            "POST",
            "/api/v1/organisations",
            Some(organisation(&format!("W20000000{i}"))),
        )
        .await
        .json()
        .await
        .unwrap();
        pending.push(p["id"].as_i64().unwrap());
        let q: Value = send(
            &app,
            &owner,
            "POST",
            "/api/v1/organisations",
            Some(organisation(&format!("W30000000{i}"))),
        )
        .await
        .json()
        .await
        .unwrap();
        to_reject.push(q["id"].as_i64().unwrap());
    }
    built_round(&app, &coordinator, "matrice", Duration::days(30)).await;

    let callers: Vec<Option<(reqwest::Client, String)>> = vec![
        None,
        Some(user),
        Some(viewer),
        Some(editor),
        Some(owner),
        Some(other),
        Some(coordinator),
        Some(admin),
    ];
    let (c401, c403, c404) = (401, 403, 404);
    // (method, path, body, expected per caller in CALLERS order). In paths and bodies,
    // {i} is the caller's index, {caller} its name, {pending}/{reject} its own target.
    let table: Vec<(&str, String, Option<Value>, [u16; 8])> = vec![
        (
            "POST",
            "/api/v1/organisations".into(),
            Some(
                json!({"name": "Nouvelle", "kind": "other", "legal_id": "W40000000{i}", "contact_email": "n@exemple.fr"}),
            ),
            [c401, 201, 201, 201, 201, 201, 201, 201],
        ),
        (
            "GET",
            "/api/v1/organisations".into(),
            None,
            [c401, 200, 200, 200, 200, 200, 200, 200],
        ),
        (
            "GET",
            format!("/api/v1/organisations/{a}"),
            None,
            [c401, c404, 200, 200, 200, c404, 200, 200],
        ),
        (
            "GET",
            format!("/api/v1/organisations/{a}/members"),
            None,
            [c401, c404, 200, 200, 200, c404, 200, 200],
        ),
        (
            "POST",
            format!("/api/v1/organisations/{a}/invitations"),
            Some(json!({"email": "inv.{caller}@exemple.fr", "role": "viewer"})),
            [c401, c404, c403, c403, 201, c404, c403, c403],
        ),
        (
            "GET",
            format!("/api/v1/organisations/{a}/invitations"),
            None,
            [c401, c404, c403, c403, 200, c404, c403, c403],
        ),
        (
            "POST",
            format!("/api/v1/organisations/{a}/invitations/999999/resend"),
            None,
            [c401, c404, c403, c403, c404, c404, c403, c403],
        ),
        (
            "DELETE",
            format!("/api/v1/organisations/{a}/invitations/999999"),
            None,
            [c401, c404, c403, c403, c404, c404, c403, c403],
        ),
        (
            "PUT",
            format!("/api/v1/organisations/{a}/members/{viewer_id}"),
            Some(json!({"role": "viewer"})),
            [c401, c404, c403, c403, 200, c404, c403, c403],
        ),
        (
            "DELETE",
            format!("/api/v1/organisations/{a}/members/999999"),
            None,
            [c401, c404, c403, c403, c404, c404, c403, c403],
        ),
        (
            "POST",
            "/api/v1/invitations/accept".into(),
            Some(json!({"token": "faux"})),
            [c401, 409, 409, 409, 409, 409, 409, 409],
        ),
        (
            "POST",
            "/api/v1/organisations/{pending}/approve".into(),
            None,
            [c401, c403, c403, c403, c403, c403, 200, 200],
        ),
        (
            "POST",
            "/api/v1/organisations/{pending}/suspend".into(),
            Some(json!({"reason": "test"})),
            [c401, c403, c403, c403, c403, c403, 200, 200],
        ),
        (
            "POST",
            "/api/v1/organisations/{pending}/reinstate".into(),
            None,
            [c401, c403, c403, c403, c403, c403, 200, 200],
        ),
        (
            "POST",
            "/api/v1/organisations/{reject}/reject".into(),
            Some(json!({"reason": "test"})),
            [c401, c403, c403, c403, c403, c403, 200, 200],
        ),
        (
            "POST",
            "/api/v1/rounds".into(),
            Some(
                json!({"slug": "r-{caller}", "title": "T", "closes_at": "2099-01-01T00:00:00Z", "audience": "all_approved"}),
            ),
            [c401, c403, c403, c403, c403, c403, 201, 201],
        ),
        (
            "GET",
            "/api/v1/rounds/matrice".into(),
            None,
            [c404, c404, c404, c404, c404, c404, 200, 200],
        ),
        (
            "GET",
            "/api/v1/rounds/matrice/export?format=csv".into(),
            None,
            [c401, c403, c403, c403, c403, c403, 200, 200],
        ),
        (
            "PATCH",
            "/api/v1/rounds/matrice".into(),
            Some(json!({"title": "Matrice"})),
            [c401, c403, c403, c403, c403, c403, 200, 200],
        ),
        (
            "POST",
            "/api/v1/rounds/matrice/chapters".into(),
            Some(json!({"code": "C{i}", "title": "Chapitre"})),
            [c401, c403, c403, c403, c403, c403, 201, 201],
        ),
        (
            "POST",
            "/api/v1/rounds/matrice/chapters/E1/questions".into(),
            Some(json!({"code": "X{i}", "prompt": "?", "kind": "short_text", "max_length": 10})),
            [c401, c403, c403, c403, c403, c403, 201, 201],
        ),
        (
            "PUT",
            "/api/v1/rounds/matrice/questions/E1.Q1".into(),
            Some(
                json!({"code": "E1.Q1", "prompt": "Votre avis ?", "kind": "short_text", "max_length": 200, "required": true}),
            ),
            [c401, c403, c403, c403, c403, c403, 200, 200],
        ),
        (
            "POST",
            "/api/v1/rounds/matrice/chapters/E1/move".into(),
            Some(json!({"direction": "down"})),
            [c401, c403, c403, c403, c403, c403, 200, 200],
        ),
        (
            "POST",
            "/api/v1/rounds/matrice/questions/E1.Q1/move".into(),
            Some(json!({"direction": "down"})),
            [c401, c403, c403, c403, c403, c403, 200, 200],
        ),
        (
            "DELETE",
            "/api/v1/rounds/matrice/questions/X{i}".into(),
            None,
            [c401, c403, c403, c403, c403, c403, 200, 200],
        ),
        (
            "DELETE",
            "/api/v1/rounds/matrice/chapters/C{i}".into(),
            None,
            [c401, c403, c403, c403, c403, c403, 200, 200],
        ),
        (
            "POST",
            "/api/v1/rounds/matrice/invitations".into(),
            Some(json!({"organisation_ids": [a]})),
            [c401, c403, c403, c403, c403, c403, 409, 409],
        ),
        (
            "POST",
            "/api/v1/rounds/matrice/duplicate".into(),
            Some(json!({"slug": "copie-{caller}"})),
            [c401, c403, c403, c403, c403, c403, 201, 201],
        ),
        (
            "POST",
            "/api/v1/rounds/copie-{caller}/open".into(),
            None,
            [c401, c403, c403, c403, c403, c403, 200, 200],
        ),
        (
            "POST",
            "/api/v1/rounds/copie-{caller}/close".into(),
            None,
            [c401, c403, c403, c403, c403, c403, 200, 200],
        ),
        (
            "POST",
            "/api/v1/rounds/copie-{caller}/archive".into(),
            None,
            [c401, c403, c403, c403, c403, c403, 200, 200],
        ),
    ];
    // The pages of this issue. Forms are sent as forms, with the caller's CSRF token.
    let form = |pairs: &[(&str, &str)]| {
        Some(json!({ "__form": pairs.iter().map(|(k, v)| json!([k, v])).collect::<Vec<_>>() }))
    };
    let page_table: Vec<(&str, String, Option<Value>, [u16; 8])> = vec![
        (
            "GET",
            "/organisations".into(),
            None,
            [303, 200, 200, 200, 200, 200, 200, 200],
        ),
        (
            "GET",
            "/organisations/nouvelle".into(),
            None,
            [303, 200, 200, 200, 200, 200, 200, 200],
        ),
        (
            "POST",
            "/organisations/nouvelle".into(),
            form(&[
                ("name", "Page"),
                ("acronym", ""),
                ("kind", "other"),
                ("legal_id", "W50000000{i}"),
                ("website", ""),
                ("contact_email", "p@exemple.fr"),
                ("description", ""),
            ]),
            [303; 8],
        ),
        (
            "GET",
            format!("/organisations/{a}"),
            None,
            [303, 404, 200, 200, 200, 404, 200, 200],
        ),
        (
            "POST",
            "/organisations/{reject}/decision".into(),
            form(&[("decision", "approve")]),
            [303, 403, 403, 403, 403, 403, 409, 409],
        ),
        (
            "POST",
            format!("/organisations/{a}/invitations"),
            form(&[("email", "page.{caller}@exemple.fr"), ("role", "viewer")]),
            [303, 404, 403, 403, 303, 404, 403, 403],
        ),
        (
            "POST",
            format!("/organisations/{a}/invitations/999999/renvoyer"),
            form(&[]),
            [303, 404, 403, 403, 404, 404, 403, 403],
        ),
        (
            "POST",
            format!("/organisations/{a}/invitations/999999/annuler"),
            form(&[]),
            [303, 404, 403, 403, 404, 404, 403, 403],
        ),
        (
            "POST",
            format!("/organisations/{a}/membres/{viewer_id}/role"),
            form(&[("role", "viewer")]),
            [303, 404, 403, 403, 303, 404, 403, 403],
        ),
        (
            "POST",
            format!("/organisations/{a}/membres/999999/retirer"),
            form(&[]),
            [303, 404, 403, 403, 404, 404, 403, 403],
        ),
        (
            "GET",
            "/invitations/accepter?jeton=x".into(),
            None,
            [200; 8],
        ),
        (
            "POST",
            "/invitations/accepter".into(),
            form(&[("token", "faux")]),
            [303, 409, 409, 409, 409, 409, 409, 409],
        ),
        (
            "GET",
            "/coordination/consultations".into(),
            None,
            [303, 403, 403, 403, 403, 403, 200, 200],
        ),
        (
            "POST",
            "/coordination/consultations".into(),
            form(&[
                ("slug", "p-{caller}"),
                ("title", "T"),
                ("closes_at", "2099-01-01T10:00"),
                ("audience", "all_approved"),
            ]),
            [303, 403, 403, 403, 403, 403, 303, 303],
        ),
        (
            "GET",
            "/coordination/consultations/matrice".into(),
            None,
            [303, 403, 403, 403, 403, 403, 200, 200],
        ),
        (
            "GET",
            "/coordination/consultations/matrice/resultats".into(),
            None,
            [303, 403, 403, 403, 403, 403, 200, 200],
        ),
        (
            "POST",
            "/coordination/consultations/matrice".into(),
            form(&[
                ("title", "Matrice"),
                ("closes_at", "2099-01-01T10:00"),
                ("audience", "all_approved"),
            ]),
            [303, 403, 403, 403, 403, 403, 303, 303],
        ),
        (
            "POST",
            "/coordination/consultations/matrice/chapitres".into(),
            form(&[("chapter_code", "P{i}"), ("chapter_title", "Page")]),
            [303, 403, 403, 403, 403, 403, 303, 303],
        ),
        (
            "POST",
            "/coordination/consultations/matrice/questions".into(),
            form(&[
                ("question_chapter", "E1"),
                ("question_code", "PQ{i}"),
                ("question_kind", "short_text"),
                ("question_prompt", "?"),
            ]),
            [303, 403, 403, 403, 403, 403, 303, 303],
        ),
        (
            "POST",
            "/coordination/consultations/matrice/chapitres/E1/deplacer".into(),
            form(&[("direction", "down")]),
            [303, 403, 403, 403, 403, 403, 303, 303],
        ),
        (
            "POST",
            "/coordination/consultations/matrice/questions/E1.Q1/deplacer".into(),
            form(&[("direction", "down")]),
            [303, 403, 403, 403, 403, 403, 303, 303],
        ),
        (
            "POST",
            "/coordination/consultations/matrice/questions/PQ{i}/supprimer".into(),
            form(&[]),
            [303, 403, 403, 403, 403, 403, 303, 303],
        ),
        (
            "POST",
            "/coordination/consultations/matrice/chapitres/P{i}/supprimer".into(),
            form(&[]),
            [303, 403, 403, 403, 403, 403, 303, 303],
        ),
        (
            "POST",
            "/coordination/consultations/matrice/etat".into(),
            form(&[("action", "open")]),
            [303, 403, 403, 403, 403, 403, 422, 422],
        ),
        (
            "POST",
            "/coordination/consultations/matrice/invitations".into(),
            form(&[("organisation_ids", "1")]),
            [303, 403, 403, 403, 403, 403, 409, 409],
        ),
        (
            "POST",
            "/coordination/consultations/matrice/dupliquer".into(),
            form(&[("copy_slug", "pcopie-{caller}")]),
            [303, 403, 403, 403, 403, 403, 303, 303],
        ),
    ];
    let table: Vec<_> = table.into_iter().chain(page_table).collect();
    let mut wrong = Vec::new();
    for (method, path, body, expected) in &table {
        for (i, (caller, expected)) in callers.iter().zip(expected).enumerate() {
            let fill = |text: &str| {
                text.replace("{i}", &i.to_string())
                    .replace("{caller}", CALLERS[i])
                    .replace("{pending}", &pending[i].to_string())
                    .replace("{reject}", &to_reject[i].to_string())
            };
            let path = fill(path);
            let body = body
                .as_ref()
                .map(|b| serde_json::from_str::<Value>(&fill(&b.to_string())).unwrap());
            let anonymous = (client(), String::new());
            let who = caller.as_ref().unwrap_or(&anonymous);
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
                        .post(app.url(&path))
                        .form(&fields)
                        .send()
                        .await
                        .unwrap()
                        .status()
                        .as_u16()
                }
                None => send(&app, who, method, &path, body).await.status().as_u16(),
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

    // Every kind of event these requests wrote reads in words in the journal.
    let kinds = app.journal_reads_in_words().await;
    assert!(kinds > 15, "{kinds} kinds of event");
}
