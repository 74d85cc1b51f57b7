//! Personal data marked in answers, masked in what is published (`domain::passages`).

use std::collections::HashMap;

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;

use super::DbConnection;
use super::schema::{answers, chapters, questions, redactions, responses, users};
use super::themes::AnswerInRound;
use crate::domain::answers::AnswerValue;
use crate::domain::passages::Passage;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = redactions)]
pub struct RedactionRow {
    pub id: i64,
    pub answer_id: i64,
    pub passage_start: i32,
    pub passage_end: i32,
    pub passage: String,
    pub reason: String,
    pub answer_version: i32,
    pub created_by: Option<i64>,
    pub created_at: NaiveDateTime,
}

impl RedactionRow {
    pub fn passage(&self) -> Passage {
        Passage {
            start: self.passage_start as usize,
            end: self.passage_end as usize,
            text: self.passage.clone(),
        }
    }
}

/// The redaction of this very range of the answer, if one exists.
pub fn same(
    conn: &mut DbConnection,
    answer_id: i64,
    passage: &Passage,
) -> QueryResult<Option<i64>> {
    redactions::table
        .filter(redactions::answer_id.eq(answer_id))
        .filter(redactions::passage_start.eq(passage.start as i32))
        .filter(redactions::passage_end.eq(passage.end as i32))
        .select(redactions::id)
        .first(conn)
        .optional()
}

pub fn insert(
    conn: &mut DbConnection,
    answer: &AnswerInRound,
    passage: &Passage,
    reason: &str,
    actor: i64,
    now: DateTime<Utc>,
) -> QueryResult<i64> {
    diesel::insert_into(redactions::table)
        .values((
            redactions::answer_id.eq(answer.id),
            redactions::passage_start.eq(passage.start as i32),
            redactions::passage_end.eq(passage.end as i32),
            redactions::passage.eq(&passage.text),
            redactions::reason.eq(reason),
            redactions::answer_version.eq(answer.version),
            redactions::created_by.eq(actor),
            redactions::created_at.eq(now.naive_utc()),
        ))
        .returning(redactions::id)
        .get_result(conn)
}

/// A redaction of the round's, by its id.
pub fn find(conn: &mut DbConnection, round_id: i64, id: i64) -> QueryResult<Option<RedactionRow>> {
    redactions::table
        .inner_join(answers::table.inner_join(responses::table))
        .filter(redactions::id.eq(id).and(responses::round_id.eq(round_id)))
        .select(RedactionRow::as_select())
        .first(conn)
        .optional()
}

pub fn delete(conn: &mut DbConnection, id: i64) -> QueryResult<usize> {
    diesel::delete(redactions::table.filter(redactions::id.eq(id))).execute(conn)
}

/// A redaction with who made it and its answer as it is now.
#[derive(Debug, Queryable)]
pub struct RedactionSeen {
    #[diesel(embed)]
    pub row: RedactionRow,
    pub by: Option<String>,
    pub value: Option<AnswerValue>,
    pub response_id: i64,
}

/// The round's redactions (of one response's answers when `response` is given), oldest
/// first.
pub fn of_round(
    conn: &mut DbConnection,
    round_id: i64,
    response: Option<i64>,
) -> QueryResult<Vec<RedactionSeen>> {
    let mut query = redactions::table
        .inner_join(answers::table.inner_join(responses::table))
        .left_join(users::table.on(users::id.nullable().eq(redactions::created_by)))
        .filter(responses::round_id.eq(round_id))
        .select((
            RedactionRow::as_select(),
            users::display_name.nullable(),
            answers::value,
            answers::response_id,
        ))
        .order(redactions::id)
        .into_boxed();
    if let Some(response) = response {
        query = query.filter(answers::response_id.eq(response));
    }
    query.load(conn)
}

/// The texts to mask per response and question code, for the round's answers that have
/// any: what a document for publication needs.
pub type Masks = HashMap<i64, HashMap<String, Vec<String>>>;

pub fn masks_of_round(conn: &mut DbConnection, round_id: i64) -> QueryResult<Masks> {
    let rows: Vec<(i64, String, String)> = redactions::table
        .inner_join(
            answers::table
                .inner_join(responses::table)
                .inner_join(questions::table),
        )
        .filter(responses::round_id.eq(round_id))
        .select((answers::response_id, questions::code, redactions::passage))
        .load(conn)?;
    let mut masks = Masks::new();
    for (response, question, passage) in rows {
        masks
            .entry(response)
            .or_default()
            .entry(question)
            .or_default()
            .push(passage);
    }
    Ok(masks)
}

/// The text answers of a response of the round (id, question code, text), in the
/// order of the questions.
pub fn texts_of_response(
    conn: &mut DbConnection,
    round_id: i64,
    response_id: i64,
) -> QueryResult<Vec<(i64, String, Option<AnswerValue>)>> {
    answers::table
        .inner_join(responses::table)
        .inner_join(questions::table.inner_join(chapters::table))
        .filter(responses::round_id.eq(round_id))
        .filter(answers::response_id.eq(response_id))
        .filter(questions::kind.eq_any(crate::domain::search::SEARCHED_KINDS))
        .order((chapters::position, questions::position))
        .select((answers::id, questions::code, answers::value))
        .load(conn)
}
