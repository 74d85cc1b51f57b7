//! An organisation's owners see the invitations not yet used, send one again (a new link,
//! the old one dead) or cancel it; nobody else sees or touches them.

use serde_json::{Value, json};

use crate::both_backends;
use crate::fixtures::{approved_organisation, coordinator_2fa};
use crate::fixtures::{member, send};
use crate::helpers::{TestApp, problem};
use crate::mailbox::link_param;

both_backends!(owners_resend_and_cancel_pending_invitations);

use crate::fixtures::{Who, invite};

const ACCEPT: &str = "/invitations/accepter";

async fn pending(app: &TestApp, who: &Who, org: i64) -> reqwest::Response {
    send(
        app,
        who,
        "GET",
        &format!("/api/v1/organisations/{org}/invitations"),
        None,
    )
    .await
}

/// `who` accepts with `token`: the status the service answers.
async fn accept(app: &TestApp, who: &Who, token: &str) -> u16 {
    send(
        app,
        who,
        "POST",
        "/api/v1/invitations/accept",
        Some(json!({ "token": token })),
    )
    .await
    .status()
    .as_u16()
}

async fn owners_resend_and_cancel_pending_invitations(app: TestApp) {
    let coord = coordinator_2fa(&app, "coord@exemple.fr").await;
    let (owner, org) = approved_organisation(&app, &coord, "owner@exemple.fr", "W751234567").await;
    invite(&app, &owner, org, "alix@exemple.fr", "editor").await;
    invite(&app, &owner, org, "basile@exemple.fr", "viewer").await;
    let first_link = link_param(
        &app.mailbox
            .wait_for_link("alix@exemple.fr", ACCEPT)
            .await
            .text,
        ACCEPT,
        "jeton",
    );

    let listed: Value = pending(&app, &owner, org).await.json().await.unwrap();
    let list = listed["invitations"].as_array().unwrap();
    assert_eq!(list.len(), 2, "{listed}");
    assert_eq!(list[0]["email"], "basile@exemple.fr", "newest first");
    assert_eq!(list[0]["role"], "viewer");
    assert_eq!(list[1]["invited_by"], "Membre");
    let (alix_id, basile_id) = (
        list[1]["id"].as_i64().unwrap(),
        list[0]["id"].as_i64().unwrap(),
    );

    // Nobody but the owners: a stranger does not see the organisation, a coordinator
    // is not an owner.
    let stranger = member(&app, "inconnu@exemple.fr").await;
    problem(pending(&app, &stranger, org).await, 404).await;
    problem(pending(&app, &coord, org).await, 403).await;
    let cancel_path = format!("/api/v1/organisations/{org}/invitations/{basile_id}");
    problem(
        send(&app, &stranger, "DELETE", &cancel_path, None).await,
        404,
    )
    .await;

    // Emails greet by name when the address has an account, plainly otherwise.
    let first = app.mailbox.wait_for_link("alix@exemple.fr", ACCEPT).await;
    assert!(first.text.contains("Bonjour,"), "{}", first.text);
    assert!(!first.text.contains("Bonjour alix"), "{}", first.text);
    invite(&app, &owner, org, "inconnu@exemple.fr", "viewer").await;
    let known = app
        .mailbox
        .wait_for_link("inconnu@exemple.fr", ACCEPT)
        .await;
    assert!(known.text.contains("Bonjour Membre,"), "{}", known.text);
    let known_id = pending(&app, &owner, org)
        .await
        .json::<Value>()
        .await
        .unwrap()["invitations"][0]["id"]
        .as_i64()
        .unwrap();
    let cancelled = send(
        &app,
        &owner,
        "DELETE",
        &format!("/api/v1/organisations/{org}/invitations/{known_id}"),
        None,
    )
    .await;
    assert_eq!(cancelled.status(), 204);

    // Sent again: a new email, a new link; the first link no longer works.
    let resend_path = format!("/api/v1/organisations/{org}/invitations/{alix_id}/resend");
    let resent = send(&app, &owner, "POST", &resend_path, None).await;
    assert_eq!(resent.status(), 200);
    let mails = app.mailbox.wait_for("alix@exemple.fr", 2).await;
    let second_link = link_param(&mails[1].text, ACCEPT, "jeton");
    assert_ne!(first_link, second_link);
    let alix = member(&app, "alix@exemple.fr").await;
    assert_eq!(accept(&app, &alix, &first_link).await, 409);
    assert_eq!(accept(&app, &alix, &second_link).await, 200);

    // Cancelled: the link dies, the list empties (Alix's was used).
    let basile_link = link_param(
        &app.mailbox
            .wait_for_link("basile@exemple.fr", ACCEPT)
            .await
            .text,
        ACCEPT,
        "jeton",
    );
    let cancelled = send(&app, &owner, "DELETE", &cancel_path, None).await;
    assert_eq!(cancelled.status(), 204);
    problem(send(&app, &owner, "DELETE", &cancel_path, None).await, 404).await;
    let basile = member(&app, "basile@exemple.fr").await;
    assert_eq!(accept(&app, &basile, &basile_link).await, 409);
    let listed: Value = pending(&app, &owner, org).await.json().await.unwrap();
    assert_eq!(listed["invitations"], json!([]));
    // A used invitation is not sent again.
    problem(send(&app, &owner, "POST", &resend_path, None).await, 404).await;

    // The page: the pending invitation with its two buttons, which work without script.
    invite(&app, &owner, org, "chloe@exemple.fr", "editor").await;
    let page = owner
        .0
        .get(app.url(&format!("/organisations/{org}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Invitations en attente"), "{page}");
    assert!(page.contains("chloe@exemple.fr"));
    assert!(page.contains("Envoyée par Membre le"));
    let chloe_id = pending(&app, &owner, org)
        .await
        .json::<Value>()
        .await
        .unwrap()["invitations"][0]["id"]
        .as_i64()
        .unwrap();
    let resend_form = owner
        .0
        .post(app.url(&format!(
            "/organisations/{org}/invitations/{chloe_id}/renvoyer"
        )))
        .form(&[("csrf_token", owner.1.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(resend_form.status(), 303);
    app.mailbox.wait_for("chloe@exemple.fr", 2).await;

    // Suspended, the organisation sends no email, not even again; cancelling still works.
    let suspended = send(
        &app,
        &coord,
        "POST",
        &format!("/api/v1/organisations/{org}/suspend"),
        Some(json!({"reason": "Vérification en cours"})),
    )
    .await;
    assert_eq!(suspended.status(), 200);
    let chloe_resend = format!("/api/v1/organisations/{org}/invitations/{chloe_id}/resend");
    problem(send(&app, &owner, "POST", &chloe_resend, None).await, 403).await;
    let cancel_form = owner
        .0
        .post(app.url(&format!(
            "/organisations/{org}/invitations/{chloe_id}/annuler"
        )))
        .form(&[("csrf_token", owner.1.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(cancel_form.status(), 303);
    let listed: Value = pending(&app, &owner, org).await.json().await.unwrap();
    assert_eq!(listed["invitations"], json!([]));
}
