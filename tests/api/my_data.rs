//! A person downloads everything Concerto holds about them, and nobody else's: their
//! account, memberships, sessions, tokens' names, their journal, every version of the
//! answers they wrote; no secret. Only signed in; the download is audited.

use std::io::Read;

use serde_json::{Value, json};

use crate::both_backends;
use crate::fixtures::{coordinator_2fa, organisation_named, send, west_and_east};
use crate::helpers::{TestApp, problem, problem_fields};
use crate::search::{answer, open};

both_backends!(a_person_downloads_their_data_and_nobody_elses);

/// The archive's two files: (README, data).
fn opened(zip: &[u8]) -> (String, Value) {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap();
    let mut read = |name: &str| {
        let mut text = String::new();
        archive
            .by_name(name)
            .unwrap_or_else(|e| panic!("{name}: {e}"))
            .read_to_string(&mut text)
            .unwrap();
        text
    };
    let readme = read("mes-donnees/LISEZMOI.txt");
    let data = read("mes-donnees/donnees.json");
    (readme, serde_json::from_str(&data).unwrap())
}

async fn a_person_downloads_their_data_and_nobody_elses(app: TestApp) {
    let coord = coordinator_2fa(&app, "coord@exemple.fr").await;
    open(&app, &coord, "essai").await;
    let ((west, west_org), (east, east_org)) = west_and_east(&app, &coord).await;
    answer(
        &app,
        &west,
        "essai",
        west_org,
        "E1.Q1",
        "Premier avis de l'Ouest.",
    )
    .await;
    answer(
        &app,
        &west,
        "essai",
        west_org,
        "E1.Q1",
        "Second avis de l'Ouest.",
    )
    .await;
    answer(
        &app,
        &east,
        "essai",
        east_org,
        "E1.Q1",
        "Avis de l'Est, pas à l'Ouest.",
    )
    .await;
    let token = send(
        &app,
        &west,
        "POST",
        "/api/v1/tokens",
        Some(json!({"name": "Tableur de l'Ouest"})),
    )
    .await;
    assert_eq!(token.status(), 201);

    for path in ["/compte/mes-donnees", "/api/v1/me/data"] {
        let response = send(&app, &west, "GET", path, None).await;
        assert_eq!(response.status(), 200, "{path}");
        assert_eq!(response.headers()["content-type"], "application/zip");
        assert!(
            response.headers()["content-disposition"]
                .to_str()
                .unwrap()
                .starts_with("attachment; filename=\"mes-donnees-")
        );
        let (readme, data) = opened(&response.bytes().await.unwrap());
        assert!(readme.contains("RGPD") && readme.contains("donnees.json"));
        assert_eq!(data["account"]["email"], "ouest@exemple.fr");
        let memberships: Vec<&Value> = data["memberships"].as_array().unwrap().iter().collect();
        assert_eq!(memberships.len(), 1);
        assert_eq!(memberships[0]["organisation"], "Patients de l'Ouest");
        assert_eq!(data["api_tokens"][0]["name"], "Tableur de l'Ouest");
        assert!(!data["sessions"].as_array().unwrap().is_empty());
        let written: Vec<&Value> = data["answers_written"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| &a["value"])
            .collect();
        assert_eq!(
            written,
            [
                &json!("Premier avis de l'Ouest."),
                &json!("Second avis de l'Ouest.")
            ]
        );
        let actions: Vec<&str> = data["audit_events"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["action"].as_str().unwrap())
            .collect();
        assert!(actions.contains(&"personal_data_exported"), "{actions:?}");
        // Nobody else's, and no secret.
        let text = data.to_string();
        for absent in [
            "\"est@exemple.fr\"",
            "coord@exemple.fr",
            "Avis de l'Est",
            "Amis de l'Est",
            "password",
            "argon2",
            "totp_secret",
            "token_hash",
            "key_hash",
        ] {
            assert!(!text.contains(absent), "{absent} in {path}: {text}");
        }
    }
    // Signed in only.
    let anonymous = app.get("/api/v1/me/data").await;
    assert_eq!(anonymous.status(), 401);
    let page = app.get("/compte/mes-donnees").await;
    assert!(
        page.status().is_redirection() || page.status() == 401,
        "{}",
        page.status()
    );
}

both_backends!(a_person_erases_their_account_and_the_answers_stay);

async fn a_person_erases_their_account_and_the_answers_stay(app: TestApp) {
    use concerto::domain::accounts::PlatformRole;
    let coord = coordinator_2fa(&app, "coord@exemple.fr").await;
    open(&app, &coord, "essai").await;
    let (west, west_org) = organisation_named(
        &app,
        &coord,
        "ouest@exemple.fr",
        "W751234567",
        "Patients de l'Ouest",
        "patient_association",
    )
    .await;
    answer(
        &app,
        &west,
        "essai",
        west_org,
        "E1.Q1",
        "L'avis de l'Ouest.",
    )
    .await;
    let west_id: i64 = app
        .with_db(|conn| {
            use concerto::store::schema::users as u;
            use diesel::prelude::*;
            u::table
                .filter(u::email.eq("ouest@exemple.fr"))
                .select(u::id)
                .first(conn)
                .unwrap()
        })
        .await;
    let erase = |who, body: Value| send(&app, who, "POST", "/api/v1/me/erasure", Some(body));

    // A wrong password: refused, named. The only owner of an organisation: refused,
    // naming it.
    let wrong = erase(&west, json!({"password": "pas le bon"})).await;
    assert_eq!(problem_fields(&problem(wrong, 422).await), ["password"]);
    let owner = erase(&west, json!({"password": crate::accounts::PASSWORD})).await;
    let owner = problem(owner, 409).await;
    assert_eq!(problem_fields(&owner), ["organisations"]);
    assert!(owner.to_string().contains("Patients de l'Ouest"), "{owner}");
    // A second factor on: its code is asked for.
    let coded = erase(
        &coord,
        json!({"password": crate::accounts::PASSWORD, "code": "000000"}),
    )
    .await;
    assert_eq!(problem_fields(&problem(coded, 422).await), ["code"]);

    // A colleague takes over; then West goes.
    let colleague =
        crate::authorisation::operator(&app, "collegue@exemple.fr", PlatformRole::None).await;
    app.with_db(move |conn| {
        use concerto::store::schema::memberships as m;
        use diesel::prelude::*;
        diesel::insert_into(m::table)
            .values((
                m::organisation_id.eq(west_org),
                m::user_id.eq(colleague),
                m::role.eq("owner"),
                m::created_at.eq(chrono::Utc::now().naive_utc()),
            ))
            .execute(conn)
            .unwrap();
    })
    .await;
    let gone = erase(&west, json!({"password": crate::accounts::PASSWORD})).await;
    assert_eq!(gone.status(), 204);
    assert_eq!(app.me_status(&west.0).await, 401, "signed out everywhere");
    // The answer stays the organisation's, by a former member.
    let read: Value = send(
        &app,
        &coord,
        "GET",
        &format!("/api/v1/rounds/essai/responses/{west_org}"),
        None,
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(read["answers"]["E1.Q1"]["value"], "L'avis de l'Ouest.");
    assert_eq!(read["answers"]["E1.Q1"]["updated_by"], Value::Null);
    let page = send(
        &app,
        &coord,
        "GET",
        &format!("/consultations/essai/reponse/{west_org}/historique/E1.Q1"),
        None,
    )
    .await;
    let page = page.text().await.unwrap();
    assert!(page.contains("ancien membre"), "{page}");
    // Nothing personal left: no account, no event by it nor its address, no email to
    // it; the erasure journaled by number only.
    let (users, by_west, mails, erased): (i64, i64, i64, Vec<(Option<String>, String)>) = app
        .with_db(move |conn| {
            use concerto::store::schema::{audit_events as a, outbox as o, users as u};
            use diesel::prelude::*;
            let users = u::table
                .filter(u::id.eq(west_id))
                .count()
                .get_result(conn)
                .unwrap();
            let by_west = a::table
                .filter(a::actor_user_id.eq(west_id))
                .count()
                .get_result(conn)
                .unwrap();
            let mails = o::table
                .filter(o::recipient.eq("ouest@exemple.fr"))
                .count()
                .get_result(conn)
                .unwrap();
            let erased = a::table
                .filter(a::action.eq("account_erased"))
                .select((a::ip, a::details))
                .load(conn)
                .unwrap();
            (users, by_west, mails, erased)
        })
        .await;
    assert_eq!((users, by_west, mails), (0, 0, 0));
    assert_eq!(erased.len(), 1);
    assert_eq!(erased[0].0, None);
    assert!(!erased[0].1.contains("ouest@"), "{}", erased[0].1);

    // An administrator erases on request, with a confirmation; not the only owner of an
    // organisation (the colleague now is).
    let admin =
        crate::authorisation_rounds::operator_2fa(&app, "admin@exemple.fr", PlatformRole::Admin)
            .await;
    let leaving =
        crate::authorisation::operator(&app, "partant@exemple.fr", PlatformRole::None).await;
    let post = |user: i64, confirm: bool| {
        let path = app.url(&format!("/admin/utilisateurs/{user}/suppression"));
        let mut fields = vec![("csrf_token".to_owned(), admin.1.clone())];
        if confirm {
            fields.push(("confirm".to_owned(), "oui".to_owned()));
        }
        admin.0.post(path).form(&fields).send()
    };
    assert_eq!(post(leaving, false).await.unwrap().status(), 422);
    assert_eq!(post(colleague, true).await.unwrap().status(), 409);
    assert_eq!(post(leaving, true).await.unwrap().status(), 303);
    let left: Vec<i64> = app
        .with_db(move |conn| {
            use concerto::store::schema::users as u;
            use diesel::prelude::*;
            u::table
                .filter(u::id.eq_any([colleague, leaving]))
                .select(u::id)
                .load(conn)
                .unwrap()
        })
        .await;
    assert_eq!(left, [colleague]);
    // A member is refused the administrator's page.
    let refused = send(
        &app,
        &coord,
        "POST",
        &format!("/admin/utilisateurs/{colleague}/suppression"),
        None,
    )
    .await;
    assert!(refused.status().is_client_error());

    // With the second factor on, the right code lets the person go.
    let secret: String = app
        .with_db(|conn| {
            use concerto::store::schema::users as u;
            use diesel::prelude::*;
            u::table
                .filter(u::email.eq("coord@exemple.fr"))
                .select(u::totp_secret)
                .first::<Option<String>>(conn)
                .unwrap()
                .unwrap()
        })
        .await;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    // The next step's code: the current one may already have served to sign in.
    let code = concerto::auth::totp::code_at(&secret, "coord@exemple.fr", now + 30).unwrap();
    let gone = erase(
        &coord,
        json!({"password": crate::accounts::PASSWORD, "code": code}),
    )
    .await;
    assert_eq!(gone.status(), 204);
    assert_eq!(app.me_status(&coord.0).await, 401);
    app.journal_reads_in_words().await;
}
