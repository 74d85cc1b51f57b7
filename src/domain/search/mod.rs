//! What a coordinator looks for in a round's answers: words, "phrases in quotes" and
//! prefixes (`hospit*`), all of which must be found. Parsed once at the edge into terms
//! made of letters and digits only (so nothing of the query's text can be taken for the
//! engines' own syntax), then said in each engine's language:
//!
//! - PostgreSQL (`concerto_fr` text search configuration): French stemming, accents and
//!   case folded; a phrase is a sequence of adjacent words; a prefix matches any word
//!   that starts with it.
//! - SQLite (FTS5, `unicode61 remove_diacritics 2`): accents and case folded, but no
//!   French stemmer; each word is searched as a prefix of its light stem (plural `s` and
//!   `x`, `-aux`, a final `e`, and `-al`/`-ail` cut where their plural differs), so
//!   « patientes » finds patient, patiente, patients and « hôpital » finds hôpitaux; a
//!   phrase is matched as typed.
//!
//! Both rank by how often the row holds what is sought against its length, without
//! statistics of the whole collection: PostgreSQL by `ts_rank` (normalised by 1 + the
//! logarithm of the length), SQLite by `concerto_rank` (BM25's term-frequency part,
//! `store::fts_rank`).

use super::FieldError;

pub mod excerpt;

/// One thing to find.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Term {
    Word(String),
    Phrase(Vec<String>),
    Prefix(String),
}

/// A parsed query: at least one term, all required; or, for a theme's keyword rules,
/// several such queries of which any one may match (`any_of`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchQuery {
    terms: Vec<Term>,
    /// Further alternatives, each a conjunction like `terms`.
    or: Vec<Vec<Term>>,
}

/// The kinds of question whose answers are one text, and are searched (choices' keys are
/// JSON strings too, and are not). Proposals are not searched yet.
pub const SEARCHED_KINDS: [&str; 2] = ["short_text", "long_text"];

/// Longest query accepted, in characters.
pub const MAX_CHARS: usize = 200;

fn refused(code: &str, message: &str) -> FieldError {
    FieldError::new("q", code, message)
}

/// What a query must contain somewhere (a JSON Schema pattern, in the API's document):
/// one character that makes words.
pub const HAS_A_WORD: &str = "[0-9A-Za-zÀ-ÖØ-öø-ſ]";

/// The characters that make words: digits and the Latin letters of French and its
/// neighbours (Latin-1 and Latin Extended-A: é, ç, œ…). Anything else separates words.
fn makes_words(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, 'À'..='Ö' | 'Ø'..='ö' | 'ø'..='ſ')
}

/// The words of `text`, lower-cased.
pub fn words(text: &str) -> Vec<String> {
    word_spans(text)
        .into_iter()
        .map(|(start, end)| text[start..end].to_lowercase())
        .collect()
}

/// Where each word of `text` starts and ends (bytes): the runs of `makes_words`.
fn word_spans(text: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (makes_words(c), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                spans.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        spans.push((s, text.len()));
    }
    spans
}

impl SearchQuery {
    /// A coordinator's query: `MAX_CHARS` at most, with a word.
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        if raw.chars().count() > MAX_CHARS {
            return Err(refused(
                "too_long",
                &format!("la recherche dépasse {MAX_CHARS} caractères"),
            ));
        }
        Self::read(raw)
    }

    /// The query `raw` says, whatever its length (the caller bounds it); refused only
    /// without a word.
    pub fn read(raw: &str) -> Result<Self, FieldError> {
        let mut terms = Vec::new();
        // Outside quotes, then inside, then outside…: an unclosed quote runs to the end.
        for (i, part) in raw.split('"').enumerate() {
            if i % 2 == 1 {
                match words(part).as_slice() {
                    [] => {}
                    [one] => terms.push(Term::Word(one.clone())),
                    many => terms.push(Term::Phrase(many.to_vec())),
                }
                continue;
            }
            for chunk in part.split_whitespace() {
                let prefix = chunk.ends_with('*');
                let found = words(chunk);
                let last = found.len().saturating_sub(1);
                for (j, word) in found.into_iter().enumerate() {
                    terms.push(if prefix && j == last {
                        Term::Prefix(word)
                    } else {
                        Term::Word(word)
                    });
                }
            }
        }
        if terms.is_empty() {
            return Err(refused(
                "required",
                "saisissez au moins un mot à rechercher",
            ));
        }
        Ok(Self {
            terms,
            or: Vec::new(),
        })
    }

    /// A query matching what any of `queries` matches; `None` without any.
    pub fn any_of(queries: impl IntoIterator<Item = SearchQuery>) -> Option<Self> {
        let mut alternatives = queries
            .into_iter()
            .flat_map(|q| std::iter::once(q.terms).chain(q.or));
        let terms = alternatives.next()?;
        Some(Self {
            terms,
            or: alternatives.collect(),
        })
    }

    /// The terms of the first alternative (the only one of a parsed query).
    pub fn terms(&self) -> &[Term] {
        &self.terms
    }

    fn alternatives(&self) -> impl Iterator<Item = &Vec<Term>> {
        std::iter::once(&self.terms).chain(&self.or)
    }

    /// Each alternative said by `say`, joined by `or` (each in parentheses when several).
    fn said(&self, say: impl Fn(&[Term]) -> String, or: &str) -> String {
        if self.or.is_empty() {
            return say(&self.terms);
        }
        let said: Vec<String> = self
            .alternatives()
            .map(|terms| format!("({})", say(terms)))
            .collect();
        said.join(or)
    }

    /// The query for PostgreSQL's `to_tsquery('concerto_fr', …)`: every term of an
    /// alternative required.
    pub fn tsquery(&self) -> String {
        self.said(
            |terms| {
                let said: Vec<String> = terms
                    .iter()
                    .map(|term| match term {
                        Term::Word(word) => word.clone(),
                        Term::Phrase(words) => format!("({})", words.join(" <-> ")),
                        Term::Prefix(word) => format!("{word}:*"),
                    })
                    .collect();
                said.join(" & ")
            },
            " | ",
        )
    }

    /// The query for SQLite's FTS5 `MATCH`: every term of an alternative required.
    pub fn fts5(&self) -> String {
        self.said(
            |terms| {
                let said: Vec<String> = terms
                    .iter()
                    .map(|term| match term {
                        Term::Word(word) => format!("\"{}\"*", light_stem(word)),
                        Term::Phrase(words) => format!("\"{}\"", words.join(" ")),
                        Term::Prefix(word) => format!("\"{word}\"*"),
                    })
                    .collect();
                said.join(" ")
            },
            " OR ",
        )
    }
}

/// A French word without its commonest inflections, for searching it as a prefix where
/// the engine has no stemmer. Short words are kept whole.
pub fn light_stem(word: &str) -> String {
    let mut stem: Vec<char> = word.chars().collect();
    let ends = |stem: &[char], tail: &str| {
        let tail: Vec<char> = tail.chars().collect();
        stem.len() > tail.len() + 2 && stem.ends_with(&tail)
    };
    if ends(&stem, "aux") {
        stem.truncate(stem.len() - 2);
    } else if ends(&stem, "s") || ends(&stem, "x") {
        stem.pop();
    }
    if ends(&stem, "e") {
        stem.pop();
    }
    // hôpital / hôpitaux, travail / travaux: the singular cut where the plural is.
    if ends(&stem, "ail") {
        stem.truncate(stem.len() - 2);
    } else if ends(&stem, "al") {
        stem.pop();
    }
    stem.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_phrases_and_prefixes_are_told_apart() {
        let query = SearchQuery::parse(r#"Hôpital "soins à domicile" télé* l'accès"#).unwrap();
        assert_eq!(
            query.terms(),
            [
                Term::Word("hôpital".into()),
                Term::Phrase(vec!["soins".into(), "à".into(), "domicile".into()]),
                Term::Prefix("télé".into()),
                Term::Word("l".into()),
                Term::Word("accès".into()),
            ]
        );
        assert_eq!(
            query.tsquery(),
            "hôpital & (soins <-> à <-> domicile) & télé:* & l & accès"
        );
        assert_eq!(
            query.fts5(),
            r#""hôpita"* "soins à domicile" "télé"* "l"* "accè"*"#
        );
    }

    #[test]
    fn alternatives_are_joined_by_or() {
        let any = SearchQuery::any_of([
            SearchQuery::parse("urgences").unwrap(),
            SearchQuery::parse("\"soins à domicile\" hospit*").unwrap(),
        ])
        .unwrap();
        assert_eq!(
            any.tsquery(),
            "(urgences) | ((soins <-> à <-> domicile) & hospit:*)"
        );
        assert_eq!(
            any.fts5(),
            r#"("urgenc"*) OR ("soins à domicile" "hospit"*)"#
        );
        assert_eq!(SearchQuery::any_of([]), None);
        let one = SearchQuery::parse("urgences").unwrap();
        assert_eq!(SearchQuery::any_of([one.clone()]), Some(one));
    }

    #[test]
    fn nothing_of_the_engines_syntax_passes_through() {
        for raw in [
            "a & b | !c",
            "x:* <-> (y)",
            "NEAR(a b) OR c AND NOT d",
            "col:value ^start",
        ] {
            let query = SearchQuery::parse(raw).unwrap();
            for said in [query.tsquery(), query.fts5()] {
                for forbidden in ['|', '!', '(', ':', '^'] {
                    let allowed = said.matches(forbidden).count();
                    let ours = match forbidden {
                        '(' => query
                            .terms()
                            .iter()
                            .filter(|t| matches!(t, Term::Phrase(_)))
                            .count(),
                        ':' => query
                            .terms()
                            .iter()
                            .filter(|t| matches!(t, Term::Prefix(_)))
                            .count(),
                        _ => 0,
                    };
                    assert!(allowed <= ours, "{raw} → {said}");
                }
            }
        }
    }

    #[test]
    fn empty_long_and_crowded_queries_are_refused_on_q() {
        for raw in ["", "   ", "\"\"", "*** --- ...", &"a".repeat(MAX_CHARS + 1)] {
            let refused = SearchQuery::parse(raw).unwrap_err();
            assert_eq!(refused.field, "q", "{raw}");
        }
        // As many words as fit in the length.
        assert!(SearchQuery::parse(&["mot"; 50].join(" ")).is_ok());
        // An unclosed quote runs to the end.
        assert_eq!(
            SearchQuery::parse("\"aide à domicile").unwrap().terms(),
            [Term::Phrase(vec![
                "aide".into(),
                "à".into(),
                "domicile".into()
            ])]
        );
    }

    /// A query has a word exactly when it matches the pattern the API's document gives.
    #[test]
    fn the_documented_pattern_is_the_rule() {
        let pattern: Vec<char> = HAS_A_WORD.chars().collect();
        // `[…]` of single characters and `a-b` ranges.
        let (mut singles, mut ranges) = (Vec::new(), Vec::new());
        let mut i = 1;
        while i < pattern.len() - 1 {
            if pattern.get(i + 1) == Some(&'-') {
                ranges.push((pattern[i], pattern[i + 2]));
                i += 3;
            } else {
                singles.push(pattern[i]);
                i += 1;
            }
        }
        let documented =
            |c: char| singles.contains(&c) || ranges.iter().any(|(a, b)| (*a..=*b).contains(&c));
        for c in (0..0x400).filter_map(char::from_u32) {
            assert_eq!(makes_words(c), documented(c), "{c:?}");
        }
        assert!(SearchQuery::parse("日本").is_err());
        assert!(SearchQuery::parse("cœur").is_ok());
    }

    #[test]
    fn the_light_stem_takes_off_plurals_and_feminines() {
        for (word, stem) in [
            ("patientes", "patient"),
            ("patients", "patient"),
            ("patient", "patient"),
            ("hôpitaux", "hôpita"),
            ("hôpital", "hôpita"),
            ("travail", "trava"),
            ("travaux", "trava"),
            ("soignante", "soignant"),
            ("médicalisées", "médicalisé"),
            ("les", "les"),
            ("ise", "ise"),
        ] {
            assert_eq!(light_stem(word), stem, "{word}");
        }
    }
}
