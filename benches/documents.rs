//! The documents benchmark (not a test; `scripts/bench-documents` runs it). For each
//! backend, the exports' round with 10,000 organisations' draft responses on the release
//! server, its response area open; then:
//!
//! - one member uploads a 50 MB PDF, then downloads it: time, and the server's peak
//!   private memory during each (target: under 80 MB), against copying the same file on
//!   the same disk (`cp`);
//! - 2,000 organisations each hold a 1 MB document (written straight into the store and
//!   the database: the upload path is what the first step measures), and a coordinator
//!   downloads `format=bundle` (the answers' CSV and JSON, the document, every file):
//!   time, size, peak private memory, against `tar` of the same files.
//!
//! Results go to `docs/benchmarks.md` (section « Documents joints »).

mod common;

use std::fmt::Write as _;
use std::io::Write as _;
use std::process::Command;
use std::time::Instant;

use common::*;
use concerto::hex::hex;
use diesel::connection::SimpleConnection;
use serde_json::json;
use sha2::{Digest, Sha256};

const ORGANISATIONS: usize = 10_000;
const BIG: usize = 50 * 1024 * 1024;
const SMALL: usize = 1024 * 1024;
const DOCUMENTS: usize = 2_000;

struct Figures {
    backend: &'static str,
    rest_mb: Option<f64>,
    /// (what, seconds, peak MB, baseline seconds)
    big: Vec<(&'static str, f64, Option<f64>, f64)>,
    /// (documents, seconds, bytes, peak MB, tar seconds), for 200 then 2,000 documents.
    bundles: Vec<(usize, f64, u64, Option<f64>, f64)>,
}

/// `n` bytes of a PDF-looking file, different for each `seed`.
fn content(seed: u64, n: usize) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(n);
    bytes.extend_from_slice(b"%PDF-1.7\n");
    let mut x = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    while bytes.len() < n {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        bytes.extend_from_slice(&x.to_le_bytes());
    }
    bytes.truncate(n);
    bytes
}

fn private_now(pid: u32) -> Option<f64> {
    let peak = MemoryPeak::watch(pid);
    std::thread::sleep(std::time::Duration::from_millis(20));
    peak.mb()
}

async fn measure(backend: Backend, pg_admin: &str, organisations: usize) -> Figures {
    eprintln!("{}: {organisations} organisations", backend.name());
    let data = tempfile::tempdir().unwrap();
    let data_dir = data.path().display().to_string();
    let (target, server, mut coordinator, _) = prepare_in(
        backend,
        (organisations, Status::Draft),
        pg_admin,
        sentence,
        &[("CONCERTO_DATA_DIR", &data_dir)],
    )
    .await;
    coordinator
        .post(&format!("/api/v1/rounds/{SLUG}/open"), json!({}))
        .await;
    coordinator
        .put(
            &format!("/api/v1/rounds/{SLUG}/attachment-policy"),
            json!({"area": true, "file_limit": 60 * 1024 * 1024, "response_limit": 100 * 1024 * 1024}),
        )
        .await;
    let member = seed_members(&target.url, 1).remove(0);
    let rest_mb = private_now(server.pid());

    // The 50 MB upload and download, against a copy on the same disk.
    let big = content(7, BIG);
    let file = data.path().join("etude.pdf");
    std::fs::write(&file, &big).unwrap();
    let started = Instant::now();
    run(Command::new("cp")
        .arg(&file)
        .arg(data.path().join("copie.pdf")));
    let cp_seconds = started.elapsed().as_secs_f64();
    let boundary = "banc-documents-boundary";
    let mut body = Vec::with_capacity(BIG + 1024);
    write!(
        body,
        "--{boundary}\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nÉtude\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"etude.pdf\"\r\n\r\n"
    )
    .unwrap();
    body.extend_from_slice(&big);
    write!(body, "\r\n--{boundary}--\r\n").unwrap();
    let http = reqwest::Client::new();
    let peak = MemoryPeak::watch(server.pid());
    let started = Instant::now();
    let uploaded = http
        .post(format!(
            "{}/api/v1/rounds/{SLUG}/responses/{}/attachments",
            server.base, member.organisation
        ))
        .header("cookie", format!("concerto={}", member.cookie))
        .header("x-csrf-token", &member.csrf)
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(body)
        .send()
        .await
        .unwrap();
    let upload_seconds = started.elapsed().as_secs_f64();
    let upload_mb = peak.mb();
    assert_eq!(uploaded.status(), 201, "upload");
    let view: serde_json::Value = uploaded.json().await.unwrap();
    assert_eq!(view["sha256"], hex(Sha256::digest(&big).as_slice()));
    let peak = MemoryPeak::watch(server.pid());
    let started = Instant::now();
    let mut download = http
        .get(format!(
            "{}{}",
            server.base,
            view["download"].as_str().unwrap()
        ))
        .header("cookie", format!("concerto={}", member.cookie))
        .send()
        .await
        .unwrap();
    assert_eq!(download.status(), 200);
    let mut hasher = Sha256::new();
    let mut received = 0;
    while let Some(chunk) = download.chunk().await.unwrap() {
        received += chunk.len();
        hasher.update(&chunk);
    }
    let download_seconds = started.elapsed().as_secs_f64();
    let download_mb = peak.mb();
    assert_eq!(received, BIG);
    assert_eq!(hex(&hasher.finalize()), view["sha256"].as_str().unwrap());

    // 200 then 2,000 organisations with a 1 MB document each, and the bundle each time:
    // its peak memory must not follow the files' size.
    let mut conn = connect(&target.url);
    let store = data.path().join("files");
    let now = "'2026-11-20 10:00:00'";
    let mut bundles = Vec::new();
    let mut written = 0;
    for documents in [DOCUMENTS / 10, DOCUMENTS].map(|n| n.min(organisations)) {
        for start in (written..documents).step_by(500) {
            let (mut contents, mut rows) = (String::new(), String::new());
            for i in start..(start + 500).min(documents) {
                let bytes = content(1_000 + i as u64, SMALL);
                let sha = hex(Sha256::digest(&bytes).as_slice());
                let dir = store.join(&sha[..2]).join(&sha[2..4]);
                std::fs::create_dir_all(&dir).unwrap();
                std::fs::write(dir.join(&sha), &bytes).unwrap();
                // Read already, as the server would have after their uploads: its reader
                // leaves them alone during the measures.
                let sep = if i == start { "" } else { "," };
                write!(
                    contents,
                    "{sep}('{sha}', {SMALL}, 'application/pdf', {now}, 'extracted', 'Contribution {i}')"
                )
                .unwrap();
                write!(
                    rows,
                    "{sep}('{:032x}', {}, 1, 'Contribution {i}', 'contribution-{i}.pdf', 'application/pdf', {SMALL}, '{sha}', {now})",
                    i + 1,
                    1_000_000 + i,
                )
                .unwrap();
            }
            conn.batch_execute(&format!(
                "BEGIN; \
                 INSERT INTO stored_files (sha256, size, media_type, touched_at, text_state, extracted_text) VALUES {contents}; \
                 INSERT INTO attachments (token, response_id, version, title, file_name, media_type, size, sha256, uploaded_at) VALUES {rows}; \
                 COMMIT;"
            ))
            .unwrap();
        }
        written = documents;
        let started = Instant::now();
        run(Command::new("sh").arg("-c").arg(format!(
            "tar -cf - -C {} files | wc -c",
            data.path().display()
        )));
        let tar_seconds = started.elapsed().as_secs_f64();
        let peak = MemoryPeak::watch(server.pid());
        let (seconds, bytes) = coordinator.export("bundle&include=all").await;
        let peak = peak.mb();
        assert!(
            bytes > (documents * SMALL) as u64,
            "every file in the bundle"
        );
        bundles.push((documents, seconds, bytes, peak, tar_seconds));
    }
    drop(server);
    drop(target);
    Figures {
        backend: backend.name(),
        rest_mb,
        big: vec![
            ("envoi de 50 Mo", upload_seconds, upload_mb, cp_seconds),
            (
                "téléchargement de 50 Mo",
                download_seconds,
                download_mb,
                cp_seconds,
            ),
        ],
        bundles,
    }
}

fn mb(value: Option<f64>) -> String {
    value.map_or_else(|| "?".into(), |v| format!("{v:.0} Mo"))
}

fn report(all: &[Figures], command: &str, organisations: usize) -> String {
    let mut md = String::new();
    writeln!(md, "## Documents joints\n").unwrap();
    writeln!(
        md,
        "Commande : `{command}` (serveur en mode release, {organisations} organisations aux \
         réponses en brouillon, {} puis {DOCUMENTS} d'entre elles avec un document de 1 Mo ; le \
         lot contient aussi les réponses en CSV et JSON et le document de la consultation). Mémoire : \
         pic de mémoire privée du serveur (anonyme et partagée anonyme) pendant la requête, \
         échantillonnée toutes les 2 ms ; « au repos » : avant le premier envoi.\n",
        DOCUMENTS / 10
    )
    .unwrap();
    writeln!(
        md,
        "| Base | Mesure | Durée | Pic mémoire | Référence | Rapport |\n|---|---|---|---|---|---|"
    )
    .unwrap();
    for f in all {
        writeln!(md, "| {} | au repos | | {} | | |", f.backend, mb(f.rest_mb)).unwrap();
        for (what, seconds, peak, baseline) in &f.big {
            writeln!(
                md,
                "| {} | {what} | {seconds:.2} s | {} | `cp` {baseline:.2} s | {:.1} |",
                f.backend,
                mb(*peak),
                seconds / baseline
            )
            .unwrap();
        }
        for (documents, seconds, bytes, peak, tar) in &f.bundles {
            writeln!(
                md,
                "| {} | lot de {documents} documents (`format=bundle`, {:.0} Mo) | {seconds:.2} s | {} | `tar` {tar:.2} s | {:.1} |",
                f.backend,
                *bytes as f64 / (1024.0 * 1024.0),
                mb(*peak),
                seconds / tar
            )
            .unwrap();
        }
    }
    writeln!(
        md,
        "\nCibles : envoi et téléchargement de 50 Mo sous 80 Mo de mémoire ; le lot en \
         mémoire constante : 1,8 Go de fichiers de plus n'ajoutent au pic que leur liste et le répertoire du ZIP (environ 1 Ko par document)."
    )
    .unwrap();
    md
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let organisations = if args.iter().any(|a| a == "--quick") {
        1_000
    } else {
        ORGANISATIONS
    };
    let pg_admin = std::env::var("CONCERTO_BENCH_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let command = std::env::var("CONCERTO_BENCH_COMMAND")
        .unwrap_or_else(|_| "cargo bench --bench documents".into());
    let rt = tokio::runtime::Runtime::new().unwrap();
    let only = args
        .iter()
        .position(|a| a == "--only")
        .and_then(|i| args.get(i + 1))
        .cloned();
    let all: Vec<Figures> = rt.block_on(async {
        let mut all = Vec::new();
        for backend in [Backend::Sqlite, Backend::Postgres] {
            let name = backend.name().to_lowercase();
            if only
                .as_ref()
                .is_some_and(|wanted| !name.starts_with(&wanted.to_lowercase()))
            {
                continue;
            }
            all.push(measure(backend, &pg_admin, organisations).await);
        }
        all
    });
    let section = report(&all, &command, organisations);
    println!("{section}");
    if only.is_none() && !args.iter().any(|a| a == "--quick") {
        write_section("Documents joints", &section);
    }
}
