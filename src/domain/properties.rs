//! Property tests of the validators, on generated inputs: no panic on anything, and each
//! accepts exactly what its rule says. (Compiled for tests only.)

use proptest::prelude::*;
use serde_json::{Value, json};

use super::answers::{AnswerValue, check};
use super::organisations::LegalId;
use super::rounds::{ChoiceOption, QuestionSpec, ScaleSpec, check_date};
use crate::services::exports::neutralise;

fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| json!(f)),
        ".{0,40}".prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 40, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::from),
            prop::collection::hash_map(".{0,12}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn any_spec() -> impl Strategy<Value = QuestionSpec> {
    let options =
        prop::collection::vec(("[a-z]{1,4}", ".{0,10}", any::<bool>()), 0..6).prop_map(|o| {
            o.into_iter()
                .map(|(key, label, exclusive)| ChoiceOption {
                    exclusive,
                    ..ChoiceOption::new(key, label)
                })
                .collect::<Vec<_>>()
        });
    prop_oneof![
        any::<u32>().prop_map(|max_length| QuestionSpec::ShortText { max_length }),
        any::<u32>().prop_map(|max_length| QuestionSpec::LongText { max_length }),
        (options.clone(), any::<u32>(), any::<u32>()).prop_map(
            |(options, min_choices, max_choices)| {
                QuestionSpec::MultipleChoice {
                    options,
                    min_choices,
                    max_choices,
                }
            }
        ),
        (options, any::<u32>(), any::<u32>()).prop_map(|(options, min_choices, max_choices)| {
            QuestionSpec::SingleChoice {
                options,
                min_choices,
                max_choices,
            }
        }),
        (any::<i32>(), any::<i32>()).prop_map(|(min, max)| QuestionSpec::Scale {
            scale: ScaleSpec {
                min,
                max,
                min_label: String::new(),
                max_label: String::new()
            }
        }),
        any::<u32>().prop_map(|max_items| QuestionSpec::Proposals { max_items }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn answers_never_panic(spec in any_spec(), value in any_json()) {
        let _ = spec.validate();
        // What is accepted reads back from the store as the same answer.
        if let Ok(Some(accepted)) = check(&spec, &value, "value") {
            prop_assert_eq!(AnswerValue::from_json(&accepted.to_json()), Some(accepted));
        }
    }

    #[test]
    fn a_text_answer_is_accepted_exactly_within_its_length(max in 1u32..50, text in ".{0,80}") {
        let spec = QuestionSpec::LongText { max_length: max };
        let accepted = check(&spec, &json!(text), "value").is_ok();
        prop_assert_eq!(accepted, text.chars().count() <= max as usize);
    }

    #[test]
    fn a_scale_answer_is_accepted_exactly_within_its_ends(min in -20i32..0, span in 1i32..11, n in -40i64..40) {
        let spec = QuestionSpec::Scale {
            scale: ScaleSpec { min, max: min + span, min_label: String::new(), max_label: String::new() },
        };
        let accepted = check(&spec, &json!(n), "value").is_ok();
        prop_assert_eq!(accepted, i64::from(min) <= n && n <= i64::from(min + span));
    }

    #[test]
    fn a_multiple_choice_is_accepted_exactly_as_the_rule_says(
        exclusive in prop::collection::vec(any::<bool>(), 4),
        (min, max) in (1u32..5, 1u32..5),
        picks in prop::collection::vec(0usize..5, 0..6),
    ) {
        // Keys a, b, c, d; "e" is unknown.
        let keys = ["a", "b", "c", "d", "e"];
        let options = keys[..4]
            .iter()
            .zip(&exclusive)
            .map(|(k, x)| ChoiceOption { exclusive: *x, ..ChoiceOption::new(*k, k.to_uppercase()) })
            .collect();
        let spec = QuestionSpec::MultipleChoice { options, min_choices: min, max_choices: max };
        let chosen: Vec<&str> = picks.iter().map(|i| keys[*i]).collect();
        let known = chosen.iter().all(|k| *k != "e");
        let distinct = chosen.iter().enumerate().all(|(i, k)| !chosen[..i].contains(k));
        let is_exclusive = |k: &&str| keys[..4].iter().position(|x| x == k).is_some_and(|i| exclusive[i]);
        let n = chosen.len() as u32;
        let rule = chosen.is_empty()
            || chosen.len() <= 4 && known && distinct
                && if chosen.iter().any(is_exclusive) { n == 1 } else { min <= n && n <= max };
        let result = check(&spec, &json!(chosen), "value");
        prop_assert_eq!(result.is_ok(), rule, "{:?} -> {:?}", chosen, result);
    }

    #[test]
    fn a_scale_spec_is_valid_exactly_as_the_rule_says(
        (min, max) in prop_oneof![
            (any::<i32>(), any::<i32>()),
            // Around the rule's edges: the bounds' limits and the eleven points.
            (-1010i32..1010, -3i32..14).prop_map(|(min, span)| (min, min.saturating_add(span))),
        ]
    ) {
        let spec = QuestionSpec::Scale {
            scale: ScaleSpec { min, max, min_label: String::new(), max_label: String::new() },
        };
        let (a, b) = (i64::from(min), i64::from(max));
        let rule = (-1000..=1000).contains(&a) && (-1000..=1000).contains(&b) && a < b && b - a <= 10;
        prop_assert_eq!(spec.validate().is_empty(), rule);
    }

    #[test]
    fn legal_ids_never_panic_and_rna_numbers_pass(raw in ".{0,20}", digits in "[0-9]{9}") {
        let _ = LegalId::parse(&raw);
        let rna = format!("W{}", digits);
        let too_long = format!("{}0", rna);
        prop_assert!(LegalId::parse(&rna).is_ok());
        prop_assert!(LegalId::parse(&too_long).is_err());
    }

    #[test]
    fn dates_are_accepted_exactly_within_the_window(year in -5000i32..5000, day in 1u32..28) {
        use chrono::TimeZone;
        if let chrono::LocalResult::Single(at) = chrono::Utc.with_ymd_and_hms(year, 1, day, 12, 0, 0) {
            prop_assert_eq!(check_date("closes_at", at).is_ok(), (2000..=2100).contains(&year));
        }
    }

    #[test]
    fn markdown_never_panics_nor_lets_a_script_through(text in ".{0,200}") {
        let html = super::markdown::to_safe_html(&format!("{}<script>alert(1)</script>", text));
        prop_assert!(!html.to_lowercase().contains("<script"));
    }

    #[test]
    fn a_neutralised_cell_never_starts_as_a_formula(cell in "[ \u{a0}\u{3000}\t=+@＝＋－＠a-z0-9-]{0,8}") {
        let out = neutralise(&cell);
        let first = out.trim_start().chars().next();
        let formula = matches!(first, Some('=' | '+' | '-' | '@' | '＝' | '＋' | '－' | '＠'))
            || out.starts_with(['\t', '\r', '\n']);
        prop_assert!(!formula || out.starts_with('\''), "{:?} -> {:?}", cell, out);
    }
}
