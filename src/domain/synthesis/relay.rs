//! A published synthesis relayed to a round above: the coordinators map each chapter's
//! text (its introduction and selected contributions, signed) and its consolidated
//! proposals onto questions of the target round (long text and proposals), which gives
//! the answers that prefill the federation's response there. What goes is what was
//! published: consent and redactions were applied then.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::document::{Chapter, Document, supporters_sentence};
use crate::domain::FieldError;
use crate::domain::questions::{Question, QuestionSpec};

string_enum!(
    /// What of a chapter goes to a question: its text (introduction and contributions)
    /// to a long-text question, or its consolidated proposals to a proposals question.
    Part {
        Text => "text",
        Proposals => "proposals",
    }
);

impl Part {
    /// The target question's kind this part fills.
    pub fn fills(self, spec: &QuestionSpec) -> bool {
        matches!(
            (self, spec),
            (Self::Text, QuestionSpec::LongText { .. })
                | (Self::Proposals, QuestionSpec::Proposals { .. })
        )
    }
}

/// One line of a mapping: a chapter's part to a target question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Route {
    /// The synthesis chapter's code.
    pub chapter: String,
    pub part: Part,
    /// The target round's question code.
    pub question: String,
}

/// Most lines in a mapping.
pub const MAX_ROUTES: usize = 200;

/// The answers a mapping gives, by target question code: every line checked against the
/// published document and the target's questions, all errors at once, each named
/// `mapping[i].chapter` or `mapping[i].question`. Several lines to one question join
/// (texts one after the other, proposals in the order of the lines).
pub fn answers(
    doc: &Document,
    routes: &[Route],
    target: &[&Question],
) -> Result<BTreeMap<String, Value>, Vec<FieldError>> {
    let mut errors = Vec::new();
    if routes.is_empty() || routes.len() > MAX_ROUTES {
        errors.push(FieldError::new(
            "mapping",
            "length",
            format!("Entre 1 et {MAX_ROUTES} correspondances."),
        ));
    }
    let mut texts: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut proposals: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for (i, route) in routes.iter().enumerate() {
        if routes[..i]
            .iter()
            .any(|r| r.chapter == route.chapter && r.part == route.part)
        {
            errors.push(FieldError::new(
                &format!("mapping[{i}].chapter"),
                "duplicate",
                "Cette partie du chapitre est déjà transmise plus haut.",
            ));
            continue;
        }
        let chapter = doc.chapters.iter().find(|c| c.code == route.chapter);
        let question = target.iter().find(|q| q.code == route.question);
        let Some(chapter) = chapter else {
            errors.push(FieldError::new(
                &format!("mapping[{i}].chapter"),
                "unknown_chapter",
                format!(
                    "La contribution publiée n'a pas de chapitre {}.",
                    route.chapter
                ),
            ));
            continue;
        };
        let Some(question) = question else {
            errors.push(FieldError::new(
                &format!("mapping[{i}].question"),
                "unknown_question",
                format!(
                    "Pas de question {} dans la consultation visée.",
                    route.question
                ),
            ));
            continue;
        };
        if !route.part.fills(&question.spec) {
            let expected = match route.part {
                Part::Text => "une question à réponse développée",
                Part::Proposals => "une question de propositions",
            };
            errors.push(FieldError::new(
                &format!("mapping[{i}].question"),
                "wrong_kind",
                format!("La question {} n'est pas {expected}.", question.code),
            ));
            continue;
        }
        let code = question.code.clone();
        match route.part {
            Part::Text => texts.entry(code).or_default().push(chapter_text(chapter)),
            Part::Proposals => proposals
                .entry(code)
                .or_default()
                .extend(chapter_proposals(chapter)),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut answers: BTreeMap<String, Value> = texts
        .into_iter()
        .map(|(code, parts)| (code, Value::String(parts.join("\n\n"))))
        .collect();
    answers.extend(
        proposals
            .into_iter()
            .map(|(code, p)| (code, Value::Array(p))),
    );
    Ok(answers)
}

/// A chapter's text as an answer reads it: its title, its introduction and who
/// introduced it, then each contribution under its heading, signed.
pub fn chapter_text(chapter: &Chapter) -> String {
    let mut parts = vec![chapter.title.trim().to_owned()];
    if !chapter.introduction.trim().is_empty() {
        parts.push(chapter.introduction.trim().to_owned());
        if let Some(by) = &chapter.introduced_by {
            parts.push(format!("Introduit par {by}."));
        }
    }
    for quoted in &chapter.contributions {
        let mut part = String::new();
        if !quoted.heading.trim().is_empty() {
            part.push_str(&format!("{}\n", quoted.heading.trim()));
        }
        part.push_str(&format!("« {} »\n", quoted.text.trim()));
        part.push_str(&quoted.signature_line());
        parts.push(part);
    }
    parts.join("\n\n")
}

/// A chapter's consolidated proposals as a proposals answer: each titled as published,
/// its description followed by who proposed it.
pub fn chapter_proposals(chapter: &Chapter) -> Vec<Value> {
    chapter
        .proposals
        .iter()
        .map(|p| {
            let by = format!("Proposé par {}.", supporters_sentence(&p.supporters));
            let description = match p.description.trim() {
                "" => by,
                d => format!("{d}\n\n{by}"),
            };
            json!({"title": p.title, "description": description})
        })
        .collect()
}

/// The link a relayed response keeps, as its members read it.
pub fn established_from(title: &str, number: i32) -> String {
    format!("Établie à partir de la contribution collective « {title} », version {number}")
}
