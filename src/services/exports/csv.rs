//! CSV exports, long and wide, written batch by batch straight from the database.

use super::reading::Reading;
use super::{Dialect, Include, for_each_batch, needs_neutralising, questions_of};
use crate::domain::answers::as_text;
use crate::domain::organisations::OrganisationKind;
use crate::domain::responses::Progress;
use crate::domain::rounds::RoundDetail;
use crate::error::AppError;
use crate::i18n::{Lang, Tr};
use crate::store::DbConnection;
use crate::store::redactions::Masks;

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

pub const LONG_HEADER: [&str; 14] = [
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
    "themes",
    "campaign",
];

/// The same columns as [`WIDE_HEADER`], in French words.
pub const WIDE_HEADER_FR: [&str; 5] = [
    "Organisation",
    "Identifiant (RNA ou SIREN)",
    "Type d'organisation",
    "État de la réponse",
    "Soumise le (heure de Paris)",
];

/// The same columns as [`LONG_HEADER`], in French words.
pub const LONG_HEADER_FR: [&str; 14] = [
    "Consultation",
    "Chapitre",
    "Titre du chapitre",
    "Question",
    "Intitulé de la question",
    "Type de question",
    "Organisation",
    "Identifiant (RNA ou SIREN)",
    "Type d'organisation",
    "État de la réponse",
    "Soumise le (heure de Paris)",
    "Réponse",
    "Thèmes",
    "Campagne",
];

/// How the file names kinds, statuses and moments: codes and RFC 3339 for programs, or
/// French words and Paris time for people (labels looked up once per export).
struct Words {
    french: Option<Tr>,
    organisation_kinds: Vec<(&'static str, String)>,
    statuses: Vec<(&'static str, String)>,
}

impl Words {
    fn of(dialect: Dialect) -> Self {
        let french = dialect.french.then(|| Tr::new(Lang::Fr));
        let labels = |prefix: &str, codes: &[&'static str]| match &french {
            Some(t) => codes.iter().map(|c| (*c, t.label(prefix, c))).collect(),
            None => Vec::new(),
        };
        let kinds: Vec<&'static str> = OrganisationKind::ALL.iter().map(|k| k.as_str()).collect();
        Self {
            organisation_kinds: labels("org-kind", &kinds),
            statuses: labels(
                "progress-status",
                &Progress::ALL.iter().map(|p| p.as_str()).collect::<Vec<_>>(),
            ),
            french,
        }
    }

    fn header(&self, long: bool) -> &'static [&'static str] {
        match (self.french.is_some(), long) {
            (false, true) => &LONG_HEADER,
            (false, false) => &WIDE_HEADER,
            (true, true) => &LONG_HEADER_FR,
            (true, false) => &WIDE_HEADER_FR,
        }
    }

    /// A theme's column in the wide shape.
    fn theme_column(&self, name: &str) -> String {
        match self.french {
            Some(_) => format!("Thème : {name}"),
            None => format!("theme: {name}"),
        }
    }

    fn campaign_column(&self) -> &'static str {
        match self.french {
            Some(_) => "Campagnes",
            None => "campaigns",
        }
    }

    fn question_kind(&self, kind: &'static str) -> String {
        match &self.french {
            Some(t) => t.label("question-kind", kind),
            None => kind.to_owned(),
        }
    }

    fn label<'a>(labels: &'a [(&'static str, String)], code: &'a str) -> &'a str {
        labels
            .iter()
            .find(|(c, _)| *c == code)
            .map_or(code, |(_, label)| label.as_str())
    }

    fn organisation_kind<'a>(&'a self, code: &'a str) -> &'a str {
        Self::label(&self.organisation_kinds, code)
    }

    fn status<'a>(&'a self, code: &'a str) -> &'a str {
        Self::label(&self.statuses, code)
    }

    fn moment(&self, at: chrono::NaiveDateTime) -> String {
        match self.french {
            Some(_) => at
                .and_utc()
                .with_timezone(&chrono_tz::Europe::Paris)
                .format("%d/%m/%Y %H:%M")
                .to_string(),
            None => at.and_utc().to_rfc3339(),
        }
    }
}

/// Which CSV: `Long` has one row per question of each response, `Wide` one row per
/// response and one column per question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Long,
    Wide,
}

/// A CSV export. In both shapes an unanswered question gives an empty cell, so nothing
/// silently disappears. The coordinators' reading follows: in the long shape each
/// answer's themes and campaign; in the wide shape, per theme, how many of the
/// response's answers carry it, then the response's campaigns. Each chunk goes to `emit`; when it returns false the export stops.
/// Returns the data rows written.
pub fn write(
    conn: &mut DbConnection,
    detail: &RoundDetail,
    (shape, include, masks): (Shape, Include, Option<&Masks>),
    dialect: Dialect,
    emit: &mut dyn FnMut(String) -> bool,
) -> Result<usize, AppError> {
    let mut chunk = String::new();
    if dialect.bom {
        chunk.push('\u{feff}');
    }
    let words = Words::of(dialect);
    let questions = questions_of(detail);
    let reading = Reading::load(conn, detail.round.id)?;
    // One header row only, so every tool reads the file: in the wide shape each question
    // column is named by its code and its prompt.
    let wide_names: Vec<String> = questions
        .iter()
        .map(|(_, q)| format!("{} — {}", q.code, q.prompt))
        .collect();
    match shape {
        Shape::Long => csv_line(words.header(true), dialect, &mut chunk),
        Shape::Wide => {
            let theme_names: Vec<String> = reading
                .themes
                .iter()
                .map(|t| words.theme_column(&t.name))
                .collect();
            let header: Vec<&str> = words
                .header(false)
                .iter()
                .copied()
                .chain(wide_names.iter().map(String::as_str))
                .chain(theme_names.iter().map(String::as_str))
                .chain([words.campaign_column()])
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
                    &words.question_kind(q.spec.kind()),
                ],
                dialect,
            )
        })
        .collect();
    let mut rows = 0;
    let mut open = true;
    for_each_batch(
        conn,
        detail.round.id,
        include,
        masks,
        &mut |batch, answers| {
            for response in batch {
                let submitted_at = response
                    .submitted_at
                    .map(|t| words.moment(t))
                    .unwrap_or_default();
                let organisation = leading_fields(
                    &[
                        &response.organisation_name,
                        &response.legal_id,
                        words.organisation_kind(&response.organisation_kind),
                        words.status(response.status.as_str()),
                        &submitted_at,
                    ],
                    dialect,
                );
                let texts = questions
                    .iter()
                    .map(|(_, q)| as_text(&q.spec, answers.of(response.response_id, q)));
                match shape {
                    Shape::Long => {
                        let fields = question_fields.iter().zip(&questions).zip(texts);
                        for ((prefix, (_, q)), answer) in fields {
                            chunk.push_str(prefix);
                            chunk.push_str(&organisation);
                            push_field(&answer, &mut chunk);
                            let marks = reading.of(response.response_id, &q.code);
                            chunk.push(dialect.separator);
                            push_field(&reading.theme_names(marks), &mut chunk);
                            chunk.push(dialect.separator);
                            push_field(
                                marks.and_then(|m| m.campaign.as_deref()).unwrap_or(""),
                                &mut chunk,
                            );
                            end_line(dialect, &mut chunk);
                            rows += 1;
                        }
                    }
                    Shape::Wide => {
                        chunk.push_str(&organisation);
                        for answer in texts {
                            push_field(&answer, &mut chunk);
                            chunk.push(dialect.separator);
                        }
                        let (counts, campaigns) = reading.of_response(response.response_id);
                        for count in counts {
                            push_field(&count.to_string(), &mut chunk);
                            chunk.push(dialect.separator);
                        }
                        push_field(&campaigns, &mut chunk);
                        end_line(dialect, &mut chunk);
                        rows += 1;
                    }
                }
            }
            open = emit(std::mem::take(&mut chunk));
            open
        },
    )?;
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

    /// The same line as the `csv` crate writes (every field quoted, after neutralising):
    /// the encoder here is hand-written for speed (the long shape encodes the repeated
    /// columns once per question and per response: the crate took 13 to 19 % longer on
    /// the long export, see docs/architecture.md), and this holds it to the standard one.
    fn by_the_csv_crate(fields: &[String], dialect: Dialect) -> String {
        let terminator = if dialect.crlf {
            ::csv::Terminator::CRLF
        } else {
            ::csv::Terminator::Any(b'\n')
        };
        let mut writer = ::csv::WriterBuilder::new()
            .delimiter(dialect.separator as u8)
            .terminator(terminator)
            .quote_style(::csv::QuoteStyle::Always)
            .from_writer(Vec::new());
        let neutralised = fields.iter().map(|f| {
            if needs_neutralising(f) {
                format!("'{f}")
            } else {
                f.clone()
            }
        });
        writer.write_record(neutralised).unwrap();
        String::from_utf8(writer.into_inner().unwrap()).unwrap()
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]

        #[test]
        fn lines_are_what_the_csv_crate_writes(
            fields in proptest::collection::vec("[a-z\"';,=+@\t\r\n é🙂-]{0,12}", 1..8),
            french in proptest::prelude::any::<bool>(),
        ) {
            let dialect = if french { Dialect::EXCEL_FR } else { Dialect::STANDARD };
            let refs: Vec<&str> = fields.iter().map(String::as_str).collect();
            let mut whole = String::new();
            csv_line(&refs, dialect, &mut whole);
            proptest::prop_assert_eq!(&whole, &by_the_csv_crate(&fields, dialect));
            // The long shape's way: the leading columns encoded once, then the last.
            let (last, leading) = refs.split_last().unwrap();
            let mut pieced = leading_fields(leading, dialect);
            push_field(last, &mut pieced);
            end_line(dialect, &mut pieced);
            proptest::prop_assert_eq!(pieced, whole);
        }
    }

    #[test]
    fn the_french_file_speaks_french_the_standard_one_codes() {
        let (fr, codes) = (Words::of(Dialect::EXCEL_FR), Words::of(Dialect::STANDARD));
        assert_eq!(fr.header(true).len(), codes.header(true).len());
        assert_eq!(fr.header(false).len(), codes.header(false).len());
        assert_eq!(fr.question_kind("long_text"), "Réponse développée");
        assert_eq!(codes.question_kind("long_text"), "long_text");
        assert_eq!(
            fr.organisation_kind("patient_association"),
            "Association de patients"
        );
        assert_eq!(
            codes.organisation_kind("patient_association"),
            "patient_association"
        );
        assert_eq!(fr.status(Progress::Submitted.as_str()), "Soumise");
        assert_eq!(
            codes.status(Progress::Draft.as_str()),
            Progress::Draft.as_str()
        );
        // Every kind and status has its French words (none falls back to its code).
        for kind in OrganisationKind::ALL {
            assert_ne!(fr.organisation_kind(kind.as_str()), kind.as_str());
        }
        let winter = chrono::NaiveDate::from_ymd_opt(2026, 12, 3)
            .unwrap()
            .and_hms_opt(13, 5, 0)
            .unwrap();
        assert_eq!(fr.moment(winter), "03/12/2026 14:05");
        assert_eq!(codes.moment(winter), "2026-12-03T13:05:00+00:00");
    }
}
