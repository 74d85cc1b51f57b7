//! Exports for the ministry. CSV rows are written batch by batch straight from the
//! database (keyset pages of responses), so memory stays flat whatever the size.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use crate::domain::answers::as_text;
use crate::domain::rounds::{Chapter, Question, RoundDetail};
use crate::domain::statistics::QuestionStats;
use crate::error::AppError;
use crate::store::exports::ExportedResponse;
use crate::store::{self, DbConnection};

/// Responses per batch: enough to amortise the queries, small enough to keep memory flat.
const BATCH: i64 = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Include {
    /// Only submitted responses (the default).
    Submitted,
    /// Drafts too; the status column tells them apart.
    All,
}

impl Include {
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "submitted" => Some(Self::Submitted),
            "all" => Some(Self::All),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Submitted => "submitted",
            Self::All => "all",
        }
    }
}

/// How a CSV file is spelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dialect {
    pub separator: char,
    pub bom: bool,
    pub crlf: bool,
}

impl Dialect {
    pub const STANDARD: Dialect = Dialect {
        separator: ',',
        bom: false,
        crlf: false,
    };
    /// French Excel: `;`, a UTF-8 BOM so accents survive, CRLF line ends.
    pub const EXCEL_FR: Dialect = Dialect {
        separator: ';',
        bom: true,
        crlf: true,
    };

    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "" | "standard" => Some(Self::STANDARD),
            "excel-fr" => Some(Self::EXCEL_FR),
            _ => None,
        }
    }
}

/// A cell a spreadsheet would read as a formula (or a control) gets a leading `'`.
pub fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r' | '\n' | '\0') => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

/// One CSV line: every field neutralised and quoted.
pub fn csv_line(fields: &[&str], dialect: Dialect, out: &mut String) {
    for (i, field) in fields.iter().enumerate() {
        if i > 0 {
            out.push(dialect.separator);
        }
        out.push('"');
        out.push_str(&neutralise(field).replace('"', "\"\""));
        out.push('"');
    }
    out.push_str(if dialect.crlf { "\r\n" } else { "\n" });
}

pub const WIDE_HEADER: [&str; 5] = [
    "organisation_name",
    "organisation_legal_id",
    "organisation_kind",
    "response_status",
    "submitted_at",
];

pub const LONG_HEADER: [&str; 12] = [
    "round",
    "chapter_code",
    "chapter_title",
    "question_code",
    "question_prompt",
    "question_kind",
    "organisation_name",
    "organisation_legal_id",
    "organisation_kind",
    "response_status",
    "submitted_at",
    "answer",
];

/// Which CSV: `Long` has one row per question of each response, `Wide` one row per
/// response and one column per question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Long,
    Wide,
}

/// One batch's answers, found by response and question.
struct Answers<'a> {
    question_ids: &'a HashMap<String, i64>,
    values: HashMap<(i64, i64), Value>,
}

impl Answers<'_> {
    /// The answer, or null when the question was left unanswered.
    fn of(&self, response: i64, question: &Question) -> &Value {
        static UNANSWERED: Value = Value::Null;
        self.question_ids
            .get(&question.code)
            .and_then(|id| self.values.get(&(response, *id)))
            .unwrap_or(&UNANSWERED)
    }
}

/// Walks the included responses in keyset batches, with their answers, until `each`
/// returns false (the client left).
fn for_each_batch(
    conn: &mut DbConnection,
    round_id: i64,
    include: Include,
    each: &mut dyn FnMut(&[ExportedResponse], &Answers) -> bool,
) -> Result<(), AppError> {
    let question_ids = store::exports::question_ids(conn, round_id)?;
    let mut after = 0;
    loop {
        let batch =
            store::exports::responses_after(conn, round_id, include == Include::All, after, BATCH)?;
        let Some(last) = batch.last() else {
            return Ok(());
        };
        after = last.response_id;
        let ids: Vec<i64> = batch.iter().map(|r| r.response_id).collect();
        let mut answers = Answers {
            question_ids: &question_ids,
            values: HashMap::new(),
        };
        for (response, question, value) in store::exports::answers_of(conn, &ids)? {
            if let Some(value) = value.and_then(|v| serde_json::from_str(&v).ok()) {
                answers.values.insert((response, question), value);
            }
        }
        if !each(&batch, &answers) {
            return Ok(());
        }
    }
}

/// A CSV export. In both shapes an unanswered question gives an empty cell, so nothing
/// silently disappears. Each chunk goes to `emit`; when it returns false the export stops.
/// Returns the data rows written.
pub fn csv(
    conn: &mut DbConnection,
    detail: &RoundDetail,
    shape: Shape,
    include: Include,
    dialect: Dialect,
    emit: &mut dyn FnMut(String) -> bool,
) -> Result<usize, AppError> {
    let mut chunk = String::new();
    if dialect.bom {
        chunk.push('\u{feff}');
    }
    let questions: Vec<(&Chapter, &Question)> = detail
        .chapters
        .iter()
        .flat_map(|part| part.questions.iter().map(move |q| (&part.chapter, q)))
        .collect();
    // One header row only, so every tool reads the file: in the wide shape each question
    // column is named by its code and its prompt.
    let wide_names: Vec<String> = questions
        .iter()
        .map(|(_, q)| format!("{} — {}", q.code, q.prompt))
        .collect();
    match shape {
        Shape::Long => csv_line(&LONG_HEADER, dialect, &mut chunk),
        Shape::Wide => {
            let header: Vec<&str> = WIDE_HEADER
                .iter()
                .copied()
                .chain(wide_names.iter().map(String::as_str))
                .collect();
            csv_line(&header, dialect, &mut chunk);
        }
    }
    let mut rows = 0;
    let mut open = true;
    for_each_batch(conn, detail.round.id, include, &mut |batch, answers| {
        for response in batch {
            let submitted_at = response
                .submitted_at
                .map(|t| t.and_utc().to_rfc3339())
                .unwrap_or_default();
            let texts = questions
                .iter()
                .map(|(_, q)| as_text(&q.spec, answers.of(response.response_id, q)));
            let organisation = [
                response.organisation_name.as_str(),
                response.legal_id.as_str(),
                response.organisation_kind.as_str(),
                response.status.as_str(),
                submitted_at.as_str(),
            ];
            match shape {
                Shape::Long => {
                    for ((chapter, q), answer) in questions.iter().zip(texts) {
                        let mut fields = vec![
                            detail.round.slug.as_str(),
                            chapter.code.as_str(),
                            chapter.title.as_str(),
                            q.code.as_str(),
                            q.prompt.as_str(),
                            q.spec.kind(),
                        ];
                        fields.extend(organisation);
                        fields.push(answer.as_str());
                        csv_line(&fields, dialect, &mut chunk);
                        rows += 1;
                    }
                }
                Shape::Wide => {
                    let texts: Vec<String> = texts.collect();
                    let fields: Vec<&str> = organisation
                        .into_iter()
                        .chain(texts.iter().map(String::as_str))
                        .collect();
                    csv_line(&fields, dialect, &mut chunk);
                    rows += 1;
                }
            }
        }
        open = emit(std::mem::take(&mut chunk));
        open
    })?;
    if open && !chunk.is_empty() {
        emit(chunk);
    }
    Ok(rows)
}

/// The JSON export: round, chapters and questions with their statistics, then every
/// included response with its answers (raw value and text). Two passes over the
/// responses, the first for the statistics, so that they sit with their questions while
/// memory stays flat. Returns the responses written.
pub fn json(
    conn: &mut DbConnection,
    detail: &RoundDetail,
    include: Include,
    now: DateTime<Utc>,
    emit: &mut dyn FnMut(String) -> bool,
) -> Result<usize, AppError> {
    let questions: Vec<&Question> = detail
        .chapters
        .iter()
        .flat_map(|part| &part.questions)
        .collect();
    let mut stats: Vec<QuestionStats> = questions
        .iter()
        .map(|q| QuestionStats::new(&q.spec))
        .collect();
    for_each_batch(conn, detail.round.id, include, &mut |batch, answers| {
        for response in batch {
            for (stat, q) in stats.iter_mut().zip(&questions) {
                stat.add(&q.spec, answers.of(response.response_id, q));
            }
        }
        true
    })?;
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
    let round = &detail.round;
    let head = json!({
        "format": "concerto-export",
        "version": 1,
        "generated_at": now.to_rfc3339(),
        "include": include.name(),
        "round": {"slug": round.slug, "title": round.title, "summary": round.summary, "opens_at": round.opens_at.map(|t| t.to_rfc3339()), "closes_at": round.closes_at.to_rfc3339(), "status": round.status_at(now)},
        "chapters": chapters,
    });
    // The head is an object; reopen it to stream the responses array into it.
    let mut chunk = head.to_string();
    chunk.pop();
    chunk.push_str(",\"responses\":[");
    let mut written = 0;
    let mut open = true;
    for_each_batch(conn, detail.round.id, include, &mut |batch, answers| {
        for response in batch {
            let answers: serde_json::Map<String, Value> = questions
                .iter()
                .map(|q| {
                    let value = answers.of(response.response_id, q);
                    let text = as_text(&q.spec, value);
                    (q.code.clone(), json!({"value": value, "text": text}))
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
    })?;
    if open {
        chunk.push_str("]}");
        emit(chunk);
    }
    Ok(written)
}

/// An export format, as named in the API and the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv(Shape),
    Json,
}

impl Format {
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "csv" => Some(Self::Csv(Shape::Long)),
            "csv-wide" => Some(Self::Csv(Shape::Wide)),
            "json" => Some(Self::Json),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Csv(Shape::Long) => "csv",
            Self::Csv(Shape::Wide) => "csv-wide",
            Self::Json => "json",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Self::Csv(_) => "text/csv; charset=utf-8",
            Self::Json => "application/json",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Self::Csv(_) => "csv",
            Self::Json => "json",
        }
    }
}

/// Writes one export through `emit`; returns the rows (CSV) or responses (JSON) written.
pub fn write(
    conn: &mut DbConnection,
    detail: &RoundDetail,
    format: Format,
    include: Include,
    dialect: Dialect,
    now: DateTime<Utc>,
    emit: &mut dyn FnMut(String) -> bool,
) -> Result<usize, AppError> {
    match format {
        Format::Csv(shape) => csv(conn, detail, shape, include, dialect, emit),
        Format::Json => json(conn, detail, include, now, emit),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_fields_quoted() {
        let mut out = String::new();
        csv_line(
            &[
                "=HYPERLINK(\"http://x\",\"y\")",
                "+1",
                "-2",
                "@a",
                "\tb",
                "texte \"cité\"",
                "é🙂",
            ],
            Dialect::STANDARD,
            &mut out,
        );
        assert_eq!(
            out,
            "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",\"'+1\",\"'-2\",\"'@a\",\"'\tb\",\"texte \"\"cité\"\"\",\"é🙂\"\n"
        );
        let mut fr = String::new();
        csv_line(&["a", "b"], Dialect::EXCEL_FR, &mut fr);
        assert_eq!(fr, "\"a\";\"b\"\r\n");
    }
}
