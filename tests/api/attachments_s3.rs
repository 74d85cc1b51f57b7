//! Attached documents kept in S3-compatible storage, as several instances share them:
//! against Moto's server (PyPI), a real HTTP server speaking the S3 protocol, multipart
//! uploads included. (MinIO, Garage, SeaweedFS or Ceph's gateway cannot be installed
//! here from the package registries; Moto can, and runs as a separate process.)

use serde_json::{Value, json};

use crate::attachments::{round_with_documents, samples, sha256, upload};
use crate::fixtures::{coordinator_2fa, send, west_and_east};
use crate::helpers::{Backend, TestApp};
use crate::mailbox::unused_port;

const BUCKET: &str = "concerto-documents";

/// Moto's server on a free port, stopped with the test; `None` when not installed and
/// not required.
async fn moto() -> Option<(tokio::process::Child, String)> {
    let Some(path) = std::env::var("CONCERTO_MOTO")
        .ok()
        .filter(|p| !p.is_empty())
    else {
        assert!(
            std::env::var_os("CONCERTO_TEST_REQUIRE_S3").is_none(),
            "Moto's S3 server is required (scripts/test installs it)"
        );
        eprintln!("skipping the S3 storage test: CONCERTO_MOTO is not set");
        return None;
    };
    let port = unused_port();
    let child = tokio::process::Command::new(path)
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("moto_server starts");
    let url = format!("http://127.0.0.1:{port}");
    for _ in 0..100 {
        if reqwest::get(format!("{url}/moto-api/")).await.is_ok() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let created = reqwest::Client::new()
        .put(format!("{url}/{BUCKET}"))
        .send()
        .await
        .expect("bucket created");
    assert!(created.status().is_success(), "{}", created.status());
    Some((child, url))
}

/// The keys the bucket holds.
async fn keys(url: &str) -> Vec<String> {
    let listing = reqwest::get(format!("{url}/{BUCKET}?list-type=2"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    listing
        .split("<Key>")
        .skip(1)
        .filter_map(|k| k.split("</Key>").next())
        .map(str::to_owned)
        .collect()
}

crate::each_backend!(documents_are_kept_in_s3_storage);

async fn documents_are_kept_in_s3_storage(backend: Backend) {
    let Some((_moto, url)) = moto().await else {
        return;
    };
    // Credentials come from the environment only (the same values for every test).
    unsafe {
        std::env::set_var("AWS_ACCESS_KEY_ID", "concerto");
        std::env::set_var("AWS_SECRET_ACCESS_KEY", "concerto-secret");
    }
    let endpoint = url.clone();
    let Some(app) = TestApp::builder(backend)
        .settings(move |s| {
            s.files.store = concerto::config::FileStoreKind::S3;
            s.files.s3_endpoint = endpoint;
            s.files.s3_bucket = BUCKET.into();
        })
        .start()
        .await
    else {
        return;
    };
    assert_eq!(app.state.files.kind, "s3");
    let coord = coordinator_2fa(&app, "coord@exemple.fr").await;
    round_with_documents(&app, &coord).await;
    let ((west, west_org), (east, east_org)) = west_and_east(&app, &coord).await;
    let larger =
        json!({"area": true, "file_limit": 20 * 1024 * 1024, "response_limit": 50 * 1024 * 1024});
    let set = send(
        &app,
        &coord,
        "PUT",
        "/api/v1/rounds/essai/attachment-policy",
        Some(larger),
    )
    .await;
    assert_eq!(set.status(), 200);

    // A small file in one request, a large one in parts.
    let small = samples::pdf("Petit manifeste");
    let large = samples::pdf(&"Étude détaillée. ".repeat(560_000));
    assert!(large.len() > 9 * 1024 * 1024);
    let base = format!("/api/v1/rounds/essai/responses/{west_org}/attachments");
    let mut ids = Vec::new();
    for (name, bytes) in [("petit.pdf", &small), ("grand.pdf", &large)] {
        let added = upload(&app, &west, &base, "", (name, bytes)).await;
        assert_eq!(added.status(), 201, "{name}");
        let body: Value = added.json().await.unwrap();
        assert_eq!(body["sha256"], sha256(bytes));
        ids.push(body["id"].as_str().unwrap().to_owned());
    }
    let stored = keys(&url).await;
    assert_eq!(stored.len(), 2, "{stored:?}");
    for bytes in [&small, &large] {
        let hash = sha256(bytes);
        assert!(
            stored.contains(&format!("{}/{}/{hash}", &hash[..2], &hash[2..4])),
            "{stored:?}"
        );
    }
    assert!(
        !app.db.data.path().join("files").exists(),
        "nothing on the local disk"
    );
    // Read back whole, from the bucket.
    for (id, bytes) in ids.iter().zip([&small, &large]) {
        let got = send(
            &app,
            &west,
            "GET",
            &format!("/api/v1/attachments/{id}"),
            None,
        )
        .await;
        assert_eq!(got.status(), 200);
        assert_eq!(got.bytes().await.unwrap().as_ref(), bytes.as_slice());
    }
    // The same content from another organisation: still one object.
    let east_base = format!("/api/v1/rounds/essai/responses/{east_org}/attachments");
    assert_eq!(
        upload(&app, &east, &east_base, "", ("copie.pdf", &large))
            .await
            .status(),
        201
    );
    assert_eq!(keys(&url).await.len(), 2);
    assert_eq!(app.state.files.staged(), 0);
}
