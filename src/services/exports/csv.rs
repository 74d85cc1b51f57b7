//! CSV exports, long and wide, written batch by batch straight from the database.

use super::{Dialect, Include, for_each_batch, needs_neutralising, questions_of};
use crate::domain::answers::as_text;
use crate::domain::rounds::RoundDetail;
use crate::error::AppError;
use crate::store::DbConnection;

/// One CSV line: every field neutralised and quoted.
pub fn csv_line(fields: &[&str], dialect: Dialect, out: &mut String) {
    for (i, field) in fields.iter().enumerate() {
        if i > 0 {
            out.push(dialect.separator);
        }
        push_field(field, out);
    }
    end_line(dialect, out);
}

/// One field, neutralised and quoted, written without allocating: this runs once per
/// cell of the largest exports.
fn push_field(field: &str, out: &mut String) {
    out.push('"');
    if needs_neutralising(field) {
        out.push('\'');
    }
    let mut rest = field;
    while let Some(at) = rest.find('"') {
        out.push_str(&rest[..=at]);
        out.push('"');
        rest = &rest[at + 1..];
    }
    out.push_str(rest);
    out.push('"');
}

fn end_line(dialect: Dialect, out: &mut String) {
    out.push_str(if dialect.crlf { "\r\n" } else { "\n" });
}

/// Fields followed by a separator each, ready to start a line.
fn leading_fields(fields: &[&str], dialect: Dialect) -> String {
    let mut out = String::new();
    for field in fields {
        push_field(field, &mut out);
        out.push(dialect.separator);
    }
    out
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

/// A CSV export. In both shapes an unanswered question gives an empty cell, so nothing
/// silently disappears. Each chunk goes to `emit`; when it returns false the export stops.
/// Returns the data rows written.
pub fn write(
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
    let questions = questions_of(detail);
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
    // In the long shape the question's columns and the organisation's repeat on every
    // line: each is encoded once.
    let question_fields: Vec<String> = questions
        .iter()
        .map(|(chapter, q)| {
            leading_fields(
                &[
                    &detail.round.slug,
                    &chapter.code,
                    &chapter.title,
                    &q.code,
                    &q.prompt,
                    q.spec.kind(),
                ],
                dialect,
            )
        })
        .collect();
    let mut rows = 0;
    let mut open = true;
    for_each_batch(conn, detail.round.id, include, &mut |batch, answers| {
        for response in batch {
            let submitted_at = response
                .submitted_at
                .map(|t| t.and_utc().to_rfc3339())
                .unwrap_or_default();
            let organisation = leading_fields(
                &[
                    &response.organisation_name,
                    &response.legal_id,
                    &response.organisation_kind,
                    &response.status,
                    &submitted_at,
                ],
                dialect,
            );
            let texts = questions
                .iter()
                .map(|(_, q)| as_text(&q.spec, answers.of(response.response_id, q)));
            match shape {
                Shape::Long => {
                    for (prefix, answer) in question_fields.iter().zip(texts) {
                        chunk.push_str(prefix);
                        chunk.push_str(&organisation);
                        push_field(&answer, &mut chunk);
                        end_line(dialect, &mut chunk);
                        rows += 1;
                    }
                }
                Shape::Wide => {
                    chunk.push_str(&organisation);
                    for (i, answer) in texts.enumerate() {
                        if i > 0 {
                            chunk.push(dialect.separator);
                        }
                        push_field(&answer, &mut chunk);
                    }
                    if questions.is_empty() {
                        // (No question: drop the separator left after the organisation.)
                        chunk.pop();
                    }
                    end_line(dialect, &mut chunk);
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
