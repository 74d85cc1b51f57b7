//! A federation answers the round above with its published synthesis: each chapter's
//! text and consolidated proposals mapped onto the target's questions prefill its
//! response as a draft, which its members then submit through the normal checks; the
//! link is kept both ways. Every mapping mistake is named; only a coordinator with the
//! second factor who may write the target response relays.

use serde_json::{Value, json};

use crate::analysis::{answer_ids as ids, call, ok};
use crate::both_backends;
use crate::fixtures::{
    approve_new_organisation, coordinator, coordinator_2fa, organisation_of, send,
};
use crate::helpers::{TestApp, problem, problem_fields};
use crate::search::{answer, open};
use crate::synthesis::{NORTH, WEST, contributor};

both_backends!(a_published_synthesis_prefills_the_response_above);

const RELAYS: &str = "/api/v1/rounds/essai/synthesis/relays";

fn routes() -> Value {
    json!([
        {"chapter": "E1", "part": "text", "question": "E1.Q2"},
        {"chapter": "E1", "part": "proposals", "question": "E1.Q6"},
    ])
}

async fn a_published_synthesis_prefills_the_response_above(app: TestApp) {
    let coord = coordinator_2fa(&app, "coord@exemple.fr").await;
    open(&app, &coord, "essai").await;
    let (west, west_org) = contributor(
        &app,
        &coord,
        (
            "ouest@exemple.fr",
            "W751234567",
            WEST,
            "patient_association",
        ),
        "Personne ne vient le week-end.",
        Some("attributed"),
    )
    .await;
    let (_, north_org) = contributor(
        &app,
        &coord,
        ("nord@exemple.fr", "W751234568", NORTH, "federation"),
        "Les aidants s'épuisent.",
        Some("anonymous"),
    )
    .await;
    let (w, n) = (
        ids(&app, &coord, west_org).await,
        ids(&app, &coord, north_org).await,
    );
    let section = json!({
        "version": 0,
        "introduction": "Les soins à domicile manquent.",
        "introduced_by": {"organisation": west_org},
        "contributions": [
            {"answer": w["E1.Q2"], "heading": "Cas d'usage : le week-end"},
            {"answer": n["E1.Q2"]},
        ],
        "proposals": [{"title": "Développer la télésurveillance", "sources": [
            {"answer": w["E1.Q6"], "item": 0}, {"answer": n["E1.Q6"], "item": 0}
        ]}],
    });
    ok(&app, &coord, "PUT", "/synthesis/chapters/E1", Some(section)).await;

    // The round above, and the federation answering it: the coordinator is its owner.
    open(&app, &coord, "ministere").await;
    let fields = organisation_of("W759999999", "France Assos Test", "federation");
    let federation = approve_new_organisation(&app, &coord, &coord, fields).await;
    let relay = |body: Value| send(&app, &coord, "POST", RELAYS, Some(body));

    // Nothing published yet: nothing to relay.
    let body = json!({"round": "ministere", "organisation": federation, "mapping": routes()});
    let refused = problem(relay(body.clone()).await, 409).await;
    assert_eq!(problem_fields(&refused), ["synthesis"]);
    ok(
        &app,
        &coord,
        "POST",
        "/synthesis/publications",
        Some(json!({})),
    )
    .await;

    // Every mistake named, nothing written.
    for (wrong, field) in [
        (json!({"round": "essai"}), "round"),
        (json!({"round": "inconnue"}), "round"),
        (json!({"version": 7}), "version"),
        (json!({"mapping": []}), "mapping"),
        (
            json!({"mapping": [{"chapter": "E9", "part": "text", "question": "E1.Q2"}]}),
            "mapping[0].chapter",
        ),
        (
            json!({"mapping": [{"chapter": "E1", "part": "text", "question": "E1.Q3"}]}),
            "mapping[0].question",
        ),
        (
            json!({"mapping": [{"chapter": "E1", "part": "proposals", "question": "E1.Q2"}]}),
            "mapping[0].question",
        ),
        (
            json!({"mapping": [{"chapter": "E1", "part": "text", "question": "E1.Q99"}]}),
            "mapping[0].question",
        ),
    ] {
        let mut asked = body.clone();
        for (key, value) in wrong.as_object().unwrap() {
            asked[key] = value.clone();
        }
        let refused = problem(relay(asked.clone()).await, 422).await;
        assert_eq!(problem_fields(&refused), [field], "{asked}");
    }
    let response = format!("/api/v1/rounds/ministere/responses/{federation}");
    let before = send(&app, &coord, "GET", &response, None).await;
    let before: Value = before.json().await.unwrap();
    assert_eq!(
        before["answers"],
        json!({}),
        "nothing written by the refusals"
    );

    // Only a coordinator with the second factor who may write the federation's response.
    let plain = coordinator(&app, "sans2fa@exemple.fr").await;
    let stranger = coordinator_2fa(&app, "autre@exemple.fr").await;
    for (who, status) in [(&west, 403), (&plain, 403), (&stranger, 403)] {
        let refused = send(&app, who, "POST", RELAYS, Some(body.clone())).await;
        assert_eq!(refused.status(), status);
    }

    // Relayed: the draft holds the chapter's text and its consolidated proposal, signed
    // as consented; the response names where it comes from, the synthesis where it went.
    let (status, relayed) = call(
        &app,
        &coord,
        "POST",
        "/synthesis/relays",
        Some(body.clone()),
    )
    .await;
    assert_eq!(status, 201, "{relayed}");
    assert_eq!(relayed["version"], 1);
    assert_eq!(relayed["answers"], json!({"E1.Q2": 1, "E1.Q6": 1}));
    let read: Value = send(&app, &coord, "GET", &response, None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(read["status"], "draft", "{read}");
    let text = read["answers"]["E1.Q2"]["value"].as_str().unwrap();
    for expected in [
        "Premier enjeu",
        "Les soins à domicile manquent.",
        &format!("Introduit par {WEST}."),
        "Cas d'usage : le week-end",
        "« Personne ne vient le week-end. »",
        &format!("— {WEST}"),
        "— Fédération (contribution anonyme)",
    ] {
        assert!(text.contains(expected), "{expected} in {text}");
    }
    assert!(!text.contains(NORTH), "{text}");
    assert_eq!(
        read["answers"]["E1.Q6"]["value"],
        json!([{"title": "Développer la télésurveillance", "description":
            format!("Proposé par {WEST} et une organisation anonyme (Fédération).")}])
    );
    let source = &read["established_from"];
    assert_eq!(source["round"], "essai");
    assert_eq!(source["version"], 1);
    assert!(
        source["said"].as_str().unwrap().starts_with(
            "Établie à partir de la contribution collective « Contribution collective"
        ),
        "{source}"
    );
    let draft = ok(&app, &coord, "GET", "/synthesis", None).await;
    assert_eq!(draft["relays"].as_array().unwrap().len(), 1, "{draft}");
    assert_eq!(draft["relays"][0]["round"], "ministere");
    assert_eq!(draft["relays"][0]["organisation"], "France Assos Test");
    assert_eq!(draft["relays"][0]["version"], 1);
    // The members' page says it too.
    let page = send(
        &app,
        &coord,
        "GET",
        &format!("/consultations/ministere/reponse/{federation}/relecture"),
        None,
    )
    .await;
    assert_eq!(page.status(), 200);
    let page = page
        .text()
        .await
        .unwrap()
        .replace("&#x27;", "'")
        .replace("&#39;", "'");
    assert!(
        page.contains("Réponse établie à partir de la contribution collective")
            && page.contains("/consultations/essai/contribution"),
        "{page}"
    );

    // The same from the coordinators' pages: the round and the organisation chosen, then
    // a select per chapter's part; a wrong line is named by its select, nothing written.
    let page = "/coordination/consultations/essai/synthese/transmettre";
    let shown = send(&app, &coord, "GET", page, None)
        .await
        .text()
        .await
        .unwrap();
    assert!(
        shown.contains("value=\"ministere\"") && shown.contains("France Assos Test"),
        "{shown}"
    );
    assert!(
        !shown.contains("champ-texte-E1"),
        "no mapping before the choice"
    );
    for who in [&west, &plain] {
        assert_eq!(send(&app, who, "GET", page, None).await.status(), 403);
        let posted = send(&app, who, "POST", page, None).await;
        assert!(posted.status().is_client_error(), "{}", posted.status());
    }
    let chosen = format!("{page}?consultation=ministere&organisation={federation}");
    let shown = send(&app, &coord, "GET", &chosen, None)
        .await
        .text()
        .await
        .unwrap();
    assert!(
        shown.contains("id=\"champ-texte-E1\"") && shown.contains("id=\"champ-propositions-E1\""),
        "{shown}"
    );
    let post = |fields: Vec<(&'static str, String)>| {
        let mut fields = fields;
        fields.push(("csrf_token", coord.1.clone()));
        fields.push(("consultation", "ministere".into()));
        fields.push(("organisation", federation.to_string()));
        let request = coord.0.post(app.url(page)).form(&fields);
        async move { request.send().await.unwrap() }
    };
    let wrong = post(vec![("texte-E1", "E1.Q3".into())]).await;
    assert_eq!(wrong.status(), 422);
    let wrong = wrong.text().await.unwrap();
    assert!(
        wrong.contains("href=\"#champ-texte-E1\"") && wrong.contains("aria-invalid=\"true\""),
        "{wrong}"
    );
    let none = post(vec![("texte-E1", String::new())]).await;
    assert_eq!(none.status(), 422);
    assert!(
        none.text()
            .await
            .unwrap()
            .contains("href=\"#champ-texte-E1\"")
    );
    let done = post(vec![
        ("texte-E1", "E1.Q2".into()),
        ("propositions-E1", "E1.Q6".into()),
    ])
    .await;
    assert_eq!(done.status(), 303);
    assert_eq!(
        done.headers()["location"],
        format!("/consultations/ministere/reponse/{federation}/relecture").as_str()
    );
    let draft = ok(&app, &coord, "GET", "/synthesis", None).await;
    assert_eq!(draft["relays"].as_array().unwrap().len(), 2, "{draft}");
    let page = send(
        &app,
        &coord,
        "GET",
        "/coordination/consultations/essai/synthese",
        None,
    )
    .await;
    let page = page.text().await.unwrap().replace("&#x27;", "'");
    assert!(
        page.contains("Transmise à") && page.contains("France Assos Test"),
        "{page}"
    );

    // The normal path from here: the required answer missing holds the submission back;
    // given, the response is submitted and keeps its source; then it no longer takes a
    // relay.
    let submit = format!("{response}/submit");
    let consent = json!({"publication_consent": "attributed"});
    let held = send(&app, &coord, "POST", &submit, Some(consent.clone())).await;
    assert_eq!(held.status(), 409);
    answer(
        &app,
        &coord,
        "ministere",
        federation,
        "E1.Q1",
        "Notre avis.",
    )
    .await;
    let submitted = send(&app, &coord, "POST", &submit, Some(consent)).await;
    assert_eq!(submitted.status(), 200);
    let submitted: Value = submitted.json().await.unwrap();
    assert_eq!(submitted["status"], "submitted");
    assert_eq!(submitted["established_from"]["version"], 1);
    let again = relay(body).await;
    assert_eq!(again.status(), 409);

    // Audited, with what was written.
    let audited = app
        .with_db(|conn| {
            use concerto::store::schema::audit_events::dsl as a;
            use diesel::prelude::*;
            a::audit_events
                .filter(a::action.eq("synthesis_relayed"))
                .select(a::details)
                .load::<String>(conn)
        })
        .await
        .unwrap();
    assert_eq!(audited.len(), 2, "the API's relay and the page's");
    let details: Value = serde_json::from_str(&audited[0]).unwrap();
    assert_eq!(details["to_round"], "ministere");
    assert_eq!(details["answers"], json!(["E1.Q2", "E1.Q6"]));

    // The files made for everyone on request are bounded per address: a flood gets 429
    // with the time to wait, as a problem.
    let mut refused = None;
    for _ in 0..20 {
        let url = app.url("/api/v1/rounds/essai/synthesis/open-data?format=csv");
        let response = app.client.get(url).send().await.unwrap();
        if response.status() == 429 {
            refused = Some(response);
            break;
        }
        assert_eq!(response.status(), 200);
    }
    let refused = refused.expect("a flood of downloads is refused");
    assert!(refused.headers().contains_key("retry-after"));
    let body = problem(refused, 429).await;
    assert_eq!(body["status"], 429);
    app.journal_reads_in_words().await;
}
