//! Exports for the ministry. CSV rows are written batch by batch straight from the
//! database (keyset pages of responses), so memory stays flat whatever the size.

use std::collections::HashMap;

use serde_json::Value;

use crate::domain::answers::as_text;
use crate::domain::rounds::RoundDetail;
use crate::error::AppError;
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

/// The long CSV: one row per question of each included response (an unanswered question
/// gives an empty answer cell, so nothing silently disappears). Each chunk goes to
/// `emit`; when it returns false (the client left) the export stops. Returns the rows.
pub fn csv_long(
    conn: &mut DbConnection,
    detail: &RoundDetail,
    include: Include,
    dialect: Dialect,
    emit: &mut dyn FnMut(String) -> bool,
) -> Result<usize, AppError> {
    let mut chunk = String::new();
    if dialect.bom {
        chunk.push('\u{feff}');
    }
    csv_line(&LONG_HEADER, dialect, &mut chunk);
    let question_ids = store::exports::question_ids(conn, detail.round.id)?;
    let mut after = 0;
    let mut rows = 0;
    loop {
        let batch = store::exports::responses_after(
            conn,
            detail.round.id,
            include == Include::All,
            after,
            BATCH,
        )?;
        let Some(last) = batch.last() else { break };
        after = last.response_id;
        let ids: Vec<i64> = batch.iter().map(|r| r.response_id).collect();
        let mut answers: HashMap<(i64, i64), Value> = HashMap::new();
        for (response, question, value) in store::exports::answers_of(conn, &ids)? {
            if let Some(value) = value.and_then(|v| serde_json::from_str(&v).ok()) {
                answers.insert((response, question), value);
            }
        }
        for response in &batch {
            let submitted_at = response
                .submitted_at
                .map(|t| t.and_utc().to_rfc3339())
                .unwrap_or_default();
            for part in &detail.chapters {
                for q in &part.questions {
                    let value = question_ids
                        .get(&q.code)
                        .and_then(|id| answers.get(&(response.response_id, *id)))
                        .cloned()
                        .unwrap_or(Value::Null);
                    let answer = as_text(&q.spec, &value);
                    let fields = [
                        detail.round.slug.as_str(),
                        part.chapter.code.as_str(),
                        part.chapter.title.as_str(),
                        q.code.as_str(),
                        q.prompt.as_str(),
                        q.spec.kind(),
                        response.organisation_name.as_str(),
                        response.legal_id.as_str(),
                        response.organisation_kind.as_str(),
                        response.status.as_str(),
                        submitted_at.as_str(),
                        answer.as_str(),
                    ];
                    csv_line(&fields, dialect, &mut chunk);
                    rows += 1;
                }
            }
        }
        if !emit(std::mem::take(&mut chunk)) {
            return Ok(rows);
        }
    }
    if !chunk.is_empty() {
        emit(chunk);
    }
    Ok(rows)
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
