//! The synthesis built in a real browser with the keyboard only: a coordinator selects
//! an excerpt of one testimony and a whole other, moves the second above the first,
//! merges two organisations' proposals, publishes, opens the public page; axe finds
//! nothing on either page, in French and in English.

use super::*;
use crate::fixtures::{approve_new_organisation, coordinator_2fa, member, organisation, send};
use crate::search::{answer, open, submit};

const WEST: &str =
    "Mme Lucie Martin attend des soins à domicile depuis des mois, sans relais le week-end.";
const NORTH: &str = "Les urgences de l'hôpital sont saturées chaque nuit.";

#[tokio::test]
async fn a_coordinator_builds_the_synthesis_with_the_keyboard() {
    let Some((chromium, driver, axe_source)) = browser_tools() else {
        return;
    };
    let app = spawn_app(Backend::Sqlite).await.unwrap();
    let coord = coordinator_2fa(&app, "coord@exemple.fr").await;
    open(&app, &coord, "lecture").await;
    let mut orgs = Vec::new();
    for (email, legal_id, name, testimony, proposal) in [
        (
            "ouest@exemple.fr",
            "W751234567",
            "Patients de l'Ouest",
            WEST,
            "Un relais de garde le week-end",
        ),
        (
            "nord@exemple.fr",
            "W751234568",
            "Fédération du Nord",
            NORTH,
            "Des gardes de week-end",
        ),
    ] {
        let owner = member(&app, email).await;
        let mut fields = organisation(legal_id);
        fields["name"] = json!(name);
        let org = approve_new_organisation(&app, &coord, &owner, fields).await;
        answer(&app, &owner, "lecture", org, "E1.Q1", "Un avis.").await;
        answer(&app, &owner, "lecture", org, "E1.Q2", testimony).await;
        let path = format!("/api/v1/rounds/lecture/responses/{org}/answers/E1.Q6");
        let value = json!({"value": [{"title": proposal}]});
        assert_eq!(
            send(&app, &owner, "PUT", &path, Some(value)).await.status(),
            200
        );
        submit(&app, &owner, "lecture", org).await;
        orgs.push(org);
    }
    let ids = app
        .with_db(|conn| {
            use concerto::store::schema::answers::dsl as a;
            use concerto::store::schema::questions::dsl as q;
            use diesel::prelude::*;
            a::answers
                .inner_join(q::questions)
                .filter(q::code.eq("E1.Q2"))
                .order(a::id)
                .select(a::id)
                .load::<i64>(conn)
                .unwrap()
        })
        .await;
    let (west_text, north_text) = (ids[0], ids[1]);
    let page = "/coordination/consultations/lecture/synthese";

    let profile = tempfile::tempdir().unwrap();
    let (_driver, browser) = start_browser(&chromium, &driver, &profile).await;
    let mut a = Journey::new(browser, axe_source, &app);
    a.sign_in_with_code(&app, "coord@exemple.fr").await;
    a.goto(page).await;
    a.audit("fr synthesis").await;

    // An excerpt of West's testimony: reached as Tab would reach it, then Shift and
    // the arrows; a heading typed; Enter on « Retenir ».
    let excerpt = "soins à domicile";
    let start = WEST[..WEST.find(excerpt).unwrap()].chars().count();
    a.browser
        .execute(
            "document.getElementById('texte-' + arguments[0]).focus()",
            vec![json!(west_text)],
        )
        .await
        .unwrap();
    let keys = format!(
        "\u{E009}\u{E011}\u{E000}{}\u{E008}{}\u{E000}",
        "\u{E014}".repeat(start),
        "\u{E014}".repeat(excerpt.chars().count())
    );
    a.press_keys(&keys).await;
    a.fill(
        &format!("intertitre-nouveau-{west_text}"),
        "Cas d'usage : l'attente",
    )
    .await;
    a.press_enter(&format!(
        "article[aria-labelledby=candidat-{west_text}] button.primary"
    ))
    .await;
    let shown = a.text("#chapitre-E1").await;
    assert!(
        shown.contains(excerpt) && shown.contains("extrait"),
        "{shown}"
    );

    // North's testimony whole, then moved above West's.
    a.press_enter(&format!(
        "article[aria-labelledby=candidat-{north_text}] button.primary"
    ))
    .await;
    a.press_enter("#contribution-E1-1 form:nth-of-type(2) button")
        .await;
    let order = a
        .browser
        .execute(
            "return [...document.querySelectorAll('#chapitre-E1 ol.selected:first-of-type > li input[name=heading]')].map(i => i.value)",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        order,
        json!(["", "Cas d'usage : l'attente"]),
        "North now first"
    );

    // The two proposals ticked with the space bar and merged.
    for org in &orgs {
        let checkbox = format!("source-{}-0", ids_of_proposals(&app, *org).await);
        a.browser
            .execute(
                "document.getElementById(arguments[0]).focus()",
                vec![json!(checkbox)],
            )
            .await
            .unwrap();
        a.press_keys(" ").await;
    }
    a.fill(
        "fusion-titre-E1",
        "Organiser des relais de garde le week-end",
    )
    .await;
    a.press_enter("#chapitre-E1 form[action$='/fusionner'] button.primary")
        .await;
    let merged = a.text("#chapitre-E1").await;
    assert!(merged.contains("Reprend 2 propositions"), "{merged}");
    a.audit("fr synthesis built").await;

    // Published.
    a.press_enter("#publication button.primary").await;
    assert!(a.text("#publication").await.contains("Version 1"));
    let document = a
        .browser
        .execute_async(
            "const done = arguments[arguments.length - 1]; \
             fetch('/api/v1/rounds/lecture/synthesis/publications/1?format=markdown').then(r => r.text()).then(done, e => done(String(e)));",
            vec![],
        )
        .await
        .unwrap();
    let document = document.as_str().unwrap();
    assert!(
        document.find("saturées").unwrap() < document.find("soins à domicile").unwrap(),
        "{document}"
    );
    assert!(
        document.contains("Organiser des relais de garde le week-end"),
        "{document}"
    );

    // The public page, as a visitor would read it.
    a.goto("/consultations/lecture/contribution").await;
    let public = a.text("main").await;
    assert!(
        public.contains("Organiser des relais de garde le week-end"),
        "{public}"
    );
    a.audit("fr public contribution").await;
    a.goto("/consultations/lecture/contribution/reponses").await;
    assert!(a.text("main").await.contains("Patients de l'Ouest"));
    a.audit("fr published responses").await;

    // Sent to the round above: the coordinator owns the federation that answers it.
    open(&app, &coord, "ministere").await;
    let mut fields = organisation("W759999999");
    fields["name"] = json!("Fédération Test");
    let federation = approve_new_organisation(&app, &coord, &coord, fields).await;
    let relay = "/coordination/consultations/lecture/synthese/transmettre";
    a.goto(relay).await;
    a.audit("fr relay").await;
    a.set("champ-consultation", "ministere").await;
    a.press_enter("form[method=get] button").await;
    a.audit("fr relay mapping").await;
    a.set("champ-texte-E1", "E1.Q2").await;
    a.set("champ-propositions-E1", "E1.Q6").await;
    a.press_enter("form[method=post] button.primary").await;
    assert_eq!(
        a.path().await,
        format!("/consultations/ministere/reponse/{federation}/relecture")
    );
    let review = a.text("main").await;
    assert!(
        review.contains("Réponse établie à partir de la contribution collective"),
        "{review}"
    );
    a.audit("fr relayed response").await;

    a.click("button[name=lang][value=en]").await;
    a.goto(page).await;
    a.audit("en synthesis").await;
    a.goto("/consultations/lecture/contribution").await;
    a.audit("en public contribution").await;
    a.goto("/consultations/lecture/contribution/reponses").await;
    a.audit("en published responses").await;
    a.goto(&format!(
        "{relay}?consultation=ministere&organisation={federation}"
    ))
    .await;
    a.audit("en relay mapping").await;
    a.goto(&format!(
        "/consultations/ministere/reponse/{federation}/relecture"
    ))
    .await;
    a.audit("en relayed response").await;
    a.finish().await;
}

/// The id of an organisation's proposals answer.
async fn ids_of_proposals(app: &crate::helpers::TestApp, org: i64) -> i64 {
    app.with_db(move |conn| {
        use concerto::store::schema::answers::dsl as a;
        use concerto::store::schema::questions::dsl as q;
        use concerto::store::schema::responses::dsl as r;
        use diesel::prelude::*;
        a::answers
            .inner_join(q::questions)
            .inner_join(r::responses)
            .filter(q::code.eq("E1.Q6"))
            .filter(r::organisation_id.eq(org))
            .select(a::id)
            .first::<i64>(conn)
            .unwrap()
    })
    .await
}
