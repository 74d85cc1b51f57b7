//! What an outside audit tried as an attacker would: hostile numbers, dates and sizes.
//! Each is refused with a 4xx naming its field, and values stored before the rules
//! existed (written here straight into the database) crash nothing.

use chrono::NaiveDate;
use serde_json::{Value, json};

use crate::both_backends;
use crate::fixtures::send;
use crate::helpers::{TestApp, problem, problem_fields};
use crate::responses::setup;

both_backends!(
    hostile_numbers_are_refused_and_stored_ones_crash_nothing,
    hostile_dates_are_refused_and_stored_ones_crash_nothing,
    a_huge_invalid_answer_gets_a_small_refusal,
    a_wording_fix_reaches_every_instance,
);

async fn question_count(app: &TestApp) -> i64 {
    app.with_db(|conn| {
        use concerto::store::schema::questions::dsl as q;
        use diesel::prelude::*;
        q::questions.count().get_result(conn).unwrap()
    })
    .await
}

async fn hostile_numbers_are_refused_and_stored_ones_crash_nothing(app: TestApp) {
    let s = setup(&app, chrono::Duration::days(7)).await;
    let coord = &s.coordinator;
    crate::round_admin::built_round(&app, coord, "bornes", chrono::Duration::days(7)).await;
    let before = question_count(&app).await;
    let scale = |min: i64, max: i64| {
        json!({"code": "E1.Q9", "prompt": "?", "kind": "scale",
               "scale": {"min": min, "max": max, "min_label": "", "max_label": ""}})
    };
    let path = "/api/v1/rounds/bornes/chapters/E1/questions";
    // The wrapping subtraction of the audit, and its neighbours.
    for (min, max, field) in [
        (-2_000_000_000, 2_000_000_000, "scale.min"),
        (-2_147_483_648, 2_147_483_647, "scale.min"),
        (0, 2_000_000_000, "scale.max"),
        (1_000, 1_011, "scale.max"),
    ] {
        let refused = problem(
            send(&app, coord, "POST", path, Some(scale(min, max))).await,
            422,
        )
        .await;
        assert!(
            problem_fields(&refused).contains(&field.to_owned()),
            "{refused}"
        );
    }
    // Beyond i32: refused as unreadable, still a 4xx problem.
    let too_big = send(&app, coord, "POST", path, Some(scale(0, 1 << 40))).await;
    assert!(too_big.status().is_client_error());
    for (key, value) in [
        ("max_length", json!(u32::MAX)),
        ("max_items", json!(u32::MAX)),
    ] {
        let kind = if key == "max_length" {
            "short_text"
        } else {
            "proposals"
        };
        let mut body = json!({"code": "E1.Q9", "prompt": "?", "kind": kind});
        body[key] = value;
        let refused = problem(send(&app, coord, "POST", path, Some(body)).await, 422).await;
        assert_eq!(problem_fields(&refused), [key], "{refused}");
    }
    let choices = json!({"code": "E1.Q9", "prompt": "?", "kind": "multiple_choice",
        "options": [{"key": "a", "label": "A"}, {"key": "b", "label": "B"}],
        "min_choices": 1, "max_choices": u32::MAX});
    problem(send(&app, coord, "POST", path, Some(choices)).await, 422).await;
    assert_eq!(question_count(&app).await, before, "nothing stored");

    // A scale stored before the rules: every page that lists its points still answers.
    app.with_db(|conn| {
        use concerto::store::schema::questions::dsl as q;
        use diesel::prelude::*;
        let hostile = json!({"kind": "scale", "scale": {"min": -2_000_000_000, "max": 2_000_000_000, "min_label": "", "max_label": ""}});
        diesel::update(q::questions.filter(q::code.eq("E1.Q5")))
            .set(q::settings.eq(hostile.to_string()))
            .execute(conn)
            .unwrap();
    })
    .await;
    let org = s.org;
    for (who, path) in [
        (&s.owner, format!("/consultations/essai/reponse/{org}")),
        (
            &s.owner,
            format!("/consultations/essai/reponse/{org}/relecture"),
        ),
        (
            coord,
            "/coordination/consultations/essai/resultats".to_owned(),
        ),
        (coord, "/api/v1/rounds/essai/export?format=json".to_owned()),
        (
            coord,
            "/api/v1/rounds/essai/export?format=document".to_owned(),
        ),
    ] {
        let page = send(&app, who, "GET", &path, None).await;
        assert_eq!(page.status(), 200, "{path}");
        let body = page.text().await.unwrap();
        assert!(body.len() < 2_000_000, "{path}: {} bytes", body.len());
    }
    let answer = send(
        &app,
        &s.owner,
        "PUT",
        &format!("/api/v1/rounds/essai/responses/{org}/answers/E1.Q5"),
        Some(json!({"value": 3})),
    )
    .await;
    assert_eq!(answer.status(), 200);
    assert_eq!(app.get("/healthz").await.status(), 200);
}

async fn hostile_dates_are_refused_and_stored_ones_crash_nothing(app: TestApp) {
    let s = setup(&app, chrono::Duration::days(7)).await;
    let coord = &s.coordinator;
    let mut round = crate::round_admin::round("dates", chrono::Duration::days(7));
    for (field, value) in [
        ("closes_at", "9999-12-31T00:00:00Z"),
        ("closes_at", "1970-01-01T00:00:00Z"),
        ("opens_at", "0001-01-01T00:00:00Z"),
    ] {
        let mut body = round.clone();
        body[field] = json!(value);
        let refused = problem(
            send(&app, coord, "POST", "/api/v1/rounds", Some(body)).await,
            422,
        )
        .await;
        assert_eq!(problem_fields(&refused), [field], "{value}: {refused}");
    }
    // chrono reads years beyond four digits; they are refused too, never stored.
    round["closes_at"] = json!("+200000-01-01T00:00:00Z");
    let expanded = send(&app, coord, "POST", "/api/v1/rounds", Some(round)).await;
    assert!(expanded.status().is_client_error());
    let patch = send(
        &app,
        coord,
        "PATCH",
        "/api/v1/rounds/essai",
        Some(json!({"closes_at": "9999-12-31T00:00:00Z"})),
    )
    .await;
    assert_eq!(problem_fields(&problem(patch, 422).await), ["closes_at"]);
    let rounds = app
        .with_db(|conn| {
            use concerto::store::schema::rounds::dsl as r;
            use diesel::prelude::*;
            r::rounds.count().get_result::<i64>(conn).unwrap()
        })
        .await;
    assert_eq!(rounds, 1, "only the setup's round");

    // Dates stored before the rules, as far apart as both backends can hold: its
    // duplicate gets a sane deadline instead of a panic.
    app.with_db(|conn| {
        use concerto::store::schema::rounds::dsl as r;
        use diesel::prelude::*;
        let at = |y| {
            NaiveDate::from_ymd_opt(y, 1, 1)
                .unwrap()
                .and_hms_opt(0, 0, 0)
                .unwrap()
        };
        diesel::update(r::rounds.filter(r::slug.eq("essai")))
            .set((
                r::opens_at.eq(Some(at(-4000))),
                r::closes_at.eq(at(262_000)),
            ))
            .execute(conn)
            .unwrap();
    })
    .await;
    let copy = send(
        &app,
        coord,
        "POST",
        "/api/v1/rounds/essai/duplicate",
        Some(json!({"slug": "essai-2"})),
    )
    .await;
    assert_eq!(copy.status(), 201);
    let copy: Value = copy.json().await.unwrap();
    let closes: chrono::DateTime<chrono::Utc> =
        copy["closes_at"].as_str().unwrap().parse().unwrap();
    assert!(
        closes < chrono::Utc::now() + chrono::Duration::days(60),
        "{closes}"
    );
    assert_eq!(app.get("/healthz").await.status(), 200);
}

async fn a_huge_invalid_answer_gets_a_small_refusal(app: TestApp) {
    let s = setup(&app, chrono::Duration::days(7)).await;
    let org = s.org;
    let path = format!("/api/v1/rounds/essai/responses/{org}/answers/E1.Q4");
    let keys: Vec<String> = (0..50_000).map(|i| format!("inconnue-{i}")).collect();
    let refused = send(&app, &s.owner, "PUT", &path, Some(json!({"value": keys}))).await;
    let body = problem(refused, 422).await;
    assert!(
        body.to_string().len() < 2_000,
        "{} bytes",
        body.to_string().len()
    );
    // A version is an integer as JSON Schema reads one: 0.0 is 0, 0.5 is refused.
    let text = format!("/api/v1/rounds/essai/responses/{org}/answers/E1.Q1");
    let whole = send(
        &app,
        &s.owner,
        "PUT",
        &text,
        Some(json!({"value": "Oui", "version": 0.0})),
    )
    .await;
    assert_eq!(whole.status(), 200);
    let half = send(
        &app,
        &s.owner,
        "PUT",
        &text,
        Some(json!({"value": "Non", "version": 1.5})),
    )
    .await;
    problem(half, 422).await;
    // Unknown keys within the option count: at most a few errors per field.
    let unknown = vec!["x".repeat(10_000); 3];
    let refused = send(
        &app,
        &s.owner,
        "PUT",
        &path,
        Some(json!({"value": unknown})),
    )
    .await;
    let body = problem(refused, 422).await;
    assert!(
        body.to_string().len() < 4_000,
        "{} bytes",
        body.to_string().len()
    );
    // Unknown question codes in a batch: capped as well.
    let batch: serde_json::Map<String, Value> = (0..500)
        .map(|i| (format!("Z{i}.{}", "Q".repeat(500)), json!({"value": 1})))
        .collect();
    let refused = send(
        &app,
        &s.owner,
        "PATCH",
        &format!("/api/v1/rounds/essai/responses/{org}/answers"),
        Some(json!({ "answers": batch })),
    )
    .await;
    assert!(refused.status().is_client_error());
    let body = refused.text().await.unwrap();
    assert!(body.len() < 40_000, "{} bytes", body.len());
}

/// The message of a refused submission, which quotes the required question's prompt.
async fn missing_answer_message(app: &TestApp, who: &crate::fixtures::Who, org: i64) -> String {
    let refused = send(
        app,
        who,
        "POST",
        &format!("/api/v1/rounds/essai/responses/{org}/submit"),
        Some(json!({"publication_consent": "attributed"})),
    )
    .await;
    problem(refused, 409).await["errors"].to_string()
}

async fn a_wording_fix_reaches_every_instance(app: TestApp) {
    let s = setup(&app, chrono::Duration::days(7)).await;
    // Several instances share PostgreSQL only; SQLite is one process's.
    let several = app.state.db.backend == concerto::store::Backend::Postgres;
    let twin = app.twin().await;
    let (old, new) = (
        "Votre avis en une phrase ?",
        "Votre avis, en une seule phrase ?",
    );
    // Both instances have the open round's questions in memory.
    let instances = if several {
        vec![&app, &twin]
    } else {
        vec![&app]
    };
    for instance in &instances {
        let message = missing_answer_message(instance, &s.owner, s.org).await;
        assert!(message.contains(old), "{message}");
    }
    let fix = json!({"code": "E1.Q1", "prompt": new, "kind": "short_text", "max_length": 200, "required": true});
    let fixed = send(
        &app,
        &s.coordinator,
        "PUT",
        "/api/v1/rounds/essai/questions/E1.Q1",
        Some(fix),
    )
    .await;
    assert_eq!(fixed.status(), 200);
    // At once on the instance that made the change…
    let message = missing_answer_message(&app, &s.owner, s.org).await;
    assert!(message.contains(new), "{message}");
    // …and within moments on the other, which PostgreSQL tells.
    if !several {
        return;
    }
    let mut seen = String::new();
    for _ in 0..40 {
        seen = missing_answer_message(&twin, &s.owner, s.org).await;
        if seen.contains(new) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(
        seen.contains(new),
        "the twin still quotes the old prompt: {seen}"
    );
}

/// Where a form says to go back to, only plain paths of this site are followed; a value
/// that once reached a `Location` header with CR/LF (a 500) is percent-encoded.
#[tokio::test]
async fn redirects_stay_on_this_site_and_never_fail() {
    let app = crate::helpers::spawn_app(crate::helpers::Backend::Sqlite)
        .await
        .unwrap();
    app.verified_account("retour@exemple.fr", "Retour").await;
    let location = |r: &reqwest::Response| {
        r.headers()
            .get("location")
            .map(|l| l.to_str().unwrap().to_owned())
            .unwrap_or_default()
    };
    for hostile in [
        "/\t/evil.example/",
        "//evil.example/",
        "/\\evil.example/",
        "/ /evil.example/",
        "https://evil.example/",
    ] {
        let visitor = crate::helpers::client();
        let signed = visitor
            .post(app.url("/connexion"))
            .form(&[
                ("email", "retour@exemple.fr"),
                ("password", crate::accounts::PASSWORD),
                ("suite", hostile),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(signed.status(), 303, "{hostile:?}");
        assert_eq!(location(&signed), "/", "{hostile:?}");
        let switched = crate::helpers::client()
            .post(app.url("/langue"))
            .form(&[("lang", "en"), ("next", hostile)])
            .send()
            .await
            .unwrap();
        assert_eq!(switched.status(), 303, "{hostile:?}");
        assert_eq!(location(&switched), "/", "{hostile:?}");
    }
    // Every "sign in first" redirection, with CR/LF and other bytes in the path.
    for path in [
        "/compte",
        "/organisations",
        "/organisations/nouvelle",
        "/consultations/a%0D%0ASet-Cookie:%20x=y/reponse",
        "/consultations/a%0D%0Ab/reponse/1",
        "/consultations/a%0D%0Ab/reponse/1/relecture",
        "/consultations/a%0D%0Ab/reponse/1/copie",
        "/consultations/a%0D%0Ab/reponse/1/historique/E1%0A.Q1",
        "/coordination/consultations",
        "/coordination/consultations/a%0D%0Ab",
        "/coordination/consultations/a%0D%0Ab/avancement",
        "/coordination/consultations/a%0D%0Ab/resultats",
        "/admin/utilisateurs",
        "/admin/journal",
    ] {
        let answer = crate::helpers::client()
            .get(app.url(path))
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 303, "{path}");
        let to = location(&answer);
        assert!(to.starts_with("/connexion?suite=/"), "{path}: {to}");
        assert!(
            to.bytes().all(|b| (0x21..=0x7e).contains(&b)),
            "{path}: {to}"
        );
        assert!(answer.headers().get("set-cookie").is_none(), "{path}");
    }
}

both_backends!(
    only_approved_organisations_invite_at_a_pace,
    names_and_titles_are_single_lines,
);

async fn only_approved_organisations_invite_at_a_pace(app: TestApp) {
    let coord = crate::fixtures::coordinator_2fa(&app, "coord@exemple.fr").await;
    let owner = crate::fixtures::member(&app, "owner@exemple.fr").await;
    let mut registration = crate::fixtures::organisation("W751234567");
    registration["name"] = json!("Votre compte sera suspendu : cliquez ici");
    let created: Value = send(
        &app,
        &owner,
        "POST",
        "/api/v1/organisations",
        Some(registration),
    )
    .await
    .json()
    .await
    .unwrap();
    let org = created["id"].as_i64().unwrap();
    let invite = |i: usize| {
        let body = json!({"email": format!("invite{i}@dehors.example"), "role": "viewer"});
        let path = format!("/api/v1/organisations/{org}/invitations");
        let (app, owner) = (&app, &owner);
        async move { send(app, owner, "POST", &path, Some(body)).await }
    };
    // Pending: no email leaves.
    problem(invite(0).await, 403).await;
    let decide = |action: &str| {
        let path = format!("/api/v1/organisations/{org}/{action}");
        let (app, coord) = (&app, &coord);
        async move {
            send(
                app,
                coord,
                "POST",
                &path,
                Some(json!({"reason": "Contrôle"})),
            )
            .await
        }
    };
    assert_eq!(decide("approve").await.status(), 200);
    assert_eq!(invite(1).await.status(), 201);
    let mail = app.mailbox.wait_for("invite1@dehors.example", 1).await;
    assert!(!mail[0].subject.contains("suspendu"), "{}", mail[0].subject);
    // The member's view of itself names the organisation and its role.
    let me: Value = send(&app, &owner, "GET", "/api/v1/me", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["memberships"][0]["organisation_id"], org);
    assert_eq!(me["memberships"][0]["role"], "owner");
    assert_eq!(me["memberships"][0]["status"], "approved");
    assert_eq!(decide("suspend").await.status(), 200);
    problem(invite(2).await, 403).await;
    assert_eq!(decide("reinstate").await.status(), 200);
    let mut statuses = Vec::new();
    for i in 3..40 {
        statuses.push(invite(i).await.status().as_u16());
    }
    assert!(statuses.contains(&429), "{statuses:?}");
    let sent = app
        .with_db(|conn| {
            use concerto::store::schema::organisation_invitations::dsl as i;
            use diesel::prelude::*;
            i::organisation_invitations
                .count()
                .get_result::<i64>(conn)
                .unwrap()
        })
        .await;
    assert!(sent <= 21, "{sent} invitations");
}

async fn names_and_titles_are_single_lines(app: TestApp) {
    let coord = crate::fixtures::coordinator_2fa(&app, "coord@exemple.fr").await;
    let owner = crate::fixtures::member(&app, "owner@exemple.fr").await;
    for name in [
        "Association\r\nBcc: tous@exemple.fr",
        "Nom\u{7}",
        "Nom\tsuite",
    ] {
        let mut registration = crate::fixtures::organisation("W751234567");
        registration["name"] = json!(name);
        let refused = send(
            &app,
            &owner,
            "POST",
            "/api/v1/organisations",
            Some(registration),
        )
        .await;
        assert_eq!(
            problem_fields(&problem(refused, 422).await),
            ["name"],
            "{name:?}"
        );
    }
    let mut round = crate::round_admin::round("lignes", chrono::Duration::days(7));
    round["title"] = json!("Titre\nSubject: faux");
    let refused = send(&app, &coord, "POST", "/api/v1/rounds", Some(round.clone())).await;
    assert_eq!(problem_fields(&problem(refused, 422).await), ["title"]);
    // Descriptions and bodies keep their lines.
    round["title"] = json!("Titre");
    round["body"] = json!("Premier paragraphe.\n\nSecond paragraphe.");
    assert_eq!(
        send(&app, &coord, "POST", "/api/v1/rounds", Some(round))
            .await
            .status(),
        201
    );
    // A token or recovery codes are never kept by a cache.
    let token = send(
        &app,
        &owner,
        "POST",
        "/api/v1/tokens",
        Some(json!({"name": "x"})),
    )
    .await;
    assert_eq!(token.headers()["cache-control"], "no-store");
    let setup = send(&app, &owner, "POST", "/api/v1/auth/totp/setup", None).await;
    assert_eq!(setup.headers()["cache-control"], "no-store");
}

both_backends!(
    anonymous_drafts_are_kept_only_where_they_belong,
    anonymous_refusals_cannot_flood_the_journal,
);

async fn kept_drafts(app: &TestApp) -> Vec<String> {
    app.with_db(|conn| {
        use concerto::store::schema::kept_drafts::dsl as k;
        use diesel::prelude::*;
        k::kept_drafts.select(k::fields).load(conn).unwrap()
    })
    .await
}

async fn anonymous_drafts_are_kept_only_where_they_belong(app: TestApp) {
    let s = setup(&app, chrono::Duration::days(7)).await;
    let post = |path: String, fields: Vec<(String, String)>| {
        let app = &app;
        async move {
            crate::helpers::client()
                .post(app.url(&path))
                .form(&fields)
                .send()
                .await
                .unwrap()
        }
    };
    let org = s.org;
    let junk = "x".repeat(200_000);
    let fields = |extra: &str| {
        vec![
            ("q.E1.Q1".to_owned(), "Mon avis".to_owned()),
            ("q.E1.Q2".to_owned(), extra.to_owned()),
            ("n'importe.quoi".to_owned(), junk.clone()),
            ("q.E9.Q1".to_owned(), junk.clone()),
        ]
    };
    for (path, status) in [
        (
            "/consultations/inconnue/reponse/1?chapitre=E1".to_owned(),
            404,
        ),
        (
            "/consultations/essai/reponse/999999?chapitre=E1".to_owned(),
            404,
        ),
        (
            format!("/consultations/essai/reponse/{org}?chapitre=E9"),
            404,
        ),
    ] {
        let refused = post(path.clone(), fields("")).await;
        assert_eq!(refused.status(), status, "{path}");
    }
    assert!(kept_drafts(&app).await.is_empty());
    // An open round's own fields are kept, within their questions' limits; the rest is
    // dropped (Q2 takes 5000 characters at most).
    let kept = post(
        format!("/consultations/essai/reponse/{org}?chapitre=E1"),
        fields(&junk),
    )
    .await;
    assert_eq!(kept.status(), 303);
    let stored = kept_drafts(&app).await;
    assert_eq!(stored.len(), 1);
    assert!(
        stored[0].contains("Mon avis") && stored[0].len() < 1_000,
        "{}",
        stored[0].len()
    );
    // A ceiling on all drafts at once.
    app.with_db(|conn| {
        use concerto::store::schema::kept_drafts::dsl as k;
        use diesel::prelude::*;
        let later = (chrono::Utc::now() + chrono::Duration::hours(1)).naive_utc();
        let rows: Vec<_> = (0..concerto::services::kept_drafts::CEILING)
            .map(|i| {
                (
                    k::key_hash.eq(format!("remplissage-{i}")),
                    k::round_slug.eq("essai"),
                    k::organisation_id.eq(1_i64),
                    k::chapter.eq("E1"),
                    k::fields.eq("[]"),
                    k::created_at.eq(later),
                    k::expires_at.eq(later),
                )
            })
            .collect();
        for chunk in rows.chunks(500) {
            match conn {
                concerto::store::DbConnection::Sqlite(c) => diesel::insert_into(k::kept_drafts)
                    .values(chunk)
                    .execute(c)
                    .unwrap(),
                concerto::store::DbConnection::Postgres(c) => diesel::insert_into(k::kept_drafts)
                    .values(chunk)
                    .execute(c)
                    .unwrap(),
            };
        }
    })
    .await;
    let full = post(
        format!("/consultations/essai/reponse/{org}?chapitre=E1"),
        fields(""),
    )
    .await;
    assert_eq!(full.status(), 429);
    // A closed round keeps nothing.
    let closed = send(
        &app,
        &s.coordinator,
        "POST",
        "/api/v1/rounds/essai/close",
        None,
    )
    .await;
    assert_eq!(closed.status(), 200);
    let late = post(
        format!("/consultations/essai/reponse/{org}?chapitre=E1"),
        fields(""),
    )
    .await;
    assert_eq!(late.status(), 409);
}

async fn anonymous_refusals_cannot_flood_the_journal(app: TestApp) {
    let coord = crate::fixtures::coordinator_2fa(&app, "coord@exemple.fr").await;
    let long_path = format!("/api/v1/organisations/{}", "a".repeat(5_000));
    let attacker = crate::helpers::client();
    for _ in 0..150 {
        let refused = attacker
            .post(app.url(&long_path))
            .header("origin", "https://evil.example")
            .json(&json!({}))
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), 403);
    }
    let rows: Vec<(Option<String>, String)> = app
        .with_db(|conn| {
            use concerto::store::schema::audit_events::dsl as a;
            use diesel::prelude::*;
            a::audit_events
                .filter(a::action.eq("cross_site_refused"))
                .select((a::target, a::details))
                .load(conn)
                .unwrap()
        })
        .await;
    assert!(!rows.is_empty() && rows.len() <= 20, "{} rows", rows.len());
    assert!(
        rows.iter()
            .all(|(t, _)| t.as_deref().unwrap_or_default().len() <= 200)
    );
    // The journal filters by kind and author, and pages.
    let page = |query: &str| {
        let url = format!("/admin/journal{query}");
        let (app, coord) = (&app, &coord);
        async move {
            let answer = send(app, coord, "GET", &url, None).await;
            assert_eq!(answer.status(), 200, "{url}");
            answer.text().await.unwrap()
        }
    };
    // Each event in words, its code beside it.
    let code = |action: &str| format!("<code class=\"muted\">{action}</code>");
    let refusals = page("?action=cross_site_refused").await;
    assert!(refusals.contains(&code("cross_site_refused")));
    assert!(refusals.contains("Requête d&#39;un autre site refusée"));
    assert!(!refusals.contains(&code("totp_enabled")));
    let mine = page("?qui=coord%40exemple").await;
    assert!(mine.contains("Double authentification activée"));
    assert!(mine.contains(&code("totp_enabled")));
    assert!(!mine.contains(&code("cross_site_refused")));
    let today = chrono::Utc::now().format("%Y-%m-%d");
    assert!(
        page(&format!("?du={today}&au={today}"))
            .await
            .contains("totp_enabled")
    );
    assert!(!page("?au=2001-01-01").await.contains("<code"));
    let refused = send(&app, &coord, "GET", "/admin/journal?du=hier", None).await;
    assert_eq!(refused.status(), 422);
    // CSP reports: from a signed-in browser (cookie, no CSRF header), capped, throttled.
    let report = json!({"csp-report": {"document-uri": "https://x/\r\nforged line", "violated-directive": "script-src"}});
    let signed_in = coord
        .0
        .post(app.url("/api/v1/csp-reports"))
        .header("content-type", "application/csp-report")
        .body(report.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(signed_in.status(), 204);
    let many: Vec<Value> = (0..10_000)
        .map(|_| json!({"type": "csp-violation", "body": {"documentURL": "https://x"}}))
        .collect();
    let batch = crate::helpers::client()
        .post(app.url("/api/v1/csp-reports"))
        .json(&many)
        .send()
        .await
        .unwrap();
    assert!(
        batch.status().is_success() || batch.status() == 413,
        "{}",
        batch.status()
    );
    let mut statuses = Vec::new();
    for _ in 0..40 {
        let answer = crate::helpers::client()
            .post(app.url("/api/v1/csp-reports"))
            .json(&report)
            .send()
            .await
            .unwrap();
        statuses.push(answer.status().as_u16());
    }
    assert!(statuses.contains(&429), "{statuses:?}");
}
