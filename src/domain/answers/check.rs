//! Whether a client's JSON is an acceptable answer to its question, and the
//! `AnswerValue` it makes.

use serde_json::Value;

use super::{AnswerValue, Proposal};
use crate::domain::FieldError;
use crate::domain::rounds::QuestionSpec;

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

/// Every line end as one `\n`. Browsers post a text area's lines ended by CRLF but show,
/// count (`maxlength`) and select them as one character: stored this way, a text is the
/// one people see, and a passage chosen in it (the coding view counts characters in the
/// text area) falls where they chose it.
fn one_line_end(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains('\r') {
        std::borrow::Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        std::borrow::Cow::Borrowed(text)
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
    let documents = matches!(spec, QuestionSpec::Documents { .. });
    if value.is_null() && !documents {
        return Ok(None);
    }
    match spec {
        // Its answer follows the files attached, even cleared: written otherwise, it
        // would say something else than the files do.
        QuestionSpec::Documents { .. } => refuse(
            "documents_by_upload",
            "Les documents se joignent en envoyant les fichiers (pièces jointes de la réponse), pas comme une valeur.".into(),
        ),
        QuestionSpec::ShortText { max_length } | QuestionSpec::LongText { max_length } => {
            let Some(text) = value.as_str() else {
                return refuse("not_text", "Un texte est attendu.".into());
            };
            let text = one_line_end(text);
            // Characters, not bytes: "é" and "🙂" count for one.
            let length = text.chars().count();
            if length > *max_length as usize {
                return refuse(
                    "too_long",
                    format!("{max_length} caractères au plus ({length} saisis)."),
                );
            }
            Ok((!text.trim().is_empty()).then(|| AnswerValue::Text(text.into_owned())))
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
                    Some(Value::String(d)) => {
                        let d = one_line_end(d);
                        if d.chars().count() > PROPOSAL_DESCRIPTION_MAX {
                            errors.push(FieldError::new(
                                &at("description"),
                                "too_long",
                                format!("{PROPOSAL_DESCRIPTION_MAX} caractères au plus."),
                            ))
                        } else {
                            description = Some(d.into_owned());
                        }
                    }
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

#[cfg(test)]
mod tests {
    use super::super::tests::options;
    use super::*;
    use crate::domain::rounds::{ChoiceOption, ScaleSpec};
    use serde_json::json;

    fn codes(result: Result<Option<AnswerValue>, Vec<FieldError>>) -> Vec<String> {
        result.unwrap_err().into_iter().map(|e| e.code).collect()
    }

    /// What a browser posts from a text area (CRLF) is stored as it showed it: the line
    /// end counts for one, as in its `maxlength`.
    #[test]
    fn line_ends_are_one_character() {
        let spec = QuestionSpec::LongText { max_length: 5 };
        assert_eq!(
            check(&spec, &json!("a\r\nb\rc"), "value").unwrap(),
            Some(AnswerValue::Text("a\nb\nc".into()))
        );
        assert!(
            check(&spec, &json!("ab\r\ncd"), "value").is_ok(),
            "5 characters as shown"
        );
        assert_eq!(
            check(&spec, &json!("a\nb"), "value").unwrap(),
            Some(AnswerValue::Text("a\nb".into()))
        );
        let proposals = QuestionSpec::Proposals { max_items: 2 };
        let sent = json!([{"title": "Former", "description": "un\r\ndeux"}]);
        let Some(AnswerValue::Proposals(read)) = check(&proposals, &sent, "value").unwrap() else {
            panic!("proposals expected");
        };
        assert_eq!(read[0].description.as_deref(), Some("un\ndeux"));
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
