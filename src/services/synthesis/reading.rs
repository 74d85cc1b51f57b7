//! What a synthesis's references say: a chapter checked against the round when it is
//! written, the document read from the draft (consent and redactions applied, each
//! reference that no longer holds reported), and what the coordinators left out.

use std::collections::{HashMap, HashSet};

use crate::domain::FieldError;
use crate::domain::answers::{AnswerValue, Proposal as Proposed};
use crate::domain::organisations::OrganisationKind;
use crate::domain::passages::{Located, Passage, mask, mask_slice};
use crate::domain::responses::{PublicationConsent, ResponseStatus};
use crate::domain::search::SEARCHED_KINDS;
use crate::domain::synthesis::document::{
    self, Chapter, Document, Original, Proposal, Quoted, Signature,
};
use crate::domain::synthesis::{Header, IntroducedBy, Section, Span};
use crate::error::AppError;
use crate::i18n::{Lang, Tr};
use crate::store::redactions::Masks;
use crate::store::synthesis::NamedAnswer;
use crate::store::{self, DbConnection};

/// The kind of question whose answers hold proposals.
const PROPOSALS_KIND: &str = "proposals";

/// How an organisation signs: by name when it consented to be named, else by its kind
/// (in French: the document goes to a French ministry).
pub fn signature(consent: PublicationConsent, name: &str, kind: OrganisationKind) -> Signature {
    if consent == PublicationConsent::Attributed {
        Signature {
            name: name.to_owned(),
            attributed: true,
        }
    } else {
        Signature {
            name: Tr::new(Lang::Fr).label("org-kind", kind.as_str()),
            attributed: false,
        }
    }
}

fn proposals_of(answer: &NamedAnswer) -> &[Proposed] {
    match &answer.value {
        Some(AnswerValue::Proposals(items)) => items,
        _ => &[],
    }
}

fn text_of(answer: &NamedAnswer) -> &str {
    answer
        .value
        .as_ref()
        .and_then(AnswerValue::text)
        .unwrap_or_default()
}

/// Why an answer cannot be published in this chapter, if it cannot.
fn unpublishable(
    answer: &NamedAnswer,
    chapter: i64,
    kinds: &[&str],
) -> Option<(&'static str, &'static str)> {
    if answer.chapter_id != chapter {
        Some((
            "other_chapter",
            "cette réponse répond à une question d'un autre chapitre",
        ))
    } else if answer.status != ResponseStatus::Submitted {
        Some((
            "not_submitted",
            "seules les réponses déposées peuvent être retenues",
        ))
    } else if !answer.consent.allows_publication() {
        Some((
            "no_consent",
            "l'organisation n'a pas consenti à la publication de sa contribution",
        ))
    } else if !kinds.contains(&answer.question_kind.as_str()) {
        Some((
            "wrong_kind",
            if kinds.contains(&PROPOSALS_KIND) {
                "cette réponse ne contient pas de propositions"
            } else {
                "seule une réponse rédigée peut être citée"
            },
        ))
    } else {
        None
    }
}

fn answers_named(
    conn: &mut DbConnection,
    round: i64,
    sections: &[&Section],
) -> Result<HashMap<i64, NamedAnswer>, AppError> {
    let ids: Vec<i64> = sections
        .iter()
        .flat_map(|s| {
            s.contributions.iter().map(|c| c.answer).chain(
                s.proposals
                    .iter()
                    .flat_map(|p| p.sources.iter().map(|r| r.answer)),
            )
        })
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    Ok(store::synthesis::named_answers(conn, round, &ids)?
        .into_iter()
        .map(|a| (a.id, a))
        .collect())
}

/// A chapter as sent, checked against the round: every answer it names is a submitted
/// answer of this chapter whose organisation consented to publication, of the right
/// kind, each passage inside its answer (its text taken from the answer), each proposal
/// present. Refused fields are named (409).
pub fn checked_section(
    conn: &mut DbConnection,
    round: i64,
    chapter: i64,
    mut section: Section,
) -> Result<Section, AppError> {
    let named = answers_named(conn, round, &[&section])?;
    let mut refused = Vec::new();
    if let Some(IntroducedBy::Organisation(id)) = section.introduced_by
        && store::synthesis::organisation_name(conn, id)?.is_none()
    {
        refused.push(FieldError::new(
            "introduced_by.organisation",
            "not_found",
            "organisation inconnue",
        ));
    }
    for (i, selection) in section.contributions.iter_mut().enumerate() {
        let field = format!("contributions.{i}");
        let Some(answer) = named.get(&selection.answer) else {
            refused.push(FieldError::new(
                &format!("{field}.answer"),
                "not_found",
                "réponse inconnue dans cette consultation",
            ));
            continue;
        };
        if let Some((code, message)) = unpublishable(answer, chapter, &SEARCHED_KINDS) {
            refused.push(FieldError::new(&format!("{field}.answer"), code, message));
            continue;
        }
        let text = text_of(answer);
        if text.trim().is_empty() {
            refused.push(FieldError::new(
                &format!("{field}.answer"),
                "empty",
                "cette réponse est vide",
            ));
        } else if let Some(span) = &selection.passage {
            match Passage::mark(text, span.start as i64, span.end as i64) {
                Ok(passage) => selection.passage = Some(passage.into()),
                Err(mut error) => {
                    error.field = format!("{field}.passage.{}", error.field);
                    refused.push(error);
                }
            }
        }
    }
    for (i, proposal) in section.proposals.iter().enumerate() {
        for (j, source) in proposal.sources.iter().enumerate() {
            let field = format!("proposals.{i}.sources.{j}");
            let Some(answer) = named.get(&source.answer) else {
                refused.push(FieldError::new(
                    &format!("{field}.answer"),
                    "not_found",
                    "réponse inconnue dans cette consultation",
                ));
                continue;
            };
            if let Some((code, message)) = unpublishable(answer, chapter, &[PROPOSALS_KIND]) {
                refused.push(FieldError::new(&format!("{field}.answer"), code, message));
            } else if source.item >= proposals_of(answer).len() {
                refused.push(FieldError::new(
                    &format!("{field}.item"),
                    "out_of_range",
                    match proposals_of(answer).len() {
                        1 => "cette réponse compte une proposition, numérotée 0".to_owned(),
                        n => format!(
                            "cette réponse compte {n} propositions, numérotées à partir de 0"
                        ),
                    },
                ));
            }
        }
    }
    if refused.is_empty() {
        Ok(section)
    } else {
        Err(AppError::Clash(refused))
    }
}

/// A chapter of the round with what the coordinators wrote for it.
pub struct Written<'a> {
    pub id: i64,
    pub code: &'a str,
    pub title: &'a str,
    pub section: &'a Section,
}

/// The document the draft reads as now, and each reference that no longer holds (an
/// answer whose organisation withdrew its consent, a passage since changed…), named
/// `chapters.{code}.contributions.{i}` or `….proposals.{i}.sources.{j}`: left out of the
/// document, for a person to look at.
pub fn document(
    conn: &mut DbConnection,
    round: i64,
    round_title: &str,
    header: &Header,
    chapters: &[Written<'_>],
) -> Result<(Document, Vec<FieldError>), AppError> {
    let sections: Vec<&Section> = chapters.iter().map(|c| c.section).collect();
    let named = answers_named(conn, round, &sections)?;
    let masks = store::redactions::masks_of_round(conn, round)?;
    let mut review = Vec::new();
    let mut read = Vec::with_capacity(chapters.len());
    for chapter in chapters {
        let introduced_by = match &chapter.section.introduced_by {
            Some(IntroducedBy::Organisation(id)) => store::synthesis::organisation_name(conn, *id)?,
            Some(IntroducedBy::Person(name)) => Some(name.clone()),
            None => None,
        };
        let mut reader = Reader {
            named: &named,
            masks: &masks,
            chapter: chapter.id,
            review: &mut review,
        };
        let contributions = chapter
            .section
            .contributions
            .iter()
            .enumerate()
            .filter_map(|(i, s)| {
                let field = format!("chapters.{}.contributions.{i}", chapter.code);
                reader.quoted(&field, s.answer, s.passage.as_ref(), &s.heading)
            })
            .collect();
        let proposals = chapter
            .section
            .proposals
            .iter()
            .enumerate()
            .filter_map(|(i, p)| {
                let mut supporters = Vec::new();
                let mut originals = Vec::new();
                let mut organisations = HashSet::new();
                for (j, source) in p.sources.iter().enumerate() {
                    let field = format!("chapters.{}.proposals.{i}.sources.{j}", chapter.code);
                    let Some((by, organisation, original)) = reader.original(&field, *source)
                    else {
                        continue;
                    };
                    if organisations.insert(organisation) {
                        supporters.push(by.clone());
                    }
                    originals.push(original);
                }
                (!originals.is_empty()).then(|| Proposal {
                    title: p.title.clone(),
                    description: p.description.clone(),
                    supporters,
                    originals,
                })
            })
            .collect();
        read.push(Chapter {
            code: chapter.code.to_owned(),
            title: chapter.title.to_owned(),
            introduction: chapter.section.introduction.clone(),
            introduced_by,
            contributions,
            proposals: document::ordered(proposals, header.proposals_order),
        });
    }
    Ok((
        Document {
            title: header.title.clone(),
            round: round_title.to_owned(),
            introduction: header.introduction.clone(),
            conclusion: header.conclusion.clone(),
            licence: header.licence,
            chapters: read,
        },
        review,
    ))
}

/// Reads a chapter's references, noting those that no longer hold.
struct Reader<'a> {
    named: &'a HashMap<i64, NamedAnswer>,
    masks: &'a Masks,
    chapter: i64,
    review: &'a mut Vec<FieldError>,
}

impl<'a> Reader<'a> {
    fn publishable(&mut self, field: &str, answer: i64, kinds: &[&str]) -> Option<&'a NamedAnswer> {
        let named = self.named;
        let Some(found) = named.get(&answer) else {
            self.review.push(FieldError::new(
                field,
                "not_found",
                "la réponse n'existe plus",
            ));
            return None;
        };
        if let Some((code, message)) = unpublishable(found, self.chapter, kinds) {
            self.review.push(FieldError::new(field, code, message));
            return None;
        }
        Some(found)
    }

    fn passages(&self, answer: &NamedAnswer) -> Vec<&'a str> {
        self.masks
            .get(&answer.response_id)
            .and_then(|by_question| by_question.get(&answer.question_code))
            .map(|passages| passages.iter().map(String::as_str).collect())
            .unwrap_or_default()
    }

    fn quoted(
        &mut self,
        field: &str,
        answer: i64,
        passage: Option<&Span>,
        heading: &str,
    ) -> Option<Quoted> {
        let found = self.publishable(field, answer, &SEARCHED_KINDS)?;
        let text = text_of(found);
        let masks = self.passages(found);
        let quoted = match passage {
            None => mask(text, masks.iter().copied()),
            Some(span) => match Passage::from(span).locate(text) {
                Located::Found(start, end) => mask_slice(text, start, end, masks.iter().copied())?,
                Located::ToReview => {
                    self.review.push(FieldError::new(
                        field,
                        "passage_changed",
                        "le passage cité a été modifié depuis qu'il a été retenu",
                    ));
                    return None;
                }
            },
        };
        if quoted.trim().is_empty() {
            self.review.push(FieldError::new(
                field,
                "empty",
                "cette réponse est désormais vide",
            ));
            return None;
        }
        Some(Quoted {
            heading: heading.to_owned(),
            by: signature(found.consent, &found.organisation, found.organisation_kind),
            text: quoted,
            excerpt: passage.is_some(),
        })
    }

    /// An original proposal: who made it (signature and organisation), and what it says.
    fn original(
        &mut self,
        field: &str,
        source: crate::domain::synthesis::ProposalRef,
    ) -> Option<(Signature, i64, Original)> {
        let found = self.publishable(field, source.answer, &[PROPOSALS_KIND])?;
        let Some(item) = proposals_of(found).get(source.item) else {
            self.review.push(FieldError::new(
                field,
                "proposal_removed",
                "cette proposition a été retirée de la réponse",
            ));
            return None;
        };
        let by = signature(found.consent, &found.organisation, found.organisation_kind);
        Some((
            by.clone(),
            found.organisation_id,
            Original {
                title: item.title.clone(),
                description: item.description().to_owned(),
                by,
            },
        ))
    }
}

/// A selected contribution as its editors see it: (organisation, question, text).
pub type Described = (String, String, String);

/// What a section's references are, for its editors: per selection (organisation,
/// question, text); per consolidated proposal, its originals (« organisation : title »).
/// Coordinators see names whatever the consent; the documents sign as consented.
pub fn described(
    conn: &mut DbConnection,
    round: i64,
    section: &Section,
) -> Result<(Vec<Described>, Vec<Vec<String>>), AppError> {
    let named = answers_named(conn, round, &[section])?;
    let selected = section
        .contributions
        .iter()
        .map(|s| {
            named
                .get(&s.answer)
                .map(|a| {
                    (
                        a.organisation.clone(),
                        a.question_code.clone(),
                        text_of(a).to_owned(),
                    )
                })
                .unwrap_or_default()
        })
        .collect();
    let originals = section
        .proposals
        .iter()
        .map(|p| {
            p.sources
                .iter()
                .filter_map(|r| {
                    let a = named.get(&r.answer)?;
                    let item = proposals_of(a).get(r.item)?;
                    Some(format!("{} : {}", a.organisation, item.title))
                })
                .collect()
        })
        .collect();
    Ok((selected, originals))
}

/// A contribution the synthesis may select: a text answer or one proposal of a
/// proposals answer, submitted, its organisation having consented.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub answer: i64,
    /// The proposal's place in its answer; `None` for a text answer.
    pub item: Option<usize>,
    pub question: String,
    pub organisation: String,
    pub consent: PublicationConsent,
    /// The text, or the proposal's title.
    pub text: String,
    pub description: String,
}

/// What a chapter could draw on and does not: the candidates not selected (a text answer
/// counts as selected when any passage of it is), the first `LEFT_OUT_SHOWN` of them
/// and how many in all, and how many answers cannot be published (their organisations
/// did not consent).
pub struct LeftOut {
    pub candidates: Vec<Candidate>,
    pub total: usize,
    pub not_publishable: usize,
}

/// Most candidates listed per chapter (a large round has tens of thousands).
pub const LEFT_OUT_SHOWN: usize = 200;

pub fn left_out(
    conn: &mut DbConnection,
    round: i64,
    chapter: i64,
    section: &Section,
) -> Result<LeftOut, AppError> {
    let mut kinds: Vec<&str> = SEARCHED_KINDS.to_vec();
    kinds.push(PROPOSALS_KIND);
    let answers = store::synthesis::chapter_answers(conn, round, chapter, &kinds)?;
    let selected: HashSet<i64> = section.contributions.iter().map(|s| s.answer).collect();
    let merged: HashSet<(i64, usize)> = section
        .proposals
        .iter()
        .flat_map(|p| p.sources.iter().map(|s| (s.answer, s.item)))
        .collect();
    let mut out = LeftOut {
        candidates: Vec::new(),
        total: 0,
        not_publishable: 0,
    };
    for answer in &answers {
        let candidate = |item: Option<usize>, text: &str, description: &str| Candidate {
            answer: answer.id,
            item,
            question: answer.question_code.clone(),
            organisation: answer.organisation.clone(),
            consent: answer.consent,
            text: text.to_owned(),
            description: description.to_owned(),
        };
        let text = text_of(answer);
        let proposals = proposals_of(answer);
        if text.trim().is_empty() && proposals.is_empty() {
            continue;
        }
        if !answer.consent.allows_publication() {
            out.not_publishable += 1;
            continue;
        }
        let mut keep = |made: Candidate| {
            out.total += 1;
            if out.candidates.len() < LEFT_OUT_SHOWN {
                out.candidates.push(made);
            }
        };
        if answer.question_kind == PROPOSALS_KIND {
            for (item, p) in proposals.iter().enumerate() {
                if !merged.contains(&(answer.id, item)) {
                    keep(candidate(Some(item), &p.title, p.description()));
                }
            }
        } else if !selected.contains(&answer.id) {
            keep(candidate(None, text, ""));
        }
    }
    Ok(out)
}
