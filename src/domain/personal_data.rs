//! Candidates for redaction in a text answer: what looks like personal data (an e-mail
//! address, a phone number, a date, an age, a first name followed by a family name). A
//! person confirms each: a detector misses things and finds false ones, so it proposes
//! and never masks by itself.

use std::collections::HashSet;
use std::sync::LazyLock;

use regex::Regex;

use super::passages::slice;

/// What a candidate looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Looks {
    Email,
    Phone,
    Date,
    Age,
    Name,
}

impl Looks {
    /// The reason a confirmed candidate is recorded with.
    pub fn reason(self) -> &'static str {
        match self {
            Self::Email => "adresse électronique",
            Self::Phone => "numéro de téléphone",
            Self::Date => "date",
            Self::Age => "âge",
            Self::Name => "nom d'une personne",
        }
    }
}

/// A passage that may be personal data: characters `start..end` of the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub looks: Looks,
}

const MONTHS: &str = "janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre";

static PATTERNS: LazyLock<Vec<(Looks, Regex)>> = LazyLock::new(|| {
    let compiled = |pattern: &str| Regex::new(pattern).expect("a detector's pattern");
    vec![
        (
            Looks::Email,
            compiled(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"),
        ),
        (
            Looks::Phone,
            compiled(r"(?:\+33[ .]?|\b0)[1-9](?:[ .-]?[0-9]{2}){4}\b"),
        ),
        (
            Looks::Date,
            compiled(&format!(
                r"(?i)\b(?:[0-3]?[0-9][/.-][01]?[0-9][/.-](?:[0-9]{{4}}|[0-9]{{2}})|(?:1er|[0-3]?[0-9])\s+(?:{MONTHS})\s+[0-9]{{4}})\b"
            )),
        ),
        (Looks::Age, compiled(r"(?i)\b[0-9]{1,3}\s?ans\b")),
    ]
});

/// A capitalised word (« Lucie », « Jean-Pierre », « Dupré »).
static CAPITALISED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b\p{Lu}[\p{L}'’-]+").expect("a detector's pattern"));

/// The first names shipped with the project (`prenoms.txt`).
static FIRST_NAMES: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    include_str!("prenoms.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
});

/// Byte ranges of a first name of the list followed, after blanks only, by a
/// capitalised word: « Lucie Martin », not « Saint Martin » nor « Hôpital Nord ».
fn names(text: &str) -> Vec<(usize, usize)> {
    let words: Vec<regex::Match> = CAPITALISED.find_iter(text).collect();
    words
        .windows(2)
        .filter(|pair| {
            FIRST_NAMES.contains(pair[0].as_str())
                && text[pair[0].end()..pair[1].start()]
                    .chars()
                    .all(char::is_whitespace)
        })
        .map(|pair| (pair[0].start(), pair[1].end()))
        .collect()
}

/// The candidates in `text`, in order, none overlapping another (the first found wins).
pub fn candidates(text: &str) -> Vec<Candidate> {
    let detected = names(text)
        .into_iter()
        .map(|range| (range, Looks::Name))
        .chain(PATTERNS.iter().flat_map(|(looks, pattern)| {
            pattern
                .find_iter(text)
                .map(|hit| ((hit.start(), hit.end()), *looks))
        }));
    let mut found: Vec<(usize, usize, Looks)> = Vec::new();
    for ((from, to), looks) in detected {
        if found.iter().all(|(s, e, _)| to <= *s || from >= *e) {
            found.push((from, to, looks));
        }
    }
    found.sort_by_key(|(from, _, _)| *from);
    found
        .into_iter()
        .map(|(from, to, looks)| {
            let start = text[..from].chars().count();
            let end = start + text[from..to].chars().count();
            debug_assert_eq!(slice(text, start, end), Some(&text[from..to]));
            Candidate {
                start,
                end,
                text: text[from..to].to_owned(),
                looks,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn said(text: &str) -> Vec<(&'static str, String)> {
        candidates(text)
            .into_iter()
            .map(|c| (c.looks.reason(), c.text))
            .collect()
    }

    #[test]
    fn what_looks_like_personal_data_is_proposed() {
        let text = "Mme Lucie Martin, 82 ans, née le 3 mars 1944 (ou le 03/03/1944), \
                    joignable au 06 12 34 56 78 ou à lucie.martin@exemple.fr, \
                    attend à l'Hôpital Nord depuis la Saint Martin.";
        let found = said(text);
        let wanted = [
            ("nom d'une personne", "Lucie Martin"),
            ("âge", "82 ans"),
            ("date", "3 mars 1944"),
            ("date", "03/03/1944"),
            ("numéro de téléphone", "06 12 34 56 78"),
            ("adresse électronique", "lucie.martin@exemple.fr"),
        ];
        let found_pairs: Vec<(&str, &str)> = found.iter().map(|(r, t)| (*r, t.as_str())).collect();
        assert_eq!(found_pairs, wanted);
    }

    #[test]
    fn offsets_are_characters() {
        let text = "Témoignage d'Hélène Dupré : très éprouvant.";
        let found = candidates(text);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].text, "Hélène Dupré");
        assert_eq!(
            slice(text, found[0].start, found[0].end),
            Some("Hélène Dupré")
        );
        assert_eq!(found[0].start, 13);
    }

    #[test]
    fn ordinary_capitalised_words_are_not_names() {
        assert!(candidates("Les Hôpitaux Universitaires de Strasbourg.").is_empty());
        assert!(candidates("Agence Régionale de Santé, le 12 rue Pasteur.").is_empty());
        assert!(!FIRST_NAMES.is_empty());
    }
}
