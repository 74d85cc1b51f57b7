//! What everyone may read of a round once its synthesis is published: its publishable
//! responses (submitted, the organisation consenting), signed as each consented (by
//! name, or by kind alone), the personal data coordinators marked masked. A page at a
//! time for the public list, or whole as open data (CSV, JSON) under the licence of the
//! latest published version, streamed in keyset batches so memory stays flat. Both read
//! through [`PublicReading`], so the page and the files never differ.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDateTime, Utc};
use serde_json::json;

use super::{publications_of, published_as, reading};
use crate::domain::answers::{AnswerValue, for_reading};
use crate::domain::passages::mask;
use crate::domain::rounds::{Question, RoundDetail};
use crate::domain::synthesis::Licence;
use crate::domain::synthesis::document::Signature;
use crate::error::AppError;
use crate::services::exports::{Dialect, csv_line};
use crate::services::round_work;
use crate::state::AppState;
use crate::store::redactions::Masks;
use crate::store::synthesis::{PublishableResponse, Window};
use crate::store::{self, DbConnection};

/// Responses shown per page of the public list.
pub const PUBLIC_PAGE: usize = 20;

/// Responses per batch of the open data.
const BATCH: i64 = 200;

/// A response as the public reads it: signed as consented, each answer as read, the
/// personal data coordinators marked masked.
pub struct PublicResponse {
    pub by: Signature,
    /// The organisation's kind, as a code (the open data's column).
    pub kind: &'static str,
    pub submitted_at: Option<NaiveDateTime>,
    /// (question code, prompt, answer as read), answered questions only.
    pub answers: Vec<(String, String, String)>,
}

/// The round as the public reads it: its questions in order, their ids, the passages
/// marked as personal data.
struct PublicReading<'a> {
    questions: Vec<&'a Question>,
    ids: HashMap<String, i64>,
    masks: Masks,
}

impl<'a> PublicReading<'a> {
    fn load(conn: &mut DbConnection, detail: &'a RoundDetail) -> Result<Self, AppError> {
        let round = detail.round.id;
        Ok(Self {
            questions: detail.chapters.iter().flat_map(|c| &c.questions).collect(),
            ids: store::exports::question_ids(conn, round)?,
            masks: store::redactions::masks_of_round(conn, round)?,
        })
    }

    /// These responses with their answers, as the public reads them.
    fn read(
        &self,
        conn: &mut DbConnection,
        rows: Vec<PublishableResponse>,
    ) -> Result<Vec<PublicResponse>, AppError> {
        let response_ids: Vec<i64> = rows.iter().map(|r| r.response_id).collect();
        let answers: HashMap<(i64, i64), Option<AnswerValue>> =
            store::exports::answers_of(conn, &response_ids)?
                .into_iter()
                .map(|(response, question, value)| ((response, question), value))
                .collect();
        let shown = rows
            .into_iter()
            .map(|row| {
                let masked = self.masks.get(&row.response_id);
                let answers = self
                    .questions
                    .iter()
                    .filter_map(|q| {
                        let value = answers.get(&(row.response_id, *self.ids.get(&q.code)?))?;
                        let read = for_reading(&q.spec, value.as_ref());
                        let read = match masked.and_then(|m| m.get(&q.code)) {
                            Some(p) => mask(&read, p.iter().map(String::as_str)),
                            None => read,
                        };
                        (!read.trim().is_empty()).then(|| (q.code.clone(), q.prompt.clone(), read))
                    })
                    .collect();
                PublicResponse {
                    by: reading::signature(row.consent, &row.organisation, row.organisation_kind),
                    kind: row.organisation_kind.as_str(),
                    submitted_at: row.submitted_at,
                    answers,
                }
            })
            .collect();
        Ok(shown)
    }
}

/// A page of the public list.
pub struct PublicPage {
    pub responses: Vec<PublicResponse>,
    /// How many publishable responses in all.
    pub total: i64,
    /// The open data's licence.
    pub licence: Licence,
}

/// A page of the round's publishable responses (from 1), by organisation name; only
/// once a synthesis is published (404 before, and for a round in draft).
pub async fn public_responses(
    state: &AppState,
    slug: String,
    page: usize,
) -> Result<PublicPage, AppError> {
    let wanted = slug.clone();
    round_work::read(state, slug, move |conn, round| {
        let (_, licence) = published_licence(conn, round)?;
        let detail = store::rounds::find_by_slug(conn, &wanted)?.ok_or(AppError::NotFound)?;
        let reading = PublicReading::load(conn, &detail)?;
        let window = Window::Page {
            offset: ((page.max(1) - 1) * PUBLIC_PAGE) as i64,
            limit: PUBLIC_PAGE as i64,
        };
        let rows = store::synthesis::publishable_responses(conn, round, window)?;
        Ok(PublicPage {
            total: store::synthesis::publishable_count(conn, round)?,
            responses: reading.read(conn, rows)?,
            licence,
        })
    })
    .await
}

/// The open data's two formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenData {
    Csv,
    Json,
}

impl OpenData {
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "csv" => Some(Self::Csv),
            "json" => Some(Self::Json),
            _ => None,
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::Json => "json",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Self::Csv => "text/csv; charset=utf-8",
            Self::Json => "application/json",
        }
    }
}

/// The open data's columns, one line per answer.
pub const OPEN_DATA_HEADER: [&str; 10] = [
    "round",
    "chapter_code",
    "chapter_title",
    "question_code",
    "question_prompt",
    "organisation",
    "organisation_kind",
    "signed_as",
    "submitted_at",
    "answer",
];

/// What the open data is written from: the round, the latest published version and
/// its licence, the public page's address.
pub struct OpenDataSource {
    pub detail: RoundDetail,
    pub version: i32,
    pub licence: Licence,
    pub page: String,
}

/// The open data's source, once a synthesis is published (404 before, and for a round
/// in draft).
pub async fn open_data(state: &AppState, slug: String) -> Result<OpenDataSource, AppError> {
    let page = format!(
        "{}/consultations/{slug}/contribution",
        state.settings.base_url()
    );
    let wanted = slug.clone();
    round_work::read(state, slug, move |conn, round| {
        let (version, licence) = published_licence(conn, round)?;
        let detail = store::rounds::find_by_slug(conn, &wanted)?.ok_or(AppError::NotFound)?;
        Ok(OpenDataSource {
            detail,
            version,
            licence,
            page,
        })
    })
    .await
}

/// The latest published version's number and licence (404 as `publications_of`).
fn published_licence(conn: &mut DbConnection, round: i64) -> Result<(i32, Licence), AppError> {
    let (synthesis, versions) = publications_of(conn, round, true)?;
    let version = versions[0].number;
    // The licence alone: serde skips the rest of the document.
    #[derive(serde::Deserialize)]
    struct Licensed {
        licence: Licence,
    }
    let (Licensed { licence }, _) =
        published_as(conn, synthesis, version)?.ok_or(AppError::NotFound)?;
    Ok((version, licence))
}

/// Writes the open data through `emit` (false once nobody listens); returns the
/// responses written.
pub fn write_open_data(
    conn: &mut DbConnection,
    source: &OpenDataSource,
    format: OpenData,
    now: DateTime<Utc>,
    emit: &mut dyn FnMut(Vec<u8>) -> bool,
) -> Result<usize, AppError> {
    let detail = &source.detail;
    let reading = PublicReading::load(conn, detail)?;
    let chapter_of: HashMap<&str, (&str, &str)> = detail
        .chapters
        .iter()
        .flat_map(|part| {
            let chapter = (part.chapter.code.as_str(), part.chapter.title.as_str());
            part.questions
                .iter()
                .map(move |q| (q.code.as_str(), chapter))
        })
        .collect();
    let mut chunk = String::new();
    match format {
        OpenData::Csv => csv_line(&OPEN_DATA_HEADER, Dialect::STANDARD, &mut chunk),
        OpenData::Json => {
            let questions: Vec<_> = reading
                .questions
                .iter()
                .map(|q| {
                    let (chapter_code, chapter_title) = chapter_of[q.code.as_str()];
                    json!({"code": q.code, "chapter_code": chapter_code, "chapter_title": chapter_title, "prompt": q.prompt, "kind": q.spec.kind()})
                })
                .collect();
            let head = json!({
                "format": "concerto-open-data",
                "version": 1,
                "licence": {"code": source.licence, "name": source.licence.name(), "url": source.licence.url()},
                "source": source.page,
                "contribution_version": source.version,
                "generated_at": now.to_rfc3339(),
                "round": {"slug": detail.round.slug, "title": detail.round.title},
                "questions": questions,
            });
            // The head is an object; reopen it to stream the responses into it.
            chunk = head.to_string();
            chunk.pop();
            chunk.push_str(",\"responses\":[");
        }
    }
    let mut written = 0;
    let mut after = 0;
    loop {
        let window = Window::After {
            after,
            limit: BATCH,
        };
        let rows = store::synthesis::publishable_responses(conn, detail.round.id, window)?;
        let Some(last) = rows.last() else { break };
        after = last.response_id;
        for response in reading.read(conn, rows)? {
            let organisation = response.by.attributed.then_some(response.by.name.as_str());
            let signed_as = response.by.said();
            let submitted_at = response.submitted_at.map(|t| t.and_utc().to_rfc3339());
            match format {
                OpenData::Csv => {
                    for (code, prompt, answer) in &response.answers {
                        let (chapter_code, chapter_title) = chapter_of[code.as_str()];
                        let fields = [
                            detail.round.slug.as_str(),
                            chapter_code,
                            chapter_title,
                            code,
                            prompt,
                            organisation.unwrap_or(""),
                            response.kind,
                            &signed_as,
                            submitted_at.as_deref().unwrap_or(""),
                            answer,
                        ];
                        csv_line(&fields, Dialect::STANDARD, &mut chunk);
                    }
                }
                OpenData::Json => {
                    let answers: serde_json::Map<String, serde_json::Value> = response
                        .answers
                        .into_iter()
                        .map(|(code, _, text)| (code, text.into()))
                        .collect();
                    let item = json!({
                        "organisation": organisation,
                        "organisation_kind": response.kind,
                        "signed_as": signed_as,
                        "submitted_at": submitted_at,
                        "answers": answers,
                    });
                    if written > 0 {
                        chunk.push(',');
                    }
                    chunk.push_str(&item.to_string());
                }
            }
            written += 1;
        }
        if !emit(std::mem::take(&mut chunk).into_bytes()) {
            return Ok(written);
        }
    }
    if format == OpenData::Json {
        chunk.push_str("]}");
    }
    if !chunk.is_empty() {
        emit(chunk.into_bytes());
    }
    Ok(written)
}
