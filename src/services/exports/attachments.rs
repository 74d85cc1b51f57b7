//! The documents attached to a round's responses, for the coordinators: listed (CSV or
//! JSON: name, type, size, SHA-256, download link), and `bundle`, one ZIP streamed as it
//! is written with the CSV, the JSON, the document and every file in a folder per
//! organisation. The ZIP is written part after part into a small buffer handed to the
//! response as it fills: memory stays flat whatever the files weigh.

use std::cell::RefCell;
use std::collections::HashSet;
use std::io::Write;
use std::rc::Rc;

use chrono::{DateTime, Utc};
use futures_util::StreamExt;
use serde::Serialize;

use super::{Dialect, Format, Include, Rendering, Shape, csv_line};
use crate::domain::rounds::RoundDetail;
use crate::error::AppError;
use crate::state::AppState;
use crate::store::{self, DbConnection};

/// One document as the listing and the bundle name it.
#[derive(Debug, Clone, Serialize)]
pub struct Listed {
    pub organisation: String,
    /// The documents question (its code); empty: the response's own area.
    pub question: String,
    pub title: String,
    pub file_name: String,
    pub media_type: String,
    pub size: i64,
    pub sha256: String,
    /// For coordinators signed in with the second factor.
    pub download: String,
    /// Where the bundle puts it: `documents/<organisation>/<file>`.
    pub bundle_path: String,
}

pub const HEADER: [&str; 9] = [
    "organisation_name",
    "question_code",
    "title",
    "file_name",
    "media_type",
    "size_bytes",
    "sha256",
    "download_url",
    "bundle_path",
];

/// The round's current documents, in the export's scope, each with its place in the
/// bundle (unique: a name met twice in one folder is prefixed with its version's rank).
pub fn listed(
    conn: &mut DbConnection,
    detail: &RoundDetail,
    include: Include,
    base_url: &str,
) -> Result<Vec<Listed>, AppError> {
    let rows =
        store::attachments::current_of_round(conn, detail.round.id, include == Include::All)?;
    let codes = store::exports::question_ids(conn, detail.round.id)?
        .into_iter()
        .map(|(code, id)| (id, code))
        .collect::<std::collections::HashMap<_, _>>();
    let mut taken = HashSet::new();
    Ok(rows
        .into_iter()
        .map(|(_, organisation, row)| {
            let folder = folder_name(&organisation);
            let mut path = format!("documents/{folder}/{}", row.file_name);
            let mut n = 2;
            while !taken.insert(path.clone()) {
                path = format!("documents/{folder}/{n}-{}", row.file_name);
                n += 1;
            }
            Listed {
                question: row
                    .question_id
                    .and_then(|q| codes.get(&q).cloned())
                    .unwrap_or_default(),
                download: format!(
                    "{base_url}{}",
                    crate::services::responses::attachments::download_path(&row.token)
                ),
                title: row.title,
                file_name: row.file_name,
                media_type: row.media_type,
                size: row.size,
                sha256: row.sha256,
                bundle_path: path,
                organisation,
            }
        })
        .collect())
}

/// An organisation's name as a folder: letters (accented too), digits, spaces and
/// `-_.()` kept, the rest `_`, never empty nor starting with a dot.
fn folder_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, ' ' | '-' | '_' | '(' | ')') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let cleaned = cleaned.trim();
    if cleaned.is_empty() {
        "organisation".to_owned()
    } else {
        cleaned.chars().take(100).collect()
    }
}

pub fn csv(listed: &[Listed], dialect: Dialect) -> String {
    let mut out = String::new();
    if dialect.bom {
        out.push('\u{feff}');
    }
    csv_line(&HEADER, dialect, &mut out);
    for l in listed {
        let size = l.size.to_string();
        csv_line(
            &[
                &l.organisation,
                &l.question,
                &l.title,
                &l.file_name,
                &l.media_type,
                &size,
                &l.sha256,
                &l.download,
                &l.bundle_path,
            ],
            dialect,
            &mut out,
        );
    }
    out
}

/// `{"attachments": [...]}`: an object, as every JSON export is.
pub fn json(listed: &[Listed]) -> String {
    serde_json::to_string_pretty(&serde_json::json!({ "attachments": listed }))
        .unwrap_or_else(|_| r#"{"attachments": []}"#.into())
}

/// Where the ZIP is written: bytes gathered until they are handed to the response.
#[derive(Clone, Default)]
struct Gathered(Rc<RefCell<Vec<u8>>>);

impl Write for Gathered {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Hands what is gathered over (past `at_least` bytes); false once nobody listens.
async fn hand_over(
    gathered: &Gathered,
    sender: &tokio::sync::mpsc::Sender<Result<Vec<u8>, AppError>>,
    at_least: usize,
) -> bool {
    let chunk = {
        let mut buffer = gathered.0.borrow_mut();
        if buffer.len() < at_least.max(1) {
            return true;
        }
        std::mem::take(&mut *buffer)
    };
    sender.send(Ok(chunk)).await.is_ok()
}

const HAND_OVER: usize = 256 * 1024;

/// The bundle of round `detail`, streamed: its chunks on the receiver, a failure midway
/// as an `Err` (the download visibly fails). Runs on the caller's worker (the files'
/// store is asynchronous); the database parts on threads of their own.
pub fn bundle(
    state: &AppState,
    detail: RoundDetail,
    include: Include,
    masked: bool,
    now: DateTime<Utc>,
) -> super::Chunks {
    let (sender, receiver) = tokio::sync::mpsc::channel(4);
    let state = state.clone();
    actix_web::rt::spawn(async move {
        if let Err(e) = write_bundle(&state, detail, include, masked, now, &sender).await {
            tracing::warn!(error = %e, "bundle failed midway");
            let _ = sender.send(Err(AppError::Internal(e))).await;
        }
    });
    receiver
}

async fn write_bundle(
    state: &AppState,
    detail: RoundDetail,
    include: Include,
    masked: bool,
    now: DateTime<Utc>,
    sender: &tokio::sync::mpsc::Sender<Result<Vec<u8>, AppError>>,
) -> anyhow::Result<()> {
    use zip::write::SimpleFileOptions;
    let gathered = Gathered::default();
    let mut zip = zip::ZipWriter::new_stream(gathered.clone());
    let deflated = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    // Documents are compressed already (PDF, images, office formats are ZIP archives).
    let stored = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .large_file(true);
    let base_url = state.settings.base_url().to_owned();
    let slug = detail.round.slug.clone();
    let listing = {
        let (detail, base_url) = (detail.clone(), base_url.clone());
        state
            .db
            .run(move |conn| listed(conn, &detail, include, &base_url))
            .await?
    };
    let parts = [
        ("reponses.csv", Format::Csv(Shape::Long)),
        ("reponses.json", Format::Json),
        ("contribution.html", Format::Document(Rendering::Html)),
    ];
    for (name, format) in parts {
        zip.start_file(format!("{slug}/{name}"), deflated)?;
        let options = (format, include, Dialect::STANDARD, masked);
        let mut part = super::stream(
            state.db.clone(),
            detail.clone(),
            options,
            (now, base_url.clone()),
        );
        while let Some(chunk) = part.recv().await {
            zip.write_all(&chunk.map_err(anyhow::Error::msg)?)?;
            if !hand_over(&gathered, sender, HAND_OVER).await {
                return Ok(());
            }
        }
    }
    zip.start_file(format!("{slug}/documents.csv"), deflated)?;
    zip.write_all(csv(&listing, Dialect::STANDARD).as_bytes())?;
    for document in &listing {
        zip.start_file(format!("{slug}/{}", document.bundle_path), stored)?;
        let mut content = state.files.read(&document.sha256).await?;
        while let Some(chunk) = content.next().await {
            zip.write_all(&chunk?)?;
            if !hand_over(&gathered, sender, HAND_OVER).await {
                return Ok(());
            }
        }
    }
    zip.finish()?;
    hand_over(&gathered, sender, 0).await;
    Ok(())
}
