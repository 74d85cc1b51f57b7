//! The JSON export (schema in `docs/export.schema.json`), with the coordinators'
//! reading: the round's themes, and each answer's themes and campaign.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::reading::Reading;
use super::{Include, Tally, for_each_batch};
use crate::domain::answers::as_text;
use crate::domain::rounds::RoundDetail;
use crate::error::AppError;
use crate::store::DbConnection;
use crate::store::redactions::Masks;

/// The JSON export: round, chapters and questions with their statistics, then every
/// included response with its answers (raw value and text). Two passes over the
/// responses, the first for the statistics, so that they sit with their questions while
/// memory stays flat. Returns the responses written.
pub fn write(
    conn: &mut DbConnection,
    detail: &RoundDetail,
    (include, masks): (Include, Option<&Masks>),
    now: DateTime<Utc>,
    emit: &mut dyn FnMut(String) -> bool,
) -> Result<usize, AppError> {
    let mut tally = Tally::new(detail);
    for_each_batch(
        conn,
        detail.round.id,
        include,
        masks,
        &mut |batch, answers| {
            for response in batch {
                tally.add(response.response_id, answers);
            }
            true
        },
    )?;
    let Tally { questions, stats } = tally;
    let mut stats = stats.iter();
    let chapters: Vec<Value> = detail
        .chapters
        .iter()
        .map(|part| {
            let questions: Vec<Value> = part
                .questions
                .iter()
                .map(|q| {
                    let statistics = stats.next().map(|s| s.to_json(&q.spec));
                    json!({"code": q.code, "prompt": q.prompt, "help": q.help, "kind": q.spec.kind(), "required": q.required, "spec": q.spec, "statistics": statistics})
                })
                .collect();
            json!({"code": part.chapter.code, "title": part.chapter.title, "questions": questions})
        })
        .collect();
    let reading = Reading::load(conn, detail.round.id)?;
    let themes: Vec<Value> = reading
        .themes
        .iter()
        .map(|t| json!({"id": t.id, "name": t.name, "description": t.description, "colour": t.colour, "parent": t.parent_id}))
        .collect();
    let round = &detail.round;
    let head = json!({
        "format": "concerto-export",
        "version": 1,
        "generated_at": now.to_rfc3339(),
        "include": include.name(),
        "round": {"slug": round.slug, "title": round.title, "summary": round.summary, "opens_at": round.opens_at.map(|t| t.to_rfc3339()), "closes_at": round.closes_at.to_rfc3339(), "status": round.status_at(now)},
        "chapters": chapters,
        "themes": themes,
    });
    // The head is an object; reopen it to stream the responses array into it.
    let mut chunk = head.to_string();
    chunk.pop();
    chunk.push_str(",\"responses\":[");
    let mut written = 0;
    let mut open = true;
    for_each_batch(
        conn,
        detail.round.id,
        include,
        masks,
        &mut |batch, answers| {
            for response in batch {
                let answers: serde_json::Map<String, Value> = questions
                .iter()
                .map(|q| {
                    let value = answers.of(response.response_id, q);
                    let text = as_text(&q.spec, value);
                    let marks = reading.of(response.response_id, &q.code);
                    let themes = reading.names(marks);
                    let campaign = marks.and_then(|m| m.campaign.as_deref());
                    (q.code.clone(), json!({"value": value, "text": text, "themes": themes, "campaign": campaign}))
                })
                .collect();
                let item = json!({
                    "organisation": {"name": response.organisation_name, "legal_id": response.legal_id, "kind": response.organisation_kind},
                    "status": response.status,
                    "submitted_at": response.submitted_at.map(|t| t.and_utc().to_rfc3339()),
                    "publication_consent": response.publication_consent,
                    "answers": answers,
                });
                if written > 0 {
                    chunk.push(',');
                }
                chunk.push_str(&item.to_string());
                written += 1;
            }
            open = emit(std::mem::take(&mut chunk));
            open
        },
    )?;
    if open {
        chunk.push_str("]}");
        emit(chunk);
    }
    Ok(written)
}
