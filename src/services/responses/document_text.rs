//! The texts of attached documents, read once per content for the round's search
//! (`extraction`): after an upload, by the instance that received it, on its runtime and
//! off the request; any content left waiting (an instance stopped while reading, the
//! object store briefly out of reach) is taken again by whichever instance looks next,
//! its claim being old. The search finds a document as soon as its text is written
//! (PostgreSQL's generated column, SQLite's triggers: migration 000030).

use std::time::Duration;

use futures_util::StreamExt;

use crate::domain::attachments::{DocumentKind, TextState};
use crate::error::AppError;
use crate::extraction;
use crate::state::AppState;
use crate::store;

/// A claim older than this is taken again: twice the reader's own time limit.
const CLAIM: Duration = Duration::from_secs(2 * extraction::TIME_LIMIT.as_secs());
/// An instance looks for contents left waiting this often, besides after its uploads.
const LOOK_AGAIN: Duration = Duration::from_secs(600);

/// Reads the texts of the contents waiting, one at a time, until none is left for this
/// instance. Returns how many it read.
pub async fn read_waiting(state: &AppState) -> Result<usize, AppError> {
    let mut read = 0;
    loop {
        let now = state.clock.now();
        let stale = now - chrono::Duration::from_std(CLAIM).unwrap_or_default();
        let Some(content) = state
            .db
            .run(move |conn| {
                store::attachments::claim_text(conn, now.naive_utc(), stale.naive_utc())
                    .map_err(AppError::from)
            })
            .await?
        else {
            return Ok(read);
        };
        // The store out of reach: the claim stays, and the content waits for it to
        // expire; the others are read meanwhile.
        let (text_state, text) = match read_one(state, &content).await {
            Ok(Read::Text(text)) => (TextState::Extracted, Some(text)),
            Ok(Read::Without(text_state, why)) => {
                if text_state == TextState::Unreadable {
                    tracing::warn!(sha256 = %content.sha256, %why, "document text unreadable");
                } else if text_state != TextState::NotText {
                    tracing::info!(sha256 = %content.sha256, %text_state, %why, "document text not read");
                }
                (text_state, None)
            }
            Err(e) => {
                tracing::warn!(sha256 = %content.sha256, error = %e, "document content not read");
                continue;
            }
        };
        let sha256 = content.sha256;
        state
            .db
            .run(move |conn| {
                store::attachments::set_text(conn, &sha256, text_state, text.as_deref())
                    .map_err(AppError::from)
            })
            .await?;
        state.metrics.document_text_read(text_state);
        read += 1;
    }
}

/// What came of reading one content: its text, or the state that says why there is
/// none, and why.
enum Read {
    Text(String),
    Without(TextState, String),
}

async fn read_one(
    state: &AppState,
    content: &store::attachments::ContentToRead,
) -> Result<Read, AppError> {
    let Some(kind) = DocumentKind::from_media_type(&content.media_type).filter(|k| k.has_text())
    else {
        let why = format!("{} : pas de texte à lire", content.media_type);
        return Ok(Read::Without(TextState::NotText, why));
    };
    if content.size > extraction::MAX_INPUT_BYTES {
        let why = format!("{} octets, plus que la limite de lecture", content.size);
        return Ok(Read::Without(TextState::TooLarge, why));
    }
    let mut chunks = state.files.read(&content.sha256).await?;
    let mut bytes = Vec::with_capacity(content.size as usize);
    while let Some(chunk) = chunks.next().await {
        bytes.extend_from_slice(&chunk.map_err(anyhow::Error::from)?);
        if bytes.len() as i64 > extraction::MAX_INPUT_BYTES {
            let why = "plus d'octets que la limite de lecture".to_owned();
            return Ok(Read::Without(TextState::TooLarge, why));
        }
    }
    Ok(match extraction::text_of(kind, bytes).await {
        Ok(text) => Read::Text(text),
        Err(why) => Read::Without(TextState::Unreadable, why.0),
    })
}

/// Reads waiting texts on this instance's runtime: when an upload asks
/// (`AppState::texts`), and every ten minutes for contents left waiting.
pub fn spawn_reading(state: AppState) {
    tokio::spawn(async move {
        loop {
            if let Err(e) = read_waiting(&state).await {
                tracing::warn!(error = %e, "reading document texts failed");
            }
            let _ = tokio::time::timeout(LOOK_AGAIN, state.texts.notified()).await;
        }
    });
}
