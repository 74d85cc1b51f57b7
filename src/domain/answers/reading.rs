//! Answers as people read them: receipts, pages, exports, and what a text answer
//! contributes to the document.

use super::{AnswerValue, Proposal};
use crate::domain::rounds::{ChoiceOption, QuestionSpec};

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
        (_, AnswerValue::Documents(files)) => files
            .iter()
            .map(|f| format!("{} ({})", f.title, f.file_name))
            .collect::<Vec<_>>()
            .join(" ; "),
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
    use super::super::check;
    use super::super::tests::options;
    use super::*;
    use crate::domain::rounds::ScaleSpec;
    use serde_json::json;

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
}
