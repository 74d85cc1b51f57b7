//! What an answer may hold, by question kind: text kinds a string,
//! `single_choice` an option key, `multiple_choice` an array of keys, `scale` an integer,
//! `proposals` an array of `{title, description}`. `null` (or an empty string or array)
//! clears the answer.

use serde_json::Value;

use super::FieldError;
use super::rounds::QuestionSpec;

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
) -> Result<Option<Value>, Vec<FieldError>> {
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
            Ok((!text.trim().is_empty()).then(|| value.clone()))
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
            Ok(Some(value.clone()))
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
                Ok(Some(value.clone()))
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
            Ok(Some(value.clone()))
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
                    Some(_) => {}
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
                    Some(Value::String(_)) => {}
                    Some(_) => errors.push(FieldError::new(
                        &at("description"),
                        "not_text",
                        "Un texte est attendu.",
                    )),
                }
            }
            if errors.is_empty() {
                Ok(Some(value.clone()))
            } else {
                Err(errors)
            }
        }
    }
}

/// An answer as people read it (receipts, exports): choices by label joined with " ; ",
/// proposals numbered, an empty string when unanswered.
pub fn as_text(spec: &QuestionSpec, value: &Value) -> String {
    let label = |options: &[super::rounds::ChoiceOption], key: &str| {
        options
            .iter()
            .find(|o| o.key == key)
            .map(|o| o.label.clone())
            .unwrap_or_else(|| key.to_owned())
    };
    match (spec, value) {
        (_, Value::Null) => String::new(),
        (QuestionSpec::SingleChoice { options, .. }, Value::String(key)) => label(options, key),
        (QuestionSpec::MultipleChoice { options, .. }, Value::Array(keys)) => keys
            .iter()
            .filter_map(Value::as_str)
            .map(|k| label(options, k))
            .collect::<Vec<_>>()
            .join(" ; "),
        (QuestionSpec::Proposals { .. }, Value::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let title = p.get("title").and_then(Value::as_str).unwrap_or_default();
                match p
                    .get("description")
                    .and_then(Value::as_str)
                    .filter(|d| !d.is_empty())
                {
                    Some(d) => format!("{}. {title} — {d}", i + 1),
                    None => format!("{}. {title}", i + 1),
                }
            })
            .collect::<Vec<_>>()
            .join("\n"),
        (_, Value::String(text)) => text.clone(),
        (_, other) => other.to_string(),
    }
}

/// An answer as a person reads it on a page or in a receipt: as [`as_text`], but a
/// scale's end says what it means ("5 — Tout à fait"), as the editor showed it.
/// (Exports keep the bare number, which analyses compute with.)
pub fn for_reading(spec: &QuestionSpec, value: &Value) -> String {
    match (spec, value.as_i64()) {
        (QuestionSpec::Scale { scale }, Some(n)) => match scale.end_label(n) {
            Some(label) => format!("{n} — {label}"),
            None => n.to_string(),
        },
        _ => as_text(spec, value),
    }
}

/// What a text or proposals answer contributes, for reading; None when it is empty or
/// the question is not one of words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Contribution {
    Text(String),
    /// (title, description) of each proposal, in the organisation's order.
    Proposals(Vec<(String, String)>),
}

pub fn contribution(spec: &QuestionSpec, value: &Value) -> Option<Contribution> {
    match (spec, value) {
        (QuestionSpec::Proposals { .. }, Value::Array(items)) if !items.is_empty() => {
            let field = |p: &Value, name: &str| {
                p.get(name)
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned()
            };
            Some(Contribution::Proposals(
                items
                    .iter()
                    .map(|p| (field(p, "title"), field(p, "description")))
                    .collect(),
            ))
        }
        (QuestionSpec::ShortText { .. } | QuestionSpec::LongText { .. }, Value::String(t))
            if !t.trim().is_empty() =>
        {
            Some(Contribution::Text(t.clone()))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::rounds::{ChoiceOption, ScaleSpec};
    use serde_json::json;

    fn options() -> Vec<ChoiceOption> {
        ["a", "b", "c"]
            .iter()
            .map(|k| ChoiceOption::new(*k, k.to_uppercase()))
            .collect()
    }

    fn codes(result: Result<Option<Value>, Vec<FieldError>>) -> Vec<String> {
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
        assert_eq!(for_reading(&spec, &json!(5)), "5 — Tout à fait");
        assert_eq!(for_reading(&spec, &json!(1)), "1 — Pas du tout");
        assert_eq!(for_reading(&spec, &json!(3)), "3");
        assert_eq!(as_text(&spec, &json!(5)), "5", "exports keep the number");
        assert_eq!(for_reading(&spec, &Value::Null), "");
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
        assert_eq!(as_text(&multiple, &json!(["a", "c"])), "A ; C");
        let proposals = QuestionSpec::Proposals { max_items: 3 };
        assert_eq!(
            as_text(
                &proposals,
                &json!([{"title": "Former"}, {"title": "Informer", "description": "Mieux"}])
            ),
            "1. Former\n2. Informer — Mieux"
        );
        assert_eq!(as_text(&proposals, &Value::Null), "");
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
