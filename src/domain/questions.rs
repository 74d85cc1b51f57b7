//! Questions: their kinds and settings (`QuestionSpec`), options and scales, codes, and
//! the rules their settings follow.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::FieldError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ChoiceOption {
    /// Stable key stored in answers.
    pub key: String,
    /// Text shown to respondents and used in exports.
    pub label: String,
    /// Multiple choice only: chosen alone or not at all ("Aucun de ces outils").
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub exclusive: bool,
}

impl ChoiceOption {
    pub fn new(key: impl Into<String>, label: impl Into<String>) -> Self {
        Self {
            key: key.into(),
            label: label.into(),
            exclusive: false,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ScaleSpec {
    #[schema(minimum = -1000, maximum = 1000)]
    pub min: i32,
    #[schema(minimum = -1000, maximum = 1000)]
    pub max: i32,
    #[serde(default)]
    #[schema(max_length = 200)]
    pub min_label: String,
    #[serde(default)]
    #[schema(max_length = 200)]
    pub max_label: String,
}

impl ScaleSpec {
    /// Most points a scale may have (0 to 10).
    pub const MAX_POINTS: usize = 11;
    /// Bounds a scale's ends must lie within.
    pub const LIMIT: i32 = 1000;

    /// How many points the scale has, never more than [`Self::MAX_POINTS`]: the ends come
    /// from clients, and a stored scale sizes pages and statistics (widened, so no
    /// subtraction can wrap).
    pub fn point_count(&self) -> usize {
        let span = i64::from(self.max) - i64::from(self.min) + 1;
        usize::try_from(span.clamp(0, Self::MAX_POINTS as i64)).unwrap_or(0)
    }

    /// What point `n` means, when it is an end with a label ("Tout à fait"): the one
    /// rule the editor, the review, receipts, statistics and the builder show it by.
    pub fn end_label(&self, n: i64) -> Option<&str> {
        let label = if n == i64::from(self.min) {
            &self.min_label
        } else if n == i64::from(self.max) {
            &self.max_label
        } else {
            return None;
        };
        Some(label.as_str()).filter(|l| !l.is_empty())
    }

    /// The scale's points in order, at most [`Self::MAX_POINTS`] of them.
    pub fn points(&self) -> impl Iterator<Item = i32> + '_ {
        (0..self.point_count()).filter_map(|i| i32::try_from(i64::from(self.min) + i as i64).ok())
    }
}

/// What a question asks for, with its kind-specific settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum QuestionSpec {
    ShortText {
        #[schema(minimum = 1, maximum = 100000)]
        max_length: u32,
    },
    LongText {
        #[schema(minimum = 1, maximum = 100000)]
        max_length: u32,
    },
    SingleChoice {
        #[schema(min_items = 2, max_items = 100)]
        options: Vec<ChoiceOption>,
        /// Always 1 for a single choice (may be left out).
        #[serde(default = "one")]
        #[schema(minimum = 1, maximum = 1, default = 1)]
        min_choices: u32,
        /// Always 1 for a single choice (may be left out).
        #[serde(default = "one")]
        #[schema(minimum = 1, maximum = 1, default = 1)]
        max_choices: u32,
    },
    MultipleChoice {
        #[schema(min_items = 2, max_items = 100)]
        options: Vec<ChoiceOption>,
        #[schema(minimum = 1, maximum = 100)]
        min_choices: u32,
        #[schema(minimum = 1, maximum = 100)]
        max_choices: u32,
    },
    Scale {
        scale: ScaleSpec,
    },
    Proposals {
        #[schema(minimum = 1, maximum = 50)]
        max_items: u32,
    },
    /// Files the organisation attaches (PDF, ODT, DOCX, XLSX, ODS, PNG, JPEG), sent
    /// through the response's `attachments`; the answer lists them.
    Documents {
        #[schema(minimum = 1, maximum = 20)]
        max_files: u32,
    },
}

fn one() -> u32 {
    1
}

impl QuestionSpec {
    /// Whether answers are words (texts, proposals) rather than choices or numbers.
    pub fn is_textual(&self) -> bool {
        matches!(
            self,
            Self::ShortText { .. } | Self::LongText { .. } | Self::Proposals { .. }
        )
    }

    /// Whether answers are files, attached through the response's documents.
    pub fn is_documents(&self) -> bool {
        matches!(self, Self::Documents { .. })
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Self::ShortText { .. } => "short_text",
            Self::LongText { .. } => "long_text",
            Self::SingleChoice { .. } => "single_choice",
            Self::MultipleChoice { .. } => "multiple_choice",
            Self::Scale { .. } => "scale",
            Self::Proposals { .. } => "proposals",
            Self::Documents { .. } => "documents",
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

/// `E1.Q3`: letters, digits, dots, hyphens and underscores, 1 to 32 of them.
pub fn check_question_code(code: &str) -> Result<(), FieldError> {
    let ok = !code.is_empty()
        && code.len() <= 32
        && code
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric())
        && code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
    if ok {
        Ok(())
    } else {
        Err(FieldError::new(
            "code",
            "invalid_code",
            "Code de question attendu : lettres, chiffres, points ou tirets (exemple : E1.Q3).",
        ))
    }
}

/// Most characters a text answer may be given.
pub const MAX_TEXT_LENGTH: u32 = 100_000;
/// Most options a choice question may offer.
pub const MAX_OPTIONS: usize = 100;
/// Most proposals a proposals question may take.
pub const MAX_PROPOSALS: u32 = 50;
/// Most files a documents question may take.
pub const MAX_DOCUMENTS: u32 = 20;
/// Most characters of an option's or a scale end's label.
pub const MAX_LABEL_CHARS: usize = 200;

impl QuestionSpec {
    /// The settings' own rules; every problem is reported, each on its field.
    pub fn validate(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        let mut refuse = |field: &str, code: &str, message: String| {
            errors.push(FieldError::new(field, code, message))
        };
        match self {
            Self::ShortText { max_length } | Self::LongText { max_length } => {
                if *max_length == 0 || *max_length > MAX_TEXT_LENGTH {
                    refuse(
                        "max_length",
                        "out_of_range",
                        format!(
                            "La longueur maximale doit être comprise entre 1 et {MAX_TEXT_LENGTH} caractères."
                        ),
                    );
                }
            }
            Self::SingleChoice {
                options,
                min_choices,
                max_choices,
            }
            | Self::MultipleChoice {
                options,
                min_choices,
                max_choices,
            } => {
                if options.len() < 2 {
                    refuse(
                        "options",
                        "too_few_options",
                        "Une question à choix demande au moins deux options.".into(),
                    );
                } else if options.len() > MAX_OPTIONS {
                    // Refused before looking at each one: one error, not one per option.
                    refuse(
                        "options",
                        "too_many_options",
                        format!("Une question à choix propose {MAX_OPTIONS} options au plus."),
                    );
                    return errors;
                }
                let mut keys = std::collections::HashSet::new();
                for (i, option) in options.iter().enumerate() {
                    if check_question_code(&option.key).is_err() {
                        refuse(&format!("options[{i}].key"), "invalid_key", "Clé d'option attendue : lettres, chiffres, points, tirets ou soulignés.".into());
                    } else if !keys.insert(option.key.as_str()) {
                        refuse(
                            &format!("options[{i}].key"),
                            "duplicate_key",
                            format!(
                                "La clé « {} » est déjà utilisée par une autre option.",
                                option.key
                            ),
                        );
                    }
                    if option.label.trim().is_empty() {
                        refuse(
                            &format!("options[{i}].label"),
                            "required",
                            "Chaque option a besoin d'un libellé.".into(),
                        );
                    } else if option.label.chars().count() > MAX_LABEL_CHARS {
                        refuse(
                            &format!("options[{i}].label"),
                            "too_long",
                            format!("{MAX_LABEL_CHARS} caractères au plus."),
                        );
                    }
                }
                let single = matches!(self, Self::SingleChoice { .. });
                if let Some(i) = options.iter().position(|o| o.exclusive) {
                    if single {
                        refuse(
                            &format!("options[{i}].exclusive"),
                            "exclusive_single",
                            "Une option exclusive n'a de sens que dans une question à choix multiples.".into(),
                        );
                    } else if options.iter().all(|o| o.exclusive) {
                        refuse(
                            &format!("options[{i}].exclusive"),
                            "all_exclusive",
                            "Au moins une option doit pouvoir être cochée avec d'autres.".into(),
                        );
                    }
                }
                if *min_choices < 1
                    || min_choices > max_choices
                    || u64::from(*max_choices) > options.len().max(1) as u64
                {
                    refuse(
                        "min_choices",
                        "invalid_bounds",
                        "Il faut 1 ≤ choix minimum ≤ choix maximum ≤ nombre d'options.".into(),
                    );
                } else if single && *max_choices != 1 {
                    refuse(
                        "max_choices",
                        "invalid_bounds",
                        "Une question à choix unique n'accepte qu'un choix.".into(),
                    );
                }
            }
            Self::Scale { scale } => {
                let limit = ScaleSpec::LIMIT;
                for (field, end) in [("scale.min", scale.min), ("scale.max", scale.max)] {
                    if !(-limit..=limit).contains(&end) {
                        refuse(
                            field,
                            "out_of_range",
                            format!(
                                "Les bornes d'une échelle sont comprises entre -{limit} et {limit}."
                            ),
                        );
                    }
                }
                // Widened: the ends come from clients, and i32 subtraction can wrap.
                let span = i64::from(scale.max) - i64::from(scale.min);
                if span <= 0 {
                    refuse(
                        "scale.max",
                        "invalid_bounds",
                        "Le maximum de l'échelle doit dépasser son minimum.".into(),
                    );
                } else if span >= ScaleSpec::MAX_POINTS as i64 {
                    refuse(
                        "scale.max",
                        "too_many_points",
                        format!(
                            "Une échelle compte au plus {} points.",
                            ScaleSpec::MAX_POINTS
                        ),
                    );
                }
                for (field, label) in [
                    ("scale.min_label", &scale.min_label),
                    ("scale.max_label", &scale.max_label),
                ] {
                    if label.chars().count() > MAX_LABEL_CHARS {
                        refuse(
                            field,
                            "too_long",
                            format!("{MAX_LABEL_CHARS} caractères au plus."),
                        );
                    }
                }
            }
            Self::Documents { max_files } => {
                if *max_files == 0 || *max_files > MAX_DOCUMENTS {
                    refuse(
                        "max_files",
                        "out_of_range",
                        format!(
                            "Le nombre de documents doit être compris entre 1 et {MAX_DOCUMENTS}."
                        ),
                    );
                }
            }
            Self::Proposals { max_items } => {
                if *max_items == 0 || *max_items > MAX_PROPOSALS {
                    refuse(
                        "max_items",
                        "out_of_range",
                        format!(
                            "Le nombre de propositions doit être compris entre 1 et {MAX_PROPOSALS}."
                        ),
                    );
                }
            }
        }
        errors
    }

    /// Whether `new` only rewords `self`: same kind, same option keys in the same order.
    pub fn is_wording_fix_of(&self, new: &QuestionSpec) -> bool {
        match (self, new) {
            (
                Self::SingleChoice {
                    options: a,
                    min_choices: m1,
                    max_choices: x1,
                },
                Self::SingleChoice {
                    options: b,
                    min_choices: m2,
                    max_choices: x2,
                },
            )
            | (
                Self::MultipleChoice {
                    options: a,
                    min_choices: m1,
                    max_choices: x1,
                },
                Self::MultipleChoice {
                    options: b,
                    min_choices: m2,
                    max_choices: x2,
                },
            ) => {
                m1 == m2
                    && x1 == x2
                    && a.len() == b.len()
                    // Exclusivity decides which answers are valid: not a matter of wording.
                    && a.iter()
                        .zip(b)
                        .all(|(x, y)| x.key == y.key && x.exclusive == y.exclusive)
            }
            (Self::Scale { scale: a }, Self::Scale { scale: b }) => {
                a.min == b.min && a.max == b.max
            }
            (a, b) => a == b,
        }
    }
}
