//! CSV exports, long and wide, written batch by batch straight from the database.

use super::{Dialect, Include, for_each_batch, neutralise, questions_of};
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
