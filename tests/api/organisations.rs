//! Organisations over the API: registration, coordinators' decisions, members and
//! invitations; every refusal with its status and field, and nothing changed by it.

use serde_json::{Value, json};

use crate::both_backends;
use crate::fixtures::{coordinator, member, organisation, send};
use crate::helpers::{TestApp, client, problem, problem_fields};
use crate::mailbox::link_param;

both_backends!(
    registering_an_organisation_checks_every_field,
    coordinators_decide_and_owners_are_told,
    owners_invite_members_by_email,
    an_organisation_always_keeps_an_owner,
    coordinators_see_pending_registrations_in_the_header,
);

/// Approves an organisation as a coordinator's decision would, without the decision.
pub async fn approve_directly(app: &TestApp, id: i64) {
    app.with_db(move |conn| {
        use concerto::store::schema::organisations::dsl as o;
        use diesel::prelude::*;
        diesel::update(o::organisations.find(id))
            .set(o::status.eq("approved"))
            .execute(conn)
            .unwrap();
    })
    .await;
}

async fn count_organisations(app: &TestApp) -> i64 {
    app.with_db(|conn| {
        use concerto::store::schema::organisations::dsl as o;
        use diesel::prelude::*;
        o::organisations.count().get_result(conn).unwrap()
    })
    .await
}

async fn registering_an_organisation_checks_every_field(app: TestApp) {
    let owner = member(&app, "owner@exemple.fr").await;
    let bad = json!({
        "name": " ", "kind": "club", "legal_id": "732829321", "website": "apo.fr", "contact_email": "pas-une-adresse"
    });
    let body = problem(
        send(&app, &owner, "POST", "/api/v1/organisations", Some(bad)).await,
        422,
    )
    .await;
    let mut fields = problem_fields(&body);
    fields.sort();
    assert_eq!(
        fields,
        ["contact_email", "kind", "legal_id", "name", "website"]
    );
    assert_eq!(count_organisations(&app).await, 0, "nothing created");

    let created = send(
        &app,
        &owner,
        "POST",
        "/api/v1/organisations",
        Some(organisation("W751 234 567")),
    )
    .await;
    assert_eq!(created.status(), 201);
    let created: Value = created.json().await.unwrap();
    assert_eq!(created["status"], "pending");
    assert_eq!(created["legal_id"], "W751234567");
    assert_eq!(created["my_role"], "owner");
    let siren = send(
        &app,
        &owner,
        "POST",
        "/api/v1/organisations",
        Some(organisation("732 829 320")),
    )
    .await;
    assert_eq!(siren.status(), 201);

    let duplicate = send(
        &app,
        &owner,
        "POST",
        "/api/v1/organisations",
        Some(organisation("w751234567")),
    )
    .await;
    assert_eq!(problem(duplicate, 409).await["code"], "conflict");
    assert_eq!(count_organisations(&app).await, 2);

    // Anonymous callers cannot register one; strangers cannot see it.
    assert_eq!(
        client()
            .post(app.url("/api/v1/organisations"))
            .json(&organisation("W000000001"))
            .send()
            .await
            .unwrap()
            .status(),
        401
    );
    let stranger = member(&app, "stranger@exemple.fr").await;
    let id = created["id"].as_i64().unwrap();
    problem(
        send(
            &app,
            &stranger,
            "GET",
            &format!("/api/v1/organisations/{id}"),
            None,
        )
        .await,
        404,
    )
    .await;
    let mine: Value = send(&app, &stranger, "GET", "/api/v1/organisations", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(mine["organisations"].as_array().unwrap().len(), 0);
    let own: Value = send(&app, &owner, "GET", "/api/v1/organisations", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(own["organisations"].as_array().unwrap().len(), 2);
}

async fn coordinators_decide_and_owners_are_told(app: TestApp) {
    let owner = member(&app, "owner@exemple.fr").await;
    let created: Value = send(
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
    let id = created["id"].as_i64().unwrap();
    let other: Value = send(&app, &owner, "POST", "/api/v1/organisations", Some(json!({
        "name": "Fédération du Sud", "kind": "federation", "legal_id": "W130000001", "contact_email": "f@sud.exemple.fr"
    }))).await.json().await.unwrap();

    // Members cannot decide for themselves.
    problem(
        send(
            &app,
            &owner,
            "POST",
            &format!("/api/v1/organisations/{id}/approve"),
            None,
        )
        .await,
        403,
    )
    .await;
    let coord = coordinator(&app, "coord@exemple.fr").await;
    let pending: Value = send(
        &app,
        &coord,
        "GET",
        "/api/v1/organisations?status=pending&q=ouest",
        None,
    )
    .await
    .json()
    .await
    .unwrap();
    let names: Vec<&str> = pending["organisations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Association des patients de l'Ouest"]);
    let federations: Value = send(
        &app,
        &coord,
        "GET",
        "/api/v1/organisations?kind=federation",
        None,
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(federations["organisations"][0]["id"], other["id"]);

    let approved = send(
        &app,
        &coord,
        "POST",
        &format!("/api/v1/organisations/{id}/approve"),
        None,
    )
    .await;
    assert_eq!(approved.status(), 200);
    assert_eq!(
        approved.json::<Value>().await.unwrap()["status"],
        "approved"
    );
    let mail = app
        .mailbox
        .wait_for("owner@exemple.fr", 2)
        .await
        .pop()
        .unwrap();
    assert!(
        mail.subject.contains("peut répondre aux consultations"),
        "{}",
        mail.subject
    );
    problem(
        send(
            &app,
            &coord,
            "POST",
            &format!("/api/v1/organisations/{id}/approve"),
            None,
        )
        .await,
        409,
    )
    .await;
    problem(
        send(
            &app,
            &coord,
            "POST",
            &format!("/api/v1/organisations/{id}/reject"),
            Some(json!({"reason": "x"})),
        )
        .await,
        409,
    )
    .await;

    let suspended = send(
        &app,
        &coord,
        "POST",
        &format!("/api/v1/organisations/{id}/suspend"),
        Some(json!({"reason": "Coordonnées à vérifier"})),
    )
    .await;
    assert_eq!(
        suspended.json::<Value>().await.unwrap()["status"],
        "suspended"
    );
    let mail = app
        .mailbox
        .wait_for("owner@exemple.fr", 3)
        .await
        .pop()
        .unwrap();
    assert!(
        mail.text.contains("Coordonnées à vérifier"),
        "the reason is in the email"
    );
    let reinstated = send(
        &app,
        &coord,
        "POST",
        &format!("/api/v1/organisations/{id}/reinstate"),
        None,
    )
    .await;
    assert_eq!(
        reinstated.json::<Value>().await.unwrap()["status"],
        "approved"
    );

    let other_id = other["id"].as_i64().unwrap();
    let no_reason = send(
        &app,
        &coord,
        "POST",
        &format!("/api/v1/organisations/{other_id}/reject"),
        Some(json!({})),
    )
    .await;
    assert_eq!(
        problem(no_reason, 422).await["errors"][0]["field"],
        "reason"
    );
    let still: Value = send(
        &app,
        &coord,
        "GET",
        &format!("/api/v1/organisations/{other_id}"),
        None,
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(
        still["status"], "pending",
        "the refused decision changed nothing"
    );
    let rejected = send(
        &app,
        &coord,
        "POST",
        &format!("/api/v1/organisations/{other_id}/reject"),
        Some(json!({"reason": "Hors du champ de la consultation"})),
    )
    .await;
    assert_eq!(
        rejected.json::<Value>().await.unwrap()["status_reason"],
        "Hors du champ de la consultation"
    );
}

async fn owners_invite_members_by_email(app: TestApp) {
    let owner = member(&app, "owner@exemple.fr").await;
    let created: Value = send(
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
    let id = created["id"].as_i64().unwrap();
    // Only approved organisations invite (tested in attacks.rs).
    approve_directly(&app, id).await;
    let invitations = format!("/api/v1/organisations/{id}/invitations");
    let invite = |who, email: &str, role: &str| {
        send(
            &app,
            who,
            "POST",
            &invitations,
            Some(json!({"email": email, "role": role})),
        )
    };

    let bad = invite(&owner, "pas-une-adresse", "chef").await;
    let body = problem(bad, 422).await;
    assert_eq!(body["errors"].as_array().unwrap().len(), 2);
    assert_eq!(
        invite(&owner, "Editrice@Exemple.fr", "editor")
            .await
            .status(),
        201
    );
    let mail = app
        .mailbox
        .wait_for("editrice@exemple.fr", 1)
        .await
        .pop()
        .unwrap();
    let token = link_param(&mail.text, "/invitations/accepter", "jeton");

    // Someone else cannot use it; the invited person can, once.
    let intruder = member(&app, "intrus@exemple.fr").await;
    problem(
        send(
            &app,
            &intruder,
            "POST",
            "/api/v1/invitations/accept",
            Some(json!({"token": token})),
        )
        .await,
        403,
    )
    .await;
    let editor = member(&app, "editrice@exemple.fr").await;
    let accepted = send(
        &app,
        &editor,
        "POST",
        "/api/v1/invitations/accept",
        Some(json!({"token": token})),
    )
    .await;
    assert_eq!(
        accepted.json::<Value>().await.unwrap()["organisation_id"],
        id
    );
    problem(
        send(
            &app,
            &editor,
            "POST",
            "/api/v1/invitations/accept",
            Some(json!({"token": token})),
        )
        .await,
        409,
    )
    .await;
    let members: Value = send(
        &app,
        &editor,
        "GET",
        &format!("/api/v1/organisations/{id}/members"),
        None,
    )
    .await
    .json()
    .await
    .unwrap();
    let roles: Vec<(&str, &str)> = members["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["email"].as_str().unwrap(), m["role"].as_str().unwrap()))
        .collect();
    assert!(
        roles.contains(&("editrice@exemple.fr", "editor"))
            && roles.contains(&("owner@exemple.fr", "owner")),
        "{roles:?}"
    );

    // Editors do not invite; strangers do not even see the organisation.
    problem(invite(&editor, "x@exemple.fr", "viewer").await, 403).await;
    problem(invite(&intruder, "x@exemple.fr", "viewer").await, 404).await;
    problem(invite(&owner, "editrice@exemple.fr", "viewer").await, 409).await;
}

async fn an_organisation_always_keeps_an_owner(app: TestApp) {
    let owner = member(&app, "owner@exemple.fr").await;
    let created: Value = send(
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
    let id = created["id"].as_i64().unwrap();
    // Only approved organisations invite (tested in attacks.rs).
    approve_directly(&app, id).await;
    let owner_id: i64 = send(&app, &owner, "GET", "/api/v1/me", None)
        .await
        .json::<Value>()
        .await
        .unwrap()["user"]["id"]
        .as_i64()
        .unwrap();
    let path = format!("/api/v1/organisations/{id}/members/{owner_id}");
    problem(
        send(&app, &owner, "PUT", &path, Some(json!({"role": "editor"}))).await,
        409,
    )
    .await;
    problem(send(&app, &owner, "DELETE", &path, None).await, 409).await;

    send(
        &app,
        &owner,
        "POST",
        &format!("/api/v1/organisations/{id}/invitations"),
        Some(json!({"email": "second@exemple.fr", "role": "viewer"})),
    )
    .await;
    let mail = app
        .mailbox
        .wait_for("second@exemple.fr", 1)
        .await
        .pop()
        .unwrap();
    let second = member(&app, "second@exemple.fr").await;
    let token = link_param(&mail.text, "/invitations/accepter", "jeton");
    send(
        &app,
        &second,
        "POST",
        "/api/v1/invitations/accept",
        Some(json!({"token": token})),
    )
    .await;
    let second_id: i64 = send(&app, &second, "GET", "/api/v1/me", None)
        .await
        .json::<Value>()
        .await
        .unwrap()["user"]["id"]
        .as_i64()
        .unwrap();
    // A viewer cannot promote itself.
    problem(
        send(
            &app,
            &second,
            "PUT",
            &format!("/api/v1/organisations/{id}/members/{second_id}"),
            Some(json!({"role": "owner"})),
        )
        .await,
        403,
    )
    .await;
    assert_eq!(
        send(
            &app,
            &owner,
            "PUT",
            &format!("/api/v1/organisations/{id}/members/{second_id}"),
            Some(json!({"role": "owner"}))
        )
        .await
        .status(),
        200
    );
    // Now the first owner may step down, and leave.
    assert_eq!(
        send(&app, &owner, "PUT", &path, Some(json!({"role": "viewer"})))
            .await
            .status(),
        200
    );
    assert_eq!(
        send(&app, &owner, "DELETE", &path, None).await.status(),
        204
    );
    problem(
        send(
            &app,
            &owner,
            "GET",
            &format!("/api/v1/organisations/{id}"),
            None,
        )
        .await,
        404,
    )
    .await;
}

async fn coordinators_see_pending_registrations_in_the_header(app: TestApp) {
    let coord = coordinator(&app, "coord@exemple.fr").await;
    let owner = member(&app, "owner@exemple.fr").await;
    let header = |who: &(reqwest::Client, String)| {
        let (client, url) = (who.0.clone(), app.url("/"));
        async move {
            let page = client.get(url).send().await.unwrap().text().await.unwrap();
            page.split("</nav>").next().unwrap().to_owned()
        }
    };
    assert!(
        !header(&coord).await.contains("class=\"badge\""),
        "none pending: no badge"
    );
    for legal_id in ["W751234567", "W130000001"] {
        let created = send(
            &app,
            &owner,
            "POST",
            "/api/v1/organisations",
            Some(organisation(legal_id)),
        )
        .await;
        assert_eq!(created.status(), 201);
    }
    let nav = header(&coord).await;
    assert!(
        nav.contains("<span class=\"badge\">2 à valider</span>"),
        "{nav}"
    );
    // Only the coordination is told; a member's header has no badge.
    assert!(!header(&owner).await.contains("class=\"badge\""));
    // Decided, it goes.
    let id = send(&app, &owner, "GET", "/api/v1/organisations", None)
        .await
        .json::<Value>()
        .await
        .unwrap()["organisations"][0]["id"]
        .as_i64()
        .unwrap();
    approve_directly(&app, id).await;
    assert!(
        header(&coord)
            .await
            .contains("<span class=\"badge\">1 à valider</span>")
    );
}

both_backends!(owners_rectify_their_organisations_contact_data);

/// Rectification: the owners change how their organisation is reached and presented
/// (not its approved name, kind or identifier); other members, coordinators and
/// strangers cannot; a refusal changes nothing; audited.
async fn owners_rectify_their_organisations_contact_data(app: TestApp) {
    let coord = crate::fixtures::coordinator_2fa(&app, "coord@exemple.fr").await;
    let ((owner, org), (stranger, _)) = crate::fixtures::west_and_east(&app, &coord).await;
    let editor = crate::fixtures::join(&app, &owner, org, "redaction@exemple.fr", "editor").await;
    let path = format!("/api/v1/organisations/{org}/contact");
    let change = json!({
        "acronym": "PO",
        "website": "https://patients-ouest.exemple.fr",
        "contact_email": "bonjour@patients-ouest.exemple.fr",
        "description": "Nous représentons les patients de l'Ouest."
    });
    let changed = send(&app, &owner, "PUT", &path, Some(change.clone())).await;
    assert_eq!(changed.status(), 200);
    let shown: Value = send(
        &app,
        &owner,
        "GET",
        &format!("/api/v1/organisations/{org}"),
        None,
    )
    .await
    .json()
    .await
    .unwrap();
    for field in ["acronym", "website", "contact_email", "description"] {
        assert_eq!(shown[field], change[field], "{field}");
    }
    assert_eq!(
        shown["name"], "Patients de l'Ouest",
        "the approved name stays"
    );

    assert_eq!(
        send(&app, &editor, "PUT", &path, Some(change.clone()))
            .await
            .status(),
        403
    );
    assert_eq!(
        send(&app, &coord, "PUT", &path, Some(change.clone()))
            .await
            .status(),
        403
    );
    assert_eq!(
        send(&app, &stranger, "PUT", &path, Some(change.clone()))
            .await
            .status(),
        404
    );
    assert_eq!(
        client()
            .put(app.url(&path))
            .json(&change)
            .send()
            .await
            .unwrap()
            .status(),
        401
    );
    let bad = send(
        &app,
        &owner,
        "PUT",
        &path,
        Some(json!({"contact_email": "pas une adresse", "website": "ftp://x", "acronym": "A".repeat(61)})),
    )
    .await;
    let body = problem(bad, 422).await;
    assert!(
        problem_fields(&body).contains(&"acronym".to_owned()),
        "{body}"
    );
    let bad = send(
        &app,
        &owner,
        "PUT",
        &path,
        Some(json!({"contact_email": "pas une adresse", "website": "ftp://x"})),
    )
    .await;
    let mut fields = problem_fields(&problem(bad, 422).await);
    fields.sort();
    assert_eq!(fields, ["contact_email", "website"]);
    let kept: Value = send(
        &app,
        &owner,
        "GET",
        &format!("/api/v1/organisations/{org}"),
        None,
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(
        kept["contact_email"], change["contact_email"],
        "a refusal changes nothing"
    );

    // The page's form, as the owner posts it.
    let page = owner
        .0
        .get(app.url(&format!("/organisations/{org}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("bonjour@patients-ouest.exemple.fr") && page.contains("champ-contact_email")
    );
    let posted = owner
        .0
        .post(app.url(&format!("/organisations/{org}/coordonnees")))
        .form(&[
            ("csrf_token", owner.1.as_str()),
            ("contact_email", "ecrire@patients-ouest.exemple.fr"),
            ("website", ""),
            ("acronym", "PO"),
            ("description", "Présentation revue."),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(posted.status(), 303);
    let shown: Value = send(
        &app,
        &owner,
        "GET",
        &format!("/api/v1/organisations/{org}"),
        None,
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(shown["contact_email"], "ecrire@patients-ouest.exemple.fr");
    assert!(shown["website"].is_null(), "left empty: none");
    let editor_page = editor
        .0
        .get(app.url(&format!("/organisations/{org}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        !editor_page.contains("/coordonnees"),
        "only owners see the form"
    );
    app.journal_reads_in_words().await;
}
