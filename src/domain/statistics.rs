//! Per-question statistics for exports and results, accumulated answer by answer so they
//! cost memory per question, never per response.

use serde_json::{Value, json};

use super::answers::AnswerValue;
use super::rounds::QuestionSpec;

#[derive(Debug, Clone, PartialEq)]
pub struct QuestionStats {
    /// Responses that answered this question.
    pub respondents: u64,
    /// Per option (choices) or per scale point from `min` (scales); empty for texts.
    pub counts: Vec<u64>,
}

impl QuestionStats {
    pub fn new(spec: &QuestionSpec) -> Self {
        let slots = match spec {
            QuestionSpec::SingleChoice { options, .. }
            | QuestionSpec::MultipleChoice { options, .. } => options.len(),
            QuestionSpec::Scale { scale } => scale.point_count(),
            _ => 0,
        };
        Self {
            respondents: 0,
            counts: vec![0; slots],
        }
    }

    pub fn add(&mut self, spec: &QuestionSpec, value: &AnswerValue) {
        self.add_times(spec, value, 1);
    }

    /// Counts `value` as given by `times` respondents (the database may count for us).
    pub fn add_times(&mut self, spec: &QuestionSpec, value: &AnswerValue, times: u64) {
        if matches!(value, AnswerValue::Keys(k) if k.is_empty())
            || matches!(value, AnswerValue::Proposals(p) if p.is_empty())
        {
            return;
        }
        self.respondents += times;
        let mut count_key = |options: &[super::rounds::ChoiceOption], key: &str| {
            if let Some(i) = options.iter().position(|o| o.key == key) {
                self.counts[i] += times;
            }
        };
        match (spec, value) {
            (QuestionSpec::SingleChoice { options, .. }, AnswerValue::Text(key)) => {
                count_key(options, key)
            }
            (QuestionSpec::MultipleChoice { options, .. }, AnswerValue::Keys(keys)) => {
                keys.iter().for_each(|k| count_key(options, k))
            }
            (QuestionSpec::Scale { scale }, AnswerValue::Number(n)) => {
                let slot = usize::try_from(n - i64::from(scale.min))
                    .ok()
                    .and_then(|i| self.counts.get_mut(i));
                if let Some(slot) = slot {
                    *slot += times;
                }
            }
            _ => {}
        }
    }

    /// Share of the question's respondents (so, for a multiple choice, shares may add up
    /// to more than 1).
    pub fn share(&self, count: u64) -> f64 {
        if self.respondents == 0 {
            0.0
        } else {
            count as f64 / self.respondents as f64
        }
    }

    /// One bar per option (choices) or per scale point (scales), in order; none for texts.
    pub fn bars(&self, spec: &QuestionSpec) -> Vec<Bar> {
        let labels: Vec<(String, String)> = match spec {
            QuestionSpec::SingleChoice { options, .. }
            | QuestionSpec::MultipleChoice { options, .. } => options
                .iter()
                .map(|o| (o.key.clone(), o.label.clone()))
                .collect(),
            QuestionSpec::Scale { scale } => scale
                .points()
                .map(|v| {
                    let label = match scale.end_label(v.into()) {
                        Some(end) => format!("{v} ({end})"),
                        None => v.to_string(),
                    };
                    (v.to_string(), label)
                })
                .collect(),
            _ => Vec::new(),
        };
        labels
            .into_iter()
            .zip(&self.counts)
            .map(|((key, label), count)| Bar {
                key,
                label,
                count: *count,
                share: self.share(*count),
            })
            .collect()
    }

    /// Mean of a scale's answers.
    pub fn mean(&self, spec: &QuestionSpec) -> Option<f64> {
        let QuestionSpec::Scale { scale } = spec else {
            return None;
        };
        let n: u64 = self.counts.iter().sum();
        let total: f64 = self
            .counts
            .iter()
            .enumerate()
            .map(|(i, c)| (f64::from(scale.min) + i as f64) * *c as f64)
            .sum();
        (n > 0).then(|| total / n as f64)
    }

    /// Middle value of a scale's answers (mean of the two middle ones for an even count).
    pub fn median(&self, spec: &QuestionSpec) -> Option<f64> {
        let QuestionSpec::Scale { scale } = spec else {
            return None;
        };
        let n: u64 = self.counts.iter().sum();
        if n == 0 {
            return None;
        }
        let nth = |rank: u64| {
            let mut seen = 0;
            for (i, c) in self.counts.iter().enumerate() {
                seen += c;
                if seen >= rank {
                    return f64::from(scale.min) + i as f64;
                }
            }
            f64::from(scale.min)
        };
        Some(if n % 2 == 1 {
            nth(n / 2 + 1)
        } else {
            (nth(n / 2) + nth(n / 2 + 1)) / 2.0
        })
    }

    /// The statistics as exported in JSON.
    pub fn to_json(&self, spec: &QuestionSpec) -> Value {
        match spec {
            QuestionSpec::SingleChoice { options, .. }
            | QuestionSpec::MultipleChoice { options, .. } => json!({
                "respondents": self.respondents,
                "options": options.iter().zip(&self.counts).map(|(o, c)| json!({"key": o.key, "label": o.label, "count": c, "share": self.share(*c)})).collect::<Vec<_>>(),
            }),
            QuestionSpec::Scale { scale } => json!({
                "respondents": self.respondents,
                "mean": self.mean(spec),
                "median": self.median(spec),
                "distribution": self.counts.iter().enumerate().map(|(i, c)| json!({"value": i64::from(scale.min) + i as i64, "count": c, "share": self.share(*c)})).collect::<Vec<_>>(),
            }),
            _ => json!({ "respondents": self.respondents }),
        }
    }
}

/// One option or scale point with how many chose it.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub key: String,
    pub label: String,
    pub count: u64,
    pub share: f64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::rounds::{ChoiceOption, ScaleSpec};

    #[test]
    fn hand_computed_statistics() {
        let scale = QuestionSpec::Scale {
            scale: ScaleSpec {
                min: 1,
                max: 5,
                min_label: String::new(),
                max_label: String::new(),
            },
        };
        let mut stats = QuestionStats::new(&scale);
        for n in [1, 2, 2, 5] {
            stats.add(&scale, &AnswerValue::Number(n));
        }
        let out = stats.to_json(&scale);
        assert_eq!(out["respondents"], 4);
        assert_eq!(out["mean"], 2.5);
        assert_eq!(out["median"], 2.0);
        assert_eq!(
            out["distribution"][1],
            json!({"value": 2, "count": 2, "share": 0.5})
        );
        stats.add(&scale, &AnswerValue::Number(4));
        assert_eq!(stats.to_json(&scale)["median"], 2.0);

        let options = ["a", "b", "c"]
            .map(|k| ChoiceOption::new(k, k.to_uppercase()))
            .to_vec();
        let multiple = QuestionSpec::MultipleChoice {
            options,
            min_choices: 1,
            max_choices: 2,
        };
        let mut stats = QuestionStats::new(&multiple);
        for keys in [&["a", "b"][..], &["a"], &[]] {
            let keys = keys.iter().map(|k| k.to_string()).collect();
            stats.add(&multiple, &AnswerValue::Keys(keys));
        }
        let out = stats.to_json(&multiple);
        assert_eq!(out["respondents"], 2);
        assert_eq!(
            out["options"][0],
            json!({"key": "a", "label": "A", "count": 2, "share": 1.0})
        );
        assert_eq!(out["options"][1]["share"], 0.5);
        assert_eq!(out["options"][2]["count"], 0);
    }
}
