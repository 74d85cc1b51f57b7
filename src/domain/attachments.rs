//! Documents attached to responses: which types are taken (read from the content, which
//! must agree with the name's extension), what a stored name may hold, the titles and
//! the limits a round sets.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::FieldError;

string_enum!(
    /// What became of a stored content's text, for the search: `Pending` until an
    /// instance reads it (PDF, ODT, DOCX); then read, or why not.
    TextState {
        Pending => "pending",
        Extracted => "extracted",
        Unreadable => "unreadable",
        TooLarge => "too_large",
        NotText => "not_text",
    }
);

/// The kinds of document a response may carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentKind {
    Pdf,
    Odt,
    Docx,
    Xlsx,
    Ods,
    Png,
    Jpeg,
}

impl DocumentKind {
    pub const ALL: [Self; 7] = [
        Self::Pdf,
        Self::Odt,
        Self::Docx,
        Self::Xlsx,
        Self::Ods,
        Self::Png,
        Self::Jpeg,
    ];

    pub fn media_type(self) -> &'static str {
        match self {
            Self::Pdf => "application/pdf",
            Self::Odt => "application/vnd.oasis.opendocument.text",
            Self::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            Self::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Self::Ods => "application/vnd.oasis.opendocument.spreadsheet",
            Self::Png => "image/png",
            Self::Jpeg => "image/jpeg",
        }
    }

    /// The extensions a name of this kind may end with, the usual one first.
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            Self::Pdf => &["pdf"],
            Self::Odt => &["odt"],
            Self::Docx => &["docx"],
            Self::Xlsx => &["xlsx"],
            Self::Ods => &["ods"],
            Self::Png => &["png"],
            Self::Jpeg => &["jpg", "jpeg"],
        }
    }

    /// What people call it ("PDF", "image JPEG").
    pub fn label(self) -> &'static str {
        match self {
            Self::Pdf => "PDF",
            Self::Odt => "ODT",
            Self::Docx => "DOCX",
            Self::Xlsx => "XLSX",
            Self::Ods => "ODS",
            Self::Png => "PNG",
            Self::Jpeg => "JPEG",
        }
    }

    pub fn from_media_type(media_type: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.media_type() == media_type)
    }

    fn from_extension(extension: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|k| k.extensions().contains(&extension))
    }

    /// Whether its text can be read for the search.
    pub fn has_text(self) -> bool {
        matches!(self, Self::Pdf | Self::Odt | Self::Docx)
    }

    /// What a new content of this kind awaits of its text: to be read, or nothing.
    pub fn first_text_state(self) -> TextState {
        if self.has_text() {
            TextState::Pending
        } else {
            TextState::NotText
        }
    }

    /// The accepted extensions, for the file input's `accept` and the messages.
    pub fn accept_list() -> String {
        Self::ALL
            .iter()
            .flat_map(|k| k.extensions())
            .map(|e| format!(".{e}"))
            .collect::<Vec<_>>()
            .join(",")
    }
}

/// How many first bytes [`sniff`] needs: the office formats are ZIP archives whose first
/// entries' names say what they hold.
pub const SNIFF_BYTES: usize = 64 * 1024;

/// What a ZIP archive holds, for the office formats (which are ZIP archives): its
/// entries' names, and its `mimetype` entry's text (OpenDocument).
#[derive(Debug, Clone, Default)]
pub struct Archive {
    pub names: Vec<String>,
    pub mimetype: Option<String>,
}

impl Archive {
    /// The office format the archive is, by its parts: OpenDocument says it in
    /// `mimetype`; Office Open XML has `[Content_Types].xml` and its main part.
    /// (Read from the whole archive's directory: the order of entries differs from one
    /// program to the next, and a guess from the first bytes misses some.)
    pub fn kind(&self) -> Option<DocumentKind> {
        let has = |name: &str| self.names.iter().any(|n| n == name);
        match self.mimetype.as_deref().map(str::trim) {
            Some("application/vnd.oasis.opendocument.text") => return Some(DocumentKind::Odt),
            Some("application/vnd.oasis.opendocument.spreadsheet") => {
                return Some(DocumentKind::Ods);
            }
            _ => {}
        }
        if !has("[Content_Types].xml") {
            return None;
        }
        if has("word/document.xml") {
            Some(DocumentKind::Docx)
        } else if has("xl/workbook.xml") {
            Some(DocumentKind::Xlsx)
        } else {
            None
        }
    }
}

/// Whether `head` starts a ZIP archive (whose kind [`Archive::kind`] tells).
pub fn is_zip(head: &[u8]) -> bool {
    head.starts_with(b"PK\x03\x04")
}

/// The kind `head` (the content's first bytes, up to [`SNIFF_BYTES`]) is, when it is one
/// taken and the name's extension agrees with it; a ZIP archive by what `archive` holds.
/// A renamed executable, an HTML page named `.pdf` or a PDF named `.docx` are refused,
/// each with what was found.
pub fn sniff(
    head: &[u8],
    archive: Option<&Archive>,
    file_name: &str,
) -> Result<DocumentKind, FieldError> {
    let extension = extension(file_name);
    let found = if is_zip(head) {
        archive.and_then(Archive::kind)
    } else {
        infer::get(head).and_then(|t| DocumentKind::from_media_type(t.mime_type()))
    };
    let Some(found) = found else {
        return Err(FieldError::new(
            "file",
            "type_refused",
            format!(
                "Ce fichier n'est pas d'un type accepté (d'après son contenu). Types acceptés : {}.",
                accepted_labels()
            ),
        ));
    };
    match extension.as_deref().and_then(DocumentKind::from_extension) {
        Some(named) if named == found => Ok(found),
        _ => Err(FieldError::new(
            "file",
            "type_mismatch",
            format!(
                "Le contenu de ce fichier est de type {} mais son nom se termine par « {} » : renommez-le en .{} ou joignez le bon fichier.",
                found.label(),
                extension.map_or_else(|| "(aucune extension)".to_owned(), |e| format!(".{e}")),
                found.extensions()[0]
            ),
        )),
    }
}

fn accepted_labels() -> String {
    DocumentKind::ALL
        .iter()
        .map(|k| k.label())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The name's extension, lower case, if it has one.
fn extension(file_name: &str) -> Option<String> {
    let (stem, extension) = file_name.rsplit_once('.')?;
    (!stem.is_empty() && !extension.is_empty()).then(|| extension.to_lowercase())
}

/// Most characters a stored file name keeps.
pub const FILE_NAME_MAX: usize = 120;

/// A name safe to store and to send back in `Content-Disposition`: the last part of a
/// path only, letters (accented too), digits, spaces and `._-()` kept, anything else
/// (controls, quotes, slashes, `;`) made `_`, no leading dot, at most
/// [`FILE_NAME_MAX`] characters with the extension kept, never empty.
pub fn sanitise_file_name(name: &str, kind: DocumentKind) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let mut cleaned: String = last
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, ' ' | '.' | '_' | '-' | '(' | ')') {
                c
            } else {
                '_'
            }
        })
        .collect();
    cleaned = cleaned.split_whitespace().collect::<Vec<_>>().join(" ");
    let cleaned = cleaned.trim_matches(|c: char| c == '.' || c == ' ');
    let usual = kind.extensions()[0];
    let (stem, ext) = match cleaned.rsplit_once('.') {
        Some((stem, ext)) if kind.extensions().contains(&ext.to_lowercase().as_str()) => (
            stem.trim_end_matches(['.', ' ']).to_owned(),
            ext.to_lowercase(),
        ),
        _ => (cleaned.to_owned(), usual.to_owned()),
    };
    let room = FILE_NAME_MAX - ext.len() - 1;
    let stem: String = stem.chars().take(room).collect();
    let stem = if stem.trim().is_empty() {
        "document".to_owned()
    } else {
        stem
    };
    format!("{stem}.{ext}")
}

pub const TITLE_MAX: usize = 200;
pub const DESCRIPTION_MAX: usize = 2000;

/// A document's title as people give it: trimmed, 1 to [`TITLE_MAX`] characters. Empty,
/// the file's name without its extension stands for it.
pub fn check_title(title: &str, file_name: &str) -> Result<String, FieldError> {
    let title = title.trim();
    let title = if title.is_empty() {
        file_name
            .rsplit_once('.')
            .map_or(file_name, |(stem, _)| stem)
            .trim()
    } else {
        title
    };
    if title.chars().count() > TITLE_MAX {
        return Err(FieldError::new(
            "title",
            "too_long",
            format!("{TITLE_MAX} caractères au plus pour le titre."),
        ));
    }
    if title.chars().any(char::is_control) {
        return Err(FieldError::new(
            "title",
            "control_characters",
            "Le titre ne peut pas contenir de caractères de contrôle.",
        ));
    }
    Ok(title.to_owned())
}

pub fn check_description(description: &str) -> Result<String, FieldError> {
    let description = description.trim();
    if description.chars().count() > DESCRIPTION_MAX {
        return Err(FieldError::new(
            "description",
            "too_long",
            format!("{DESCRIPTION_MAX} caractères au plus pour la description."),
        ));
    }
    Ok(description.replace("\r\n", "\n"))
}

/// What a round allows: the response's own area for documents (besides questions of
/// kind `documents`), and the limits per file and per response, in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AttachmentPolicy {
    /// Whether a response has a "documents joints" area of its own.
    pub area: bool,
    /// Most bytes of one file.
    #[schema(minimum = 1024, maximum = 209715200)]
    pub file_limit: i64,
    /// Most bytes of all the response's current files together.
    #[schema(minimum = 1024, maximum = 1073741824)]
    pub response_limit: i64,
}

impl Default for AttachmentPolicy {
    fn default() -> Self {
        Self {
            area: false,
            file_limit: 20 * MB,
            response_limit: 50 * MB,
        }
    }
}

pub const MB: i64 = 1024 * 1024;
/// The most a coordinator may allow: one file, and a response's files together.
pub const FILE_LIMIT_MAX: i64 = 200 * MB;
pub const RESPONSE_LIMIT_MAX: i64 = 1024 * MB;

impl AttachmentPolicy {
    pub fn validate(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        if !(1024..=FILE_LIMIT_MAX).contains(&self.file_limit) {
            errors.push(FieldError::new(
                "file_limit",
                "out_of_range",
                "La taille maximale d'un fichier doit être comprise entre 1 Ko et 200 Mo.",
            ));
        }
        if !(1024..=RESPONSE_LIMIT_MAX).contains(&self.response_limit) {
            errors.push(FieldError::new(
                "response_limit",
                "out_of_range",
                "La taille maximale des fichiers d'une réponse doit être comprise entre 1 Ko et 1 024 Mo.",
            ));
        } else if self.response_limit < self.file_limit {
            errors.push(FieldError::new(
                "response_limit",
                "below_file_limit",
                "La limite par réponse ne peut pas être inférieure à la limite par fichier.",
            ));
        }
        errors
    }
}

/// A size as people read it, in French ("1,5 Mo", "820 Ko", "12 octets").
pub fn size_label(bytes: i64) -> String {
    size_label_in(bytes, false)
}

/// A document's type and size, as its lists show them ("PDF, 1,2 Mo"; "PDF, 1.2 MB").
pub fn type_and_size(media_type: &str, bytes: i64, english: bool) -> String {
    format!(
        "{}, {}",
        DocumentKind::from_media_type(media_type).map_or("?", |k| k.label()),
        size_label_in(bytes, english)
    )
}

/// The same in French or in English ("1.5 MB", "820 KB", "12 bytes").
pub fn size_label_in(bytes: i64, english: bool) -> String {
    const KB: i64 = 1024;
    let (bytes_unit, kb, mb, point) = if english {
        ("bytes", "KB", "MB", '.')
    } else {
        ("octets", "Ko", "Mo", ',')
    };
    if bytes < KB {
        return format!("{bytes} {bytes_unit}");
    }
    let (value, unit) = if bytes < MB {
        (bytes as f64 / KB as f64, kb)
    } else {
        (bytes as f64 / MB as f64, mb)
    };
    let text = if value < 10.0 {
        format!("{value:.1}")
    } else {
        format!("{value:.0}")
    };
    let text = text.trim_end_matches(".0").replace('.', &point.to_string());
    format!("{text} {unit}")
}

#[cfg(test)]
mod tests {
    use super::*;

    const PDF: &[u8] = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n";
    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0";

    #[test]
    fn the_content_decides_and_the_name_must_agree() {
        assert_eq!(sniff(PDF, None, "Manifeste.PDF"), Ok(DocumentKind::Pdf));
        assert_eq!(sniff(PNG, None, "schéma.png"), Ok(DocumentKind::Png));
        let html = sniff(b"<!DOCTYPE html><html><script>", None, "rapport.pdf").unwrap_err();
        assert_eq!(html.code, "type_refused");
        let exe = sniff(b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff", None, "etude.pdf").unwrap_err();
        assert_eq!(exe.code, "type_refused");
        let renamed = sniff(PDF, None, "manifeste.docx").unwrap_err();
        assert_eq!(renamed.code, "type_mismatch");
        assert!(renamed.message.contains("PDF"), "{}", renamed.message);
        assert_eq!(
            sniff(PDF, None, "sans-extension").unwrap_err().code,
            "type_mismatch"
        );
        let zip = b"PK\x03\x04rest";
        let names = |names: &[&str]| Archive {
            names: names.iter().map(|n| n.to_string()).collect(),
            mimetype: None,
        };
        let docx = names(&["_rels/.rels", "word/document.xml", "[Content_Types].xml"]);
        assert_eq!(
            sniff(zip, Some(&docx), "etude.docx"),
            Ok(DocumentKind::Docx)
        );
        let xlsx = names(&["[Content_Types].xml", "xl/workbook.xml"]);
        assert_eq!(
            sniff(zip, Some(&xlsx), "etude.docx").unwrap_err().code,
            "type_mismatch"
        );
        let odt = Archive {
            names: vec!["mimetype".into()],
            mimetype: Some("application/vnd.oasis.opendocument.text".into()),
        };
        assert_eq!(sniff(zip, Some(&odt), "a.odt"), Ok(DocumentKind::Odt));
        let plain = names(&["script.js", "index.html"]);
        assert_eq!(
            sniff(zip, Some(&plain), "a.docx").unwrap_err().code,
            "type_refused"
        );
    }

    #[test]
    fn stored_names_hold_nothing_dangerous() {
        let pdf = DocumentKind::Pdf;
        assert_eq!(
            sanitise_file_name("../../etc/passwd.pdf", pdf),
            "passwd.pdf"
        );
        assert_eq!(
            sanitise_file_name("C:\\Users\\x\\Étude \"finale\";.PDF", pdf),
            "Étude _finale__.pdf"
        );
        assert_eq!(sanitise_file_name(".htaccess", pdf), "htaccess.pdf");
        assert_eq!(sanitise_file_name("\u{202e}fdp.exe", pdf), "_fdp.exe.pdf");
        assert_eq!(sanitise_file_name("...", pdf), "document.pdf");
        assert_eq!(
            sanitise_file_name("photo.JPEG", DocumentKind::Jpeg),
            "photo.jpeg"
        );
        let long = sanitise_file_name(&format!("{}.pdf", "a".repeat(500)), pdf);
        assert_eq!(long.chars().count(), FILE_NAME_MAX);
        assert!(long.ends_with(".pdf"));
    }

    #[test]
    fn titles_default_to_the_name_and_limits_hold_together() {
        assert_eq!(check_title("  ", "Manifeste.pdf").unwrap(), "Manifeste");
        assert_eq!(check_title(" Étude ", "x.pdf").unwrap(), "Étude");
        assert_eq!(
            check_title(&"é".repeat(201), "x.pdf").unwrap_err().field,
            "title"
        );
        assert!(AttachmentPolicy::default().validate().is_empty());
        let inverted = AttachmentPolicy {
            area: true,
            file_limit: 10 * MB,
            response_limit: 5 * MB,
        };
        assert_eq!(inverted.validate()[0].code, "below_file_limit");
        assert_eq!(size_label(12), "12 octets");
        assert_eq!(size_label(1536 * 1024), "1,5 Mo");
        assert_eq!(size_label(20 * MB), "20 Mo");
        assert_eq!(size_label(820 * 1024), "820 Ko");
        assert_eq!(size_label_in(1536 * 1024, true), "1.5 MB");
        assert_eq!(size_label_in(12, true), "12 bytes");
    }
}
