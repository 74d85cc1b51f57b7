//! The analyst's journey in a real browser: a coordinator searches, creates a theme,
//! tags a passage with the keyboard only, confirms a suggestion, masks a name, and
//! downloads the document in which the name is masked; axe finds nothing on the search,
//! themes, theme, coding and duplicates pages, in French and in English.

use super::*;
use crate::fixtures::{approve_new_organisation, coordinator_2fa, member, organisation};
use crate::search::{answer, open, submit};

const TESTIMONY: &str = "Mme Lucie Martin, 82 ans, attend des soins à domicile depuis des mois.";

#[tokio::test]
async fn an_analyst_codes_and_masks_with_the_keyboard() {
    let Some((chromium, driver, axe_source)) = browser_tools() else {
        return;
    };
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    let coord = coordinator_2fa(&app, "coord@exemple.fr").await;
    open(&app, &coord, "lecture").await;
    let mut orgs = Vec::new();
    for (email, legal_id, name, testimony) in [
        (
            "ouest@exemple.fr",
            "W751234567",
            "Patients de l'Ouest",
            TESTIMONY,
        ),
        (
            "nord@exemple.fr",
            "W751234568",
            "Fédération du Nord",
            "Les urgences de l'hôpital sont saturées chaque nuit.",
        ),
    ] {
        let owner = member(&app, email).await;
        let mut fields = organisation(legal_id);
        fields["name"] = json!(name);
        let org = approve_new_organisation(&app, &coord, &owner, fields).await;
        answer(&app, &owner, "lecture", org, "E1.Q1", "Un avis.").await;
        answer(&app, &owner, "lecture", org, "E1.Q2", testimony).await;
        submit(&app, &owner, "lecture", org).await;
        orgs.push(org);
    }
    let west = orgs[0];
    let base = "/coordination/consultations/lecture";

    let profile = tempfile::tempdir().unwrap();
    let (_driver, browser) = start_browser(&chromium, &driver, &profile).await;
    let mut a = Journey::new(browser, axe_source, &app);
    a.sign_in_with_code(&app, "coord@exemple.fr").await;

    // Search.
    a.goto(&format!("{base}/recherche?q=domicile")).await;
    assert!(a.text("main").await.contains("Patients de l'Ouest"));
    a.audit("fr search").await;

    // A theme, whose keyword will suggest the other answer.
    a.goto(&format!("{base}/themes")).await;
    a.fill("champ-name", "Accès aux soins").await;
    a.fill("champ-keywords", "urgences").await;
    a.press_enter("#nouveau-theme + form button[type=submit]")
        .await;
    assert!(a.text("main").await.contains("Accès aux soins"));
    a.audit("fr themes").await;

    // The coding view: a passage chosen with Shift and the arrows in the read-only text,
    // tagged by pressing Enter on the button.
    a.goto(&format!("{base}/codage/{west}")).await;
    a.audit("fr coding").await;
    let answer_id = a
        .browser
        .execute(
            "return document.querySelectorAll('section.coded-answer')[1].id.replace('reponse-', '')",
            vec![],
        )
        .await
        .unwrap();
    let answer_id: i64 = answer_id.as_str().unwrap().parse().unwrap();
    // The text reached as Tab would reach it, then only keys.
    a.browser
        .execute(
            "document.querySelector('#reponse-' + arguments[0] + ' textarea').focus()",
            vec![json!(answer_id)],
        )
        .await
        .unwrap();
    let passage = "soins à domicile";
    let start = TESTIMONY[..TESTIMONY.find(passage).unwrap()]
        .chars()
        .count();
    let keys = format!(
        "\u{E009}\u{E011}\u{E000}{}\u{E008}{}\u{E000}",
        "\u{E014}".repeat(start),
        "\u{E014}".repeat(passage.chars().count())
    );
    a.press_keys(&keys).await;
    let filled = a
        .browser
        .execute(
            "const f = document.querySelectorAll('section.coded-answer')[1]; \
             return [f.querySelector('[data-passage-start]').value, f.querySelector('[data-passage-end]').value]",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        filled,
        json!([
            start.to_string(),
            (start + passage.chars().count()).to_string()
        ]),
        "the selection fills the passage's positions"
    );
    a.press_enter("section.coded-answer:nth-of-type(2) form button.primary")
        .await;
    let coded = a.text("main").await;
    assert!(coded.contains(passage), "{coded}");

    // The name proposed as personal data, masked by confirming it (keyboard again).
    assert!(coded.contains("« Lucie Martin »"), "{coded}");
    a.press_enter("section.coded-answer:nth-of-type(2) ul.passages:last-of-type form button")
        .await;
    let masked = a.text("main").await;
    assert!(masked.contains("Données personnelles masquées"), "{masked}");
    a.audit("fr coding with a tag and a mask").await;

    // The suggestion from the keyword, confirmed.
    let theme = app
        .with_db(|conn| {
            use concerto::store::schema::themes::dsl as t;
            use diesel::prelude::*;
            t::themes.select(t::id).first::<i64>(conn).unwrap()
        })
        .await;
    a.goto(&format!("{base}/themes/{theme}")).await;
    assert!(a.text("#suggestions").await.contains("Fédération du Nord"));
    a.audit("fr theme").await;
    a.press_enter("#suggestions form button.primary").await;
    let confirmed = a.text("main").await;
    assert!(confirmed.contains("2 étiquettes"), "{confirmed}");
    assert!(!a.text("#suggestions").await.contains("Fédération du Nord"));

    a.goto(&format!("{base}/doublons")).await;
    a.audit("fr duplicates").await;

    // The document for the ministry, downloaded with the session: the name masked.
    let document = a
        .browser
        .execute_async(
            "const done = arguments[arguments.length - 1]; \
             fetch('/api/v1/rounds/lecture/export?format=document').then(r => r.text()).then(done, e => done(String(e)));",
            vec![],
        )
        .await
        .unwrap();
    let document = document.as_str().unwrap();
    assert!(!document.contains("Lucie Martin"), "{document}");
    assert!(document.contains("personnelle masqu"), "{document}");
    assert!(document.contains("82 ans"));

    // The same pages in English.
    a.click("button[name=lang][value=en]").await;
    for path in [
        format!("{base}/recherche?q=domicile"),
        format!("{base}/themes"),
        format!("{base}/themes/{theme}"),
        format!("{base}/codage/{west}"),
        format!("{base}/doublons"),
    ] {
        a.goto(&path).await;
        a.audit(&format!("en {path}")).await;
    }
    a.finish().await;
}
