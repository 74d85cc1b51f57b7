//! The synthesis as a sequence of printed blocks (title, headings, paragraphs,
//! quotations, signatures…): what the PDF (`pdf`) lays out in pages and the DOCX (`docx`)
//! writes as styled paragraphs, so that both say the same things in the same order.
//! The coordinators' Markdown becomes plain paragraphs, headings and list items.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use super::render::Edition;
use crate::domain::synthesis::document::{Document, supporters_sentence};

/// What a block is, which says how it looks and how it is tagged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Title,
    /// The line under the title (the round, the version).
    Subtitle,
    /// A heading of the given level (1: introduction, chapters, conclusion).
    Heading(u8),
    /// An entry of the table of contents: the index of the heading it points to.
    TocEntry(usize),
    Body,
    /// A paragraph of an organisation's contribution, quoted.
    Quote,
    /// Who a quotation or a proposal is from.
    Signature,
    /// A consolidated proposal's title, numbered.
    Proposal,
    /// The closing note on consent and licence.
    Note,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub role: Role,
    pub text: String,
    /// A level-1 heading begins a new page; the table of contents points to it.
    pub anchor: Option<usize>,
    /// The list label (a proposal's number).
    pub label: Option<String>,
}

impl Block {
    fn new(role: Role, text: impl Into<String>) -> Self {
        Self {
            role,
            text: text.into(),
            anchor: None,
            label: None,
        }
    }
}

/// Paragraphs of a plain text (an organisation's), on blank lines; line breaks inside a
/// paragraph kept as `\n`.
fn paragraphs(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split("\n\n")
        .map(|p| p.replace('\r', "").trim().to_owned())
        .filter(|p| !p.is_empty())
}

/// The coordinators' Markdown as blocks: paragraphs, headings (under `level`), list
/// items (bulleted or numbered); emphasis and links keep their text.
fn prose(markdown: &str, level: u8) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut text = String::new();
    let mut label: Option<String> = None;
    let mut role = Role::Body;
    let mut lists: Vec<Option<u64>> = Vec::new();
    let flush =
        |blocks: &mut Vec<Block>, text: &mut String, role: Role, label: &mut Option<String>| {
            let said = text.trim();
            if !said.is_empty() {
                blocks.push(Block {
                    label: label.take(),
                    ..Block::new(role, said)
                });
            }
            text.clear();
        };
    for event in Parser::new_ext(markdown, Options::ENABLE_STRIKETHROUGH) {
        match event {
            Event::Start(Tag::Heading { level: h, .. }) => {
                flush(&mut blocks, &mut text, role, &mut label);
                role = Role::Heading((level + h as u8).min(3));
            }
            Event::Start(Tag::List(first)) => {
                flush(&mut blocks, &mut text, role, &mut label);
                lists.push(first);
            }
            Event::End(TagEnd::List(_)) => {
                lists.pop();
            }
            Event::Start(Tag::Item) => {
                flush(&mut blocks, &mut text, role, &mut label);
                label = Some(match lists.last_mut() {
                    Some(Some(n)) => {
                        *n += 1;
                        format!("{}.", *n - 1)
                    }
                    _ => "•".to_owned(),
                });
            }
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item) => {
                flush(&mut blocks, &mut text, role, &mut label);
                role = Role::Body;
            }
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::SoftBreak => text.push(' '),
            Event::HardBreak => text.push('\n'),
            _ => {}
        }
    }
    flush(&mut blocks, &mut text, role, &mut label);
    blocks
}

/// The blocks of `doc`, in reading order.
pub fn blocks(doc: &Document, edition: Edition) -> Vec<Block> {
    let mut out = vec![
        Block::new(Role::Title, doc.title.clone()),
        Block::new(Role::Subtitle, doc.subtitle()),
        Block::new(Role::Subtitle, edition.said()),
        Block::new(Role::Heading(1), "Sommaire"),
    ];
    // The headings of level 1, in order: the table of contents points to them by index.
    let mut sections: Vec<(String, Vec<Block>)> = Vec::new();
    if !doc.introduction.trim().is_empty() {
        sections.push(("Introduction".into(), prose(&doc.introduction, 1)));
    }
    for chapter in &doc.chapters {
        let mut body = prose(&chapter.introduction, 1);
        if let Some(by) = &chapter.introduced_by
            && !body.is_empty()
        {
            body.push(Block::new(Role::Signature, format!("Introduit par {by}")));
        }
        if !chapter.contributions.is_empty() {
            body.push(Block::new(Role::Heading(2), "Contributions"));
        }
        for quoted in &chapter.contributions {
            if !quoted.heading.is_empty() {
                body.push(Block::new(Role::Heading(3), quoted.heading.clone()));
            }
            body.extend(paragraphs(&quoted.text).map(|p| Block::new(Role::Quote, p)));
            body.push(Block::new(Role::Signature, quoted.signature_line()));
        }
        if !chapter.proposals.is_empty() {
            body.push(Block::new(Role::Heading(2), "Propositions"));
        }
        for (i, proposal) in chapter.proposals.iter().enumerate() {
            body.push(Block {
                label: Some(format!("{}.", i + 1)),
                ..Block::new(Role::Proposal, proposal.title.clone())
            });
            body.extend(paragraphs(&proposal.description).map(|p| Block::new(Role::Body, p)));
            body.push(Block::new(
                Role::Signature,
                format!("Proposé par {}", supporters_sentence(&proposal.supporters)),
            ));
        }
        sections.push((format!("{} — {}", chapter.code, chapter.title), body));
    }
    if !doc.conclusion.trim().is_empty() {
        sections.push(("Conclusion".into(), prose(&doc.conclusion, 1)));
    }
    for (i, (title, _)) in sections.iter().enumerate() {
        out.push(Block::new(Role::TocEntry(i), title.clone()));
    }
    for (i, (title, body)) in sections.into_iter().enumerate() {
        out.push(Block {
            anchor: Some(i),
            ..Block::new(Role::Heading(1), title)
        });
        out.extend(body);
    }
    out.push(Block::new(Role::Note, doc.closing_note()));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_prose_becomes_plain_blocks() {
        let blocks = prose(
            "Un **texte** et [un lien](https://exemple.fr).\n\n## Titre\n\n- un\n- deux\n\n1. premier\n2. second",
            1,
        );
        let said: Vec<(Role, &str, Option<&str>)> = blocks
            .iter()
            .map(|b| (b.role, b.text.as_str(), b.label.as_deref()))
            .collect();
        assert_eq!(
            said,
            [
                (Role::Body, "Un texte et un lien.", None),
                (Role::Heading(3), "Titre", None),
                (Role::Body, "un", Some("•")),
                (Role::Body, "deux", Some("•")),
                (Role::Body, "premier", Some("1.")),
                (Role::Body, "second", Some("2.")),
            ]
        );
    }
}
