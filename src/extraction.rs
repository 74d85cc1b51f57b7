//! The text of attached documents, for the round's search: PDF through `pdf-extract`
//! (over `lopdf`), ODT and DOCX read as the ZIP archives of XML they are (`zip`,
//! `quick-xml`). Documents come from outside: every reader here is bounded (bytes read,
//! bytes inflated, text kept, time) and a reader's panic — `pdf-extract` has some on
//! malformed files — is caught and reported as an unreadable document.

use std::io::{BufReader, Cursor, Read};
use std::time::Duration;

use quick_xml::events::Event;

use crate::domain::attachments::DocumentKind;

/// Contents larger than this are not read: the PDF reader holds the whole file and its
/// objects in memory (about three times the file), and a position paper's text lies in
/// far less.
pub const MAX_INPUT_BYTES: i64 = 32 * 1024 * 1024;
/// The text kept of a document: its first 512 KB (some 80,000 words, a 200-page
/// report), within what PostgreSQL's `tsvector` may hold (1 MB).
pub const MAX_TEXT_BYTES: usize = 512 * 1024;
/// The XML read out of an office archive: a "ZIP bomb" stops here.
const MAX_XML_BYTES: u64 = 64 * 1024 * 1024;
/// A reader still busy after this gives up (its thread is left to end on its own).
pub const TIME_LIMIT: Duration = Duration::from_secs(60);

/// Why a document's text could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Unreadable(pub String);

/// The text of `bytes`, a document of kind `kind`, on a thread of its own: bounded in
/// time, its panics caught. Kinds without text give an empty text.
pub async fn text_of(kind: DocumentKind, bytes: Vec<u8>) -> Result<String, Unreadable> {
    guarded(TIME_LIMIT, move || read_text(kind, &bytes)).await
}

/// `read` on a thread of its own, given `limit` to finish; a panic is an error.
async fn guarded(
    limit: Duration,
    read: impl FnOnce() -> Result<String, Unreadable> + Send + 'static,
) -> Result<String, Unreadable> {
    let (send, receive) = tokio::sync::oneshot::channel();
    std::thread::Builder::new()
        .name("document-text".into())
        .spawn(move || {
            let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(read))
                .unwrap_or_else(|_| Err(Unreadable("lecteur interrompu (panique)".into())));
            let _ = send.send(read);
        })
        .map_err(|e| Unreadable(format!("lecteur non lancé : {e}")))?;
    match tokio::time::timeout(limit, receive).await {
        Ok(Ok(read)) => read,
        Ok(Err(_)) => Err(Unreadable("lecteur interrompu".into())),
        Err(_) => Err(Unreadable(format!(
            "lecture plus longue que {} s",
            limit.as_secs()
        ))),
    }
}

/// The text of `bytes` (blocking; `text_of` bounds it in time), tidied and cut.
pub fn read_text(kind: DocumentKind, bytes: &[u8]) -> Result<String, Unreadable> {
    let raw = match kind {
        DocumentKind::Pdf => pdf_extract::extract_text_from_mem(bytes)
            .map_err(|e| Unreadable(format!("PDF illisible : {e}")))?,
        DocumentKind::Docx => office_text(bytes, "word/document.xml", &DOCX)?,
        DocumentKind::Odt => office_text(bytes, "content.xml", &ODT)?,
        _ => String::new(),
    };
    Ok(tidy(&raw, MAX_TEXT_BYTES))
}

/// What the elements of an office format mean for its text, by local name.
struct Markup {
    /// Elements whose text is the document's (others' text is left out).
    text: &'static [&'static [u8]],
    /// Ends of paragraphs and line breaks.
    breaks: &'static [&'static [u8]],
    /// Tabulations and spaces written as elements.
    spaces: &'static [&'static [u8]],
    /// ODF's `<text:s text:c="3"/>`: this many spaces (one when absent).
    counted_space: Option<&'static [u8]>,
}

/// WordprocessingML: text only in `w:t`, paragraphs `w:p`.
const DOCX: Markup = Markup {
    text: &[b"t"],
    breaks: &[b"p", b"br", b"cr"],
    spaces: &[b"tab"],
    counted_space: None,
};

/// OpenDocument text: every text node of the body is text.
const ODT: Markup = Markup {
    text: &[],
    breaks: &[b"p", b"h", b"line-break", b"list-item"],
    spaces: &[b"tab"],
    counted_space: Some(b"s"),
};

/// The text of the XML part `part` of the office archive `bytes`.
fn office_text(bytes: &[u8], part: &str, markup: &Markup) -> Result<String, Unreadable> {
    let unreadable = |e: &dyn std::fmt::Display| Unreadable(format!("document illisible : {e}"));
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| unreadable(&e))?;
    let entry = zip.by_name(part).map_err(|e| unreadable(&e))?;
    let mut xml = quick_xml::Reader::from_reader(BufReader::new(entry.take(MAX_XML_BYTES)));
    let mut text = String::new();
    let mut buf = Vec::new();
    // How deep inside a text element the reader is (DOCX), or 1 always (ODT).
    let mut inside: usize = usize::from(markup.text.is_empty());
    loop {
        let event = xml.read_event_into(&mut buf).map_err(|e| unreadable(&e))?;
        match event {
            Event::Start(e) if markup.text.contains(&e.local_name().as_ref()) => {
                inside += 1;
            }
            Event::End(e) => {
                let name = e.local_name();
                if markup.text.contains(&name.as_ref()) {
                    inside = inside.saturating_sub(1);
                }
                if markup.breaks.contains(&name.as_ref()) {
                    text.push('\n');
                }
            }
            Event::Empty(e) => {
                let name = e.local_name();
                if markup.breaks.contains(&name.as_ref()) {
                    text.push('\n');
                } else if markup.spaces.contains(&name.as_ref()) {
                    text.push(' ');
                } else if markup.counted_space == Some(name.as_ref()) {
                    let count = e
                        .attributes()
                        .flatten()
                        .find(|a| a.key.local_name().as_ref() == b"c")
                        .and_then(|a| std::str::from_utf8(&a.value).ok()?.parse::<usize>().ok())
                        .unwrap_or(1);
                    text.extend(std::iter::repeat_n(' ', count.min(64)));
                }
            }
            Event::Text(t) if inside > 0 => {
                text.push_str(&t.xml10_content().map_err(|e| unreadable(&e))?);
            }
            Event::CData(t) if inside > 0 => {
                text.push_str(&t.decode().map_err(|e| unreadable(&e))?);
            }
            Event::GeneralRef(r) if inside > 0 => {
                if let Ok(Some(c)) = r.resolve_char_ref() {
                    text.push(c);
                } else if let Some(s) = r
                    .decode()
                    .ok()
                    .and_then(|name| quick_xml::escape::resolve_xml_entity(&name))
                {
                    text.push_str(s);
                }
            }
            Event::Eof => break,
            _ => {}
        }
        // Twice the text kept is enough to tidy it down to that.
        if text.len() > 2 * MAX_TEXT_BYTES {
            break;
        }
        buf.clear();
    }
    Ok(text)
}

/// `raw` with its spaces folded (a run of white space becomes one space, or one line
/// break when it held one), without control characters (PostgreSQL refuses NUL in a
/// text), cut at `max` bytes on a character's boundary.
pub fn tidy(raw: &str, max: usize) -> String {
    let mut out = String::with_capacity(raw.len().min(max));
    let mut pending: Option<char> = None;
    for c in raw.chars() {
        if c.is_whitespace() {
            let c = if c == '\n' || c == '\r' { '\n' } else { ' ' };
            pending = Some(match pending {
                Some('\n') => '\n',
                _ => c,
            });
            continue;
        }
        if c.is_control() || c == '\u{FFFD}' {
            continue;
        }
        let space = pending.take().filter(|_| !out.is_empty());
        let needed = c.len_utf8() + space.map_or(0, char::len_utf8);
        if out.len() + needed > max {
            break;
        }
        out.extend(space);
        out.push(c);
    }
    out
}

/// A one-page PDF writing `text` in Helvetica (WinAnsi: Latin-1 bytes, `?` for any
/// other character): a real PDF any reader takes, for the tests and benchmarks.
pub fn one_page_pdf(text: &str) -> Vec<u8> {
    let mut stream = b"BT /F1 12 Tf 72 720 Td (".to_vec();
    for c in text.chars() {
        // In a PDF string, parentheses and the backslash are escaped by a backslash.
        if matches!(c, '(' | ')' | '\\') {
            stream.push(b'\\');
        }
        stream.push(u8::try_from(u32::from(c)).unwrap_or(b'?'));
    }
    stream.extend_from_slice(b") Tj ET");
    let objects: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R \
          /Resources << /Font << /F1 5 0 R >> >> >>"
            .to_vec(),
        [
            format!("<< /Length {} >>\nstream\n", stream.len()).into_bytes(),
            stream,
            b"\nendstream".to_vec(),
        ]
        .concat(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
            .to_vec(),
    ];
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (n, object) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n", n + 1).as_bytes());
        pdf.extend_from_slice(object);
        pdf.extend_from_slice(b"\nendobj\n");
    }
    let xref = pdf.len();
    pdf.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for offset in offsets {
        pdf.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    pdf.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    pdf
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn zip_of(entries: &[(&str, &str)]) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut out);
        let deflated = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, content) in entries {
            zip.start_file(*name, deflated).unwrap();
            zip.write_all(content.as_bytes()).unwrap();
        }
        zip.finish().unwrap();
        out.into_inner()
    }

    #[test]
    fn docx_text_is_its_runs_with_entities_and_paragraphs() {
        let docx = zip_of(&[(
            "word/document.xml",
            "<?xml version=\"1.0\"?><w:document xmlns:w=\"w\"><w:body>\
             <w:p><w:r><w:t>Accès aux </w:t></w:r><w:r><w:t>soins &amp; santé</w:t></w:r></w:p>\
             <w:p><w:r><w:instrText>PAGE</w:instrText><w:t>l&#8217;hôpital</w:t><w:tab/><w:t>fin</w:t></w:r></w:p>\
             </w:body></w:document>",
        )]);
        assert_eq!(
            read_text(DocumentKind::Docx, &docx).unwrap(),
            "Accès aux soins & santé\nl\u{2019}hôpital fin"
        );
    }

    #[test]
    fn odt_text_counts_its_spaces() {
        let odt = zip_of(&[(
            "content.xml",
            "<?xml version=\"1.0\"?><office:document-content xmlns:office=\"o\" xmlns:text=\"t\">\
             <office:body><office:text><text:h>Titre</text:h>\
             <text:p>Les <text:span>aidants</text:span><text:s text:c=\"2\"/>familiaux<text:line-break/>épuisés</text:p>\
             </office:text></office:body></office:document-content>",
        )]);
        assert_eq!(
            read_text(DocumentKind::Odt, &odt).unwrap(),
            "Titre\nLes aidants familiaux\népuisés"
        );
    }

    #[test]
    fn unreadable_documents_say_so() {
        for kind in [DocumentKind::Pdf, DocumentKind::Docx, DocumentKind::Odt] {
            assert!(read_text(kind, b"not a document").is_err(), "{kind:?}");
        }
        // A ZIP without the part.
        let empty = zip_of(&[("mimetype", "x")]);
        assert!(read_text(DocumentKind::Docx, &empty).is_err());
        assert_eq!(read_text(DocumentKind::Png, b"\x89PNG").unwrap(), "");
    }

    #[test]
    fn a_pdf_text_is_read() {
        let pdf = one_page_pdf("Les délais de rendez-vous");
        assert_eq!(
            read_text(DocumentKind::Pdf, &pdf).unwrap(),
            "Les délais de rendez-vous"
        );
        // Its own syntax in the text is escaped; beyond Latin-1, a question mark.
        let pdf = one_page_pdf(r"Délais (en jours) \ moyenne 12 € :)");
        assert_eq!(
            read_text(DocumentKind::Pdf, &pdf).unwrap(),
            r"Délais (en jours) \ moyenne 12 ? :)"
        );
    }

    #[test]
    fn tidy_folds_spaces_drops_controls_and_cuts_on_a_boundary() {
        assert_eq!(tidy("  a \t b\n\n  c\0d  ", 100), "a b\ncd");
        assert_eq!(tidy("ééé", 5), "éé");
        assert_eq!(tidy("ab cd", 4), "ab c");
    }

    #[tokio::test]
    async fn a_reader_that_panics_or_lingers_is_an_unreadable_document() {
        let panicked = guarded(TIME_LIMIT, || panic!("malformed")).await;
        assert_eq!(
            panicked,
            Err(Unreadable("lecteur interrompu (panique)".into()))
        );
        let lingered = guarded(Duration::from_millis(50), || {
            std::thread::sleep(Duration::from_millis(500));
            Ok(String::new())
        })
        .await;
        assert!(lingered.unwrap_err().0.starts_with("lecture plus longue"));
        assert_eq!(
            guarded(TIME_LIMIT, || Ok("texte".into())).await,
            Ok("texte".into())
        );
    }
}
