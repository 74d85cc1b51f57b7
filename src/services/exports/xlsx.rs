//! The XLSX export: a summary sheet with each question's results, then one sheet per
//! chapter with one row per organisation and one column per question. Chapter sheets
//! use the writer's constant-memory mode (each row goes to a temporary file once the
//! next one starts); the finished workbook is written to a temporary file and handed out
//! in chunks. Memory stays flat whatever the number of responses.

use std::io::{Read, Seek, SeekFrom};

use chrono::{DateTime, Utc};
use rust_xlsxwriter::{Format as Style, Workbook, Worksheet, XlsxError};

use super::{Include, Tally, for_each_batch, neutralise};
use crate::domain::answers::as_text;
use crate::domain::rounds::RoundDetail;
use crate::error::AppError;
use crate::i18n::{Lang, Tr};
use crate::store::DbConnection;
use crate::store::redactions::Masks;

/// Excel refuses cells over 32,767 UTF-16 units; a part stays under it with its marker.
const CELL_LIMIT: usize = 32_000;

const ORGANISATION_COLUMNS: [(&str, f64); 5] = [
    ("Organisation", 32.0),
    ("Identifiant (RNA ou SIREN)", 16.0),
    ("Type d'organisation", 24.0),
    ("Statut de la réponse", 14.0),
    ("Soumise le (UTC)", 20.0),
];

impl From<XlsxError> for AppError {
    fn from(e: XlsxError) -> Self {
        AppError::Internal(anyhow::anyhow!("xlsx: {e}"))
    }
}

/// A text as the cells that hold it: itself (neutralised) when it fits, or parts marked
/// `[partie 1/3] …` so a reader sees at once that the answer goes on below.
pub fn cell_parts(text: &str) -> Vec<String> {
    if text.encode_utf16().count() <= CELL_LIMIT {
        return vec![neutralise(text).into_owned()];
    }
    let mut parts = vec![String::new()];
    let mut units = 0;
    for c in text.chars() {
        if units + c.len_utf16() > CELL_LIMIT {
            parts.push(String::new());
            units = 0;
        }
        units += c.len_utf16();
        parts.last_mut().expect("one part at least").push(c);
    }
    let n = parts.len();
    parts
        .into_iter()
        .enumerate()
        .map(|(i, part)| format!("[partie {}/{n}] {part}", i + 1))
        .collect()
}

/// A sheet name Excel accepts, whatever the chapter is called: at most 31 UTF-16 units,
/// none of `[]:*?/\\` nor a control character, no apostrophe at either end, not
/// Excel's reserved `History`, and unique the way Excel compares names (case folded
/// beyond ASCII: `É` and `é` collide). A title that leaves nothing falls back to
/// `Chapitre N`, itself unique.
fn sheet_name(code: &str, title: &str, taken: &[String]) -> String {
    let raw = format!("{code} {title}");
    let mut clean = String::new();
    let mut units = 0;
    for c in raw.chars() {
        let c = if "[]:*?/\\".contains(c) || c.is_control() {
            ' '
        } else {
            c
        };
        if units + c.len_utf16() > 31 {
            break;
        }
        units += c.len_utf16();
        clean.push(c);
    }
    let clean = clean
        .trim_matches(|c: char| c.is_whitespace() || c == '\'')
        .to_owned();
    let free = |name: &str| {
        let folded = name.to_lowercase();
        !taken.iter().any(|t| t.to_lowercase() == folded)
    };
    if !clean.is_empty() && !clean.eq_ignore_ascii_case("history") && free(&clean) {
        return clean;
    }
    (taken.len()..)
        .map(|n| format!("Chapitre {n}"))
        .find(|name| free(name))
        .expect("a free number")
}

fn header_row(
    sheet: &mut Worksheet,
    names: &[(String, f64)],
    style: &Style,
) -> Result<(), XlsxError> {
    for (col, (name, width)) in names.iter().enumerate() {
        let col = col as u16;
        sheet.set_column_width(col, *width)?;
        sheet.write_string_with_format(0, col, neutralise(name), style)?;
    }
    // Header and organisation names stay in view while scrolling.
    sheet.set_freeze_panes(1, 1)?;
    Ok(())
}

/// Writes the workbook; returns the data rows written across the chapter sheets.
pub fn write(
    conn: &mut DbConnection,
    detail: &RoundDetail,
    (include, masks): (Include, Option<&Masks>),
    now: DateTime<Utc>,
    emit: &mut dyn FnMut(Vec<u8>) -> bool,
) -> Result<usize, AppError> {
    let tr = Tr::new(Lang::Fr);
    let bold = Style::new().set_bold();
    let header = Style::new()
        .set_bold()
        .set_text_wrap()
        .set_background_color("#E3E3FD");
    let mut workbook = Workbook::new();
    workbook.add_worksheet().set_name("Synthèse")?;
    let mut names: Vec<String> = vec!["Synthèse".into()];
    for part in &detail.chapters {
        let name = sheet_name(&part.chapter.code, &part.chapter.title, &names);
        let sheet = workbook.add_worksheet_with_constant_memory()?;
        sheet.set_name(&name)?;
        names.push(name);
        let columns: Vec<(String, f64)> = ORGANISATION_COLUMNS
            .iter()
            .map(|(n, w)| ((*n).to_owned(), *w))
            .chain(part.questions.iter().map(|q| {
                let width = match q.spec.kind() {
                    "long_text" | "proposals" => 60.0,
                    _ => 30.0,
                };
                (format!("{} — {}", q.code, q.prompt), width)
            }))
            .collect();
        header_row(sheet, &columns, &header)?;
    }

    let mut tally = Tally::new(detail);
    let mut next_row = vec![1u32; detail.chapters.len()];
    let mut responses = 0usize;
    let mut rows = 0usize;
    let mut failure: Option<XlsxError> = None;
    for_each_batch(
        conn,
        detail.round.id,
        include,
        masks,
        &mut |batch, answers| {
            let mut write_batch = || -> Result<(), XlsxError> {
                for response in batch {
                    responses += 1;
                    tally.add(response.response_id, answers);
                    let organisation = [
                        response.organisation_name.clone(),
                        response.legal_id.clone(),
                        tr.label("org-kind", &response.organisation_kind),
                        tr.label("progress-status", response.status.as_str()),
                        response
                            .submitted_at
                            .map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string())
                            .unwrap_or_default(),
                    ];
                    for (index, part) in detail.chapters.iter().enumerate() {
                        let sheet = workbook.worksheet_from_index(index + 1)?;
                        let cells: Vec<Vec<String>> = part
                            .questions
                            .iter()
                            .map(|q| {
                                cell_parts(&as_text(&q.spec, answers.of(response.response_id, q)))
                            })
                            .collect();
                        // An answer too long for one cell goes on in the rows below, with the
                        // organisation repeated so each row still says whose it is.
                        let height = cells.iter().map(Vec::len).max().unwrap_or(1).max(1);
                        for line in 0..height {
                            let row = next_row[index];
                            for (col, value) in organisation.iter().enumerate() {
                                sheet.write_string(row, col as u16, neutralise(value))?;
                            }
                            for (offset, parts) in cells.iter().enumerate() {
                                if let Some(part) = parts.get(line) {
                                    let col = (ORGANISATION_COLUMNS.len() + offset) as u16;
                                    sheet.write_string(row, col, part)?;
                                }
                            }
                            next_row[index] += 1;
                            rows += 1;
                        }
                    }
                }
                Ok(())
            };
            match write_batch() {
                Ok(()) => true,
                Err(e) => {
                    failure = Some(e);
                    false
                }
            }
        },
    )?;
    if let Some(e) = failure {
        return Err(e.into());
    }

    let summary = workbook.worksheet_from_index(0)?;
    summary.set_column_width(0, 12.0)?;
    summary.set_column_width(1, 14.0)?;
    summary.set_column_width(2, 50.0)?;
    summary.set_column_width(3, 24.0)?;
    summary.set_column_width(4, 12.0)?;
    summary.set_column_width(5, 36.0)?;
    summary.set_column_width(6, 10.0)?;
    summary.set_column_width(7, 12.0)?;
    let percent = Style::new().set_num_format("0.0%");
    summary.write_string_with_format(0, 0, neutralise(&detail.round.title), &bold)?;
    let scope = include.scope_fr();
    summary.write_string(1, 0, "Établi le")?;
    summary.write_string(1, 2, tr.datetime(now))?;
    summary.write_string(2, 0, "Réponses")?;
    summary.write_number(2, 2, responses as f64)?;
    summary.write_string(2, 3, scope)?;
    let titles = [
        "Chapitre",
        "Question",
        "Intitulé",
        "Type",
        "Répondants",
        "Réponse",
        "Nombre",
        "Part des répondants",
    ];
    for (col, title) in titles.iter().enumerate() {
        summary.write_string_with_format(4, col as u16, *title, &header)?;
    }
    summary.set_freeze_panes(5, 0)?;
    let mut row = 5u32;
    let mut stats = tally.stats.iter();
    for part in &detail.chapters {
        for q in &part.questions {
            let Some(stat) = stats.next() else { break };
            summary.write_string(row, 0, neutralise(&part.chapter.code))?;
            summary.write_string(row, 1, neutralise(&q.code))?;
            summary.write_string(row, 2, neutralise(&q.prompt))?;
            summary.write_string(row, 3, tr.label("question-kind", q.spec.kind()))?;
            summary.write_number(row, 4, stat.respondents as f64)?;
            if let (Some(mean), Some(median)) = (stat.mean(&q.spec), stat.median(&q.spec)) {
                summary.write_string(row, 5, "Moyenne / médiane")?;
                summary.write_number(row, 6, mean)?;
                summary.write_number(row, 7, median)?;
            }
            row += 1;
            for bar in stat.bars(&q.spec) {
                summary.write_string(row, 5, neutralise(&bar.label))?;
                summary.write_number(row, 6, bar.count as f64)?;
                summary.write_number_with_format(row, 7, bar.share, &percent)?;
                row += 1;
            }
        }
    }

    let mut file = tempfile::tempfile().map_err(anyhow::Error::from)?;
    workbook.save_to_writer(&mut file)?;
    file.seek(SeekFrom::Start(0)).map_err(anyhow::Error::from)?;
    let mut buffer = vec![0; 64 * 1024];
    loop {
        let n = file.read(&mut buffer).map_err(anyhow::Error::from)?;
        if n == 0 || !emit(buffer[..n].to_vec()) {
            break;
        }
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_answers_are_split_visibly() {
        assert_eq!(cell_parts("=1+1"), vec!["'=1+1".to_owned()]);
        let long = "é".repeat(CELL_LIMIT) + "🙂🙂";
        let parts = cell_parts(&long);
        assert_eq!(parts.len(), 2);
        assert!(parts[0].starts_with("[partie 1/2] éé"));
        assert_eq!(parts[1], "[partie 2/2] 🙂🙂");
        assert!(parts.iter().all(|p| p.encode_utf16().count() <= 32_767));
    }

    #[test]
    fn sheet_names_are_valid_and_unique() {
        let taken = vec!["Synthèse".to_owned(), "E1 Santé".to_owned()];
        assert_eq!(
            sheet_name("E2", "Accès [aux] soins : ville/hôpital ?", &taken)
                .chars()
                .count(),
            31
        );
        assert!(!sheet_name("E2", "a/b", &taken).contains('/'));
        assert_eq!(sheet_name("e1", "santé", &taken), "Chapitre 2");
    }

    /// Whatever a coordinator names chapters, the workbook is written: each name is one
    /// rust_xlsxwriter accepts, and the whole set passes its check at saving.
    #[test]
    fn any_chapter_names_make_a_workbook() {
        let titles = [
            ("E1", "🙂".repeat(40)),
            ("", "'".to_owned()),
            ("", " ' ' ".to_owned()),
            ("É", "À".to_owned()),
            ("é", "à".to_owned()),
            ("Chapitre", "3".to_owned()),
            ("", "\u{0}\u{1b}\t".to_owned()),
            ("", "History".to_owned()),
            ("", "".to_owned()),
            ("x", format!("{}'", "y".repeat(28))),
            ("Σ", "ΣΑΣ".to_owned()),
            ("σ", "σας".to_owned()),
        ];
        let mut workbook = Workbook::new();
        workbook.add_worksheet().set_name("Synthèse").unwrap();
        let mut names = vec!["Synthèse".to_owned()];
        for (code, title) in &titles {
            let name = sheet_name(code, title, &names);
            assert!(name.encode_utf16().count() <= 31, "{name}");
            assert!(!name.chars().any(char::is_control), "{name:?}");
            workbook
                .add_worksheet_with_constant_memory()
                .unwrap()
                .set_name(&name)
                .unwrap_or_else(|e| panic!("{name:?}: {e}"));
            names.push(name);
        }
        workbook
            .save_to_buffer()
            .unwrap_or_else(|e| panic!("{names:?}: {e}"));
    }
}
