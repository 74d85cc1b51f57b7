//! The seed's case replayed: the four enjeux of the demo round, twelve associations
//! answering the enjeu they contributed to, one enjeu introduced by an association,
//! testimonies selected and proposals consolidated, published; the PDF's text (read by
//! poppler's `pdftotext`) and the DOCX's (its `word/document.xml`) hold the four enjeux
//! in order, each introduction, each selected testimony under its enjeu signed by its
//! association, and each consolidated proposal with its supporters; the anonymous one
//! by its kind only.

use std::io::Read;
use std::process::Command;

use chrono::{Duration, Utc};
use serde_json::json;

use crate::analysis::{answer_ids, ok};
use crate::both_backends;
use crate::fixtures::{Who, coordinator_2fa, send};
use crate::helpers::TestApp;

both_backends!(the_published_synthesis_reads_in_pdf_and_docx);

/// The demo round's four enjeux (code, title), from the seed itself.
fn enjeux() -> Vec<(String, String)> {
    concerto::domain::demo::demo_round(Utc::now())
        .chapters
        .into_iter()
        .map(|c| (c.chapter.code, c.chapter.title))
        .collect()
}

/// Round `essai` with the four enjeux, each a testimony and a proposals question.
async fn round_of_four_enjeux(app: &TestApp, coord: &Who) {
    let round = crate::round_admin::round("essai", Duration::days(30));
    assert_eq!(
        send(app, coord, "POST", "/api/v1/rounds", Some(round))
            .await
            .status(),
        201
    );
    for (code, title) in enjeux() {
        let chapter = json!({"code": code, "title": title});
        let made = send(
            app,
            coord,
            "POST",
            "/api/v1/rounds/essai/chapters",
            Some(chapter),
        )
        .await;
        assert_eq!(made.status(), 201);
        for question in [
            json!({"code": format!("{code}.Q1"), "prompt": "Racontez.", "kind": "long_text", "max_length": 5000}),
            json!({"code": format!("{code}.Q2"), "prompt": "Vos propositions ?", "kind": "proposals", "max_items": 5}),
        ] {
            let path = format!("/api/v1/rounds/essai/chapters/{code}/questions");
            assert_eq!(
                send(app, coord, "POST", &path, Some(question))
                    .await
                    .status(),
                201
            );
        }
    }
    let opened = send(app, coord, "POST", "/api/v1/rounds/essai/open", None).await;
    assert_eq!(opened.status(), 200);
}

/// One association of the twelve: its name, the enjeu it answers, its consent.
struct Association {
    name: String,
    enjeu: usize,
    consent: &'static str,
    id: i64,
}

fn testimony(a: &Association) -> String {
    format!(
        "Témoignage numéro {} recueilli auprès de nos adhérents : la plateforme a orienté une \
         personne âgée vers un service fermé, et personne ne l'a rappelée.",
        a.id
    )
}

fn normalised(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The PDF's text, as a reader extracts it.
fn pdf_text(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("synthese.pdf");
    std::fs::write(&file, pdf).unwrap();
    let out = Command::new("pdftotext")
        .arg(&file)
        .arg("-")
        .output()
        .expect("pdftotext (Debian package poppler-utils; scripts/test installs it)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    normalised(&String::from_utf8(out.stdout).unwrap())
}

/// The DOCX's text: each paragraph's runs, paragraphs apart.
fn docx_text(docx: &[u8]) -> String {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(docx)).unwrap();
    let mut xml = String::new();
    archive
        .by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    let mut text = String::new();
    for paragraph in xml.split("</w:p>") {
        for run in paragraph.split("<w:t").skip(1) {
            let body = &run[run.find('>').unwrap() + 1..];
            text.push_str(&body[..body.find("</w:t>").unwrap_or(body.len())]);
        }
        text.push(' ');
    }
    let text = text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&");
    normalised(&text)
}

/// Where `part` is in `text`, after `from`.
fn at(text: &str, part: &str, from: usize) -> usize {
    let normal = normalised(part);
    from + text[from..]
        .find(&normal)
        .unwrap_or_else(|| panic!("« {normal} » after {from} in:\n{text}"))
}

async fn download(app: &TestApp, coord: &Who, format: &str) -> Vec<u8> {
    let path = format!("/api/v1/rounds/essai/synthesis/publications/1?format={format}");
    let response = send(app, coord, "GET", &path, None).await;
    assert_eq!(response.status(), 200, "{format}");
    let disposition = response.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        disposition,
        format!("attachment; filename=\"synthese-essai-v1.{format}\"")
    );
    response.bytes().await.unwrap().to_vec()
}

async fn the_published_synthesis_reads_in_pdf_and_docx(app: TestApp) {
    let coord = coordinator_2fa(&app, "coord@exemple.fr").await;
    round_of_four_enjeux(&app, &coord).await;
    let enjeux = enjeux();
    let mut associations = Vec::new();
    // Six members own two associations each (registrations are throttled per address).
    let mut owners = Vec::new();
    for i in 0..6 {
        owners.push(crate::fixtures::member(&app, &format!("membre{i}@exemple.fr")).await);
    }
    for i in 0..12 {
        let name = format!("Association témoin {}", i + 1);
        let owner = &owners[i / 2];
        let fields = crate::fixtures::organisation_of(
            &format!("W75100{i:04}"),
            &name,
            "patient_association",
        );
        let org = crate::fixtures::approve_new_organisation(&app, &coord, owner, fields).await;
        // The eleventh stays anonymous, the twelfth does not consent.
        let consent = match i {
            10 => "anonymous",
            11 => "none",
            _ => "attributed",
        };
        let association = Association {
            name,
            enjeu: i % 4,
            consent,
            id: org,
        };
        let code = &enjeux[association.enjeu].0;
        let base = format!("/api/v1/rounds/essai/responses/{org}");
        for (question, value) in [
            (format!("{code}.Q1"), json!(testimony(&association))),
            (
                format!("{code}.Q2"),
                json!([{"title": format!("Proposition de l'association {org}"), "description": "Pour tous."}]),
            ),
        ] {
            let path = format!("{base}/answers/{question}");
            let saved = send(&app, owner, "PUT", &path, Some(json!({ "value": value }))).await;
            assert_eq!(saved.status(), 200);
        }
        let submit = json!({"publication_consent": consent});
        let submitted = send(&app, owner, "POST", &format!("{base}/submit"), Some(submit)).await;
        assert_eq!(submitted.status(), 200);
        associations.push(association);
    }

    // Per enjeu: an introduction (the first one signed by the first association), each
    // consenting association's testimony, their proposals merged into one.
    let header = json!({"version": 0, "title": "L'IA au chevet des malades", "introduction": "Une contribution de la fédération."});
    ok(&app, &coord, "PUT", "/synthesis", Some(header)).await;
    for (e, (code, title)) in enjeux.iter().enumerate() {
        let members: Vec<&Association> = associations
            .iter()
            .filter(|a| a.enjeu == e && a.consent != "none")
            .collect();
        let mut contributions = Vec::new();
        let mut sources = Vec::new();
        for a in &members {
            let ids = answer_ids(&app, &coord, a.id).await;
            contributions.push(json!({"answer": ids[format!("{code}.Q1")], "heading": format!("Cas d'usage {}", a.id)}));
            sources.push(json!({"answer": ids[format!("{code}.Q2")], "item": 0}));
        }
        let mut section = json!({
            "version": 0,
            "introduction": format!("Introduction de l'enjeu « {title} »."),
            "contributions": contributions,
            "proposals": [{"title": format!("Proposition consolidée {code}"), "description": "Reformulée.", "sources": sources}],
        });
        if e == 0 {
            section["introduced_by"] = json!({"organisation": members[0].id});
        }
        ok(
            &app,
            &coord,
            "PUT",
            &format!("/synthesis/chapters/{code}"),
            Some(section),
        )
        .await;
    }
    ok(
        &app,
        &coord,
        "POST",
        "/synthesis/publications",
        Some(json!({})),
    )
    .await;

    let pdf = download(&app, &coord, "pdf").await;
    assert!(pdf.starts_with(b"%PDF-"), "a PDF");
    let docx = download(&app, &coord, "docx").await;
    for (format, text) in [("pdf", pdf_text(&pdf)), ("docx", docx_text(&docx))] {
        assert!(text.contains("L'IA au chevet des malades"), "{format}");
        let mut from = 0;
        for (e, (code, title)) in enjeux.iter().enumerate() {
            // The enjeu's heading (after the table of contents, which names it first).
            let heading = format!("{code} — {title}");
            from = at(
                &text,
                &format!("Introduction de l'enjeu « {title} »."),
                at(&text, &heading, from),
            );
            if e == 0 {
                at(
                    &text,
                    &format!("Introduit par {}", associations[0].name),
                    from,
                );
            }
            let next = enjeux
                .get(e + 1)
                .map_or(text.len(), |(c, t)| at(&text, &format!("{c} — {t}"), from));
            let mut supporters = Vec::new();
            for a in associations.iter().filter(|a| a.enjeu == e) {
                let found = text[from..next].contains(&normalised(&testimony(a)));
                assert_eq!(
                    found,
                    a.consent != "none",
                    "{format}: {} under {code}",
                    a.name
                );
                let signature = if a.consent == "attributed" {
                    format!("— {}", a.name)
                } else {
                    "— Association de patients (contribution anonyme)".to_owned()
                };
                if a.consent != "none" {
                    at(&text[..next], &signature, from);
                    supporters.push(a);
                }
                if a.consent != "attributed" {
                    assert!(
                        !text.contains(&a.name),
                        "{format}: {} is never named",
                        a.name
                    );
                }
            }
            let named: Vec<&str> = supporters
                .iter()
                .filter(|a| a.consent == "attributed")
                .map(|a| a.name.as_str())
                .collect();
            let anonymous = supporters.len() - named.len();
            let mut said = named.iter().map(|s| s.to_string()).collect::<Vec<_>>();
            if anonymous == 1 {
                said.push("une organisation anonyme (Association de patients)".into());
            }
            let sentence = match said.len() {
                1 => said[0].clone(),
                n => format!("{} et {}", said[..n - 1].join(", "), said[n - 1]),
            };
            let proposal = at(
                &text[..next],
                &format!("Proposition consolidée {code}"),
                from,
            );
            at(&text[..next], &format!("Proposé par {sentence}"), proposal);
            from = next.min(text.len());
        }
    }
}
