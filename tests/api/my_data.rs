//! A person downloads everything Concerto holds about them, and nobody else's: their
//! account, memberships, sessions, tokens' names, their journal, every version of the
//! answers they wrote; no secret. Only signed in; the download is audited.

use std::io::Read;

use serde_json::{Value, json};

use crate::both_backends;
use crate::fixtures::{coordinator_2fa, organisation_named, send};
use crate::helpers::TestApp;
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
    let (west, west_org) = organisation_named(
        &app,
        &coord,
        "ouest@exemple.fr",
        "W751234567",
        "Patients de l'Ouest",
        "patient_association",
    )
    .await;
    let (east, east_org) = organisation_named(
        &app,
        &coord,
        "est@exemple.fr",
        "W751234568",
        "Amis de l'Est",
        "patient_association",
    )
    .await;
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
