//! Documents attached to responses: each type taken by its content and refused when
//! content and name disagree; limits enforced while the file streams (413, nothing kept);
//! an interrupted upload leaves nothing; downloads only for those who read the response;
//! one content kept once; versions and history; the documents question's answer follows
//! the files.

use std::io::Write;

use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::both_backends;
use crate::fixtures::{Who, coordinator, coordinator_2fa, send, west_and_east};
use crate::helpers::{TestApp, client, problem, problem_fields};

both_backends!(documents_are_typed_bounded_and_guarded);

pub const BOUNDARY: &str = "----concerto-essai-7MA4YWxkTrZu0gW";

/// A `multipart/form-data` body: text fields, then the file (name, bytes).
pub fn form(fields: &[(&str, &str)], file: Option<(&str, &[u8])>) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, value) in fields {
        write!(
            body,
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
        )
        .unwrap();
    }
    if let Some((file_name, bytes)) = file {
        write!(
            body,
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        )
        .unwrap();
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    write!(body, "--{BOUNDARY}--\r\n").unwrap();
    body
}

pub async fn upload(
    app: &TestApp,
    who: &Who,
    path: &str,
    title: &str,
    file: (&str, &[u8]),
) -> reqwest::Response {
    who.0
        .post(app.url(path))
        .header("x-csrf-token", &who.1)
        .header(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(form(&[("title", title)], Some(file)))
        .send()
        .await
        .unwrap()
}

pub fn sha256(bytes: &[u8]) -> String {
    concerto::hex::hex(&Sha256::digest(bytes))
}

/// Test files of each type, real enough for a reader of that type.
pub mod samples {
    use std::io::Write;

    pub fn pdf(text: &str) -> Vec<u8> {
        format!(
            "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n% {text}\ntrailer << /Root 1 0 R >>\n%%EOF\n"
        )
        .into_bytes()
    }

    pub fn png() -> Vec<u8> {
        let mut bytes =
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89"
                .to_vec();
        bytes.extend_from_slice(b"\0\0\0\0IEND\xaeB`\x82");
        bytes
    }

    pub fn jpeg() -> Vec<u8> {
        let mut bytes = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10];
        bytes.extend_from_slice(b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0");
        bytes.extend_from_slice(&[0xFF, 0xD9]);
        bytes
    }

    fn zip_of(entries: &[(&str, &str)]) -> Vec<u8> {
        let mut out = std::io::Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut out);
        let stored = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        for (name, content) in entries {
            zip.start_file(*name, stored).unwrap();
            zip.write_all(content.as_bytes()).unwrap();
        }
        zip.finish().unwrap();
        out.into_inner()
    }

    pub fn docx(text: &str) -> Vec<u8> {
        zip_of(&[
            (
                "[Content_Types].xml",
                "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>",
            ),
            (
                "_rels/.rels",
                "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"/>",
            ),
            (
                "word/document.xml",
                &format!(
                    "<?xml version=\"1.0\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>"
                ),
            ),
        ])
    }

    pub fn xlsx() -> Vec<u8> {
        let mut book = rust_xlsxwriter::Workbook::new();
        book.add_worksheet().write_string(0, 0, "Enquête").unwrap();
        book.save_to_buffer().unwrap()
    }

    fn open_document(kind: &str, text: &str) -> Vec<u8> {
        zip_of(&[
            (
                "mimetype",
                &format!("application/vnd.oasis.opendocument.{kind}"),
            ),
            (
                "content.xml",
                &format!(
                    "<?xml version=\"1.0\"?><office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\"><office:body><office:text><text:p>{text}</text:p></office:text></office:body></office:document-content>"
                ),
            ),
        ])
    }

    pub fn odt(text: &str) -> Vec<u8> {
        open_document("text", text)
    }

    pub fn ods() -> Vec<u8> {
        open_document("spreadsheet", "")
    }
}

/// Round `essai` (every kind of question, plus `E1.D1`, two documents at most, required),
/// its response area on, files of 200 Ko at most and 300 Ko per response; open.
pub async fn round_with_documents(app: &TestApp, coord: &Who) {
    crate::round_admin::built_round(app, coord, "essai", chrono::Duration::days(30)).await;
    let question = json!({"code": "E1.D1", "prompt": "Vos documents de position", "kind": "documents", "max_files": 2, "required": true});
    let added = send(
        app,
        coord,
        "POST",
        "/api/v1/rounds/essai/chapters/E1/questions",
        Some(question),
    )
    .await;
    assert_eq!(added.status(), 201);
    let policy = json!({"area": true, "file_limit": 200 * 1024, "response_limit": 300 * 1024});
    let set = send(
        app,
        coord,
        "PUT",
        "/api/v1/rounds/essai/attachment-policy",
        Some(policy.clone()),
    )
    .await;
    assert_eq!(set.status(), 200);
    assert_eq!(set.json::<Value>().await.unwrap(), policy);
    let opened = send(app, coord, "POST", "/api/v1/rounds/essai/open", None).await;
    assert_eq!(opened.status(), 200);
}

/// (attachment rows, stored contents, files in the store, uploads in staging).
async fn kept(app: &TestApp) -> (i64, i64, usize, usize) {
    let (rows, contents) = app
        .with_db(|conn| {
            use concerto::store::schema::attachments;
            use diesel::prelude::*;
            let rows: i64 = attachments::table.count().get_result(conn).unwrap();
            (
                rows,
                concerto::store::attachments::contents_count(conn).unwrap(),
            )
        })
        .await;
    let files = walk(&app.db.data.path().join("files"));
    (rows, contents, files, app.state.files.staged())
}

fn walk(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir).map_or(0, |entries| {
        entries
            .flatten()
            .map(|e| {
                if e.path().is_dir() {
                    walk(&e.path())
                } else {
                    1
                }
            })
            .sum()
    })
}

/// A request written by hand on a socket: `head` then `body`, then the socket closed
/// (`cut`: before the body's end) or the answer's status line read.
async fn raw(app: &TestApp, head: String, body: Vec<u8>, cut: bool) -> String {
    let address = app.address.trim_start_matches("http://").to_owned();
    let mut socket = tokio::net::TcpStream::connect(address).await.unwrap();
    socket.write_all(head.as_bytes()).await.unwrap();
    if cut {
        socket.write_all(&body[..body.len() / 2]).await.unwrap();
        socket.flush().await.unwrap();
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        drop(socket);
        return String::new();
    }
    let (mut reader, mut writer) = socket.into_split();
    let sending = tokio::spawn(async move {
        // Chunked: the server cannot know the size before it has read past the limit.
        for chunk in body.chunks(16 * 1024) {
            let framed = [format!("{:x}\r\n", chunk.len()).as_bytes(), chunk, b"\r\n"].concat();
            if writer.write_all(&framed).await.is_err() {
                return;
            }
        }
        let _ = writer.write_all(b"0\r\n\r\n").await;
        // Held open until the answer is read: a half-closed socket would end the body
        // early for the server.
        std::future::pending::<()>().await;
    });
    let mut answer = vec![0u8; 4096];
    let n = reader.read(&mut answer).await.unwrap();
    sending.abort();
    String::from_utf8_lossy(&answer[..n]).into_owned()
}

async fn documents_are_typed_bounded_and_guarded(app: TestApp) {
    let coord = coordinator_2fa(&app, "coord@exemple.fr").await;
    round_with_documents(&app, &coord).await;
    let ((west, west_org), (east, east_org)) = west_and_east(&app, &coord).await;
    let base = format!("/api/v1/rounds/essai/responses/{west_org}/attachments");
    let to_question = format!("{base}?question=E1.D1");

    // Each type, by its content.
    let manifesto = samples::pdf("Manifeste : l'IA au chevet des malades");
    let added = upload(
        &app,
        &west,
        &to_question,
        "Manifeste",
        ("Manifeste.pdf", &manifesto),
    )
    .await;
    assert_eq!(added.status(), 201);
    let first: Value = added.json().await.unwrap();
    assert_eq!(first["media_type"], "application/pdf");
    assert_eq!(first["sha256"], sha256(&manifesto));
    assert_eq!(first["size"], manifesto.len());
    assert_eq!(first["version"], 1);
    assert_eq!(first["question"], "E1.D1");
    assert_eq!(first["title"], "Manifeste");
    let id = first["id"].as_str().unwrap().to_owned();
    assert_eq!(id.len(), 32, "128 random bits");
    for (name, bytes, media_type) in [
        ("schéma.png", samples::png(), "image/png"),
        ("photo.JPG", samples::jpeg(), "image/jpeg"),
        (
            "etude.docx",
            samples::docx("Étude de terrain"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "enquete.xlsx",
            samples::xlsx(),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        (
            "synthese.odt",
            samples::odt("Synthèse des membres"),
            "application/vnd.oasis.opendocument.text",
        ),
        (
            "chiffres.ods",
            samples::ods(),
            "application/vnd.oasis.opendocument.spreadsheet",
        ),
    ] {
        let added = upload(&app, &west, &base, "", (name, &bytes)).await;
        assert_eq!(
            added.status(),
            201,
            "{name}: {}",
            added.text().await.unwrap()
        );
        let body: Value = added.json().await.unwrap();
        assert_eq!(body["media_type"], media_type, "{name}");
        assert!(body["question"].is_null(), "the response's own area");
    }
    let before = kept(&app).await;
    assert_eq!(before.0, 7);
    assert_eq!(before.2, 7, "seven contents in the store");
    assert_eq!(before.3, 0, "nothing left in staging");

    // Refused when the content is not a type taken, or disagrees with the name: nothing kept.
    let executable = [
        b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff\0\0".as_slice(),
        &[0u8; 200],
    ]
    .concat();
    for (name, bytes, code) in [
        ("rapport.pdf", executable.clone(), "type_refused"),
        (
            "rapport.pdf",
            b"<!DOCTYPE html><html><body><script>alert(1)</script>".to_vec(),
            "type_refused",
        ),
        ("Manifeste.docx", manifesto.clone(), "type_mismatch"),
        ("Manifeste", manifesto.clone(), "type_mismatch"),
    ] {
        let refused = upload(&app, &west, &base, "", (name, &bytes)).await;
        let body = problem(refused, 422).await;
        assert_eq!(problem_fields(&body), ["file"], "{name}");
        assert_eq!(body["errors"][0]["code"], code, "{name}");
    }
    assert_eq!(kept(&app).await, before, "a refused file leaves nothing");

    // Over the limit per file: 413 as soon as it is exceeded, whether announced or not.
    let big = samples::pdf(&"x".repeat(210 * 1024));
    let refused = upload(&app, &west, &base, "", ("gros.pdf", &big)).await;
    let body = problem(refused, 413).await;
    assert_eq!(problem_fields(&body), ["file"]);
    let token = send(
        &app,
        &west,
        "POST",
        "/api/v1/tokens",
        Some(json!({"name": "Envois"})),
    )
    .await
    .json::<Value>()
    .await
    .unwrap()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let head = |transfer: &str| {
        format!(
            "POST {base} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {token}\r\n\
             Content-Type: multipart/form-data; boundary={BOUNDARY}\r\n{transfer}\r\n"
        )
    };
    let streamed = raw(
        &app,
        head("Transfer-Encoding: chunked\r\n"),
        form(&[], Some(("gros.pdf", &big))),
        false,
    )
    .await;
    assert!(streamed.starts_with("HTTP/1.1 413"), "{streamed}");
    // The response's own limit: 300 Ko together.
    let near = samples::pdf(&"y".repeat(190 * 1024));
    assert_eq!(
        upload(&app, &west, &base, "", ("un.pdf", &near))
            .await
            .status(),
        201
    );
    let over = samples::pdf(&"z".repeat(150 * 1024));
    let refused = upload(&app, &west, &base, "", ("deux.pdf", &over)).await;
    let body = problem(refused, 413).await;
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("reste"),
        "{body}"
    );
    let before = kept(&app).await;

    // An upload cut in the middle: no row, no content, nothing in staging.
    let body = form(
        &[("title", "Coupé")],
        Some(("coupe.pdf", &samples::pdf(&"c".repeat(50_000)))),
    );
    let length = format!("Content-Length: {}\r\n", body.len());
    raw(&app, head(&length), body, true).await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(
        kept(&app).await,
        before,
        "an interrupted upload leaves nothing"
    );

    // Downloads: the organisation's members and coordinators with the second factor.
    let download = format!("/api/v1/attachments/{id}");
    let got = send(&app, &west, "GET", &download, None).await;
    assert_eq!(got.status(), 200);
    let headers = got.headers().clone();
    assert_eq!(headers["content-type"], "application/pdf");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    let disposition = headers["content-disposition"].to_str().unwrap();
    assert!(disposition.starts_with("attachment;"), "{disposition}");
    assert!(disposition.contains("Manifeste.pdf"), "{disposition}");
    assert_eq!(got.bytes().await.unwrap().as_ref(), manifesto.as_slice());
    assert_eq!(
        send(&app, &east, "GET", &download, None).await.status(),
        404
    );
    assert_eq!(
        client()
            .get(app.url(&download))
            .send()
            .await
            .unwrap()
            .status(),
        401
    );
    let unguessed = format!("/api/v1/attachments/{}", "0".repeat(32));
    assert_eq!(
        send(&app, &west, "GET", &unguessed, None).await.status(),
        404
    );
    let plain = coordinator(&app, "sans2fa@exemple.fr").await;
    assert_eq!(
        send(&app, &plain, "GET", &download, None).await.status(),
        403
    );
    assert_eq!(
        send(&app, &coord, "GET", &download, None).await.status(),
        200
    );
    // The list: east does not see west's.
    assert_eq!(send(&app, &east, "GET", &base, None).await.status(), 404);
    let east_base = format!("/api/v1/rounds/essai/responses/{east_org}/attachments");
    // Nor write there.
    let refused = upload(&app, &west, &east_base, "", ("x.pdf", &manifesto)).await;
    assert_eq!(refused.status(), 404);
    let refused = upload(&app, &coord, &base, "", ("x.pdf", &manifesto)).await;
    assert_eq!(refused.status(), 403, "coordinators read, never write");

    // One content kept once: East attaches the same manifesto.
    let (_, contents, files, _) = kept(&app).await;
    let same = upload(
        &app,
        &east,
        &format!("{east_base}?question=E1.D1"),
        "Le même",
        ("meme.pdf", &manifesto),
    )
    .await;
    assert_eq!(same.status(), 201);
    let after = kept(&app).await;
    assert_eq!((after.1, after.2), (contents, files), "stored once");

    // The documents question's answer lists its files; it cannot be written as a value.
    let response = send(
        &app,
        &west,
        "GET",
        &format!("/api/v1/rounds/essai/responses/{west_org}"),
        None,
    )
    .await
    .json::<Value>()
    .await
    .unwrap();
    let listed = &response["answers"]["E1.D1"]["value"];
    assert_eq!(listed[0]["id"], id.as_str(), "{response}");
    assert_eq!(listed[0]["sha256"], sha256(&manifesto));
    let refused = send(
        &app,
        &west,
        "PUT",
        &format!("/api/v1/rounds/essai/responses/{west_org}/answers/E1.D1"),
        Some(json!({"value": null})),
    )
    .await;
    assert_eq!(
        problem(refused, 422).await["errors"][0]["code"],
        "documents_by_upload"
    );

    // Two documents at most on E1.D1; a new version replaces one.
    let study = samples::docx("Étude");
    assert_eq!(
        upload(&app, &west, &to_question, "Étude", ("etude.docx", &study))
            .await
            .status(),
        201
    );
    let third = upload(
        &app,
        &west,
        &to_question,
        "",
        ("trois.png", &samples::png()),
    )
    .await;
    assert_eq!(
        problem(third, 409).await["errors"][0]["code"],
        "too_many_documents"
    );
    let revised = samples::pdf("Manifeste, version revue");
    let replaced = upload(
        &app,
        &west,
        &format!("{base}?replaces={id}"),
        "Manifeste revu",
        ("Manifeste-v2.pdf", &revised),
    )
    .await;
    assert_eq!(replaced.status(), 201);
    let second: Value = replaced.json().await.unwrap();
    assert_eq!(
        (second["version"].as_i64(), second["question"].as_str()),
        (Some(2), Some("E1.D1"))
    );
    let listing = send(&app, &west, "GET", &base, None)
        .await
        .json::<Value>()
        .await
        .unwrap();
    let current: Vec<&str> = listing["current"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert!(
        current.contains(&"Manifeste revu") && !current.contains(&"Manifeste"),
        "{current:?}"
    );
    let old = listing["history"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == id.as_str())
        .unwrap();
    assert_eq!(old["current"], false);
    assert!(old["replaced_at"].is_string());
    // The old version stays downloadable by the members.
    assert_eq!(
        send(&app, &west, "GET", &download, None).await.status(),
        200
    );
    let stale = upload(
        &app,
        &west,
        &format!("{base}?replaces={id}"),
        "",
        ("x.pdf", &revised),
    )
    .await;
    assert_eq!(problem_fields(&problem(stale, 422).await), ["replaces"]);

    // Deleted: gone from the current ones and from the answer, kept in the history.
    let png = listing["current"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["media_type"] == "image/png")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        send(&app, &west, "DELETE", &format!("{base}/{png}"), None)
            .await
            .status(),
        204
    );
    assert_eq!(
        send(&app, &west, "DELETE", &format!("{base}/{png}"), None)
            .await
            .status(),
        404
    );
    let listing = send(&app, &west, "GET", &base, None)
        .await
        .json::<Value>()
        .await
        .unwrap();
    assert!(
        listing["current"]
            .as_array()
            .unwrap()
            .iter()
            .all(|a| a["id"] != png.as_str())
    );
    assert!(
        listing["history"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["id"] == png.as_str() && a["deleted_at"].is_string())
    );

    // Submitted, the documents are frozen until reopened.
    let submit = format!("/api/v1/rounds/essai/responses/{west_org}/submit");
    let consent = json!({"publication_consent": "attributed"});
    let not_ready = send(&app, &west, "POST", &submit, Some(consent.clone())).await;
    let missing = problem(not_ready, 409).await;
    let missing: Vec<&str> = missing["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert!(
        !missing.iter().any(|f| f.contains("E1.D1")),
        "the documents answer it: {missing:?}"
    );
    let q1 = send(
        &app,
        &west,
        "PUT",
        &format!("/api/v1/rounds/essai/responses/{west_org}/answers/E1.Q1"),
        Some(json!({"value": "Oui, avec nos documents."})),
    )
    .await;
    assert_eq!(q1.status(), 200);
    let submitted = send(&app, &west, "POST", &submit, Some(consent)).await;
    assert_eq!(
        submitted.status(),
        200,
        "the required documents question is answered"
    );
    // The receipt lists the documents attached, each with its SHA-256.
    let receipt = app
        .mailbox
        .wait_for_subject("ouest@exemple.fr", "Accusé de réception")
        .await;
    assert!(receipt.text.contains(&sha256(&revised)), "{}", receipt.text);
    assert!(
        receipt.text.contains("Manifeste-v2.pdf"),
        "{}",
        receipt.text
    );
    assert!(receipt.text.contains(&sha256(&study)), "{}", receipt.text);
    assert!(
        !receipt.text.contains(&sha256(&samples::png())),
        "a deleted one is not listed"
    );
    let late = upload(&app, &west, &base, "", ("tard.png", &samples::png())).await;
    assert_eq!(late.status(), 409);
    let second_id = second["id"].as_str().unwrap();
    assert_eq!(
        send(&app, &west, "DELETE", &format!("{base}/{second_id}"), None)
            .await
            .status(),
        409
    );

    // The round's limits: coordinators only, within bounds.
    let bad = send(
        &app,
        &coord,
        "PUT",
        "/api/v1/rounds/essai/attachment-policy",
        Some(json!({"area": true, "file_limit": 10 * 1024 * 1024, "response_limit": 1024 * 1024})),
    )
    .await;
    assert_eq!(problem_fields(&problem(bad, 422).await), ["response_limit"]);
    let member = send(
        &app,
        &west,
        "PUT",
        "/api/v1/rounds/essai/attachment-policy",
        Some(json!({"area": false, "file_limit": 1024 * 1024, "response_limit": 1024 * 1024})),
    )
    .await;
    assert_eq!(member.status(), 403);

    // The coordinators' listing and bundle: West's documents (submitted), East's with
    // the drafts.
    let export = |format: &str| format!("/api/v1/rounds/essai/export?format={format}");
    let listing = send(&app, &coord, "GET", &export("attachments"), None).await;
    assert_eq!(listing.status(), 200);
    let text = listing.text().await.unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[0].starts_with("\"organisation_name\",\"question_code\""),
        "{text}"
    );
    assert_eq!(lines.len(), 1 + 8, "West's eight current documents: {text}");
    assert!(
        text.contains(&sha256(&revised))
            && text.contains(&format!("{}/api/v1/attachments/", app.address))
    );
    assert!(!text.contains("Le même"), "East's draft is not submitted");
    let all: Value = send(
        &app,
        &coord,
        "GET",
        &export("attachments-json&include=all"),
        None,
    )
    .await
    .json()
    .await
    .unwrap();
    let all = all["attachments"].clone();
    assert_eq!(all.as_array().unwrap().len(), 9, "{all}");
    assert_eq!(
        send(&app, &west, "GET", &export("attachments"), None)
            .await
            .status(),
        403
    );
    // The answers' JSON lists a documents question's files and meets its schema.
    let answers: Value = send(&app, &coord, "GET", &export("json"), None)
        .await
        .json()
        .await
        .unwrap();
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(crate::helpers::repo_path("docs/export.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&answers)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    assert!(answers.to_string().contains(&sha256(&revised)));
    let bundle = send(&app, &coord, "GET", &export("bundle&include=all"), None).await;
    assert_eq!(bundle.status(), 200);
    assert_eq!(bundle.headers()["content-type"], "application/zip");
    let bytes = bundle.bytes().await.unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let names: Vec<String> = zip.file_names().map(|n| n.unwrap().into_owned()).collect();
    for part in [
        "essai/reponses.csv",
        "essai/reponses.json",
        "essai/contribution.html",
        "essai/documents.csv",
    ] {
        assert!(names.iter().any(|n| n == part), "{part} in {names:?}");
    }
    let mut held = 0;
    for listed in all.as_array().unwrap() {
        let path = format!("essai/{}", listed["bundle_path"].as_str().unwrap());
        let mut entry = zip.by_name(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let mut content = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut content).unwrap();
        assert_eq!(
            sha256(&content),
            listed["sha256"].as_str().unwrap(),
            "{path}"
        );
        held += 1;
    }
    assert_eq!(held, 9);
    assert!(
        names
            .iter()
            .any(|n| n.starts_with("essai/documents/Amis de l_Est/")),
        "{names:?}"
    );

    // Contents nobody names any more go, a day after they were last wanted; the others
    // stay. (East's documents deleted as the retention of an archived round would.)
    let own = samples::pdf("Propre à l'Est");
    assert_eq!(
        upload(&app, &east, &east_base, "", ("est.pdf", &own))
            .await
            .status(),
        201
    );
    let east_response = east_org;
    app.with_db(move |conn| {
        use concerto::store::schema::{attachments, responses};
        use diesel::prelude::*;
        let response: i64 = responses::table
            .filter(responses::organisation_id.eq(east_response))
            .select(responses::id)
            .first(conn)
            .unwrap();
        diesel::delete(attachments::table.filter(attachments::response_id.eq(response)))
            .execute(conn)
            .unwrap();
    })
    .await;
    let clean = concerto::services::responses::attachments::clean_unnamed;
    assert_eq!(
        clean(&app.state, chrono::Utc::now()).await.unwrap(),
        0,
        "not a day old"
    );
    let (_, contents, files, _) = kept(&app).await;
    let later = chrono::Utc::now() + chrono::Duration::days(2);
    // The manifesto is still West's (an earlier version): only unnamed contents go.
    let gone = clean(&app.state, later).await.unwrap();
    assert_eq!(gone, 1, "East's own document");
    let after = kept(&app).await;
    assert_eq!((after.1, after.2), (contents - 1, files - 1));
    assert!(!app.state.files.holds(&sha256(&own)).await.unwrap());
    assert!(
        app.state.files.holds(&sha256(&manifesto)).await.unwrap(),
        "West names it still"
    );
    assert_eq!(
        clean(&app.state, later).await.unwrap(),
        0,
        "twice: nothing more"
    );

    app.journal_reads_in_words().await;
}

both_backends!(the_pages_attach_replace_and_delete);

/// A page's upload form, as a browser posts it: the CSRF token first.
async fn post_page_form(
    app: &TestApp,
    who: &Who,
    path: &str,
    csrf: Option<&str>,
    file: (&str, &[u8]),
) -> reqwest::Response {
    let mut fields = Vec::new();
    if let Some(token) = csrf {
        fields.push(("csrf_token", token));
    }
    fields.push(("title", "Depuis la page"));
    who.0
        .post(app.url(path))
        .header(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(form(&fields, Some(file)))
        .send()
        .await
        .unwrap()
}

async fn the_pages_attach_replace_and_delete(app: TestApp) {
    let coord = coordinator_2fa(&app, "coord@exemple.fr").await;
    round_with_documents(&app, &coord).await;
    let ((west, west_org), _) = west_and_east(&app, &coord).await;
    let page = format!("/consultations/essai/reponse/{west_org}/documents");

    let html = west
        .0
        .get(app.url(&page))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Vos documents de position"), "{html}");
    assert!(
        html.contains(r#"<label for="champ-file-question-E1.D1">"#),
        "a real labelled input"
    );
    assert!(html.contains(r#"type="file""#) && html.contains("accept=\".pdf,"));
    assert!(
        html.contains("Documents joints à la réponse"),
        "the area is open"
    );

    // Posted as a browser does, with the page's token in the form.
    let to_question = format!("{page}?question=E1.D1");
    let pdf = samples::pdf("Depuis la page");
    let without = post_page_form(&app, &west, &to_question, None, ("page.pdf", &pdf)).await;
    assert_eq!(without.status(), 403, "no CSRF token, no upload");
    let posted = post_page_form(&app, &west, &to_question, Some(&west.1), ("page.pdf", &pdf)).await;
    assert_eq!(posted.status(), 303);
    assert_eq!(posted.headers()["location"], format!("{page}?fait=ajoute"));
    let html = west
        .0
        .get(app.url(&format!("{page}?fait=ajoute")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Le document est joint à la réponse."));
    assert!(html.contains("Depuis la page") && html.contains(&sha256(&pdf)));

    // A refused type: the page again, its error linked to the file input.
    let refused = post_page_form(
        &app,
        &west,
        &to_question,
        Some(&west.1),
        ("faux.pdf", b"<html>nope</html>"),
    )
    .await;
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.unwrap();
    assert!(
        html.contains(r##"href="#champ-file-question-E1.D1""##),
        "{html}"
    );
    assert!(html.contains(r#"aria-invalid="true""#));

    // The editor lists it and links to the documents page.
    let editor = west
        .0
        .get(app.url(&format!(
            "/consultations/essai/reponse/{west_org}?chapitre=E1"
        )))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(editor.contains("Depuis la page"), "{editor}");
    assert!(editor.contains(&format!("{page}#question-E1.D1")));
    let size = |english: bool| {
        format!(
            "page.pdf, {}",
            concerto::domain::attachments::size_label_in(pdf.len() as i64, english)
        )
    };
    assert!(editor.contains(&size(false)), "{editor}");
    // In English, its size in English units.
    let switch = |lang: &'static str| {
        west.0
            .post(app.url("/langue"))
            .header("x-csrf-token", &west.1)
            .form(&[("lang", lang), ("next", "/")])
            .send()
    };
    assert_eq!(switch("en").await.unwrap().status(), 303);
    let editor_en = west
        .0
        .get(app.url(&format!(
            "/consultations/essai/reponse/{west_org}?chapitre=E1"
        )))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(switch("fr").await.unwrap().status(), 303);
    assert!(editor_en.contains(&size(true)), "{editor_en}");
    assert_ne!(size(true), size(false));

    // Deleted from the page; the history keeps it.
    let id = send(
        &app,
        &west,
        "GET",
        &format!("/api/v1/rounds/essai/responses/{west_org}/attachments"),
        None,
    )
    .await
    .json::<Value>()
    .await
    .unwrap()["current"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let deleted = west
        .0
        .post(app.url(&format!("{page}/{id}/supprimer")))
        .form(&[("csrf_token", west.1.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), 303);
    let html = west
        .0
        .get(app.url(&format!("{page}?fait=supprime")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Historique des documents") && html.contains("supprimé"));

    // The coordinator sets the rules from the builder, in megabytes.
    let builder = coord
        .0
        .get(app.url("/coordination/consultations/essai"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(builder.contains("champ-file_limit"));
    let saved = coord
        .0
        .post(app.url("/coordination/consultations/essai/documents"))
        .form(&[
            ("csrf_token", coord.1.as_str()),
            ("file_limit", "5"),
            ("response_limit", "8"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), 303);
    let policy = send(
        &app,
        &coord,
        "GET",
        "/api/v1/rounds/essai/attachment-policy",
        None,
    )
    .await
    .json::<Value>()
    .await
    .unwrap();
    assert_eq!(
        policy,
        json!({"area": false, "file_limit": 5 * 1024 * 1024, "response_limit": 8 * 1024 * 1024})
    );
    let refused = coord
        .0
        .post(app.url("/coordination/consultations/essai/documents"))
        .form(&[
            ("csrf_token", coord.1.as_str()),
            ("file_limit", "50"),
            ("response_limit", "8"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 422);
    assert!(
        refused
            .text()
            .await
            .unwrap()
            .contains(r##"href="#champ-response_limit""##)
    );
    let html = west
        .0
        .get(app.url(&page))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        !html.contains("Documents joints à la réponse"),
        "the area is closed"
    );
}
