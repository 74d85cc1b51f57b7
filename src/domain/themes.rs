//! A round's codebook: themes that coordinators put on answers (whole, or a passage),
//! the keyword rules that suggest answers for a theme, and the agreement of two coders.

use super::FieldError;
use super::search::SearchQuery;

pub mod texts {
    use crate::domain::{Lines, TextRule};

    pub const THEME_NAME: TextRule = TextRule::required(120, Lines::One);
    pub const THEME_DESCRIPTION: TextRule = TextRule::optional(2000, Lines::Many);
    /// One search query a line (`KeywordRules`).
    pub const THEME_KEYWORDS: TextRule = TextRule::optional(4000, Lines::Many);
    pub const REDACTION_REASON: TextRule = TextRule::required(200, Lines::One);
    pub const CAMPAIGN_NAME: TextRule = TextRule::required(120, Lines::One);
}

/// A colour as `#rrggbb`: the pattern of the API's document.
pub const COLOUR_PATTERN: &str = "^#[0-9a-fA-F]{6}$";

/// A theme's colour, `#rrggbb` in lower case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Colour(String);

impl Colour {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let raw = raw.trim();
        let hex = raw.strip_prefix('#').unwrap_or("");
        if hex.len() == 6 && hex.chars().all(|c| c.is_ascii_hexdigit()) {
            Ok(Self(raw.to_ascii_lowercase()))
        } else {
            Err(FieldError::new(
                "colour",
                "invalid_colour",
                "couleur attendue sous la forme #rrggbb",
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The rules that suggest answers for a theme: search queries, one a line (words,
/// "phrases", prefixes*), folded as the search folds them. An answer matching any one
/// of them is suggested. A line without a word says nothing and is dropped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeywordRules {
    text: String,
    query: Option<SearchQuery>,
}

impl KeywordRules {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        if let Some(refused) = texts::THEME_KEYWORDS.check("keywords", raw) {
            return Err(refused);
        }
        let mut kept = Vec::new();
        let mut queries = Vec::new();
        for line in raw.lines().map(str::trim) {
            if let Ok(query) = SearchQuery::read(line) {
                kept.push(line);
                queries.push(query);
            }
        }
        Ok(Self {
            text: kept.join("\n"),
            query: SearchQuery::any_of(queries),
        })
    }

    /// The rules as stored: one a line, trimmed.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// What any rule matches; `None` without a rule.
    pub fn query(&self) -> Option<&SearchQuery> {
        self.query.as_ref()
    }
}

/// A theme as a coordinator writes it, checked.
#[derive(Debug, Clone)]
pub struct ThemeFields {
    pub name: String,
    pub description: String,
    pub colour: Colour,
    pub parent: Option<i64>,
    pub keywords: KeywordRules,
}

impl ThemeFields {
    /// Every refusal at once, each naming its field.
    pub fn parse(
        name: &str,
        description: &str,
        colour: &str,
        parent: Option<i64>,
        keywords: &str,
    ) -> Result<Self, Vec<FieldError>> {
        let mut refused: Vec<FieldError> = [
            texts::THEME_NAME.check("name", name),
            texts::THEME_DESCRIPTION.check("description", description),
        ]
        .into_iter()
        .flatten()
        .collect();
        let colour = Colour::parse(colour).map_err(|e| refused.push(e)).ok();
        let keywords = KeywordRules::parse(keywords)
            .map_err(|e| refused.push(e))
            .ok();
        match (colour, keywords) {
            (Some(colour), Some(keywords)) if refused.is_empty() => Ok(Self {
                name: name.trim().to_owned(),
                description: description.trim().to_owned(),
                colour,
                parent,
                keywords,
            }),
            _ => Err(refused),
        }
    }
}

/// The colours offered to a new theme, in turn: distinct for most colour visions and
/// dark enough for white text (contrast ≥ 4.5:1).
pub const PALETTE: [&str; 8] = [
    "#1f5fa8", "#a3461c", "#2d6a2f", "#7a3f8f", "#8a5a00", "#0f6e6e", "#b0294f", "#4a4a8a",
];

/// Cohen's kappa for two coders' yes/no decisions on the same answers (`(first, second)`
/// per answer): their agreement beyond what chance would give. `None` when it is not
/// defined: no answer, or both coders gave one same answer to everything (chance alone
/// then explains the agreement).
pub fn cohen_kappa(decisions: &[(bool, bool)]) -> Option<f64> {
    let n = decisions.len() as f64;
    if decisions.is_empty() {
        return None;
    }
    let agreed = decisions.iter().filter(|(a, b)| a == b).count() as f64;
    let first_yes = decisions.iter().filter(|(a, _)| *a).count() as f64;
    let second_yes = decisions.iter().filter(|(_, b)| *b).count() as f64;
    let observed = agreed / n;
    let chance = (first_yes * second_yes + (n - first_yes) * (n - second_yes)) / (n * n);
    if (1.0 - chance).abs() < f64::EPSILON {
        return None;
    }
    Some((observed - chance) / (1.0 - chance))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The worked example of Cohen (1960)'s usual presentation: 50 answers; both say yes
    /// on 20, both no on 15, the first alone yes on 5, the second alone yes on 10.
    /// Observed agreement 0.7; chance 0.5·0.6 + 0.5·0.4 = 0.5; kappa (0.7−0.5)/0.5 = 0.4.
    #[test]
    fn kappa_on_a_hand_computed_example() {
        let mut decisions = Vec::new();
        decisions.extend(std::iter::repeat_n((true, true), 20));
        decisions.extend(std::iter::repeat_n((false, false), 15));
        decisions.extend(std::iter::repeat_n((true, false), 5));
        decisions.extend(std::iter::repeat_n((false, true), 10));
        let kappa = cohen_kappa(&decisions).unwrap();
        assert!((kappa - 0.4).abs() < 1e-9, "{kappa}");
    }

    #[test]
    fn kappa_is_one_when_coders_agree_and_undefined_without_variety() {
        let agree = [(true, true), (false, false), (true, true)];
        assert!((cohen_kappa(&agree).unwrap() - 1.0).abs() < 1e-9);
        let opposed = [(true, false), (false, true)];
        assert!((cohen_kappa(&opposed).unwrap() + 1.0).abs() < 1e-9);
        assert_eq!(cohen_kappa(&[]), None);
        assert_eq!(cohen_kappa(&[(true, true), (true, true)]), None);
    }

    #[test]
    fn a_theme_s_fields_are_checked_together() {
        let refused = ThemeFields::parse("", "", "rouge", None, "soins\u{7}").unwrap_err();
        let fields: Vec<&str> = refused.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["name", "colour", "keywords"]);
        let theme = ThemeFields::parse(
            " Accès aux soins ",
            "",
            "#1F5FA8",
            None,
            "urgences\n\n  \"soins à domicile\"  \n***\nhospit*",
        )
        .unwrap();
        assert_eq!(theme.name, "Accès aux soins");
        assert_eq!(theme.colour.as_str(), "#1f5fa8");
        assert_eq!(
            theme.keywords.as_str(),
            "urgences\n\"soins à domicile\"\nhospit*"
        );
        assert_eq!(
            theme.keywords.query().unwrap().tsquery(),
            "(urgences) | ((soins <-> à <-> domicile)) | (hospit:*)"
        );
        assert_eq!(KeywordRules::parse("").unwrap().query(), None);
        for colour in PALETTE {
            assert!(Colour::parse(colour).is_ok());
        }
    }
}
