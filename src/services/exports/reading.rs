//! What the coordinators' reading adds to the raw exports: the themes of each answer
//! and the campaign it belongs to, loaded once per export (a few entries per tagged
//! answer, whatever the round's size).

use std::collections::HashMap;

use crate::error::AppError;
use crate::store::{self, DbConnection, themes::ThemeRow};

/// An answer's marks.
#[derive(Debug, Default)]
pub struct Marks {
    /// Indexes into `Reading::themes`, in the codebook's order.
    pub themes: Vec<usize>,
    pub campaign: Option<String>,
}

pub struct Reading {
    /// The round's codebook, in the order the themes were made.
    pub themes: Vec<ThemeRow>,
    marks: HashMap<i64, HashMap<String, Marks>>,
}

impl Reading {
    pub fn load(conn: &mut DbConnection, round_id: i64) -> Result<Self, AppError> {
        let themes = store::themes::list(conn, round_id)?;
        let index: HashMap<i64, usize> =
            themes.iter().enumerate().map(|(i, t)| (t.id, i)).collect();
        let mut marks: HashMap<i64, HashMap<String, Marks>> = HashMap::new();
        for (response, question, theme) in store::exports::themes_of_answers(conn, round_id)? {
            if let Some(i) = index.get(&theme) {
                let entry = marks
                    .entry(response)
                    .or_default()
                    .entry(question)
                    .or_default();
                entry.themes.push(*i);
            }
        }
        for (response, question, campaign) in store::exports::campaigns_of_answers(conn, round_id)?
        {
            marks
                .entry(response)
                .or_default()
                .entry(question)
                .or_default()
                .campaign = Some(campaign);
        }
        for entry in marks.values_mut().flat_map(HashMap::values_mut) {
            entry.themes.sort_unstable();
        }
        Ok(Self { themes, marks })
    }

    /// The marks of a response's answer to question `code`, if any.
    pub fn of(&self, response: i64, code: &str) -> Option<&Marks> {
        self.marks.get(&response)?.get(code)
    }

    /// The names of an answer's themes, joined for one cell.
    pub fn theme_names(&self, marks: Option<&Marks>) -> String {
        self.names(marks).join(" ; ")
    }

    /// The names of an answer's themes, in the codebook's order.
    pub fn names(&self, marks: Option<&Marks>) -> Vec<&str> {
        marks.map_or_else(Vec::new, |m| {
            m.themes
                .iter()
                .map(|i| self.themes[*i].name.as_str())
                .collect()
        })
    }

    /// Per theme, how many of a response's answers carry it; and its campaigns, joined.
    pub fn of_response(&self, response: i64) -> (Vec<usize>, String) {
        let mut counts = vec![0; self.themes.len()];
        let mut campaigns: Vec<&str> = Vec::new();
        for marks in self
            .marks
            .get(&response)
            .into_iter()
            .flat_map(HashMap::values)
        {
            for i in &marks.themes {
                counts[*i] += 1;
            }
            if let Some(c) = marks.campaign.as_deref().filter(|c| !campaigns.contains(c)) {
                campaigns.push(c);
            }
        }
        campaigns.sort_unstable();
        (counts, campaigns.join(" ; "))
    }
}
