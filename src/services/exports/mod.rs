//! Exports for the ministry. Every format reads the round's responses in keyset batches
//! straight from the database (never the whole round at once), so memory stays flat
//! whatever the size: CSV, JSON and the document stream out as they are written, XLSX
//! goes through the writer's constant-memory mode and a temporary file.

pub mod attachments;
mod csv;
pub(crate) mod document;
mod json;
mod reading;
mod xlsx;

use std::collections::HashMap;

use crate::domain::answers::AnswerValue;
use crate::domain::passages::mask;
use crate::services::authority::SecuredCoordinator;
use crate::store::redactions::Masks;
use chrono::{DateTime, Utc};

pub use self::csv::{LONG_HEADER, Shape, WIDE_HEADER, csv_line};
pub use self::document::Rendering;
use crate::domain::responses::ResponseStatus;
use crate::domain::rounds::{Question, RoundDetail};
use crate::domain::statistics::QuestionStats;
use crate::error::AppError;
use crate::services::accounts::Origin;
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
    pub const ALL: [Include; 2] = [Self::Submitted, Self::All];

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|i| i.name() == value)
    }

    /// The responses' status names the default (`submitted`).
    pub fn name(self) -> &'static str {
        match self {
            Self::Submitted => ResponseStatus::Submitted.as_str(),
            Self::All => "all",
        }
    }

    /// What the export holds, as the documents for the ministry say it.
    pub fn scope_fr(self) -> &'static str {
        match self {
            Self::Submitted => "réponses soumises",
            Self::All => "toutes les réponses, brouillons compris",
        }
    }
}

/// How a CSV file is spelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dialect {
    pub separator: char,
    pub bom: bool,
    pub crlf: bool,
    /// Headers, kinds and statuses as codes (`question_kind`, `long_text`) for programs,
    /// or in French words for people opening the file in a spreadsheet.
    pub french: bool,
}

impl Dialect {
    pub const STANDARD: Dialect = Dialect {
        separator: ',',
        bom: false,
        crlf: false,
        french: false,
    };
    /// French Excel: `;`, a UTF-8 BOM so accents survive, CRLF line ends, and the file in
    /// French words: headers, question and organisation kinds, statuses by their labels,
    /// dates in Paris time as a French spreadsheet reads them.
    pub const EXCEL_FR: Dialect = Dialect {
        separator: ';',
        bom: true,
        crlf: true,
        french: true,
    };

    /// The dialect's name in file names (the two CSV files of an export differ).
    pub fn name(self) -> &'static str {
        if self.french { "excel-fr" } else { "standard" }
    }

    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "" | "standard" => Some(Self::STANDARD),
            "excel-fr" => Some(Self::EXCEL_FR),
            _ => None,
        }
    }
}

/// A cell a spreadsheet would read as a formula (or a control) gets a leading `'`.
///
/// Decided: what counts is the first character after any leading whitespace (spaces,
/// no-break spaces and every other Unicode space), since some spreadsheets trim it on
/// import; and the full-width forms `＝ ＋ － ＠` count like `= + - @` (Excel reads them
/// as such under East Asian input settings). A control character (tab, CR, LF, NUL) at
/// the very start counts too.
pub fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    if needs_neutralising(cell) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

fn needs_neutralising(cell: &str) -> bool {
    // The common case first, in bytes: a cell starting with a letter or digit.
    match cell.as_bytes().first() {
        None => return false,
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r' | b'\n' | b'\0') => return true,
        Some(b) if b.is_ascii_alphanumeric() => return false,
        _ => {}
    }
    cell.trim_start()
        .chars()
        .next()
        .is_some_and(|c| matches!(c, '=' | '+' | '-' | '@' | '＝' | '＋' | '－' | '＠'))
}

#[cfg(test)]
mod neutralising {
    use super::neutralise;

    #[test]
    fn formulas_behind_spaces_and_full_width_signs_are_neutralised() {
        for cell in [
            "=1+1",
            " =1+1",
            "\u{a0}=1+1",
            "\u{3000}@SUM(A1)",
            "＝1+1",
            " ＋1",
            "－1",
            "＠x",
            "\tx",
            "\r=1",
            "\n",
            "-2",
        ] {
            assert_eq!(neutralise(cell), format!("'{cell}"), "{cell:?}");
        }
        for cell in ["", "texte", "42", " texte", "a=b", "é=1", "(=1)", "\u{a0}"] {
            assert_eq!(neutralise(cell), cell, "{cell:?}");
        }
    }
}

/// One batch's answers, found by response and question.
struct Answers<'a> {
    question_ids: &'a HashMap<String, i64>,
    values: HashMap<(i64, i64), AnswerValue>,
}

impl Answers<'_> {
    /// The personal data marked in the responses `ids` masked in their text answers (the
    /// values as loaded for this export; the stored answers are untouched).
    fn mask(&mut self, ids: &[i64], masks: &Masks) {
        for response in ids {
            let Some(marked) = masks.get(response) else {
                continue;
            };
            for (code, passages) in marked {
                let Some(question) = self.question_ids.get(code) else {
                    continue;
                };
                if let Some(AnswerValue::Text(text)) = self.values.get_mut(&(*response, *question))
                {
                    *text = mask(text, passages.iter().map(String::as_str));
                }
            }
        }
    }

    /// The answer, if the question was answered.
    fn of(&self, response: i64, question: &Question) -> Option<&AnswerValue> {
        self.question_ids
            .get(&question.code)
            .and_then(|id| self.values.get(&(response, *id)))
    }
}

/// Walks the included responses in keyset batches, with their answers, until `each`
/// returns false (the client left).
fn for_each_batch(
    conn: &mut DbConnection,
    round_id: i64,
    include: Include,
    masks: Option<&Masks>,
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
            if let Some(value) = value {
                answers.values.insert((response, question), value);
            }
        }
        if let Some(masks) = masks {
            answers.mask(&ids, masks);
        }
        if !each(&batch, &answers) {
            return Ok(());
        }
    }
}

/// An export format, as named in the API and the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv(Shape),
    Json,
    Xlsx,
    Document(Rendering),
    /// The documents attached: a CSV listing, or the same in JSON (`true`).
    Attachments {
        json: bool,
    },
    /// One ZIP: the CSV, the JSON, the document and every document attached
    /// (`attachments::bundle`, streamed by the API).
    Bundle,
}

impl Format {
    /// The format named `value`; `rendering` (`html` or `markdown`) only for the document.
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "csv" => Some(Self::Csv(Shape::Long)),
            "csv-wide" => Some(Self::Csv(Shape::Wide)),
            "json" => Some(Self::Json),
            "xlsx" => Some(Self::Xlsx),
            "document" => Some(Self::Document(Rendering::Html)),
            "attachments" => Some(Self::Attachments { json: false }),
            "attachments-json" => Some(Self::Attachments { json: true }),
            "bundle" => Some(Self::Bundle),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Csv(Shape::Long) => "csv",
            Self::Csv(Shape::Wide) => "csv-wide",
            Self::Json => "json",
            Self::Xlsx => "xlsx",
            Self::Document(_) => "document",
            Self::Attachments { json: false } => "attachments",
            Self::Attachments { json: true } => "attachments-json",
            Self::Bundle => "bundle",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Self::Csv(_) | Self::Attachments { json: false } => "text/csv; charset=utf-8",
            Self::Json | Self::Attachments { json: true } => "application/json",
            Self::Bundle => "application/zip",
            Self::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Self::Document(Rendering::Html) => "text/html; charset=utf-8",
            Self::Document(Rendering::Markdown) => "text/markdown; charset=utf-8",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Self::Csv(_) | Self::Attachments { json: false } => "csv",
            Self::Json | Self::Attachments { json: true } => "json",
            Self::Bundle => "zip",
            Self::Xlsx => "xlsx",
            Self::Document(Rendering::Html) => "html",
            Self::Document(Rendering::Markdown) => "md",
        }
    }
}

/// Writes one export through `emit` (which returns false once nobody is listening);
/// returns the rows (CSV, XLSX), responses (JSON) or contributions (document) written.
/// Who asks for an export.
pub enum Requester<'a> {
    /// A coordinator signed in with two factors, from a request.
    Coordinator {
        coordinator: &'a SecuredCoordinator,
        origin: &'a Origin,
    },
    /// The operator, on the command line (who holds the database itself).
    Operator,
}

/// Starts an export, the same way for the API and the command line: the round found and
/// the export recorded in the audit journal (who, which round, format and scope), in
/// one unit of work. Then `write` streams it.
pub fn begin(
    conn: &mut DbConnection,
    requester: Requester<'_>,
    slug: &str,
    format: Format,
    (include, masked): (Include, bool),
) -> Result<RoundDetail, AppError> {
    let detail = store::rounds::find_by_slug(conn, slug)?.ok_or(AppError::NotFound)?;
    let mut details = serde_json::json!({ "format": format.name(), "include": include.name() });
    if masked {
        details["masked"] = true.into();
    }
    let (actor, ip) = match requester {
        Requester::Coordinator {
            coordinator,
            origin,
        } => (Some(coordinator.account.id), Some(origin.ip.as_str())),
        Requester::Operator => {
            details["via"] = "command_line".into();
            (None, None)
        }
    };
    let event = store::audit::AuditEvent {
        actor,
        action: "export",
        target: Some(format!("round:{slug}")),
        ip,
        details,
    };
    store::audit::record(conn, &event, Utc::now())?;
    Ok(detail)
}

/// What a streamed file's writer hands over: chunks, or the failure that ends it.
pub type Chunks = tokio::sync::mpsc::Receiver<Result<Vec<u8>, AppError>>;

/// `write` on a thread of its own with its own connection (see [`stream_with`]).
pub fn stream(
    db: store::Db,
    detail: RoundDetail,
    (format, include, dialect, masked): (Format, Include, Dialect, bool),
    (now, base_url): (DateTime<Utc>, String),
) -> Chunks {
    stream_with(db, move |conn, emit| {
        write(
            conn,
            &detail,
            (format, include, dialect, masked),
            (now, &base_url),
            emit,
        )
    })
}

/// Any streamed file: `write` on a thread of its own with its own connection, its
/// chunks handed over a small bounded channel, so the database is read only as fast as
/// the receiver takes them. A failure midway arrives as an `Err` item (and the stream
/// ends), so that a download visibly fails instead of leaving a truncated file that
/// looks complete.
pub fn stream_with<W>(db: store::Db, write: W) -> Chunks
where
    W: FnOnce(&mut DbConnection, &mut dyn FnMut(Vec<u8>) -> bool) -> Result<usize, AppError>
        + Send
        + 'static,
{
    let (sender, receiver) = tokio::sync::mpsc::channel(4);
    std::thread::spawn(move || {
        let outcome = db.run_here(|conn| {
            let mut emit = |chunk: Vec<u8>| sender.blocking_send(Ok(chunk)).is_ok();
            write(conn, &mut emit)
        });
        if let Err(e) = outcome {
            tracing::warn!(error = %e, "export failed midway");
            let _ = sender.blocking_send(Err(e));
        }
    });
    receiver
}

/// Personal data masked: always in the document (it is for publication), in the raw
/// formats only when `masked` is asked. (`base_url` makes the documents' download links.)
pub fn write(
    conn: &mut DbConnection,
    detail: &RoundDetail,
    (format, include, dialect, masked): (Format, Include, Dialect, bool),
    (now, base_url): (DateTime<Utc>, &str),
    emit: &mut dyn FnMut(Vec<u8>) -> bool,
) -> Result<usize, AppError> {
    if let Format::Attachments { json } = format {
        let listed = attachments::listed(conn, detail, include, base_url)?;
        let text = if json {
            attachments::json(&listed)
        } else {
            attachments::csv(&listed, dialect)
        };
        emit(text.into_bytes());
        return Ok(listed.len());
    }
    let masks = match (format, masked) {
        (Format::Document(_), _) | (_, true) => {
            Some(store::redactions::masks_of_round(conn, detail.round.id)?)
        }
        _ => None,
    };
    let masks = masks.as_ref();
    let mut text = |chunk: String| emit(chunk.into_bytes());
    match format {
        Format::Csv(shape) => csv::write(conn, detail, (shape, include, masks), dialect, &mut text),
        Format::Json => json::write(conn, detail, (include, masks), now, &mut text),
        Format::Document(rendering) => {
            document::write(conn, detail, rendering, (include, masks), now, emit)
        }
        Format::Xlsx => xlsx::write(conn, detail, (include, masks), now, emit),
        Format::Attachments { .. } => Ok(0),
        // Its files come from the asynchronous store: `attachments::bundle` writes it.
        Format::Bundle => Err(AppError::invalid(
            "format",
            "bundle_streamed",
            "Le lot (bundle) se télécharge par l'API ou la page d'export.",
        )),
    }
}

/// Every question's statistics, accumulated response by response.
struct Tally<'a> {
    questions: Vec<&'a Question>,
    stats: Vec<QuestionStats>,
}

impl<'a> Tally<'a> {
    fn new(detail: &'a RoundDetail) -> Self {
        let questions: Vec<&Question> = detail
            .chapters
            .iter()
            .flat_map(|part| &part.questions)
            .collect();
        let stats = questions
            .iter()
            .map(|q| QuestionStats::new(&q.spec))
            .collect();
        Self { questions, stats }
    }

    fn add(&mut self, response: i64, answers: &Answers) {
        for (stat, q) in self.stats.iter_mut().zip(&self.questions) {
            if let Some(value) = answers.of(response, q) {
                stat.add(&q.spec, value);
            }
        }
    }
}

/// The round's questions in order, each with its chapter.
fn questions_of(detail: &RoundDetail) -> Vec<(&crate::domain::rounds::Chapter, &Question)> {
    detail
        .chapters
        .iter()
        .flat_map(|part| part.questions.iter().map(move |q| (&part.chapter, q)))
        .collect()
}
