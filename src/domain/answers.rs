//! What an answer may hold, by question kind: text kinds a string,
//! `single_choice` an option key, `multiple_choice` an array of keys, `scale` an integer,
//! `proposals` an array of `{title, description}`. `null` (or an empty string or array)
//! clears the answer. [`check`] turns a client's JSON into an [`AnswerValue`]; from there
//! on, answers travel typed (the store keeps and reads back their JSON).

use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use super::FieldError;
use super::rounds::{ChoiceOption, QuestionSpec};

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
    /// Proposals, in the organisation's order.
    Proposals(Vec<Proposal>),
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

pub const PROPOSAL_TITLE_MAX: usize = 200;
pub const PROPOSAL_DESCRIPTION_MAX: usize = 5000;

/// A client's value quoted back in a message, cut short: errors must not grow with
/// the request.
fn echo(value: &str) -> String {
    const MAX: usize = 40;
    if value.chars().count() <= MAX {
        value.to_owned()
    } else {
        format!("{}…", value.chars().take(MAX).collect::<String>())
    }
}

/// Checks `value` against the question; returns what to store (`None`: cleared).
/// `field` names the value in errors (`value`, `answers.E1.Q3`).
pub fn check(
    spec: &QuestionSpec,
    value: &Value,
    field: &str,
) -> Result<Option<AnswerValue>, Vec<FieldError>> {
    let refuse = |code: &str, message: String| Err(vec![FieldError::new(field, code, message)]);
    if value.is_null() {
        return Ok(None);
    }
    match spec {
        QuestionSpec::ShortText { max_length } | QuestionSpec::LongText { max_length } => {
            let Some(text) = value.as_str() else {
                return refuse("not_text", "Un texte est attendu.".into());
            };
            // Characters, not bytes: "é" and "🙂" count for one.
            let length = text.chars().count();
            if length > *max_length as usize {
                return refuse(
                    "too_long",
                    format!("{max_length} caractères au plus ({length} saisis)."),
                );
            }
            Ok((!text.trim().is_empty()).then(|| AnswerValue::Text(text.to_owned())))
        }
        QuestionSpec::SingleChoice { options, .. } => {
            let Some(key) = value.as_str() else {
                return refuse("not_a_choice", "Une option est attendue.".into());
            };
            if key.is_empty() {
                return Ok(None);
            }
            if !options.iter().any(|o| o.key == key) {
                return refuse(
                    "unknown_option",
                    format!("Option inconnue : « {} ».", echo(key)),
                );
            }
            Ok(Some(AnswerValue::Text(key.to_owned())))
        }
        QuestionSpec::MultipleChoice {
            options,
            min_choices,
            max_choices,
        } => {
            let Some(items) = value.as_array() else {
                return refuse("not_a_list", "Une liste d'options est attendue.".into());
            };
            if items.is_empty() {
                return Ok(None);
            }
            // Looked at as a whole first: an array longer than the options cannot be
            // right, and one error per element would amplify the request.
            if items.len() > options.len() {
                return refuse(
                    "choice_count",
                    format!("Choisissez entre {min_choices} et {max_choices} options."),
                );
            }
            let mut seen = Vec::new();
            let mut errors = Vec::new();
            for (i, item) in items.iter().enumerate() {
                match item.as_str() {
                    Some(key) if !options.iter().any(|o| o.key == key) => {
                        errors.push(FieldError::new(
                            &format!("{field}[{i}]"),
                            "unknown_option",
                            format!("Option inconnue : « {} ».", echo(key)),
                        ))
                    }
                    Some(key) if seen.contains(&key) => errors.push(FieldError::new(
                        &format!("{field}[{i}]"),
                        "duplicate_option",
                        format!("Option « {} » choisie deux fois.", echo(key)),
                    )),
                    Some(key) => seen.push(key),
                    None => errors.push(FieldError::new(
                        &format!("{field}[{i}]"),
                        "not_a_choice",
                        "Une clé d'option est attendue.",
                    )),
                }
            }
            // An exclusive option ("none of these") is an answer on its own, whatever the
            // minimum; beside other choices it contradicts them.
            let exclusive = |key: &str| options.iter().any(|o| o.key == key && o.exclusive);
            let alone = seen.len() == 1 && exclusive(seen[0]);
            if errors.is_empty()
                && seen.len() > 1
                && let Some(key) = seen.iter().find(|k| exclusive(k))
            {
                let label = options.iter().find(|o| o.key == *key).map(|o| &o.label);
                errors.push(FieldError::new(
                    field,
                    "exclusive_option",
                    format!(
                        "« {} » se choisit seule : décochez-la ou décochez les autres options.",
                        echo(label.map_or(*key, String::as_str))
                    ),
                ));
            }
            if errors.is_empty()
                && !alone
                && (seen.len() < *min_choices as usize || seen.len() > *max_choices as usize)
            {
                errors.push(FieldError::new(
                    field,
                    "choice_count",
                    format!("Choisissez entre {min_choices} et {max_choices} options."),
                ));
            }
            if errors.is_empty() {
                Ok(Some(AnswerValue::Keys(
                    seen.into_iter().map(str::to_owned).collect(),
                )))
            } else {
                Err(errors)
            }
        }
        QuestionSpec::Scale { scale } => {
            // An integer, not 3.0 nor "3".
            let Some(n) = value.as_i64().filter(|_| value.is_i64() || value.is_u64()) else {
                return refuse("not_an_integer", "Un nombre entier est attendu.".into());
            };
            if n < scale.min as i64 || n > scale.max as i64 {
                return refuse(
                    "out_of_range",
                    format!("Valeur attendue entre {} et {}.", scale.min, scale.max),
                );
            }
            Ok(Some(AnswerValue::Number(n)))
        }
        QuestionSpec::Proposals { max_items } => {
            let Some(items) = value.as_array() else {
                return refuse(
                    "not_a_list",
                    "Une liste de propositions est attendue.".into(),
                );
            };
            if items.is_empty() {
                return Ok(None);
            }
            if items.len() > *max_items as usize {
                // Alone: the items of a list already too long are not looked at.
                return refuse("too_many", format!("{max_items} propositions au plus."));
            }
            let mut errors = Vec::new();
            let mut proposals = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                let at = |name: &str| format!("{field}[{i}].{name}");
                let Some(object) = item.as_object() else {
                    errors.push(FieldError::new(
                        &format!("{field}[{i}]"),
                        "not_a_proposal",
                        "Une proposition a un titre et une description.",
                    ));
                    continue;
                };
                if let Some(extra) = object.keys().find(|k| *k != "title" && *k != "description") {
                    errors.push(FieldError::new(
                        &at(&echo(extra)),
                        "unknown_field",
                        "Seuls « title » et « description » sont attendus.",
                    ));
                }
                // Kept only if the whole list passes: any error refuses every item.
                let (mut title, mut description) = (None, None);
                match object.get("title").and_then(Value::as_str) {
                    Some(t) if t.trim().is_empty() => errors.push(FieldError::new(
                        &at("title"),
                        "required",
                        "Chaque proposition a un titre.",
                    )),
                    Some(t) if t.chars().count() > PROPOSAL_TITLE_MAX => {
                        errors.push(FieldError::new(
                            &at("title"),
                            "too_long",
                            format!("{PROPOSAL_TITLE_MAX} caractères au plus."),
                        ))
                    }
                    Some(t) => title = Some(t),
                    None => errors.push(FieldError::new(
                        &at("title"),
                        "required",
                        "Chaque proposition a un titre.",
                    )),
                }
                match object.get("description") {
                    None | Some(Value::Null) => {}
                    Some(Value::String(d)) if d.chars().count() > PROPOSAL_DESCRIPTION_MAX => {
                        errors.push(FieldError::new(
                            &at("description"),
                            "too_long",
                            format!("{PROPOSAL_DESCRIPTION_MAX} caractères au plus."),
                        ))
                    }
                    Some(Value::String(d)) => description = Some(d.clone()),
                    Some(_) => errors.push(FieldError::new(
                        &at("description"),
                        "not_text",
                        "Un texte est attendu.",
                    )),
                }
                if let Some(title) = title {
                    proposals.push(Proposal {
                        title: title.to_owned(),
                        description,
                    });
                }
            }
            if errors.is_empty() {
                Ok(Some(AnswerValue::Proposals(proposals)))
            } else {
                Err(errors)
            }
        }
    }
}

/// An answer as people read it (receipts, exports): choices by label joined with " ; ",
/// proposals numbered, an empty string when unanswered.
pub fn as_text(spec: &QuestionSpec, value: Option<&AnswerValue>) -> String {
    let label = |options: &[ChoiceOption], key: &str| {
        options
            .iter()
            .find(|o| o.key == key)
            .map_or_else(|| key.to_owned(), |o| o.label.clone())
    };
    let Some(value) = value else {
        return String::new();
    };
    match (spec, value) {
        (QuestionSpec::SingleChoice { options, .. }, AnswerValue::Text(key)) => label(options, key),
        (QuestionSpec::MultipleChoice { options, .. }, AnswerValue::Keys(keys)) => keys
            .iter()
            .map(|k| label(options, k))
            .collect::<Vec<_>>()
            .join(" ; "),
        (_, AnswerValue::Proposals(items)) => items
            .iter()
            .enumerate()
            .map(|(i, p)| match p.description() {
                "" => format!("{}. {}", i + 1, p.title),
                d => format!("{}. {} — {d}", i + 1, p.title),
            })
            .collect::<Vec<_>>()
            .join("\n"),
        (_, AnswerValue::Text(text)) => text.clone(),
        (_, AnswerValue::Number(n)) => n.to_string(),
        (_, AnswerValue::Keys(keys)) => keys.join(" ; "),
    }
}

/// An answer as a person reads it on a page or in a receipt: as [`as_text`], but a
/// scale's end says what it means ("5 — Tout à fait"), as the editor showed it.
/// (Exports keep the bare number, which analyses compute with.)
pub fn for_reading(spec: &QuestionSpec, value: Option<&AnswerValue>) -> String {
    match (spec, value) {
        (QuestionSpec::Scale { scale }, Some(AnswerValue::Number(n))) => {
            match scale.end_label(*n) {
                Some(label) => format!("{n} — {label}"),
                None => n.to_string(),
            }
        }
        _ => as_text(spec, value),
    }
}

/// What a text or proposals answer contributes, for reading; None when it is empty or
/// the question is not one of words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Contribution<'a> {
    Text(&'a str),
    /// Each proposal, in the organisation's order.
    Proposals(&'a [Proposal]),
}

pub fn contribution<'a>(
    spec: &QuestionSpec,
    value: Option<&'a AnswerValue>,
) -> Option<Contribution<'a>> {
    match (spec, value?) {
        (QuestionSpec::Proposals { .. }, AnswerValue::Proposals(items)) if !items.is_empty() => {
            Some(Contribution::Proposals(items))
        }
        (QuestionSpec::ShortText { .. } | QuestionSpec::LongText { .. }, AnswerValue::Text(t))
            if !t.trim().is_empty() =>
        {
            Some(Contribution::Text(t))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::rounds::ScaleSpec;
    use serde_json::json;

    fn options() -> Vec<ChoiceOption> {
        ["a", "b", "c"]
            .iter()
            .map(|k| ChoiceOption::new(*k, k.to_uppercase()))
            .collect()
    }

    fn codes(result: Result<Option<AnswerValue>, Vec<FieldError>>) -> Vec<String> {
        result.unwrap_err().into_iter().map(|e| e.code).collect()
    }

    #[test]
    fn texts_count_characters() {
        let spec = QuestionSpec::ShortText { max_length: 5 };
        assert!(
            check(&spec, &json!("éàü🙂x"), "value").unwrap().is_some(),
            "5 characters, more bytes"
        );
        assert_eq!(codes(check(&spec, &json!("abcdef"), "value")), ["too_long"]);
        assert_eq!(codes(check(&spec, &json!(3), "value")), ["not_text"]);
        assert_eq!(
            check(&spec, &json!("  "), "value").unwrap(),
            None,
            "blank clears"
        );
        assert_eq!(check(&spec, &Value::Null, "value").unwrap(), None);
    }

    #[test]
    fn choices() {
        let single = QuestionSpec::SingleChoice {
            options: options(),
            min_choices: 1,
            max_choices: 1,
        };
        assert!(check(&single, &json!("b"), "v").is_ok());
        assert_eq!(codes(check(&single, &json!("z"), "v")), ["unknown_option"]);
        assert_eq!(codes(check(&single, &json!(["a"]), "v")), ["not_a_choice"]);
        let multiple = QuestionSpec::MultipleChoice {
            options: options(),
            min_choices: 1,
            max_choices: 2,
        };
        assert!(check(&multiple, &json!(["a", "c"]), "v").is_ok());
        assert_eq!(
            codes(check(&multiple, &json!(["a", "b", "c"]), "v")),
            ["choice_count"]
        );
        assert_eq!(
            codes(check(&multiple, &json!(["a", "a"]), "v")),
            ["duplicate_option"]
        );
        assert_eq!(
            codes(check(&multiple, &json!(["a", "z", 3]), "v")),
            ["unknown_option", "not_a_choice"]
        );
        assert_eq!(check(&multiple, &json!([]), "v").unwrap(), None);
    }

    #[test]
    fn a_scale_end_reads_with_its_label() {
        let spec = QuestionSpec::Scale {
            scale: ScaleSpec {
                min: 1,
                max: 5,
                min_label: "Pas du tout".into(),
                max_label: "Tout à fait".into(),
            },
        };
        let n = |n| Some(AnswerValue::Number(n));
        assert_eq!(for_reading(&spec, n(5).as_ref()), "5 — Tout à fait");
        assert_eq!(for_reading(&spec, n(1).as_ref()), "1 — Pas du tout");
        assert_eq!(for_reading(&spec, n(3).as_ref()), "3");
        assert_eq!(
            as_text(&spec, n(5).as_ref()),
            "5",
            "exports keep the number"
        );
        assert_eq!(for_reading(&spec, None), "");
    }

    #[test]
    fn an_exclusive_option_is_chosen_alone() {
        let mut options = options();
        options.push(ChoiceOption {
            exclusive: true,
            ..ChoiceOption::new("aucun", "Aucun de ces outils")
        });
        let multiple = QuestionSpec::MultipleChoice {
            options,
            min_choices: 2,
            max_choices: 3,
        };
        assert!(check(&multiple, &json!(["a", "b"]), "v").is_ok());
        assert!(
            check(&multiple, &json!(["aucun"]), "v").is_ok(),
            "alone, whatever the minimum"
        );
        let refused = check(&multiple, &json!(["a", "aucun"]), "v").unwrap_err();
        assert_eq!(refused.len(), 1, "one error, not a count error besides");
        assert_eq!(refused[0].code, "exclusive_option");
        assert!(refused[0].message.contains("Aucun de ces outils"));
        assert_eq!(
            codes(check(&multiple, &json!(["a"]), "v")),
            ["choice_count"]
        );
    }

    #[test]
    fn scales_take_integers_in_range() {
        let spec = QuestionSpec::Scale {
            scale: ScaleSpec {
                min: 1,
                max: 5,
                min_label: String::new(),
                max_label: String::new(),
            },
        };
        assert!(check(&spec, &json!(5), "v").is_ok());
        assert_eq!(codes(check(&spec, &json!(6), "v")), ["out_of_range"]);
        assert_eq!(codes(check(&spec, &json!(0), "v")), ["out_of_range"]);
        assert_eq!(codes(check(&spec, &json!(3.5), "v")), ["not_an_integer"]);
        assert_eq!(codes(check(&spec, &json!(3.0), "v")), ["not_an_integer"]);
        assert_eq!(codes(check(&spec, &json!("3"), "v")), ["not_an_integer"]);
    }

    #[test]
    fn answers_read_as_text() {
        let multiple = QuestionSpec::MultipleChoice {
            options: options(),
            min_choices: 1,
            max_choices: 3,
        };
        let keys = check(&multiple, &json!(["a", "c"]), "v").unwrap();
        assert_eq!(as_text(&multiple, keys.as_ref()), "A ; C");
        let proposals = QuestionSpec::Proposals { max_items: 3 };
        let given = check(
            &proposals,
            &json!([{"title": "Former"}, {"title": "Informer", "description": "Mieux"}]),
            "v",
        )
        .unwrap();
        assert_eq!(
            as_text(&proposals, given.as_ref()),
            "1. Former\n2. Informer — Mieux"
        );
        assert_eq!(as_text(&proposals, None), "");
    }

    /// What the store keeps reads back as the same answer, and is the JSON the client
    /// sent (less an absent description's `null`).
    #[test]
    fn checked_answers_keep_their_json() {
        let single = QuestionSpec::SingleChoice {
            options: options(),
            min_choices: 1,
            max_choices: 1,
        };
        let multiple = QuestionSpec::MultipleChoice {
            options: options(),
            min_choices: 1,
            max_choices: 3,
        };
        let scale = QuestionSpec::Scale {
            scale: ScaleSpec {
                min: -2,
                max: 2,
                min_label: String::new(),
                max_label: String::new(),
            },
        };
        let cases = [
            (
                QuestionSpec::LongText { max_length: 99 },
                json!("Un « texte »\n"),
            ),
            (single, json!("b")),
            (multiple, json!(["c", "a"])),
            (scale, json!(-2)),
            (
                QuestionSpec::Proposals { max_items: 3 },
                json!([{"title": "Former"}, {"title": "Informer", "description": "Mieux"}]),
            ),
        ];
        for (spec, sent) in cases {
            let checked = check(&spec, &sent, "v").unwrap().unwrap();
            let stored = checked.to_json();
            assert_eq!(serde_json::from_str::<Value>(&stored).unwrap(), sent);
            assert_eq!(AnswerValue::from_json(&stored), Some(checked));
        }
        let with_null = json!([{"title": "Former", "description": null}]);
        let checked = check(&QuestionSpec::Proposals { max_items: 3 }, &with_null, "v");
        assert_eq!(
            checked.unwrap().unwrap().to_json(),
            r#"[{"title":"Former"}]"#
        );
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

    #[test]
    fn proposals() {
        let spec = QuestionSpec::Proposals { max_items: 2 };
        assert!(
            check(
                &spec,
                &json!([{"title": "Former", "description": "Des soignants"}]),
                "v"
            )
            .is_ok()
        );
        assert_eq!(
            codes(check(
                &spec,
                &json!([{"title": "a"}, {"title": "b"}, {"title": "c"}]),
                "v"
            )),
            ["too_many"]
        );
        let bad = check(&spec, &json!([{"title": " ", "extra": 1}, "texte"]), "v").unwrap_err();
        let fields: Vec<&str> = bad.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["v[0].extra", "v[0].title", "v[1]"]);
        assert_eq!(
            codes(check(&spec, &json!([{"title": "x".repeat(201)}]), "v")),
            ["too_long"]
        );
    }
}
