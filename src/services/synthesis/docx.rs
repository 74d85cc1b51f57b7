//! The synthesis as a Word document (DOCX, Office Open XML), written directly: the
//! blocks of `print` as paragraphs in named styles (Titre, Titre 1…, Citation), so that
//! the federation can restyle and edit it; a table of contents field that Word and
//! LibreOffice fill in with page numbers on opening; numbered pages; French set as the
//! language. The archive is made with the `zip` crate the XLSX export already uses: no
//! document library is needed for a document made of paragraphs.

use std::io::{Cursor, Write};

use zip::CompressionMethod;
use zip::write::SimpleFileOptions;

use super::print::{Block, Role};
use super::render::Edition;
use crate::domain::synthesis::document::Document;

/// `text` as XML character data: markup escaped, characters XML 1.0 forbids dropped.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

/// The runs of a paragraph's text: line breaks kept.
fn runs(text: &str, bold: bool) -> String {
    let properties = if bold { "<w:rPr><w:b/></w:rPr>" } else { "" };
    text.split('\n')
        .enumerate()
        .map(|(i, line)| {
            format!(
                "<w:r>{properties}{}<w:t xml:space=\"preserve\">{}</w:t></w:r>",
                if i > 0 { "<w:br/>" } else { "" },
                escape(line)
            )
        })
        .collect()
}

fn style_of(block: &Block) -> &'static str {
    match block.role {
        Role::Title => "Title",
        Role::Subtitle => "Subtitle",
        Role::Heading(1) if block.anchor.is_none() => "TOCHeading",
        Role::Heading(1) => "Heading1",
        Role::Heading(2) => "Heading2",
        Role::Heading(_) => "Heading3",
        Role::TocEntry(_) => "TOC1",
        Role::Body => "Normal",
        Role::Quote => "Quote",
        Role::Signature => "Signature",
        Role::Proposal => "Proposal",
        Role::Note => "Note",
    }
}

fn paragraph(block: &Block) -> String {
    let label = block
        .label
        .as_ref()
        .map(|l| {
            format!(
                "<w:r><w:t xml:space=\"preserve\">{}</w:t></w:r><w:r><w:tab/></w:r>",
                escape(l)
            )
        })
        .unwrap_or_default();
    let hanging = if block.label.is_some() {
        "<w:ind w:left=\"425\" w:hanging=\"425\"/>"
    } else {
        ""
    };
    format!(
        "<w:p><w:pPr><w:pStyle w:val=\"{}\"/>{hanging}</w:pPr>{label}{}</w:p>",
        style_of(block),
        runs(&block.text, false)
    )
}

fn body(blocks: &[Block]) -> String {
    let mut out = String::new();
    let entries: Vec<usize> = blocks
        .iter()
        .enumerate()
        .filter(|(_, b)| matches!(b.role, Role::TocEntry(_)))
        .map(|(i, _)| i)
        .collect();
    for (i, block) in blocks.iter().enumerate() {
        if !matches!(block.role, Role::TocEntry(_)) {
            out.push_str(&paragraph(block));
            continue;
        }
        // The table of contents: one field over its entries, written out so that the
        // document reads whole before the field is updated.
        let first = entries.first() == Some(&i);
        let last = entries.last() == Some(&i);
        out.push_str("<w:p><w:pPr><w:pStyle w:val=\"TOC1\"/></w:pPr>");
        if first {
            out.push_str(
                "<w:r><w:fldChar w:fldCharType=\"begin\" w:dirty=\"true\"/></w:r>\
                 <w:r><w:instrText xml:space=\"preserve\"> TOC \\o \"1-1\" \\h \\z \\u </w:instrText></w:r>\
                 <w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>",
            );
        }
        out.push_str(&runs(&block.text, false));
        if last {
            out.push_str("<w:r><w:fldChar w:fldCharType=\"end\"/></w:r>");
        }
        out.push_str("</w:p>");
    }
    out
}

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/><Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>"#;

const PACKAGE_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>"#;

const DOCUMENT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/></Relationships>"#;

const SETTINGS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:updateFields w:val="true"/><w:defaultTabStop w:val="425"/><w:themeFontLang w:val="fr-FR"/></w:settings>"#;

const FOOTER: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:ftr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:p><w:pPr><w:jc w:val="right"/><w:rPr><w:sz w:val="18"/></w:rPr></w:pPr><w:r><w:rPr><w:sz w:val="18"/></w:rPr><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:rPr><w:sz w:val="18"/></w:rPr><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r><w:r><w:rPr><w:sz w:val="18"/></w:rPr><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:rPr><w:sz w:val="18"/></w:rPr><w:t>1</w:t></w:r><w:r><w:rPr><w:sz w:val="18"/></w:rPr><w:fldChar w:fldCharType="end"/></w:r><w:r><w:rPr><w:sz w:val="18"/></w:rPr><w:t xml:space="preserve"> / </w:t></w:r><w:r><w:rPr><w:sz w:val="18"/></w:rPr><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:rPr><w:sz w:val="18"/></w:rPr><w:instrText xml:space="preserve"> NUMPAGES </w:instrText></w:r><w:r><w:rPr><w:sz w:val="18"/></w:rPr><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:rPr><w:sz w:val="18"/></w:rPr><w:t>1</w:t></w:r><w:r><w:rPr><w:sz w:val="18"/></w:rPr><w:fldChar w:fldCharType="end"/></w:r></w:p></w:ftr>"#;

/// A paragraph style: (id, name shown in Word, properties of the paragraph, of the runs).
const STYLES: &[(&str, &str, &str, &str)] = &[
    (
        "Title",
        "Title",
        "<w:spacing w:after=\"200\"/>",
        "<w:b/><w:color w:val=\"000091\"/><w:sz w:val=\"48\"/>",
    ),
    (
        "Subtitle",
        "Subtitle",
        "<w:spacing w:after=\"80\"/>",
        "<w:color w:val=\"3A3A3A\"/><w:sz w:val=\"24\"/>",
    ),
    (
        "TOCHeading",
        "TOC Heading",
        "<w:keepNext/><w:spacing w:before=\"480\" w:after=\"240\"/>",
        "<w:b/><w:color w:val=\"000091\"/><w:sz w:val=\"36\"/>",
    ),
    (
        "Heading1",
        "heading 1",
        "<w:keepNext/><w:pageBreakBefore/><w:spacing w:after=\"240\"/><w:outlineLvl w:val=\"0\"/>",
        "<w:b/><w:color w:val=\"000091\"/><w:sz w:val=\"36\"/>",
    ),
    (
        "Heading2",
        "heading 2",
        "<w:keepNext/><w:spacing w:before=\"280\" w:after=\"120\"/><w:outlineLvl w:val=\"1\"/>",
        "<w:b/><w:color w:val=\"3A3A3A\"/><w:sz w:val=\"26\"/>",
    ),
    (
        "Heading3",
        "heading 3",
        "<w:keepNext/><w:spacing w:before=\"200\" w:after=\"80\"/><w:outlineLvl w:val=\"2\"/>",
        "<w:b/><w:sz w:val=\"23\"/>",
    ),
    (
        "TOC1",
        "toc 1",
        "<w:tabs><w:tab w:val=\"right\" w:leader=\"dot\" w:pos=\"9628\"/></w:tabs><w:spacing w:after=\"80\"/>",
        "",
    ),
    (
        "Quote",
        "Quote",
        "<w:pBdr><w:left w:val=\"single\" w:sz=\"18\" w:space=\"8\" w:color=\"000091\"/></w:pBdr><w:ind w:left=\"284\"/><w:spacing w:after=\"80\"/>",
        "",
    ),
    (
        "Signature",
        "Signature",
        "<w:spacing w:after=\"240\"/>",
        "<w:i/><w:color w:val=\"3A3A3A\"/><w:sz w:val=\"20\"/>",
    ),
    (
        "Proposal",
        "Proposition",
        "<w:keepNext/><w:spacing w:before=\"80\" w:after=\"60\"/>",
        "<w:b/><w:sz w:val=\"22\"/>",
    ),
    (
        "Note",
        "Note",
        "<w:spacing w:before=\"480\"/>",
        "<w:i/><w:color w:val=\"3A3A3A\"/><w:sz w:val=\"17\"/>",
    ),
];

fn styles() -> String {
    let mut out = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Arial" w:hAnsi="Arial" w:eastAsia="Arial" w:cs="Arial"/><w:sz w:val="21"/><w:szCs w:val="21"/><w:lang w:val="fr-FR"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="300" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>"#,
    );
    for (id, name, paragraph, run) in STYLES {
        out.push_str(&format!(
            "<w:style w:type=\"paragraph\" w:styleId=\"{id}\"><w:name w:val=\"{name}\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/><w:pPr>{paragraph}</w:pPr><w:rPr>{run}</w:rPr></w:style>"
        ));
    }
    out.push_str("</w:styles>");
    out
}

fn core(doc: &Document) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>{}</dc:title><dc:language>fr-FR</dc:language><dc:creator>Concerto</dc:creator></cp:coreProperties>"#,
        escape(&doc.title)
    )
}

/// The DOCX of `doc`.
pub fn docx(doc: &Document, edition: Edition) -> Result<Vec<u8>, String> {
    let blocks = super::print::blocks(doc, edition);
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:body>{}<w:sectPr><w:footerReference w:type="default" r:id="rId3"/><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1247" w:right="1247" w:bottom="1247" w:left="1247" w:header="567" w:footer="567" w:gutter="0"/></w:sectPr></w:body></w:document>"#,
        body(&blocks)
    );
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    let parts = [
        ("[Content_Types].xml", CONTENT_TYPES.to_owned()),
        ("_rels/.rels", PACKAGE_RELS.to_owned()),
        ("word/_rels/document.xml.rels", DOCUMENT_RELS.to_owned()),
        ("word/document.xml", document),
        ("word/styles.xml", styles()),
        ("word/settings.xml", SETTINGS.to_owned()),
        ("word/footer1.xml", FOOTER.to_owned()),
        ("docProps/core.xml", core(doc)),
    ];
    for (name, content) in parts {
        zip.start_file(name, options).map_err(|e| e.to_string())?;
        zip.write_all(content.as_bytes())
            .map_err(|e| e.to_string())?;
    }
    Ok(zip.finish().map_err(|e| e.to_string())?.into_inner())
}
