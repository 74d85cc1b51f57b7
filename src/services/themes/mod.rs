//! Coding a round's answers, for coordinators with the second factor: the codebook
//! (themes), tags on whole answers or passages, suggestions from each theme's keyword
//! rules (a person confirms or dismisses each: nothing is tagged by itself), counts per
//! theme and the agreement of coders. Every change is audited.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::json;

use crate::domain::themes::{PALETTE, ThemeFields, cohen_kappa};
use crate::error::AppError;
use crate::services::accounts::Origin;
use crate::services::authority::SecuredCoordinator;
use crate::services::round_work;
use crate::state::AppState;
use crate::store::{self, DbConnection};

mod coding;
mod suggestions;
mod tags;

pub use coding::{Coding, coding};
pub use store::themes::{TagFilter, ThemeRow};
pub use suggestions::{MAX_SUGGESTIONS, dismiss, suggestions};
pub(crate) use tags::answer_and_passage;
pub use tags::{MAX_TAGS, NewTag, TagState, TagView, tag, tags, untag};

/// A theme as a coordinator sends it; a missing colour takes the palette's next.
#[derive(Debug, Clone, Default)]
pub struct ThemeInput {
    pub name: String,
    pub description: String,
    pub colour: Option<String>,
    pub parent: Option<i64>,
    pub keywords: String,
}

fn theme_of(conn: &mut DbConnection, round: i64, id: i64) -> Result<ThemeRow, AppError> {
    store::themes::find(conn, round, id)?.ok_or(AppError::NotFound)
}

/// The fields checked against the round's other themes: a name once, a parent of the
/// round that is not the theme itself nor one of its descendants.
fn checked(
    conn: &mut DbConnection,
    round: i64,
    editing: Option<i64>,
    input: ThemeInput,
) -> Result<ThemeFields, AppError> {
    let existing = store::themes::list(conn, round)?;
    let colour = input
        .colour
        .unwrap_or_else(|| PALETTE[existing.len() % PALETTE.len()].to_owned());
    let fields = ThemeFields::parse(
        &input.name,
        &input.description,
        &colour,
        input.parent,
        &input.keywords,
    )
    .map_err(AppError::Validation)?;
    if store::themes::name_taken(conn, round, &fields.name, editing)? {
        return Err(AppError::clash(
            "name",
            "taken",
            "un thème de cette consultation porte déjà ce nom",
        ));
    }
    if let Some(parent) = fields.parent {
        let parents: HashMap<i64, Option<i64>> =
            existing.iter().map(|t| (t.id, t.parent_id)).collect();
        let mut step = Some(parent);
        let mut seen = 0;
        while let Some(at) = step {
            if Some(at) == editing || seen > existing.len() {
                return Err(AppError::clash(
                    "parent",
                    "cycle",
                    "un thème ne peut pas être rangé sous lui-même ni sous l'un de ses sous-thèmes",
                ));
            }
            step = *parents.get(&at).ok_or_else(|| {
                AppError::clash(
                    "parent",
                    "not_found",
                    "thème parent inconnu dans cette consultation",
                )
            })?;
            seen += 1;
        }
    }
    Ok(fields)
}

pub async fn create(
    state: &AppState,
    coordinator: &SecuredCoordinator,
    slug: String,
    input: ThemeInput,
    origin: Origin,
) -> Result<ThemeRow, AppError> {
    round_work::change(
        state,
        coordinator,
        slug,
        origin,
        "theme_created",
        move |conn, at| {
            let fields = checked(conn, at.round, None, input)?;
            let id = store::themes::insert(conn, at.round, &fields, at.actor, at.now)?;
            let theme = theme_of(conn, at.round, id)?;
            Ok((theme, json!({"theme": id, "name": fields.name})))
        },
    )
    .await
}

/// Replaces a theme's fields (its colour kept when none is given).
pub async fn update(
    state: &AppState,
    coordinator: &SecuredCoordinator,
    slug: String,
    id: i64,
    input: ThemeInput,
    origin: Origin,
) -> Result<ThemeRow, AppError> {
    round_work::change(
        state,
        coordinator,
        slug,
        origin,
        "theme_updated",
        move |conn, at| {
            let before = theme_of(conn, at.round, id)?;
            let input = ThemeInput {
                colour: input.colour.or(Some(before.colour)),
                ..input
            };
            let fields = checked(conn, at.round, Some(id), input)?;
            store::themes::update(conn, id, &fields)?;
            let theme = theme_of(conn, at.round, id)?;
            Ok((theme, json!({"theme": id, "name": fields.name})))
        },
    )
    .await
}

/// Deletes a theme and its tags (its sub-themes stay, without a parent).
pub async fn delete(
    state: &AppState,
    coordinator: &SecuredCoordinator,
    slug: String,
    id: i64,
    origin: Origin,
) -> Result<(), AppError> {
    round_work::change(
        state,
        coordinator,
        slug,
        origin,
        "theme_deleted",
        move |conn, at| {
            let theme = theme_of(conn, at.round, id)?;
            store::themes::delete(conn, id)?;
            Ok(((), json!({"theme": id, "name": theme.name})))
        },
    )
    .await
}

/// Two coders' agreement on a theme, over the answers both coded (tagged with any theme).
#[derive(Debug, Clone)]
pub struct Agreement {
    pub first: (i64, String),
    pub second: (i64, String),
    pub answers: usize,
    /// `None` when not defined (both gave one same decision to every answer).
    pub kappa: Option<f64>,
}

/// One theme with its counts.
#[derive(Debug, Clone)]
pub struct ThemeSummary {
    pub theme: ThemeRow,
    /// Answers tagged with it, by anyone.
    pub answers: i64,
    pub by_chapter: Vec<(String, i64)>,
    pub by_question: Vec<(String, i64)>,
    pub by_kind: Vec<(String, i64)>,
    pub agreement: Vec<Agreement>,
}

/// The codebook alone, in the order the themes were made.
pub async fn codebook(
    state: &AppState,
    _: &SecuredCoordinator,
    slug: String,
) -> Result<Vec<ThemeRow>, AppError> {
    round_work::read(state, slug, |conn, round| {
        Ok(store::themes::list(conn, round)?)
    })
    .await
}

/// The codebook with its counts, in the order the themes were made.
pub async fn overview(
    state: &AppState,
    _: &SecuredCoordinator,
    slug: String,
) -> Result<Vec<ThemeSummary>, AppError> {
    round_work::read(state, slug, |conn, round| {
        let themes = store::themes::list(conn, round)?;
        let cells = store::themes::cells(conn, round)?;
        let codings = store::themes::codings(conn, round)?;
        Ok(summarise(themes, &cells, &codings))
    })
    .await
}

fn summarise(
    themes: Vec<ThemeRow>,
    cells: &[store::themes::Cell],
    codings: &[store::themes::Coding],
) -> Vec<ThemeSummary> {
    let agreements = agreements(codings);
    themes
        .into_iter()
        .map(|theme| {
            let mut by_chapter = BTreeMap::new();
            let mut by_question = BTreeMap::new();
            let mut by_kind = BTreeMap::new();
            let mut answers = 0;
            for cell in cells.iter().filter(|c| c.theme_id == theme.id) {
                *by_chapter.entry(cell.chapter.clone()).or_insert(0) += cell.answers;
                *by_question.entry(cell.question.clone()).or_insert(0) += cell.answers;
                *by_kind.entry(cell.kind.clone()).or_insert(0) += cell.answers;
                answers += cell.answers;
            }
            ThemeSummary {
                agreement: agreements.get(&theme.id).cloned().unwrap_or_default(),
                theme,
                answers,
                by_chapter: by_chapter.into_iter().collect(),
                by_question: by_question.into_iter().collect(),
                by_kind: by_kind.into_iter().collect(),
            }
        })
        .collect()
}

/// Per theme, each pair of coders' kappa on the answers both coded.
fn agreements(codings: &[store::themes::Coding]) -> HashMap<i64, Vec<Agreement>> {
    let mut coded: BTreeMap<(i64, String), BTreeSet<i64>> = BTreeMap::new();
    let mut tagged: HashMap<(i64, i64, i64), ()> = HashMap::new();
    let mut themes = BTreeSet::new();
    for c in codings {
        coded
            .entry((c.coder_id, c.coder.clone()))
            .or_default()
            .insert(c.answer_id);
        tagged.insert((c.theme_id, c.answer_id, c.coder_id), ());
        themes.insert(c.theme_id);
    }
    let coders: Vec<_> = coded.iter().collect();
    let mut found: HashMap<i64, Vec<Agreement>> = HashMap::new();
    for (i, (first, first_answers)) in coders.iter().enumerate() {
        for (second, second_answers) in &coders[i + 1..] {
            let both: Vec<i64> = first_answers
                .intersection(second_answers)
                .copied()
                .collect();
            if both.is_empty() {
                continue;
            }
            for &theme in &themes {
                let decisions: Vec<(bool, bool)> = both
                    .iter()
                    .map(|answer| {
                        (
                            tagged.contains_key(&(theme, *answer, first.0)),
                            tagged.contains_key(&(theme, *answer, second.0)),
                        )
                    })
                    .collect();
                found.entry(theme).or_default().push(Agreement {
                    first: (*first).clone(),
                    second: (*second).clone(),
                    answers: both.len(),
                    kappa: cohen_kappa(&decisions),
                });
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use store::themes::Coding;

    fn coding(theme: i64, answer: i64, coder: i64) -> Coding {
        Coding {
            theme_id: theme,
            answer_id: answer,
            coder_id: coder,
            coder: format!("codeur {coder}"),
        }
    }

    /// Coder 1 coded answers 1–4, coder 2 answers 2–5: both coded 2, 3 and 4. On theme
    /// 10, coder 1 says yes to 2 and 3, coder 2 to 2 only: agreement 2/3, chance
    /// (2·1 + 1·2)/9 = 4/9, kappa (2/3 − 4/9)/(5/9) = 0.4.
    #[test]
    fn agreement_is_computed_on_the_answers_both_coded() {
        let codings = [
            coding(10, 1, 1),
            coding(10, 2, 1),
            coding(10, 3, 1),
            coding(11, 4, 1),
            coding(10, 2, 2),
            coding(11, 3, 2),
            coding(11, 4, 2),
            coding(11, 5, 2),
        ];
        let found = agreements(&codings);
        let on_ten = &found[&10][0];
        assert_eq!(on_ten.answers, 3);
        assert_eq!((on_ten.first.0, on_ten.second.0), (1, 2));
        assert!((on_ten.kappa.unwrap() - 0.4).abs() < 1e-9, "{on_ten:?}");
        // Theme 11: coder 1 yes on 4; coder 2 yes on 3 and 4: agreement 2/3, chance
        // (1·2 + 2·1)/9 = 4/9, kappa 0.4 again.
        assert!((found[&11][0].kappa.unwrap() - 0.4).abs() < 1e-9);
    }
}
