//! Consultation rounds, their chapters and questions.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::FieldError;
pub use super::questions::*;

/// A round's public identifier in URLs: lower-case letters, digits and hyphens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slug(String);

impl Slug {
    pub const MAX_CHARS: usize = 80;

    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let ok_chars = raw
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        let ok_shape = !raw.starts_with('-') && !raw.ends_with('-') && !raw.contains("--");
        if raw.len() < 3 || raw.len() > Self::MAX_CHARS || !ok_chars || !ok_shape {
            return Err(FieldError::new(
                "slug",
                "invalid_slug",
                "L'identifiant doit faire de 3 à 80 caractères : lettres minuscules sans accent, chiffres et tirets simples.",
            ));
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RoundStatus {
    Draft,
    /// Derived, never stored: opened by a coordinator, `opens_at` still to come.
    Scheduled,
    Open,
    Closed,
    Archived,
}

impl RoundStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Scheduled => "scheduled",
            Self::Open => "open",
            Self::Closed => "closed",
            Self::Archived => "archived",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "draft" => Some(Self::Draft),
            "open" => Some(Self::Open),
            "closed" => Some(Self::Closed),
            "archived" => Some(Self::Archived),
            _ => None,
        }
    }
}

impl std::fmt::Display for RoundStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

string_enum!(
    /// A coordinator's step in a round's life.
    RoundAction {
        Open => "open",
        Close => "close",
        Archive => "archive",
    }
);

impl RoundAction {
    /// The steps a round in `status` may take next.
    pub fn available_from(status: RoundStatus) -> &'static [RoundAction] {
        match status {
            RoundStatus::Draft => &[RoundAction::Open],
            RoundStatus::Open | RoundStatus::Scheduled => &[RoundAction::Close],
            RoundStatus::Closed => &[RoundAction::Archive],
            RoundStatus::Archived => &[],
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    /// Every approved organisation may answer.
    AllApproved,
    /// Only the organisations the coordinator invited.
    Invited,
}

impl Audience {
    pub const ALL: [Audience; 2] = [Self::AllApproved, Self::Invited];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::AllApproved => "all_approved",
            Self::Invited => "invited",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "all_approved" => Some(Self::AllApproved),
            "invited" => Some(Self::Invited),
            _ => None,
        }
    }
}

/// A round's status at `now`, from what is stored of it: the deadline rule. An open
/// round is closed from its deadline on, and scheduled before its opening.
pub fn status_at(
    stored: RoundStatus,
    opens_at: Option<DateTime<Utc>>,
    closes_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> RoundStatus {
    match stored {
        RoundStatus::Open if now >= closes_at => RoundStatus::Closed,
        RoundStatus::Open if opens_at.is_some_and(|at| now < at) => RoundStatus::Scheduled,
        other => other,
    }
}

/// Whether a round takes answers at `now`. The one definition: the database's writes
/// ask it too (`store::write_rules`: registered as SQLite's `concerto_round_accepts`,
/// copied for PostgreSQL and held equal by a test).
pub fn accepts_answers(
    stored: RoundStatus,
    opens_at: Option<DateTime<Utc>>,
    closes_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> bool {
    status_at(stored, opens_at, closes_at, now) == RoundStatus::Open
}

#[derive(Debug, Clone)]
pub struct Round {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub opens_at: Option<DateTime<Utc>>,
    pub closes_at: DateTime<Utc>,
    pub audience: Audience,
    /// The status as last written; see [`Round::status_at`] for the one that counts.
    pub stored_status: RoundStatus,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Round {
    /// The status at `now`. Time wins over what was stored: an open round whose
    /// deadline has passed is closed even if no background job has run yet.
    pub fn status_at(&self, now: DateTime<Utc>) -> RoundStatus {
        status_at(self.stored_status, self.opens_at, self.closes_at, now)
    }

    /// Whether answers may be written at `now`.
    pub fn accepts_answers_at(&self, now: DateTime<Utc>) -> bool {
        accepts_answers(self.stored_status, self.opens_at, self.closes_at, now)
    }

    /// The structure (chapters, questions, codes, kinds, option keys) may change only
    /// while nobody could have answered: in a draft.
    pub fn structure_editable(&self) -> bool {
        self.stored_status == RoundStatus::Draft
    }

    /// Whether visitors may read it (drafts are for coordinators only).
    pub fn is_public(&self) -> bool {
        self.stored_status != RoundStatus::Draft
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Chapter {
    /// Short code such as `E1`.
    pub code: String,
    pub position: i32,
    pub title: String,
    pub description: String,
}

/// A chapter with its questions, in order.
#[derive(Debug, Clone)]
pub struct ChapterWithQuestions {
    pub chapter: Chapter,
    pub questions: Vec<Question>,
}

/// A round with everything a respondent reads.
#[derive(Debug, Clone)]
pub struct RoundDetail {
    pub round: Round,
    pub chapters: Vec<ChapterWithQuestions>,
}

/// A round to be stored, with its structure.
#[derive(Debug, Clone)]
pub struct NewRound {
    pub slug: Slug,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub opens_at: Option<DateTime<Utc>>,
    pub closes_at: DateTime<Utc>,
    pub audience: Audience,
    pub status: RoundStatus,
    pub chapters: Vec<ChapterWithQuestions>,
}

/// The years a round's dates may fall in. Clients may send any RFC 3339 date (chrono
/// reads years -262143 to 262142), and date arithmetic on such values overflows.
/// The texts of a round, its chapters and its questions.
pub mod texts {
    use crate::domain::{Lines, TextRule};

    pub const ROUND_TITLE: TextRule = TextRule::required(200, Lines::One);
    pub const ROUND_SUMMARY: TextRule = TextRule::optional(2000, Lines::Many);
    /// Markdown.
    pub const ROUND_BODY: TextRule = TextRule::optional(50_000, Lines::Many);
    pub const CHAPTER_TITLE: TextRule = TextRule::required(300, Lines::One);
    pub const CHAPTER_DESCRIPTION: TextRule = TextRule::optional(5000, Lines::Many);
    pub const QUESTION_PROMPT: TextRule = TextRule::required(2000, Lines::Many);
    pub const QUESTION_HELP: TextRule = TextRule::optional(5000, Lines::Many);
}

pub const DATE_YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

/// Refuses a date outside [`DATE_YEARS`].
pub fn check_date(field: &str, at: DateTime<Utc>) -> Result<(), FieldError> {
    use chrono::Datelike;
    if DATE_YEARS.contains(&at.year()) {
        Ok(())
    } else {
        Err(FieldError::new(
            field,
            "out_of_range",
            format!(
                "Date attendue entre l'an {} et l'an {}.",
                DATE_YEARS.start(),
                DATE_YEARS.end()
            ),
        ))
    }
}

/// `E1`, `ENJEU2`: an upper-case letter, then up to 15 upper-case letters or digits.
pub fn check_chapter_code(code: &str) -> Result<(), FieldError> {
    let mut chars = code.chars();
    let ok = chars.next().is_some_and(|c| c.is_ascii_uppercase())
        && code.len() <= 16
        && chars.all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
    if ok {
        Ok(())
    } else {
        Err(FieldError::new(
            "code",
            "invalid_code",
            "Code de chapitre attendu : une majuscule puis majuscules ou chiffres (exemple : E1).",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    fn choice(keys: &[&str], min: u32, max: u32) -> QuestionSpec {
        QuestionSpec::MultipleChoice {
            options: keys
                .iter()
                .map(|k| ChoiceOption::new(*k, format!("Option {k}")))
                .collect(),
            min_choices: min,
            max_choices: max,
        }
    }

    #[test]
    fn question_settings_are_checked() {
        assert!(choice(&["a", "b"], 1, 2).validate().is_empty());
        let codes = |spec: QuestionSpec| {
            spec.validate()
                .into_iter()
                .map(|e| e.code)
                .collect::<Vec<_>>()
        };
        assert_eq!(codes(choice(&["a"], 1, 1)), ["too_few_options"]);
        assert_eq!(codes(choice(&["a", "a"], 1, 2)), ["duplicate_key"]);
        assert_eq!(codes(choice(&["a", "b"], 0, 1)), ["invalid_bounds"]);
        assert_eq!(codes(choice(&["a", "b"], 2, 1)), ["invalid_bounds"]);
        assert_eq!(codes(choice(&["a", "b"], 1, 3)), ["invalid_bounds"]);
        let scale = |min, max| QuestionSpec::Scale {
            scale: ScaleSpec {
                min,
                max,
                min_label: String::new(),
                max_label: String::new(),
            },
        };
        assert!(scale(0, 10).validate().is_empty());
        assert_eq!(codes(scale(0, 11)), ["too_many_points"]);
        assert_eq!(codes(scale(3, 3)), ["invalid_bounds"]);
        assert_eq!(
            codes(QuestionSpec::ShortText { max_length: 0 }),
            ["out_of_range"]
        );
    }

    #[test]
    fn a_single_choice_needs_no_choice_bounds() {
        let spec: QuestionSpec = serde_json::from_value(serde_json::json!({
            "kind": "single_choice",
            "options": [{"key": "oui", "label": "Oui"}, {"key": "non", "label": "Non"}]
        }))
        .unwrap();
        assert!(spec.validate().is_empty(), "{:?}", spec.validate());
        assert!(matches!(
            spec,
            QuestionSpec::SingleChoice {
                min_choices: 1,
                max_choices: 1,
                ..
            }
        ));
    }

    #[test]
    fn scale_points_never_exceed_the_cap() {
        let scale = |min, max| ScaleSpec {
            min,
            max,
            min_label: String::new(),
            max_label: String::new(),
        };
        assert_eq!(scale(1, 5).points().collect::<Vec<_>>(), [1, 2, 3, 4, 5]);
        assert_eq!(
            scale(i32::MIN, i32::MAX).points().count(),
            ScaleSpec::MAX_POINTS
        );
        assert_eq!(scale(i32::MAX - 1, i32::MAX).points().count(), 2);
        assert_eq!(scale(5, 1).points().count(), 0);
        let wrapped = QuestionSpec::Scale {
            scale: scale(-2_000_000_000, 2_000_000_000),
        };
        assert!(!wrapped.validate().is_empty());
    }

    #[test]
    fn wording_fixes_keep_codes_kinds_and_keys() {
        let original = choice(&["a", "b"], 1, 2);
        let mut reworded = original.clone();
        if let QuestionSpec::MultipleChoice { options, .. } = &mut reworded {
            options[0].label = "Nouveau libellé".into();
        }
        assert!(original.is_wording_fix_of(&reworded));
        assert!(!original.is_wording_fix_of(&choice(&["a", "c"], 1, 2)));
        let mut made_exclusive = original.clone();
        if let QuestionSpec::MultipleChoice { options, .. } = &mut made_exclusive {
            options[1].exclusive = true;
        }
        assert!(
            !original.is_wording_fix_of(&made_exclusive),
            "exclusivity changes which answers are valid"
        );
        assert!(!original.is_wording_fix_of(&QuestionSpec::ShortText { max_length: 10 }));
    }

    #[test]
    fn codes() {
        assert!(
            check_chapter_code("E1").is_ok()
                && check_chapter_code("e1").is_err()
                && check_chapter_code("1E").is_err()
        );
        assert!(
            check_question_code("E1.Q3").is_ok()
                && check_question_code(".Q").is_err()
                && check_question_code("E1 Q3").is_err()
        );
    }

    #[test]
    fn slugs() {
        assert!(Slug::parse("ia-en-sante-2025").is_ok());
        for bad in ["IA", "ia en santé", "-ia", "ia--sante", "ab", "ia/../x"] {
            assert!(Slug::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn deadline_closes_an_open_round_without_any_job() {
        let now = Utc::now();
        let mut round = Round {
            id: 1,
            slug: "r".into(),
            title: "t".into(),
            summary: String::new(),
            body: String::new(),
            opens_at: None,
            closes_at: now + Duration::hours(1),
            audience: Audience::AllApproved,
            stored_status: RoundStatus::Open,
            created_at: now,
            updated_at: now,
        };
        assert_eq!(round.status_at(now), RoundStatus::Open);
        assert_eq!(
            round.status_at(now + Duration::hours(1)),
            RoundStatus::Closed
        );
        round.stored_status = RoundStatus::Draft;
        assert_eq!(
            round.status_at(now + Duration::hours(2)),
            RoundStatus::Draft
        );
    }

    #[test]
    fn an_exclusive_option_belongs_to_a_multiple_choice_beside_others() {
        let with = |spec: QuestionSpec, exclusive: &[usize]| match spec {
            QuestionSpec::MultipleChoice {
                mut options,
                min_choices,
                max_choices,
            } => {
                for i in exclusive {
                    options[*i].exclusive = true;
                }
                QuestionSpec::MultipleChoice {
                    options,
                    min_choices,
                    max_choices,
                }
            }
            other => other,
        };
        assert!(
            with(choice(&["a", "b", "aucun"], 1, 3), &[2])
                .validate()
                .is_empty()
        );
        let all = with(choice(&["nsp", "aucun"], 1, 2), &[0, 1]).validate();
        assert_eq!(all[0].code, "all_exclusive");
        assert_eq!(all[0].field, "options[0].exclusive");
        let mut options = vec![ChoiceOption::new("a", "A"), ChoiceOption::new("b", "B")];
        options[1].exclusive = true;
        let single = QuestionSpec::SingleChoice {
            options,
            min_choices: 1,
            max_choices: 1,
        };
        assert_eq!(single.validate()[0].code, "exclusive_single");
        // Stored and served without the flag when it is off, as before it existed.
        let json = serde_json::to_string(&choice(&["a", "b"], 1, 2)).unwrap();
        assert!(!json.contains("exclusive"), "{json}");
        let json = serde_json::to_string(&with(choice(&["a", "b"], 1, 2), &[1])).unwrap();
        assert!(json.contains("\"exclusive\":true"), "{json}");
    }

    #[test]
    fn question_settings_round_trip_as_json() {
        let spec = QuestionSpec::Scale {
            scale: ScaleSpec {
                min: 1,
                max: 5,
                min_label: "Pas du tout".into(),
                max_label: "Tout à fait".into(),
            },
        };
        let json = serde_json::to_string(&spec).unwrap();
        assert!(json.contains("\"kind\":\"scale\""), "{json}");
        assert_eq!(serde_json::from_str::<QuestionSpec>(&json).unwrap(), spec);
    }
}
