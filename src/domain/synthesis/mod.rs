//! The collective contribution a round's coordinators write from its answers: a title,
//! an introduction and a conclusion, and per chapter an introduction (optionally signed),
//! the contributions selected in a chosen order (a whole answer or a passage, under an
//! editorial heading) and the proposals consolidated from several organisations'.
//!
//! A draft holds references (answers, proposals by their place in an answer); the
//! published document (`document::Document`) holds what they said when it was published,
//! with each organisation's consent and the redactions applied, and never changes.

use serde::{Deserialize, Serialize};

use super::passages::Passage;
use super::{FieldError, TextRule};

pub mod document;
pub mod relay;

pub mod texts {
    use crate::domain::{Lines, TextRule};

    pub const TITLE: TextRule = TextRule::required(300, Lines::One);
    /// Markdown.
    pub const PROSE: TextRule = TextRule::optional(50_000, Lines::Many);
    pub const HEADING: TextRule = TextRule::optional(300, Lines::One);
    pub const PERSON: TextRule = TextRule::optional(200, Lines::One);
    pub const PROPOSAL_TITLE: TextRule = TextRule::required(500, Lines::One);
    pub const PROPOSAL_DESCRIPTION: TextRule = TextRule::optional(10_000, Lines::Many);
    pub const CHANGES: TextRule = TextRule::optional(2000, Lines::Many);
}

/// Most contributions selected, and most consolidated proposals, in one chapter.
pub const MAX_SELECTED: usize = 500;
/// Most original proposals merged into one.
pub const MAX_SOURCES: usize = 200;

string_enum!(
    /// How a chapter's consolidated proposals are ordered: as the coordinators placed
    /// them, or by how many organisations support each (most first, then as placed).
    ProposalsOrder {
        Chosen => "chosen",
        Support => "support",
    }
);

string_enum!(
    /// The licence of the published responses' open data (its version in `name`).
    Licence {
        Etalab => "etalab",
        Odbl => "odbl",
        CcBy => "cc_by",
        CcBySa => "cc_by_sa",
        Cc0 => "cc0",
    }
);

impl Licence {
    /// Its name as the documents print it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Etalab => "Licence Ouverte / Open Licence version 2.0 (Etalab)",
            Self::Odbl => "Open Database License (ODbL) 1.0",
            Self::CcBy => "Creative Commons Attribution 4.0 International",
            Self::CcBySa => "Creative Commons Attribution – Partage dans les mêmes conditions 4.0",
            Self::Cc0 => "Creative Commons Zero 1.0 (domaine public)",
        }
    }

    pub fn url(self) -> &'static str {
        match self {
            Self::Etalab => "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
            Self::Odbl => "https://opendatacommons.org/licenses/odbl/1-0/",
            Self::CcBy => "https://creativecommons.org/licenses/by/4.0/",
            Self::CcBySa => "https://creativecommons.org/licenses/by-sa/4.0/",
            Self::Cc0 => "https://creativecommons.org/publicdomain/zero/1.0/",
        }
    }
}

/// The synthesis's own texts and settings, checked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Header {
    pub title: String,
    pub introduction: String,
    pub conclusion: String,
    pub proposals_order: ProposalsOrder,
    pub licence: Licence,
}

impl Header {
    /// A new synthesis: titled after its round, nothing written yet.
    pub fn new(round_title: &str) -> Self {
        Self {
            title: format!("Contribution collective : {round_title}"),
            introduction: String::new(),
            conclusion: String::new(),
            proposals_order: ProposalsOrder::Chosen,
            licence: Licence::Etalab,
        }
    }

    /// The header as sent; each refused field named.
    pub fn parse(
        title: &str,
        introduction: &str,
        conclusion: &str,
        proposals_order: ProposalsOrder,
        licence: Licence,
    ) -> Result<Self, Vec<FieldError>> {
        let refused: Vec<FieldError> = [
            texts::TITLE.check("title", title),
            texts::PROSE.check("introduction", introduction),
            texts::PROSE.check("conclusion", conclusion),
        ]
        .into_iter()
        .flatten()
        .collect();
        if !refused.is_empty() {
            return Err(refused);
        }
        Ok(Self {
            title: title.trim().to_owned(),
            introduction: introduction.trim().to_owned(),
            conclusion: conclusion.trim().to_owned(),
            proposals_order,
            licence,
        })
    }
}

/// Checks `value` by `rule` (a refusal noted in `refused`), then trims it.
fn checked(refused: &mut Vec<FieldError>, rule: TextRule, field: &str, value: &mut String) {
    if let Some(error) = rule.check(field, value) {
        refused.push(error);
    }
    *value = value.trim().to_owned();
}

/// Who introduces a chapter: an organisation of the round (by name), or a person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IntroducedBy {
    Organisation(i64),
    Person(String),
}

/// A contribution selected: an answer, whole or a passage of it, under a heading.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Selection {
    pub answer: i64,
    /// The passage quoted (its text as it was when selected); the whole answer if none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub passage: Option<Span>,
    #[serde(default)]
    pub heading: String,
}

/// A passage as stored in a draft (`passages::Passage`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub text: String,
}

impl From<Passage> for Span {
    fn from(p: Passage) -> Self {
        Self {
            start: p.start,
            end: p.end,
            text: p.text,
        }
    }
}

impl From<&Span> for Passage {
    fn from(s: &Span) -> Self {
        Self {
            start: s.start,
            end: s.end,
            text: s.text.clone(),
        }
    }
}

/// One organisation's proposal: the proposals answer, and its place in it (from 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ProposalRef {
    pub answer: i64,
    pub item: usize,
}

/// Proposals of one or several organisations merged into one, in the coordinators'
/// words; the originals are kept by reference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consolidated {
    pub title: String,
    #[serde(default)]
    pub description: String,
    pub sources: Vec<ProposalRef>,
}

/// What the coordinators wrote for one chapter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    #[serde(default)]
    pub introduction: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub introduced_by: Option<IntroducedBy>,
    #[serde(default)]
    pub contributions: Vec<Selection>,
    #[serde(default)]
    pub proposals: Vec<Consolidated>,
}

impl Section {
    /// The texts of a section as sent, checked for themselves (the answers they name
    /// are checked against the round by `services::synthesis`); trimmed.
    pub fn parse(mut self) -> Result<Self, Vec<FieldError>> {
        let mut refused = Vec::new();
        checked(
            &mut refused,
            texts::PROSE,
            "introduction",
            &mut self.introduction,
        );
        if let Some(IntroducedBy::Person(name)) = &mut self.introduced_by {
            checked(
                &mut refused,
                texts::PERSON.made_required(),
                "introduced_by.person",
                name,
            );
        }
        for (i, s) in self.contributions.iter_mut().enumerate() {
            let field = format!("contributions.{i}.heading");
            checked(&mut refused, texts::HEADING, &field, &mut s.heading);
        }
        for (i, p) in self.proposals.iter_mut().enumerate() {
            checked(
                &mut refused,
                texts::PROPOSAL_TITLE,
                &format!("proposals.{i}.title"),
                &mut p.title,
            );
            checked(
                &mut refused,
                texts::PROPOSAL_DESCRIPTION,
                &format!("proposals.{i}.description"),
                &mut p.description,
            );
            if p.sources.is_empty() || p.sources.len() > MAX_SOURCES {
                refused.push(FieldError::new(
                    &format!("proposals.{i}.sources"),
                    "count",
                    format!("une proposition consolidée reprend de 1 à {MAX_SOURCES} propositions"),
                ));
            }
        }
        for (field, count) in [
            ("contributions", self.contributions.len()),
            ("proposals", self.proposals.len()),
        ] {
            if count > MAX_SELECTED {
                refused.push(FieldError::new(
                    field,
                    "too_many",
                    format!("{MAX_SELECTED} au plus par chapitre"),
                ));
            }
        }
        // An original proposal is merged into one consolidated proposal at most, and an
        // answer or passage selected once.
        let mut seen = std::collections::HashSet::new();
        for (i, p) in self.proposals.iter().enumerate() {
            for (j, source) in p.sources.iter().enumerate() {
                if !seen.insert(*source) {
                    refused.push(FieldError::new(
                        &format!("proposals.{i}.sources.{j}"),
                        "repeated",
                        "cette proposition est déjà reprise dans une autre",
                    ));
                }
            }
        }
        let mut selected = std::collections::HashSet::new();
        for (i, s) in self.contributions.iter().enumerate() {
            let at = s.passage.as_ref().map(|p| (p.start, p.end));
            if !selected.insert((s.answer, at)) {
                refused.push(FieldError::new(
                    &format!("contributions.{i}.answer"),
                    "repeated",
                    "cette contribution est déjà retenue",
                ));
            }
        }
        if refused.is_empty() {
            Ok(self)
        } else {
            Err(refused)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn selection(answer: i64, heading: &str) -> Selection {
        Selection {
            answer,
            passage: None,
            heading: heading.into(),
        }
    }

    #[test]
    fn a_section_names_each_refused_field() {
        let section = Section {
            introduction: "x".repeat(60_000),
            introduced_by: Some(IntroducedBy::Person("  ".into())),
            contributions: vec![selection(1, "Cas d'usage"), selection(1, "bis")],
            proposals: vec![
                Consolidated {
                    title: " ".into(),
                    description: String::new(),
                    sources: vec![ProposalRef { answer: 2, item: 0 }],
                },
                Consolidated {
                    title: "Former".into(),
                    description: String::new(),
                    sources: vec![ProposalRef { answer: 2, item: 0 }],
                },
                Consolidated {
                    title: "Rien".into(),
                    description: String::new(),
                    sources: vec![],
                },
            ],
        };
        let refused = section.parse().unwrap_err();
        let fields: Vec<&str> = refused.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "introduction",
                "introduced_by.person",
                "proposals.0.title",
                "proposals.2.sources",
                "proposals.1.sources.0",
                "contributions.1.answer",
            ]
        );
    }

    #[test]
    fn a_section_is_kept_trimmed() {
        let section = Section {
            introduction: "  Intro  ".into(),
            introduced_by: Some(IntroducedBy::Organisation(4)),
            contributions: vec![selection(1, " Cas d'usage ")],
            proposals: vec![],
        }
        .parse()
        .unwrap();
        assert_eq!(section.introduction, "Intro");
        assert_eq!(section.contributions[0].heading, "Cas d'usage");
    }

    #[test]
    fn codes_are_the_same_in_json_and_in_the_database() {
        for licence in Licence::ALL {
            let json = serde_json::to_string(licence).unwrap();
            assert_eq!(json, format!("\"{}\"", licence.as_str()));
            assert_eq!(Licence::parse(licence.as_str()), Some(*licence));
        }
        for order in ProposalsOrder::ALL {
            let json = serde_json::to_string(order).unwrap();
            assert_eq!(json, format!("\"{}\"", order.as_str()));
        }
    }

    #[test]
    fn the_header_is_checked() {
        let refused = Header::parse(
            "",
            "",
            &"y".repeat(50_001),
            ProposalsOrder::Chosen,
            Licence::Etalab,
        )
        .unwrap_err();
        let fields: Vec<&str> = refused.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["title", "conclusion"]);
    }
}
