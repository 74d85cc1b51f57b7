//! Organised campaigns and copied texts, for coordinators with the second factor: the
//! round's long answers grouped when near-identical (`domain::similarity`), at a
//! threshold the coordinator chooses, and groups marked as campaigns (audited).
//!
//! Incremental: an answer's signature is computed once per version, when the groups
//! are next asked for (the answers written since are found by their version), so each
//! request reads signatures, not texts; only the grouping, in memory, is redone.

use std::collections::{BTreeSet, HashMap};

use base64::Engine;
use base64::engine::general_purpose::STANDARD_NO_PAD as B64;
use serde_json::json;

use crate::domain::answers::AnswerValue;
use crate::domain::responses::ResponseStatus;
use crate::domain::similarity::{LOWEST_THRESHOLD, Signature, groups};
use crate::domain::themes::texts::CAMPAIGN_NAME;
use crate::error::AppError;
use crate::services::accounts::Origin;
use crate::services::authority::SecuredCoordinator;
use crate::services::round_work;
use crate::state::AppState;
use crate::store::{self, DbConnection};

pub use store::campaigns::Member;

/// Answers whose signature is computed per write transaction.
const BATCH: usize = 500;

/// Computes the signatures of the round's long answers written since they were last
/// computed. Returns how many were computed.
pub fn refresh(conn: &mut DbConnection, round: i64) -> Result<usize, AppError> {
    let outdated = store::campaigns::outdated(conn, round)?;
    for chunk in outdated.chunks(BATCH) {
        let values = store::campaigns::values(conn, chunk)?;
        let rows: Vec<(i64, i32, Option<String>)> = values
            .into_iter()
            .map(|(id, version, value)| {
                let signature = value
                    .as_ref()
                    .and_then(AnswerValue::text)
                    .and_then(Signature::of);
                (id, version, signature.map(|s| B64.encode(s.to_bytes())))
            })
            .collect();
        store::write_transaction(conn, |conn| store::campaigns::save(conn, &rows))?;
    }
    Ok(outdated.len())
}

/// The first `chars` characters of a member's text, with an ellipsis when cut.
pub fn beginning(member: &Member, chars: usize) -> String {
    let text = member
        .value
        .as_ref()
        .and_then(AnswerValue::text)
        .unwrap_or("");
    match text.char_indices().nth(chars) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_owned(),
    }
}

/// A group of near-identical answers.
#[derive(Debug)]
pub struct Group {
    pub members: Vec<Member>,
    /// The campaign its members were marked as, if all of them were marked together.
    pub campaign: Option<(i64, String)>,
}

#[derive(Debug)]
pub struct Found {
    pub groups: Vec<Group>,
    /// Answers compared (long enough, of the responses included).
    pub compared: usize,
    /// Signatures computed for this request (answers written since the last one).
    pub computed: usize,
}

fn check_threshold(threshold: f64) -> Result<(), AppError> {
    if (LOWEST_THRESHOLD..=1.0).contains(&threshold) {
        Ok(())
    } else {
        Err(AppError::invalid(
            "threshold",
            "out_of_range",
            format!("seuil de similarité attendu entre {LOWEST_THRESHOLD} et 1"),
        ))
    }
}

/// The groups of near-identical long answers of round `slug` at `threshold` (0.5 to
/// 1), largest first; submitted responses only unless `drafts`.
pub async fn duplicates(
    state: &AppState,
    _: &SecuredCoordinator,
    slug: String,
    threshold: f64,
    drafts: bool,
) -> Result<Found, AppError> {
    check_threshold(threshold)?;
    round_work::read(state, slug, move |conn, round| {
        let computed = refresh(conn, round)?;
        let submitted = ResponseStatus::Submitted.as_str();
        let mut ids = Vec::new();
        let mut signatures = Vec::new();
        for (answer, encoded, status) in store::campaigns::signatures(conn, round)? {
            if !drafts && status != submitted {
                continue;
            }
            let decoded = B64.decode(encoded).ok();
            if let Some(signature) = decoded.as_deref().and_then(Signature::from_bytes) {
                ids.push(answer);
                signatures.push(signature);
            }
        }
        let found = groups(&signatures, threshold);
        drop(signatures);
        let grouped: Vec<i64> = found.iter().flatten().map(|i| ids[*i]).collect();
        let mut members: HashMap<i64, Member> = HashMap::new();
        for chunk in grouped.chunks(1000) {
            for member in store::campaigns::members(conn, chunk)? {
                members.insert(member.answer_id, member);
            }
        }
        let campaigns = store::campaigns::of_answers(conn, round)?;
        let groups = found
            .into_iter()
            .map(|group| {
                let answers: Vec<i64> = group.iter().map(|i| ids[*i]).collect();
                let marked: BTreeSet<Option<&(i64, String)>> =
                    answers.iter().map(|a| campaigns.get(a)).collect();
                let campaign = match marked.into_iter().collect::<Vec<_>>().as_slice() {
                    [Some(one)] => Some((*one).clone()),
                    _ => None,
                };
                Group {
                    members: answers.iter().filter_map(|a| members.remove(a)).collect(),
                    campaign,
                }
            })
            .collect();
        Ok(Found {
            groups,
            compared: ids.len(),
            computed,
        })
    })
    .await
}

/// Most answers one campaign holds.
pub const MAX_CAMPAIGN: usize = 100_000;

/// Marks `answers` (long answers of the round, none in a campaign yet) as the campaign
/// `name`. Returns its id.
pub async fn mark(
    state: &AppState,
    coordinator: &SecuredCoordinator,
    slug: String,
    name: String,
    answers: Vec<i64>,
    origin: Origin,
) -> Result<i64, AppError> {
    if let Some(refused) = CAMPAIGN_NAME.check("name", &name) {
        return Err(AppError::Validation(vec![refused]));
    }
    if !(2..=MAX_CAMPAIGN).contains(&answers.len()) {
        return Err(AppError::invalid(
            "answers",
            "out_of_range",
            format!("une campagne réunit de 2 à {MAX_CAMPAIGN} réponses"),
        ));
    }
    let answers: Vec<i64> = answers
        .into_iter()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    if answers.len() < 2 {
        return Err(AppError::clash(
            "answers",
            "too_few",
            "une campagne réunit au moins deux réponses différentes",
        ));
    }
    round_work::change(
        state,
        coordinator,
        slug,
        origin,
        "campaign_marked",
        move |conn, at| {
            let mut known = 0;
            for chunk in answers.chunks(1000) {
                known += store::campaigns::long_answers_among(conn, at.round, chunk)?;
            }
            if known < answers.len() as i64 {
                return Err(AppError::clash(
                    "answers",
                    "not_found",
                    "une réponse de la liste n'est pas une réponse longue de cette consultation",
                ));
            }
            let campaigns = store::campaigns::of_answers(conn, at.round)?;
            if answers.iter().any(|a| campaigns.contains_key(a)) {
                return Err(AppError::Conflict(
                    "une réponse de la liste appartient déjà à une campagne".into(),
                ));
            }
            let name = name.trim();
            let id = store::campaigns::insert(conn, at.round, name, &answers, at.actor, at.now)?;
            let details = json!({"campaign": id, "name": name, "answers": answers.len()});
            Ok((id, details))
        },
    )
    .await
}

pub async fn unmark(
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
        "campaign_unmarked",
        move |conn, at| {
            let name = store::campaigns::find(conn, at.round, id)?.ok_or(AppError::NotFound)?;
            store::campaigns::delete(conn, id)?;
            Ok(((), json!({"campaign": id, "name": name})))
        },
    )
    .await
}
