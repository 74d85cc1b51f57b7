//! The synthesis as it reads: what each selected answer said, signed as its
//! organisation consented, with the redactions applied. A preview is made from the draft
//! at each request; a published version is this, stored as it was (JSON) and never
//! made again, so later edits, consents or redactions cannot change what was published.

use serde::{Deserialize, Serialize};

use super::{Licence, ProposalsOrder};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    pub title: String,
    /// The round's title.
    pub round: String,
    /// Markdown.
    pub introduction: String,
    pub conclusion: String,
    pub licence: Licence,
    pub chapters: Vec<Chapter>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Chapter {
    pub code: String,
    pub title: String,
    /// Markdown.
    pub introduction: String,
    /// Who signs the introduction: an organisation's name, or a person.
    pub introduced_by: Option<String>,
    pub contributions: Vec<Quoted>,
    pub proposals: Vec<Proposal>,
}

/// How an organisation is named: by name when it consented to be, otherwise by its kind.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Signature {
    /// The organisation's name, or its kind's label.
    pub name: String,
    pub attributed: bool,
}

impl Signature {
    /// How it signs (every rendering, the public list, the open data, a relay): the name,
    /// or the kind followed by "(contribution anonyme)".
    pub fn said(&self) -> String {
        if self.attributed {
            self.name.clone()
        } else {
            format!("{} (contribution anonyme)", self.name)
        }
    }
}

/// A selected contribution as published.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quoted {
    pub heading: String,
    pub by: Signature,
    /// The answer's text, or the passage quoted, personal data masked.
    pub text: String,
    /// Whether `text` is a passage of a longer answer.
    pub excerpt: bool,
}

impl Quoted {
    /// The line under the quotation: "— who (extrait)".
    pub fn signature_line(&self) -> String {
        let extract = if self.excerpt { " (extrait)" } else { "" };
        format!("— {}{extract}", self.by.said())
    }
}

/// A consolidated proposal as published, with the organisations' own.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Proposal {
    pub title: String,
    pub description: String,
    /// The organisations that proposed it, each once, in the order of the originals.
    pub supporters: Vec<Signature>,
    pub originals: Vec<Original>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Original {
    pub title: String,
    pub description: String,
    pub by: Signature,
}

/// What every rendering says under the document: how contributions are signed, and the
/// open data's licence (its name and address follow).
pub const CONSENT_NOTE: &str = "Les contributions sont citées avec l'accord de leurs auteurs : \
     nommément, ou par type d'organisation lorsqu'elles ont choisi l'anonymat ; les données \
     personnelles sont masquées. Données ouvertes sous";

impl Document {
    /// The line under the title: the round the contribution answers.
    pub fn subtitle(&self) -> String {
        format!("Contribution à la consultation « {} »", self.round)
    }

    /// The closing note, the licence written out.
    pub fn closing_note(&self) -> String {
        format!(
            "{CONSENT_NOTE} {} ({}).",
            self.licence.name(),
            self.licence.url()
        )
    }
}

/// The proposals in the order asked (a stable sort: equal support keeps the placing).
pub fn ordered(mut proposals: Vec<Proposal>, order: ProposalsOrder) -> Vec<Proposal> {
    if order == ProposalsOrder::Support {
        proposals.sort_by_key(|p| std::cmp::Reverse(p.supporters.len()));
    }
    proposals
}

/// "A, B et C": the supporters named, the anonymous counted by kind after them.
pub fn supporters_sentence(supporters: &[Signature]) -> String {
    let mut parts: Vec<String> = supporters
        .iter()
        .filter(|s| s.attributed)
        .map(|s| s.name.clone())
        .collect();
    let mut anonymous: Vec<(&str, usize)> = Vec::new();
    for s in supporters.iter().filter(|s| !s.attributed) {
        match anonymous.iter_mut().find(|(kind, _)| *kind == s.name) {
            Some((_, n)) => *n += 1,
            None => anonymous.push((&s.name, 1)),
        }
    }
    for (kind, n) in anonymous {
        parts.push(if n == 1 {
            format!("une organisation anonyme ({kind})")
        } else {
            format!("{n} organisations anonymes ({kind})")
        });
    }
    match parts.len() {
        0 => String::new(),
        1 => parts.remove(0),
        n => {
            let last = parts.remove(n - 1);
            format!("{} et {last}", parts.join(", "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(name: &str) -> Signature {
        Signature {
            name: name.into(),
            attributed: true,
        }
    }

    fn anonymous(kind: &str) -> Signature {
        Signature {
            name: kind.into(),
            attributed: false,
        }
    }

    #[test]
    fn supporters_are_named_then_counted() {
        assert_eq!(supporters_sentence(&[named("A")]), "A");
        assert_eq!(supporters_sentence(&[named("A"), named("B")]), "A et B");
        assert_eq!(
            supporters_sentence(&[
                anonymous("Association de patients"),
                named("A"),
                anonymous("Association de patients"),
                named("B"),
                anonymous("Fédération"),
            ]),
            "A, B, 2 organisations anonymes (Association de patients) et une organisation \
             anonyme (Fédération)"
        );
    }

    #[test]
    fn proposals_by_support_keep_their_places_among_equals() {
        let proposal = |title: &str, supporters: usize| Proposal {
            title: title.into(),
            description: String::new(),
            supporters: (0..supporters).map(|i| named(&i.to_string())).collect(),
            originals: Vec::new(),
        };
        let placed = vec![
            proposal("a", 1),
            proposal("b", 3),
            proposal("c", 1),
            proposal("d", 3),
        ];
        let titles = |ps: Vec<Proposal>| ps.into_iter().map(|p| p.title).collect::<Vec<_>>();
        assert_eq!(
            titles(ordered(placed.clone(), ProposalsOrder::Chosen)),
            ["a", "b", "c", "d"]
        );
        assert_eq!(
            titles(ordered(placed, ProposalsOrder::Support)),
            ["b", "d", "a", "c"]
        );
    }
}
