//! Redactions masked in the document and absent from raw exports unless asked, audited
//! without the personal data.

use super::*;

both_backends!(redactions_mask_what_is_published);

async fn redactions_mask_what_is_published(app: TestApp) {
    let coord = coordinator_2fa(&app, "coord@exemple.fr").await;
    open(&app, &coord, "essai").await;
    let (west, west_org) = west(&app, &coord).await;
    let testimony = "Mme Lucie Martin, 82 ans, attend à l'hôpital de Brest. Lucie Martin n'a plus de médecin traitant.";
    answer(&app, &west, "essai", west_org, "E1.Q1", "Un témoignage.").await;
    answer(&app, &west, "essai", west_org, "E1.Q2", testimony).await;
    let path = format!("/api/v1/rounds/essai/responses/{west_org}/answers/E1.Q3");
    assert_eq!(
        send(&app, &west, "PUT", &path, Some(json!({"value": "oui"})))
            .await
            .status(),
        200
    );
    submit(&app, &west, "essai", west_org).await;
    let ids = answer_ids(&app, &coord, west_org).await;
    let found = ok(&app, &coord, "GET", "/search?q=Brest", None).await;
    let response = found["results"][0]["response_id"].as_i64().unwrap();

    // Candidates: proposed, not masked.
    let proposed = ok(
        &app,
        &coord,
        "GET",
        &format!("/redaction-candidates?response={response}"),
        None,
    )
    .await;
    let looks: Vec<(&str, &str)> = proposed["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["looks"].as_str().unwrap(),
                c["passage"]["text"].as_str().unwrap(),
            )
        })
        .collect();
    assert!(looks.contains(&("name", "Lucie Martin")), "{looks:?}");
    assert!(looks.contains(&("age", "82 ans")), "{looks:?}");
    assert_eq!(
        ok(&app, &coord, "GET", "/redactions", None).await["redactions"],
        json!([])
    );

    // Bad redactions name their field.
    let (start, end) = range_of(testimony, "Lucie Martin");
    for (body, status, field) in [
        (
            json!({"answer": ids["E1.Q2"], "start": start, "end": end, "reason": " "}),
            422,
            "reason",
        ),
        (
            json!({"answer": ids["E1.Q2"], "start": start, "end": 10_000, "reason": "nom"}),
            409,
            "end",
        ),
        (
            json!({"answer": ids["E1.Q3"], "start": 0, "end": 2, "reason": "nom"}),
            409,
            "start",
        ),
        (
            json!({"answer": 999_999, "start": 0, "end": 2, "reason": "nom"}),
            409,
            "answer",
        ),
    ] {
        let (got, refused) = call(&app, &coord, "POST", "/redactions", Some(body.clone())).await;
        assert_eq!(
            (got, problem_fields(&refused)),
            (status, vec![field.to_owned()]),
            "{body}"
        );
    }

    // A name masked: everywhere it is written in the answer, in the document only.
    let made = ok(
        &app,
        &coord,
        "POST",
        "/redactions",
        Some(json!({
            "answer": ids["E1.Q2"], "start": start, "end": end, "reason": "nom d'une patiente"
        })),
    )
    .await;
    assert_eq!(made["passage"]["text"], "Lucie Martin");
    assert_eq!(made["now"]["start"], start);
    let (status, _) = call(
        &app,
        &coord,
        "POST",
        "/redactions",
        Some(json!({
            "answer": ids["E1.Q2"], "start": start, "end": end, "reason": "encore"
        })),
    )
    .await;
    assert_eq!(status, 409);
    for format in ["document", "document&as=markdown"] {
        let document = export(&app, &coord, format).await;
        assert!(!document.contains("Lucie Martin"), "{format}: {document}");
        assert_eq!(
            document.matches("personnelle masqu").count(),
            2,
            "{format}: {document}"
        );
        assert!(
            document.contains("82 ans"),
            "only what was confirmed is masked"
        );
    }
    for format in ["csv", "json", "csv-wide"] {
        assert!(
            export(&app, &coord, format).await.contains("Lucie Martin"),
            "raw export {format} keeps the original"
        );
    }
    // Masked there too when asked (audited as such).
    for format in [
        "csv&masked=true",
        "json&masked=true",
        "csv-wide&masked=true",
    ] {
        let masked = export(&app, &coord, format).await;
        assert!(!masked.contains("Lucie Martin"), "{format}: {masked}");
        assert!(masked.contains("[donnée personnelle masquée]"), "{format}");
    }
    let audited = app
        .with_db(|conn| {
            use concerto::store::schema::audit_events::dsl as a;
            use diesel::prelude::*;
            a::audit_events
                .filter(a::action.eq("export"))
                .select(a::details)
                .load::<String>(conn)
                .unwrap()
        })
        .await;
    assert_eq!(
        audited
            .iter()
            .filter(|d| d.contains("\"masked\":true"))
            .count(),
        3,
        "{audited:?}"
    );
    // The answer itself is intact; the candidate is no longer proposed.
    let stored = ok(&app, &coord, "GET", &format!("/responses/{west_org}"), None).await;
    assert_eq!(stored["answers"]["E1.Q2"]["value"], testimony);
    let proposed = ok(
        &app,
        &coord,
        "GET",
        &format!("/redaction-candidates?response={response}"),
        None,
    )
    .await;
    assert!(!proposed.to_string().contains("Lucie Martin"), "{proposed}");

    // Only coordinators with the second factor.
    let plain = coordinator(&app, "sans2fa@exemple.fr").await;
    for who in [&west, &plain] {
        assert_eq!(call(&app, who, "GET", "/redactions", None).await.0, 403);
        let body = json!({"answer": ids["E1.Q2"], "start": 0, "end": 3, "reason": "x"});
        assert_eq!(
            call(&app, who, "POST", "/redactions", Some(body)).await.0,
            403
        );
        let id = made["id"].as_i64().unwrap();
        assert_eq!(
            call(&app, who, "DELETE", &format!("/redactions/{id}"), None)
                .await
                .0,
            403
        );
    }

    // Removed: published again; both audited, without the personal data.
    let id = made["id"].as_i64().unwrap();
    assert_eq!(
        call(&app, &coord, "DELETE", &format!("/redactions/{id}"), None)
            .await
            .0,
        204
    );
    assert!(
        export(&app, &coord, "document")
            .await
            .contains("Lucie Martin")
    );
    let events = app
        .with_db(|conn| {
            use concerto::store::schema::audit_events::dsl as a;
            use diesel::prelude::*;
            a::audit_events
                .filter(a::action.eq_any(["answer_redacted", "redaction_removed"]))
                .select((a::action, a::details))
                .load::<(String, String)>(conn)
                .unwrap()
        })
        .await;
    assert_eq!(events.len(), 2, "{events:?}");
    assert!(
        events.iter().all(|(_, details)| !details.contains("Lucie")),
        "{events:?}"
    );
    problem(
        send(
            &app,
            &coord,
            "GET",
            "/api/v1/rounds/essai/redaction-candidates",
            None,
        )
        .await,
        400,
    )
    .await;
    app.journal_reads_in_words().await;
}
