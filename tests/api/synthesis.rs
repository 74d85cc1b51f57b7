//! The collective contribution: chapters written from the version seen (a stale write
//! refused, nothing lost), only submitted, consented answers of the chapter selectable,
//! consent and redactions applied in every rendering, published versions frozen, only
//! coordinators with the second factor.

use serde_json::{Value, json};

use crate::analysis::{answer_ids as ids, call, ok};
use crate::both_backends;
use crate::fixtures::{Who, coordinator, coordinator_2fa, organisation_named, send};
use crate::helpers::{TestApp, problem, problem_fields};
use crate::search::{answer, open};

both_backends!(a_synthesis_is_written_checked_and_published);
both_backends!(only_coordinators_with_the_second_factor_touch_a_synthesis);
both_backends!(the_editor_page_refuses_stale_and_unpublishable_selections);

pub(crate) const WEST: &str = "Patients de l'Ouest";
pub(crate) const NORTH: &str = "Fédération du Nord";
const SOUTH: &str = "Collectif du Sud";
const TESTIMONY: &str = "Mme Lucie Martin, 82 ans, attend des soins à domicile depuis six mois. \
     Personne ne vient le week-end.";
const NORTH_TEXT: &str = "Dans nos territoires, les soins à domicile manquent de bras. \
     Les aidants s'épuisent.";

async fn text(app: &TestApp, who: &Who, path: &str) -> String {
    let response = send(
        app,
        who,
        "GET",
        &format!("/api/v1/rounds/essai{path}"),
        None,
    )
    .await;
    assert_eq!(response.status(), 200, "{path}");
    response.text().await.unwrap()
}

/// An organisation that answers the testimony question, the short one, the choice and
/// two proposals, then submits with `consent` (or leaves a draft with `None`).
pub(crate) async fn contributor(
    app: &TestApp,
    coord: &Who,
    (email, legal_id, name, kind): (&str, &str, &str, &str),
    testimony: &str,
    consent: Option<&str>,
) -> (Who, i64) {
    let (owner, org) = organisation_named(app, coord, email, legal_id, name, kind).await;
    // The organisation's own texts do not name it: the signature alone does.
    let label = email.split('@').next().unwrap();
    answer(
        app,
        &owner,
        "essai",
        org,
        "E1.Q1",
        &format!("L'avis de {label}."),
    )
    .await;
    answer(app, &owner, "essai", org, "E1.Q2", testimony).await;
    let base = format!("/api/v1/rounds/essai/responses/{org}");
    for (code, value) in [
        ("E1.Q3", json!("oui")),
        (
            "E1.Q6",
            json!([
                {"title": format!("Télésurveillance ({label})"), "description": "Partout."},
                {"title": format!("Aidants ({label})")}
            ]),
        ),
    ] {
        let path = format!("{base}/answers/{code}");
        let saved = send(app, &owner, "PUT", &path, Some(json!({ "value": value }))).await;
        assert_eq!(saved.status(), 200, "{code}");
    }
    if let Some(consent) = consent {
        let body = json!({"publication_consent": consent});
        let submitted = send(app, &owner, "POST", &format!("{base}/submit"), Some(body)).await;
        assert_eq!(submitted.status(), 200);
    }
    (owner, org)
}

/// HTML's escaped apostrophes read back (askama writes `&#x27;`).
fn unescaped(html: &str) -> String {
    html.replace("&#x27;", "'").replace("&#39;", "'")
}

/// What a visitor (no session) gets at `path`: the status, and the body read back.
async fn visit(app: &TestApp, path: &str) -> (u16, String) {
    let response = app.client.get(app.url(path)).send().await.unwrap();
    let status = response.status().as_u16();
    (status, unescaped(&response.text().await.unwrap()))
}

/// The open data, from the public page's links and from the API: the same responses
/// as the public list (West by name, North by kind alone, South absent), masked, under
/// the licence named in the file and in the `Link` header.
async fn open_data_is_the_public_list(app: &TestApp) {
    let mut files = Vec::new();
    for path in [
        "/consultations/essai/contribution/reponses.csv",
        "/consultations/essai/contribution/reponses.json",
        "/api/v1/rounds/essai/synthesis/open-data?format=csv",
        "/api/v1/rounds/essai/synthesis/open-data?format=json",
    ] {
        let response = app.client.get(app.url(path)).send().await.unwrap();
        assert_eq!(response.status(), 200, "{path}");
        let headers = response.headers();
        assert_eq!(
            headers["link"],
            "<https://www.etalab.gouv.fr/licence-ouverte-open-licence/>; rel=\"license\"",
            "{path}"
        );
        let disposition = headers["content-disposition"].to_str().unwrap();
        assert!(disposition.starts_with("attachment;"), "{disposition}");
        let body = response.text().await.unwrap();
        for secret in [NORTH, SOUTH, "Lucie Martin", "ne veut pas voir publié"] {
            assert!(!body.contains(secret), "{secret} in {path}");
        }
        files.push(body);
    }
    assert_eq!(files[0], files[2], "the page's CSV is the API's");
    let rows: Vec<csv::StringRecord> = csv::Reader::from_reader(files[0].as_bytes())
        .records()
        .map(Result::unwrap)
        .collect();
    let by_organisation =
        |kind: &str| -> Vec<&csv::StringRecord> { rows.iter().filter(|r| &r[6] == kind).collect() };
    // One line per answer: four answers each.
    let west = by_organisation("patient_association");
    let north = by_organisation("federation");
    assert_eq!(
        (west.len(), north.len(), rows.len()),
        (4, 4, 8),
        "{}",
        files[0]
    );
    assert!(west.iter().all(|r| &r[5] == WEST && &r[7] == WEST));
    assert!(
        north
            .iter()
            .all(|r| r[5].is_empty() && &r[7] == "Fédération (contribution anonyme)")
    );
    let testimony = west.iter().find(|r| &r[3] == "E1.Q2").unwrap();
    assert!(
        testimony[9].contains("[donnée personnelle masquée]")
            && testimony[9].contains("Personne ne vient le week-end"),
        "{testimony:?}"
    );
    let json: Value = serde_json::from_str(&files[1]).unwrap();
    let again: Value = serde_json::from_str(&files[3]).unwrap();
    assert_eq!(
        json["responses"], again["responses"],
        "the page's JSON is the API's"
    );
    assert_eq!(json["licence"]["code"], "etalab");
    assert_eq!(json["contribution_version"], 1);
    let responses = json["responses"].as_array().unwrap();
    assert_eq!(responses.len(), 2, "{json}");
    let anonymous = responses
        .iter()
        .find(|r| r["organisation_kind"] == "federation")
        .unwrap();
    assert_eq!(anonymous["organisation"], Value::Null);
    assert_eq!(anonymous["signed_as"], "Fédération (contribution anonyme)");
    assert_eq!(anonymous["answers"]["E1.Q2"], NORTH_TEXT);
    let named = responses
        .iter()
        .find(|r| r["organisation"] == WEST)
        .unwrap();
    assert_eq!(
        named["answers"]["E1.Q2"].as_str(),
        Some(testimony[9].as_ref())
    );
    // An unknown format: the API says which field, the page has no such file.
    let url = app.url("/api/v1/rounds/essai/synthesis/open-data?format=xml");
    let refused = app.client.get(url).send().await.unwrap();
    assert_eq!(problem_fields(&problem(refused, 422).await), ["format"]);
    let (missing, _) = visit(app, "/consultations/essai/contribution/reponses.xml").await;
    assert_eq!(missing, 404);
}

fn chapter(draft: &Value) -> &Value {
    &draft["chapters"][0]
}

async fn a_synthesis_is_written_checked_and_published(app: TestApp) {
    let coord = coordinator_2fa(&app, "coord@exemple.fr").await;
    open(&app, &coord, "essai").await;
    let west_org = contributor(
        &app,
        &coord,
        (
            "ouest@exemple.fr",
            "W751234567",
            WEST,
            "patient_association",
        ),
        TESTIMONY,
        Some("attributed"),
    )
    .await;
    let (west, west_org) = west_org;
    let (_, north_org) = contributor(
        &app,
        &coord,
        ("nord@exemple.fr", "W751234568", NORTH, "federation"),
        NORTH_TEXT,
        Some("anonymous"),
    )
    .await;
    let (_, south_org) = contributor(
        &app,
        &coord,
        ("sud@exemple.fr", "W751234569", SOUTH, "patient_association"),
        "Un témoignage que le Sud ne veut pas voir publié.",
        Some("none"),
    )
    .await;
    let (_, draft_org) = contributor(
        &app,
        &coord,
        (
            "est@exemple.fr",
            "W751234570",
            "Amis de l'Est",
            "patient_association",
        ),
        "Un brouillon.",
        None,
    )
    .await;
    let (w, n, s, d) = (
        ids(&app, &coord, west_org).await,
        ids(&app, &coord, north_org).await,
        ids(&app, &coord, south_org).await,
        ids(&app, &coord, draft_org).await,
    );

    // A new synthesis: titled after the round, nothing written, nothing dropped unseen.
    let draft = ok(&app, &coord, "GET", "/synthesis", None).await;
    assert_eq!(draft["version"], 0);
    assert!(
        draft["title"]
            .as_str()
            .unwrap()
            .starts_with("Contribution collective")
    );
    assert_eq!(chapter(&draft)["code"], "E1");
    assert_eq!(chapter(&draft)["version"], 0);
    let left: Vec<(i64, Value)> = chapter(&draft)["left_out"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["answer"].as_i64().unwrap(), c["item"].clone()))
        .collect();
    for expected in [
        (w["E1.Q2"].as_i64().unwrap(), Value::Null),
        (n["E1.Q1"].as_i64().unwrap(), Value::Null),
        (w["E1.Q6"].as_i64().unwrap(), json!(0)),
        (n["E1.Q6"].as_i64().unwrap(), json!(1)),
    ] {
        assert!(left.contains(&expected), "{expected:?} in {left:?}");
    }
    // Two text answers and one proposals answer of each of West and North; none of the
    // South (no consent: counted) nor of the draft.
    assert_eq!(left.len(), 2 * (2 + 2), "{left:?}");
    assert_eq!(chapter(&draft)["not_publishable"], 3);

    // What cannot be selected is refused, each named; nothing is written.
    let (start, end) = (0, 10_000);
    let refused = json!({
        "version": 0,
        "contributions": [
            {"answer": s["E1.Q2"]},
            {"answer": d["E1.Q2"]},
            {"answer": w["E1.Q3"]},
            {"answer": 999_999},
            {"answer": w["E1.Q2"], "passage": {"start": start, "end": end}},
        ],
        "proposals": [
            {"title": "Former", "sources": [{"answer": w["E1.Q6"], "item": 5}]},
            {"title": "Former encore", "sources": [{"answer": w["E1.Q2"], "item": 0}]},
        ],
    });
    let (status, body) = call(&app, &coord, "PUT", "/synthesis/chapters/E1", Some(refused)).await;
    assert_eq!(status, 409, "{body}");
    let codes: Vec<(String, String)> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["field"].as_str().unwrap().into(),
                e["code"].as_str().unwrap().into(),
            )
        })
        .collect();
    let expected: Vec<(String, String)> = [
        ("contributions.0.answer", "no_consent"),
        ("contributions.1.answer", "not_submitted"),
        ("contributions.2.answer", "wrong_kind"),
        ("contributions.3.answer", "not_found"),
        ("contributions.4.passage.end", "out_of_range"),
        ("proposals.0.sources.0.item", "out_of_range"),
        ("proposals.1.sources.0.answer", "wrong_kind"),
    ]
    .iter()
    .map(|(f, c)| ((*f).into(), (*c).into()))
    .collect();
    assert_eq!(codes, expected);
    // Shapes and lengths: 422, each named.
    let invalid = json!({
        "contributions": [{"answer": w["E1.Q2"], "heading": "x".repeat(301)}],
        "proposals": [{"title": " ", "sources": []}],
        "introduced_by": {"organisation": west_org, "person": "Quelqu'un"},
    });
    let body = problem(
        send(
            &app,
            &coord,
            "PUT",
            "/api/v1/rounds/essai/synthesis/chapters/E1",
            Some(invalid),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(problem_fields(&body), ["introduced_by"]);
    let invalid = json!({
        "contributions": [{"answer": w["E1.Q2"], "heading": "x".repeat(301)}],
        "proposals": [{"title": " ", "sources": []}],
    });
    let body = problem(
        send(
            &app,
            &coord,
            "PUT",
            "/api/v1/rounds/essai/synthesis/chapters/E1",
            Some(invalid),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(
        problem_fields(&body),
        [
            "contributions.0.heading",
            "proposals.0.title",
            "proposals.0.sources"
        ]
    );
    let (status, _) = call(
        &app,
        &coord,
        "PUT",
        "/synthesis/chapters/E9",
        Some(json!({})),
    )
    .await;
    assert_eq!(status, 404);
    assert_eq!(
        chapter(&ok(&app, &coord, "GET", "/synthesis", None).await)["version"],
        0
    );

    // Written: West's testimony whole, a passage of North's, two proposals merged.
    let dot = NORTH_TEXT.find('.').unwrap();
    let (p_start, p_end) = (0, NORTH_TEXT[..dot].chars().count());
    let section = json!({
        "version": 0,
        "introduction": "Les soins à domicile sont le **premier** sujet.",
        "introduced_by": {"organisation": west_org},
        "contributions": [
            {"answer": w["E1.Q2"], "heading": "Cas d'usage : l'attente à domicile"},
            {"answer": n["E1.Q2"], "passage": {"start": p_start, "end": p_end}, "heading": "Des bras manquent"},
        ],
        "proposals": [
            {"title": "Aider les aidants", "description": "Un répit pour chacun.", "sources": [
                {"answer": w["E1.Q6"], "item": 1}]},
            {"title": "Développer la télésurveillance", "description": "Reformulée.", "sources": [
                {"answer": w["E1.Q6"], "item": 0}, {"answer": n["E1.Q6"], "item": 0}]},
        ],
    });
    let written = ok(
        &app,
        &coord,
        "PUT",
        "/synthesis/chapters/E1",
        Some(section.clone()),
    )
    .await;
    assert_eq!(written["version"], 1);
    // The same version again: someone wrote since; nothing is overwritten.
    let mut stale = section.clone();
    stale["contributions"] = json!([]);
    let (status, body) = call(&app, &coord, "PUT", "/synthesis/chapters/E1", Some(stale)).await;
    assert_eq!(
        (status, problem_fields(&body)),
        (409, vec!["version".to_owned()]),
        "{body}"
    );
    let draft = ok(&app, &coord, "GET", "/synthesis", None).await;
    let e1 = chapter(&draft);
    assert_eq!(e1["version"], 1);
    assert_eq!(e1["contributions"].as_array().unwrap().len(), 2);
    assert_eq!(
        e1["contributions"][1]["passage"]["text"],
        &NORTH_TEXT[..dot],
        "the passage's text is read from the answer"
    );
    // Left out now: what was not selected, and North's second proposal among them.
    let left = e1["left_out"].as_array().unwrap();
    assert!(
        left.iter()
            .any(|c| c["answer"] == n["E1.Q6"] && c["item"] == 1)
    );
    assert!(!left.iter().any(|c| c["answer"] == w["E1.Q2"]));

    // The header, from its version.
    let header = json!({"version": 0, "title": "Les soins à domicile", "introduction": "Notre contribution.",
        "conclusion": "Merci.", "proposals_order": "support"});
    assert_eq!(
        ok(&app, &coord, "PUT", "/synthesis", Some(header.clone())).await["version"],
        1
    );
    let (status, body) = call(&app, &coord, "PUT", "/synthesis", Some(header)).await;
    assert_eq!(
        (status, problem_fields(&body)),
        (409, vec!["version".to_owned()])
    );
    let body = problem(
        send(
            &app,
            &coord,
            "PUT",
            "/api/v1/rounds/essai/synthesis",
            Some(json!({"title": ""})),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(problem_fields(&body), ["title"]);

    // A name coordinators mark as personal data is masked in the synthesis.
    let testimony_id = w["E1.Q2"].as_i64().unwrap();
    let byte = TESTIMONY.find("Lucie Martin").unwrap();
    let from = TESTIMONY[..byte].chars().count();
    let redaction = json!({"answer": testimony_id, "start": from, "end": from + 12, "reason": "nom d'une patiente"});
    ok(&app, &coord, "POST", "/redactions", Some(redaction)).await;

    // Every rendering: consent and redactions applied.
    let preview = ok(&app, &coord, "GET", "/synthesis/preview", None).await;
    let document = &preview["document"];
    assert_eq!(preview["to_review"], json!([]));
    let e1 = &document["chapters"][0];
    assert_eq!(e1["introduced_by"], WEST);
    assert_eq!(
        e1["contributions"][0]["by"],
        json!({"name": WEST, "attributed": true})
    );
    assert_eq!(
        e1["contributions"][1]["by"],
        json!({"name": "Fédération", "attributed": false})
    );
    assert_eq!(e1["contributions"][1]["excerpt"], true);
    // Ordered by support: the proposal two organisations made comes first.
    assert_eq!(
        e1["proposals"][0]["title"],
        "Développer la télésurveillance"
    );
    assert_eq!(
        e1["proposals"][0]["supporters"].as_array().unwrap().len(),
        2
    );
    // (Apostrophes and brackets as each rendering escapes them, read back.)
    let html = unescaped(&text(&app, &coord, "/synthesis/preview?format=html").await);
    let markdown = text(&app, &coord, "/synthesis/preview?format=markdown")
        .await
        .replace("\\'", "'")
        .replace("\\[", "[")
        .replace("\\]", "]");
    for (rendering, out) in [
        ("json", preview.to_string()),
        ("html", html.clone()),
        ("markdown", markdown.clone()),
    ] {
        assert!(
            !out.contains(NORTH),
            "{rendering}: the anonymous organisation is never named"
        );
        assert!(
            !out.contains("Lucie Martin"),
            "{rendering}: the name is masked"
        );
        assert!(!out.contains(SOUTH), "{rendering}");
        assert!(out.contains("[donnée personnelle masquée]"), "{rendering}");
        assert!(out.contains("l'attente à domicile"), "{rendering}");
    }
    assert!(
        html.contains("Proposé par Patients de l'Ouest et une organisation anonyme (Fédération)"),
        "{html}"
    );
    assert!(
        html.contains("<strong>premier</strong>"),
        "the coordinators' Markdown is rendered"
    );
    assert!(
        markdown.contains("Introduit par Patients de l'Ouest"),
        "{markdown}"
    );

    // Published: version 1; a second needs to say what changed.
    let (status, body) = call(
        &app,
        &coord,
        "POST",
        "/synthesis/publications",
        Some(json!({})),
    )
    .await;
    assert_eq!((status, body["number"].clone()), (201, json!(1)), "{body}");
    let v1 = text(&app, &coord, "/synthesis/publications/1?format=markdown").await;
    // Public once published: the page, its downloads, the sitemap; consent and
    // redactions as in every other output.
    let visitor = &app.client;
    let (status, public) = visit(&app, "/consultations/essai/contribution").await;
    assert_eq!(status, 200);
    assert!(
        public.contains("Les soins à domicile") && public.contains(WEST),
        "{public}"
    );
    assert!(public.contains("l'attente à domicile"), "{public}");
    for secret in [NORTH, SOUTH, "Lucie Martin"] {
        assert!(!public.contains(secret), "{secret} on the public page");
    }
    let pdf = visitor
        .get(app.url("/consultations/essai/contribution/v1.pdf"))
        .send()
        .await
        .unwrap();
    assert_eq!(pdf.status(), 200);
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    for missing in ["v2.pdf", "v1.exe", "1.pdf", "vx.pdf"] {
        let url = app.url(&format!("/consultations/essai/contribution/{missing}"));
        assert_eq!(
            visitor.get(url).send().await.unwrap().status(),
            404,
            "{missing}"
        );
    }
    let (_, sitemap) = visit(&app, "/sitemap.xml").await;
    assert!(
        sitemap.contains("/consultations/essai/contribution</loc>"),
        "{sitemap}"
    );
    // The published responses: the attributed by name, the anonymous by kind, the one
    // without consent absent, personal data masked.
    let (status, listed) = visit(&app, "/consultations/essai/contribution/reponses").await;
    assert_eq!(status, 200);
    assert!(
        listed.contains(WEST) && listed.contains("Fédération (contribution anonyme)"),
        "{listed}"
    );
    assert!(
        listed.contains("Personne ne vient le week-end")
            && listed.contains("[donnée personnelle masquée]"),
        "{listed}"
    );
    for secret in [NORTH, SOUTH, "Lucie Martin", "ne veut pas voir publié"] {
        assert!(
            !listed.contains(secret),
            "{secret} in the published responses"
        );
    }
    let (beyond, _) = visit(&app, "/consultations/essai/contribution/reponses?page=2").await;
    assert_eq!(beyond, 404);
    open_data_is_the_public_list(&app).await;
    assert!(v1.contains("Version 1, publiée le"), "{v1}");
    let body = problem(
        send(
            &app,
            &coord,
            "POST",
            "/api/v1/rounds/essai/synthesis/publications",
            Some(json!({"changes": " "})),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(problem_fields(&body), ["changes"]);

    // West withdraws its consent: its contributions leave the draft's document, to be
    // reviewed; the published version does not change.
    let base = format!("/api/v1/rounds/essai/responses/{west_org}");
    assert_eq!(
        send(&app, &west, "POST", &format!("{base}/reopen"), None)
            .await
            .status(),
        200
    );
    let body = json!({"publication_consent": "none"});
    assert_eq!(
        send(&app, &west, "POST", &format!("{base}/submit"), Some(body))
            .await
            .status(),
        200
    );
    let preview = ok(&app, &coord, "GET", "/synthesis/preview", None).await;
    let reviewed: Vec<(&str, &str)> = preview["to_review"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["field"].as_str().unwrap(), e["code"].as_str().unwrap()))
        .collect();
    assert_eq!(
        reviewed,
        [
            ("chapters.E1.contributions.0", "no_consent"),
            ("chapters.E1.proposals.0.sources.0", "no_consent"),
            ("chapters.E1.proposals.1.sources.0", "no_consent"),
        ]
    );
    let now = preview["document"]["chapters"][0].clone();
    assert_eq!(now["contributions"].as_array().unwrap().len(), 1);
    // The proposal only West made is gone; the merged one keeps North alone.
    assert_eq!(now["proposals"].as_array().unwrap().len(), 1);
    assert_eq!(
        now["proposals"][0]["supporters"],
        json!([{"name": "Fédération", "attributed": false}])
    );
    let (status, _) = call(
        &app,
        &coord,
        "POST",
        "/synthesis/publications",
        Some(json!({"changes": "Retrait de l'Ouest."})),
    )
    .await;
    assert_eq!(status, 201);
    assert_eq!(
        text(&app, &coord, "/synthesis/publications/1?format=markdown").await,
        v1,
        "frozen"
    );
    let v2 = text(&app, &coord, "/synthesis/publications/2?format=markdown").await;
    // The open data follows consent as the public list does: West is gone from it.
    let (_, after) = visit(&app, "/consultations/essai/contribution/reponses.json").await;
    let after: Value = serde_json::from_str(&after).unwrap();
    assert_eq!(after["contribution_version"], 2);
    let signed: Vec<&Value> = after["responses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| &r["signed_as"])
        .collect();
    assert_eq!(signed, [&json!("Fédération (contribution anonyme)")]);
    // (West still signs the introduction the coordinators wrote with it.)
    assert!(
        !v2.contains("l'attente à domicile") && !v2.contains(&format!("— {WEST}")),
        "{v2}"
    );
    assert!(v1.contains("l'attente à domicile") && v1.contains(&format!("— {WEST}")));
    let (status, _) = call(&app, &coord, "GET", "/synthesis/publications/3", None).await;
    assert_eq!(status, 404);
    let listed = ok(&app, &coord, "GET", "/synthesis", None).await["publications"].clone();
    assert_eq!(listed[0]["number"], 2);
    assert_eq!(listed[0]["changes"], "Retrait de l'Ouest.");
    // The database itself refuses to change a published version.
    let changed = app
        .with_db(|conn| {
            use concerto::store::schema::synthesis_publications::dsl as p;
            use diesel::prelude::*;
            diesel::update(p::synthesis_publications)
                .set(p::document.eq("{}"))
                .execute(conn)
        })
        .await;
    assert!(changed.is_err(), "{changed:?}");

    // Every version of the chapter is kept; each change audited.
    let history = ok(&app, &coord, "GET", "/synthesis/history?chapter=E1", None).await;
    assert_eq!(history["versions"].as_array().unwrap().len(), 1);
    assert_eq!(
        history["versions"][0]["content"]["contributions"][0]["heading"],
        "Cas d'usage : l'attente à domicile"
    );
    let audited = app
        .with_db(|conn| {
            use concerto::store::schema::audit_events::dsl as a;
            use diesel::prelude::*;
            a::audit_events
                .filter(a::action.like("synthesis%"))
                .select(a::action)
                .load::<String>(conn)
                .unwrap()
        })
        .await;
    assert_eq!(
        audited,
        [
            "synthesis_chapter_updated",
            "synthesis_updated",
            "synthesis_published",
            "synthesis_published"
        ]
    );
    app.journal_reads_in_words().await;
}

async fn only_coordinators_with_the_second_factor_touch_a_synthesis(app: TestApp) {
    let coord = coordinator_2fa(&app, "coord@exemple.fr").await;
    open(&app, &coord, "essai").await;
    let plain = coordinator(&app, "simple@exemple.fr").await;
    let (member, _) = organisation_named(
        &app,
        &coord,
        "ouest@exemple.fr",
        "W751234567",
        WEST,
        "patient_association",
    )
    .await;
    for (method, path, body) in [
        ("GET", "/synthesis", None),
        ("PUT", "/synthesis", Some(json!({"title": "T"}))),
        ("PUT", "/synthesis/chapters/E1", Some(json!({}))),
        ("GET", "/synthesis/history", None),
        ("GET", "/synthesis/preview?format=html", None),
        ("POST", "/synthesis/publications", Some(json!({}))),
        ("GET", "/synthesis/publications/1", None),
        (
            "POST",
            "/synthesis/relays",
            Some(json!({"round": "autre", "organisation": 1, "mapping": []})),
        ),
    ] {
        for who in [&member, &plain] {
            let (got, body) = call(&app, who, method, path, body.clone()).await;
            assert_eq!(got, 403, "{method} {path}: {body}");
        }
        if method == "GET" {
            let url = app.url(&format!("/api/v1/rounds/essai{path}"));
            let anonymous = app.client.get(url).send().await.unwrap();
            assert_eq!(anonymous.status(), 401, "{path}");
        }
    }
    // Nothing was made nor written by the refusals; the first readings, at once, make one
    // synthesis between them.
    let first = (0..4).map(|_| call(&app, &coord, "GET", "/synthesis", None));
    for (status, body) in futures_util::future::join_all(first).await {
        assert_eq!(status, 200, "{body}");
    }
    let draft = ok(&app, &coord, "GET", "/synthesis", None).await;
    assert_eq!(draft["version"], 0);
    assert_eq!(draft["publications"], json!([]));
    let (status, body) = call(
        &app,
        &coord,
        "POST",
        "/synthesis/publications",
        Some(json!({})),
    )
    .await;
    assert_eq!(
        (status, problem_fields(&body)),
        (409, vec!["synthesis".to_owned()])
    );
    // Nothing published: no public page, nor in the sitemap.
    assert_eq!(
        visit(&app, "/consultations/essai/contribution").await.0,
        404
    );
    let (listed, _) = visit(&app, "/consultations/essai/contribution/reponses").await;
    assert_eq!(listed, 404, "no responses published before the synthesis");
    for path in [
        "/consultations/essai/contribution/reponses.csv",
        "/api/v1/rounds/essai/synthesis/open-data?format=json",
    ] {
        assert_eq!(
            visit(&app, path).await.0,
            404,
            "{path}: nothing published yet"
        );
    }
    let (_, sitemap) = visit(&app, "/sitemap.xml").await;
    assert!(
        sitemap.contains("/consultations/essai</loc>") && !sitemap.contains("/contribution"),
        "{sitemap}"
    );
    // A round still in draft has no public page, even with a published synthesis.
    crate::round_admin::built_round(&app, &coord, "brouillon", chrono::Duration::days(30)).await;
    let base = "/api/v1/rounds/brouillon/synthesis";
    let header = json!({"title": "Projet", "introduction": "Rien encore."});
    assert_eq!(
        send(&app, &coord, "PUT", base, Some(header)).await.status(),
        200
    );
    let published = send(
        &app,
        &coord,
        "POST",
        &format!("{base}/publications"),
        Some(json!({})),
    )
    .await;
    assert_eq!(published.status(), 201);
    assert_eq!(
        visit(&app, "/consultations/brouillon/contribution").await.0,
        404
    );
    // An unknown round: 404.
    let response = send(
        &app,
        &coord,
        "GET",
        "/api/v1/rounds/inconnue/synthesis",
        None,
    )
    .await;
    assert_eq!(response.status(), 404);
}

/// A form of the editor page posted by `who`: (status, page).
async fn post_page(
    app: &TestApp,
    who: &Who,
    action: &str,
    fields: &[(&str, String)],
) -> (u16, String) {
    let mut form: Vec<(&str, String)> = fields.to_vec();
    form.push(("csrf_token", who.1.clone()));
    let response = who
        .0
        .post(app.url(&format!(
            "/coordination/consultations/essai/synthese/{action}"
        )))
        .form(&form)
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

async fn the_editor_page_refuses_stale_and_unpublishable_selections(app: TestApp) {
    let coord = coordinator_2fa(&app, "coord@exemple.fr").await;
    open(&app, &coord, "essai").await;
    let (member, west_org) = contributor(
        &app,
        &coord,
        (
            "ouest@exemple.fr",
            "W751234567",
            WEST,
            "patient_association",
        ),
        TESTIMONY,
        Some("attributed"),
    )
    .await;
    let (_, south_org) = contributor(
        &app,
        &coord,
        ("sud@exemple.fr", "W751234569", SOUTH, "patient_association"),
        "Un témoignage que le Sud ne veut pas voir publié.",
        Some("none"),
    )
    .await;
    let (w, s) = (
        ids(&app, &coord, west_org).await,
        ids(&app, &coord, south_org).await,
    );
    let page = "/coordination/consultations/essai/synthese";
    let shown = send(&app, &coord, "GET", page, None).await;
    assert_eq!(shown.status(), 200);
    let shown = shown.text().await.unwrap();
    assert!(shown.contains("Synthèse") && shown.contains(&format!("candidat-{}", w["E1.Q2"])));
    assert!(
        !shown.contains(&format!("candidat-{}", s["E1.Q2"])),
        "not publishable: not offered"
    );
    assert_eq!(send(&app, &member, "GET", page, None).await.status(), 403);

    // Selected from version 0: written (303 back to the chapter).
    let select = |answer: &Value, version: &str| {
        vec![
            ("answer", answer.to_string()),
            ("version", version.to_owned()),
            ("heading", "Cas".to_owned()),
        ]
    };
    let (status, _) = post_page(&app, &coord, "E1/retenir", &select(&w["E1.Q2"], "0")).await;
    assert_eq!(status, 303);
    // The same page, posted again from version 0: refused, nothing overwritten.
    let (status, body) = post_page(&app, &coord, "E1/retenir", &select(&w["E1.Q1"], "0")).await;
    assert_eq!(status, 409, "{body}");
    assert!(body.contains("modifié entre-temps"), "{body}");
    // A forged selection of an answer without consent: refused, named on the page.
    let (status, body) = post_page(&app, &coord, "E1/retenir", &select(&s["E1.Q2"], "1")).await;
    assert_eq!(status, 409, "{body}");
    assert!(body.contains("pas consenti"), "{body}");
    let draft = ok(&app, &coord, "GET", "/synthesis", None).await;
    assert_eq!(chapter(&draft)["version"], 1);
    assert_eq!(
        chapter(&draft)["contributions"].as_array().unwrap().len(),
        1
    );
    // Moved, retitled, removed through the page; an unknown chapter or item is 404.
    let (status, _) = post_page(
        &app,
        &coord,
        "E1/contribution/0/intertitre",
        &[("heading", "Cas d'usage".into()), ("version", "1".into())],
    )
    .await;
    assert_eq!(status, 303);
    assert_eq!(
        chapter(&ok(&app, &coord, "GET", "/synthesis", None).await)["contributions"][0]["heading"],
        "Cas d'usage"
    );
    let (status, _) = post_page(
        &app,
        &coord,
        "E1/contribution/7/retirer",
        &[("version", "2".into())],
    )
    .await;
    assert_eq!(status, 404);
    let (status, _) = post_page(&app, &coord, "E9/retenir", &select(&w["E1.Q2"], "0")).await;
    assert_eq!(status, 404);
    let (status, _) = post_page(
        &app,
        &coord,
        "E1/contribution/0/retirer",
        &[("version", "2".into())],
    )
    .await;
    assert_eq!(status, 303);
    assert_eq!(
        chapter(&ok(&app, &coord, "GET", "/synthesis", None).await)["contributions"],
        json!([])
    );
}
