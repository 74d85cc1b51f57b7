//! What an answer may hold, by question kind: text kinds a string,
//! `single_choice` an option key, `multiple_choice` an array of keys, `scale` an integer,
//! `proposals` an array of `{title, description}`, `documents` the files attached (through
//! the attachments, never written as an answer). `null` (or an empty string or array)
//! clears the answer. [`check`] turns a client's JSON into an [`AnswerValue`]; from there
//! on, answers travel typed (the store keeps and reads back their JSON).

use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

mod check;
mod reading;

pub use self::check::*;
pub use self::reading::*;

/// A checked answer, by the shape its question's kind gives it. Its JSON is the plain
/// value (a string, an integer, an array of option keys, an array of proposals): what the
/// API returns and the store keeps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum AnswerValue {
    /// A text (short or long), or the key of a single choice's option.
    Text(String),
    /// A point of a scale.
    Number(i64),
    /// A multiple choice's option keys, in the order chosen.
    Keys(Vec<String>),
    /// A documents question's files, as attached (before `Proposals`: an untagged
    /// proposal lacks their `id` and `sha256`, so never reads as one of them).
    Documents(Vec<AttachedFile>),
    /// Proposals, in the organisation's order.
    Proposals(Vec<Proposal>),
}

/// A file attached to a documents question, as its answer lists it (written by the
/// attachments' use cases only, never by a client).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AttachedFile {
    /// The download's unguessable name (`GET /api/v1/attachments/{id}`).
    pub id: String,
    pub title: String,
    pub file_name: String,
    pub media_type: String,
    pub size: i64,
    pub sha256: String,
}

/// One concrete proposal of an organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Proposal {
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

impl Proposal {
    /// The description, empty when none was given.
    pub fn description(&self) -> &str {
        self.description.as_deref().unwrap_or_default()
    }
}

impl AnswerValue {
    /// The text of a text answer (short or long, or a single choice's key); `None` for
    /// the others.
    pub fn text(&self) -> Option<&str> {
        match self {
            Self::Text(text) => Some(text),
            _ => None,
        }
    }

    /// The JSON the store keeps.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("an answer is plain JSON")
    }

    /// The JSON a client sends for it.
    pub fn to_value(&self) -> Value {
        serde_json::to_value(self).expect("an answer is plain JSON")
    }

    /// An answer read back from the JSON the store keeps; `None` when it is not one.
    pub fn from_json(stored: &str) -> Option<Self> {
        serde_json::from_str(stored).ok()
    }
}

/// Optimistic versions, so that two colleagues never overwrite each other silently: an
/// answer's first version is `FIRST_VERSION`; a write names the version its writer saw
/// (`NONE_SEEN` when there was no answer yet) and lands only if that is still the current
/// one ([`version_after`]).
pub const NONE_SEEN: i32 = 0;
pub const FIRST_VERSION: i32 = 1;

/// The version a write from version `seen` makes of an answer whose version is `current`
/// (`None`: no answer yet), or `None` when it does not land: someone wrote since.
/// (The statements that write answers check it in SQL: `store::write_rules`, held to this
/// definition by `tests/api/write_rules.rs`.)
pub fn version_after(current: Option<i32>, seen: i32) -> Option<i32> {
    match current {
        None => (seen == NONE_SEEN).then_some(FIRST_VERSION),
        Some(current) => (current == seen).then_some(current + 1),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::domain::rounds::ChoiceOption;

    /// Options a, b, c (labels A, B, C), for the tests of checks and readings.
    pub(crate) fn options() -> Vec<ChoiceOption> {
        ["a", "b", "c"]
            .iter()
            .map(|k| ChoiceOption::new(*k, k.to_uppercase()))
            .collect()
    }

    #[test]
    fn a_write_lands_only_on_the_version_it_saw() {
        assert_eq!(version_after(None, NONE_SEEN), Some(FIRST_VERSION));
        assert_eq!(version_after(None, 1), None, "seen an answer since deleted");
        assert_eq!(version_after(Some(3), 3), Some(4));
        assert_eq!(
            version_after(Some(3), 2),
            None,
            "a colleague wrote version 3"
        );
        assert_eq!(
            version_after(Some(1), NONE_SEEN),
            None,
            "a colleague answered first"
        );
    }
}
