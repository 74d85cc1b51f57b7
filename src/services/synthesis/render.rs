//! A synthesis document rendered: printable HTML (`frontend/templates/synthesis/
//! document.html`) and Markdown. The organisations' texts are text (escaped, their
//! paragraphs kept); the coordinators' introductions and conclusion are Markdown
//! (rendered and sanitised in HTML, kept as written in Markdown).

use askama::Template;
use chrono::{DateTime, Utc};

use crate::domain::markdown::to_safe_html;
use crate::domain::synthesis::document::{CONSENT_NOTE, Chapter, Document, supporters_sentence};
use crate::i18n::{Lang, Tr};
use crate::services::exports::document::{md, paragraphs};

/// Which version the rendering is: a preview of the draft, or a published version.
#[derive(Debug, Clone, Copy)]
pub enum Edition {
    Preview,
    Published { number: i32, at: DateTime<Utc> },
}

impl Edition {
    pub fn said(self) -> String {
        match self {
            Self::Preview => "Aperçu du projet : non publié".to_owned(),
            Self::Published { number, at } => format!(
                "Version {number}, publiée le {}",
                Tr::new(Lang::Fr).datetime(at)
            ),
        }
    }
}

/// A chapter's anchor: its position, so that any code makes a valid id.
fn anchor(index: usize) -> String {
    format!("chapitre-{}", index + 1)
}

pub struct HtmlQuoted<'a> {
    pub heading: &'a str,
    pub text: Vec<Vec<String>>,
    pub by: String,
    pub excerpt: bool,
}

pub struct HtmlProposal<'a> {
    pub title: &'a str,
    pub description: Vec<Vec<String>>,
    pub supporters: String,
}

pub struct HtmlChapter<'a> {
    pub chapter: &'a Chapter,
    pub anchor: String,
    pub introduction: String,
    pub contributions: Vec<HtmlQuoted<'a>>,
    pub proposals: Vec<HtmlProposal<'a>>,
}

/// What `frontend/templates/synthesis/body.html` shows of a document: its Markdown
/// rendered and sanitised, its texts in paragraphs, its signatures written out.
pub struct Body<'a> {
    pub introduction: String,
    pub conclusion: String,
    pub chapters: Vec<HtmlChapter<'a>>,
}

#[derive(Template)]
#[template(path = "synthesis/document.html")]
struct Html<'a> {
    doc: &'a Document,
    consent_note: &'static str,
    style: &'a str,
    state: String,
    introduction: String,
    conclusion: String,
    chapters: Vec<HtmlChapter<'a>>,
}

const STYLE: &str = "body{font-family:Marianne,Arial,sans-serif;line-height:1.55;color:#161616;margin:0 auto;max-width:46rem;padding:1rem}\
.cover{border-bottom:4px solid #000091;margin-bottom:2rem}.round,.state{color:#3a3a3a}h1{font-size:2rem;line-height:1.25}\
h2{font-size:1.5rem;color:#000091;margin-top:2.5rem}h2 .code{display:inline-block;min-width:2.5rem;color:#3a3a3a}\
h3{font-size:1.15rem;margin-top:2rem;text-transform:uppercase;letter-spacing:.05em;color:#3a3a3a}h4{font-size:1.05rem;margin:1.5rem 0 .5rem}\
.intro{background:#f5f5fe;padding:.5rem 1rem;border-radius:.25rem}.signed,.by{font-style:italic;color:#3a3a3a}\
blockquote{margin:0;padding-left:1rem;border-left:3px solid #000091}.proposals li{margin-bottom:1rem}.proposal{margin-bottom:.25rem}\
footer{margin-top:3rem;border-top:1px solid #929292;font-size:.9rem;color:#3a3a3a}\
@media print{@page{size:A4;margin:2cm 2cm 2.5cm;@bottom-right{content:counter(page) ' / ' counter(pages);font-size:9pt;color:#3a3a3a}}\
body{max-width:none;padding:0;font-size:11pt}.chapter,#introduction,#conclusion{break-before:page}h2,h3,h4{break-after:avoid}\
.contribution,.proposals li{break-inside:avoid}a{color:inherit;text-decoration:none}.toc a::after{content:leader('.') target-counter(attr(href),page)}}";

/// The policy under which the printable HTML is shown: nothing but its own style, known
/// by its hash (the site's policy allows no inline style).
pub fn content_security_policy() -> &'static str {
    static POLICY: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        use base64::Engine as _;
        use sha2::Digest as _;
        let hash = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(STYLE));
        format!(
            "default-src 'none'; style-src 'sha256-{hash}'; img-src data:; \
             frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
        )
    });
    &POLICY
}

/// The body of `doc` as its templates show it.
pub fn body(doc: &Document) -> Body<'_> {
    let chapters = doc
        .chapters
        .iter()
        .enumerate()
        .map(|(i, c)| HtmlChapter {
            chapter: c,
            anchor: anchor(i),
            introduction: to_safe_html(&c.introduction),
            contributions: c
                .contributions
                .iter()
                .map(|q| HtmlQuoted {
                    heading: &q.heading,
                    text: paragraphs(&q.text),
                    by: q.by.said(),
                    excerpt: q.excerpt,
                })
                .collect(),
            proposals: c
                .proposals
                .iter()
                .map(|p| HtmlProposal {
                    title: &p.title,
                    description: paragraphs(&p.description),
                    supporters: supporters_sentence(&p.supporters),
                })
                .collect(),
        })
        .collect();
    Body {
        introduction: to_safe_html(&doc.introduction),
        conclusion: to_safe_html(&doc.conclusion),
        chapters,
    }
}

/// The printable HTML of `doc`.
pub fn html(doc: &Document, edition: Edition) -> String {
    let Body {
        introduction,
        conclusion,
        chapters,
    } = body(doc);
    Html {
        doc,
        consent_note: CONSENT_NOTE,
        style: STYLE,
        state: edition.said(),
        introduction,
        conclusion,
        chapters,
    }
    .render()
    .expect("the synthesis renders into a String")
}

/// `doc` in Markdown.
pub fn markdown(doc: &Document, edition: Edition) -> String {
    let mut out = format!(
        "# {}\n\n{}. {}\n\n",
        md(&doc.title),
        md(&doc.subtitle()),
        edition.said()
    );
    let prose = |out: &mut String, title: &str, text: &str| {
        if !text.trim().is_empty() {
            out.push_str(&format!("## {title}\n\n{}\n\n", text.trim()));
        }
    };
    prose(&mut out, "Introduction", &doc.introduction);
    for chapter in &doc.chapters {
        out.push_str(&format!(
            "## {} — {}\n\n",
            md(&chapter.code),
            md(&chapter.title)
        ));
        if !chapter.introduction.trim().is_empty() {
            out.push_str(&format!("{}\n\n", chapter.introduction.trim()));
            if let Some(by) = &chapter.introduced_by {
                out.push_str(&format!("*Introduit par {}*\n\n", md(by)));
            }
        }
        if !chapter.contributions.is_empty() {
            out.push_str("### Contributions\n\n");
        }
        for quoted in &chapter.contributions {
            if !quoted.heading.is_empty() {
                out.push_str(&format!("#### {}\n\n", md(&quoted.heading)));
            }
            for line in md(&quoted.text).lines() {
                out.push_str(&format!("> {line}\n"));
            }
            out.push_str(&format!(
                "\n— {}{}\n\n",
                md(&quoted.by.said()),
                if quoted.excerpt { " (extrait)" } else { "" }
            ));
        }
        if !chapter.proposals.is_empty() {
            out.push_str("### Propositions\n\n");
        }
        for (i, proposal) in chapter.proposals.iter().enumerate() {
            out.push_str(&format!("{}. **{}**\n", i + 1, md(&proposal.title)));
            for line in md(&proposal.description).lines() {
                out.push_str(&format!("   {line}\n"));
            }
            out.push_str(&format!(
                "\n   *Proposé par {}*\n\n",
                md(&supporters_sentence(&proposal.supporters))
            ));
        }
    }
    prose(&mut out, "Conclusion", &doc.conclusion);
    // The note is the service's own text: written as is, its address left clickable.
    out.push_str(&format!("---\n\n{}\n", doc.closing_note()));
    out
}
