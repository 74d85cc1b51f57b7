//! An answer's past versions.

use super::*;

/// The last versions of an answer (members and coordinators).
pub async fn history(
    state: &AppState,
    identity: &Identity,
    slug: String,
    org: i64,
    code: String,
) -> Result<Vec<(Option<AnswerValue>, i32, Option<String>, DateTime<Utc>)>, AppError> {
    let identity = identity.clone();
    let rounds = state.rounds.clone();
    state
        .db
        .run(move |conn| {
            let shape = authorise(conn, &rounds, &identity, &slug, org, Access::Read)?;
            let detail = &shape.detail;
            let question = shape
                .question_ids
                .get(&code)
                .copied()
                .ok_or(AppError::NotFound)?;
            let Some(response) = store::responses::find(conn, detail.round.id, org)? else {
                return Ok(Vec::new());
            };
            Ok(store::responses::history(conn, response.id, question, 20)?
                .into_iter()
                .map(|(value, version, by, at)| (value, version, by, at.and_utc()))
                .collect())
        })
        .await
}
