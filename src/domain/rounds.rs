//! Consultation rounds, their chapters and questions.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::FieldError;

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
    Open,
    Closed,
    Archived,
}

impl RoundStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    /// Every approved organisation may answer.
    AllApproved,
    /// Only the organisations the coordinator invited.
    Invited,
}

impl Audience {
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
        match self.stored_status {
            RoundStatus::Open if now >= self.closes_at => RoundStatus::Closed,
            other => other,
        }
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

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ChoiceOption {
    /// Stable key stored in answers.
    pub key: String,
    /// Text shown to respondents and used in exports.
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ScaleSpec {
    pub min: i32,
    pub max: i32,
    pub min_label: String,
    pub max_label: String,
}

/// What a question asks for, with its kind-specific settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum QuestionSpec {
    ShortText {
        max_length: u32,
    },
    LongText {
        max_length: u32,
    },
    SingleChoice {
        options: Vec<ChoiceOption>,
        min_choices: u32,
        max_choices: u32,
    },
    MultipleChoice {
        options: Vec<ChoiceOption>,
        min_choices: u32,
        max_choices: u32,
    },
    Scale {
        scale: ScaleSpec,
    },
    Proposals {
        max_items: u32,
    },
}

impl QuestionSpec {
    pub fn kind(&self) -> &'static str {
        match self {
            Self::ShortText { .. } => "short_text",
            Self::LongText { .. } => "long_text",
            Self::SingleChoice { .. } => "single_choice",
            Self::MultipleChoice { .. } => "multiple_choice",
            Self::Scale { .. } => "scale",
            Self::Proposals { .. } => "proposals",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    /// Code unique in the round, such as `E1.Q3`.
    pub code: String,
    pub position: i32,
    pub prompt: String,
    pub help: String,
    pub required: bool,
    pub spec: QuestionSpec,
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

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

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
