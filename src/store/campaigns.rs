//! Fingerprints of long answers (their MinHash signatures, one per version) and the
//! campaigns coordinators mark (`domain::similarity`, `services::duplicates`).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::DbConnection;
use super::schema::{
    answer_fingerprints as fp, answers, campaign_answers, campaigns, organisations, questions,
    responses,
};
use crate::domain::answers::AnswerValue;
use crate::domain::similarity::COMPARED_KIND;

/// The round's long answers whose fingerprint is missing or of an older version.
pub fn outdated(conn: &mut DbConnection, round_id: i64) -> QueryResult<Vec<i64>> {
    answers::table
        .inner_join(responses::table)
        .inner_join(questions::table)
        .left_join(fp::table)
        .filter(responses::round_id.eq(round_id))
        .filter(questions::kind.eq(COMPARED_KIND))
        .filter(
            fp::version
                .nullable()
                .is_null()
                .or(fp::version.nullable().ne(answers::version.nullable())),
        )
        .select(answers::id)
        .order(answers::id)
        .load(conn)
}

/// How many of `ids` are long answers of the round.
pub fn long_answers_among(conn: &mut DbConnection, round_id: i64, ids: &[i64]) -> QueryResult<i64> {
    answers::table
        .inner_join(responses::table)
        .inner_join(questions::table)
        .filter(responses::round_id.eq(round_id))
        .filter(questions::kind.eq(COMPARED_KIND))
        .filter(answers::id.eq_any(ids))
        .count()
        .get_result(conn)
}

/// Answers' values and versions, by id.
pub fn values(
    conn: &mut DbConnection,
    ids: &[i64],
) -> QueryResult<Vec<(i64, i32, Option<AnswerValue>)>> {
    answers::table
        .filter(answers::id.eq_any(ids))
        .select((answers::id, answers::version, answers::value))
        .load(conn)
}

/// Stores fingerprints: (answer, version, signature or none when too short), in place
/// of those of older versions.
pub fn save(conn: &mut DbConnection, rows: &[(i64, i32, Option<String>)]) -> QueryResult<()> {
    let batch: Vec<serde_json::Value> = rows
        .iter()
        .map(|(answer, version, signature)| {
            serde_json::json!({"answer_id": answer, "version": version, "signature": signature})
        })
        .collect();
    let sql = match conn {
        DbConnection::Postgres(_) => include_str!("sql/fingerprints_insert.postgres.sql"),
        DbConnection::Sqlite(_) => include_str!("sql/fingerprints_insert.sqlite.sql"),
    };
    diesel::sql_query(sql)
        .bind::<diesel::sql_types::Text, _>(serde_json::Value::Array(batch).to_string())
        .execute(conn)?;
    Ok(())
}

/// The signatures of the round's long answers (those long enough to compare), with
/// whether each response is submitted, by answer id.
pub fn signatures(
    conn: &mut DbConnection,
    round_id: i64,
) -> QueryResult<Vec<(i64, String, String)>> {
    fp::table
        .inner_join(answers::table.inner_join(responses::table))
        .filter(responses::round_id.eq(round_id))
        .filter(fp::version.eq(answers::version))
        .filter(fp::signature.is_not_null())
        .select((
            fp::answer_id,
            fp::signature.assume_not_null(),
            responses::status,
        ))
        .order(fp::answer_id)
        .load(conn)
}

/// An answer of a group, as shown.
#[derive(Debug, Clone, Queryable)]
pub struct Member {
    pub answer_id: i64,
    pub response_id: i64,
    pub organisation_id: i64,
    pub organisation: String,
    pub organisation_kind: String,
    pub question: String,
    pub status: String,
    pub value: Option<AnswerValue>,
}

pub fn members(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<Vec<Member>> {
    answers::table
        .inner_join(responses::table.inner_join(organisations::table))
        .inner_join(questions::table)
        .filter(answers::id.eq_any(ids))
        .select((
            answers::id,
            responses::id,
            organisations::id,
            organisations::name,
            organisations::kind,
            questions::code,
            responses::status,
            answers::value,
        ))
        .load(conn)
}

/// The campaign of each of the round's answers that belongs to one: (id, name).
pub fn of_answers(
    conn: &mut DbConnection,
    round_id: i64,
) -> QueryResult<HashMap<i64, (i64, String)>> {
    let rows: Vec<(i64, i64, String)> = campaign_answers::table
        .inner_join(campaigns::table)
        .filter(campaigns::round_id.eq(round_id))
        .select((campaign_answers::answer_id, campaigns::id, campaigns::name))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(answer, id, name)| (answer, (id, name)))
        .collect())
}

/// A campaign of the round and its answers.
pub fn insert(
    conn: &mut DbConnection,
    round_id: i64,
    name: &str,
    answers: &[i64],
    actor: i64,
    now: DateTime<Utc>,
) -> QueryResult<i64> {
    let id: i64 = diesel::insert_into(campaigns::table)
        .values((
            campaigns::round_id.eq(round_id),
            campaigns::name.eq(name),
            campaigns::created_by.eq(actor),
            campaigns::created_at.eq(now.naive_utc()),
        ))
        .returning(campaigns::id)
        .get_result(conn)?;
    for answer in answers {
        diesel::insert_into(campaign_answers::table)
            .values((
                campaign_answers::answer_id.eq(answer),
                campaign_answers::campaign_id.eq(id),
            ))
            .execute(conn)?;
    }
    Ok(id)
}

/// The round's campaign `id`: its name.
pub fn find(conn: &mut DbConnection, round_id: i64, id: i64) -> QueryResult<Option<String>> {
    campaigns::table
        .filter(campaigns::id.eq(id).and(campaigns::round_id.eq(round_id)))
        .select(campaigns::name)
        .first(conn)
        .optional()
}

pub fn delete(conn: &mut DbConnection, id: i64) -> QueryResult<usize> {
    diesel::delete(campaign_answers::table.filter(campaign_answers::campaign_id.eq(id)))
        .execute(conn)?;
    diesel::delete(campaigns::table.filter(campaigns::id.eq(id))).execute(conn)
}

/// The responses of each campaign of the round: statistics counted once per campaign
/// keep the first and set the others aside.
pub fn responses_of_campaigns(
    conn: &mut DbConnection,
    round_id: i64,
) -> QueryResult<Vec<(i64, i64)>> {
    campaign_answers::table
        .inner_join(campaigns::table)
        .inner_join(answers::table)
        .filter(campaigns::round_id.eq(round_id))
        .select((campaigns::id, answers::response_id))
        .distinct()
        .order((campaigns::id, answers::response_id))
        .load(conn)
}
