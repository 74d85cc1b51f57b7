//! Reading a round's responses for exports and results, in keyset pages (never OFFSET:
//! each page costs the same however far the reading has gone) or as counts.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConnection;
use super::schema::{answers, organisations, questions, responses};
use crate::domain::answers::AnswerValue;
use crate::domain::responses::{PublicationConsent, ResponseStatus};

#[derive(Debug, Clone, Queryable)]
pub struct ExportedResponse {
    pub response_id: i64,
    pub status: ResponseStatus,
    pub submitted_at: Option<NaiveDateTime>,
    pub organisation_name: String,
    pub legal_id: String,
    pub organisation_kind: String,
    pub publication_consent: PublicationConsent,
}

pub fn question_ids(conn: &mut DbConnection, round_id: i64) -> QueryResult<HashMap<String, i64>> {
    let rows: Vec<(String, i64)> = questions::table
        .filter(questions::round_id.eq(round_id))
        .select((questions::code, questions::id))
        .load(conn)?;
    Ok(rows.into_iter().collect())
}

/// The next `limit` responses after `after` (by id), submitted ones only unless drafts
/// are wanted, with their organisation.
pub fn responses_after(
    conn: &mut DbConnection,
    round_id: i64,
    with_drafts: bool,
    after: i64,
    limit: i64,
) -> QueryResult<Vec<ExportedResponse>> {
    let mut query = responses::table
        .inner_join(organisations::table)
        .filter(responses::round_id.eq(round_id))
        .filter(responses::id.gt(after))
        .order(responses::id)
        .limit(limit)
        .select((
            responses::id,
            responses::status,
            responses::submitted_at,
            organisations::name,
            organisations::legal_id,
            organisations::kind,
            responses::publication_consent,
        ))
        .into_boxed();
    if !with_drafts {
        query = query.filter(responses::status.eq(ResponseStatus::Submitted.as_str()));
    }
    query.load(conn)
}

/// (response, question, value) of every answer of these responses.
pub fn answers_of(
    conn: &mut DbConnection,
    response_ids: &[i64],
) -> QueryResult<Vec<(i64, i64, Option<AnswerValue>)>> {
    answers::table
        .filter(answers::response_id.eq_any(response_ids))
        .select((answers::response_id, answers::question_id, answers::value))
        .load(conn)
}

/// One organisation's answer to one question, with the organisation.
#[derive(Debug, Clone)]
pub struct SignedAnswer {
    pub response_id: i64,
    pub value: Option<AnswerValue>,
    pub organisation_name: String,
    pub organisation_kind: String,
}

/// Walks one question's answers after response `after`, in response order, from
/// submitted responses of organisations of `kind` (any if None),
/// until `each` returns false or none are left. Each page is two index lookups, the
/// answers by (question, response) then their responses by id, so every page costs the
/// same however large the round (a join here let PostgreSQL hash the whole round per page).
/// Which submitted responses the results count: of one organisation kind if given, and
/// without the responses set aside (a campaign's copies, when counted once).
#[derive(Debug, Clone, Copy, Default)]
pub struct Counted<'a> {
    pub kind: Option<&'a str>,
    pub set_aside: &'a [i64],
}

pub fn walk_question(
    conn: &mut DbConnection,
    question_id: i64,
    counted: Counted<'_>,
    after: i64,
    each: &mut dyn FnMut(SignedAnswer) -> bool,
) -> QueryResult<()> {
    const PAGE: i64 = 500;
    let mut after = after;
    loop {
        let page: Vec<(i64, Option<AnswerValue>)> = answers::table
            .filter(answers::question_id.eq(question_id))
            .filter(answers::response_id.gt(after))
            .order(answers::response_id)
            .limit(PAGE)
            .select((answers::response_id, answers::value))
            .load(conn)?;
        let Some(&(last, _)) = page.last() else {
            return Ok(());
        };
        let ids: Vec<i64> = page.iter().map(|(id, _)| *id).collect();
        let mut query = responses::table
            .inner_join(organisations::table)
            .filter(responses::id.eq_any(&ids))
            .filter(responses::status.eq(ResponseStatus::Submitted.as_str()))
            .select((responses::id, organisations::name, organisations::kind))
            .into_boxed();
        if let Some(kind) = counted.kind {
            query = query.filter(organisations::kind.eq(kind.to_owned()));
        }
        if !counted.set_aside.is_empty() {
            query = query.filter(responses::id.ne_all(counted.set_aside));
        }
        let mut signed: HashMap<i64, (String, String)> = query
            .load::<(i64, String, String)>(conn)?
            .into_iter()
            .map(|(id, name, kind)| (id, (name, kind)))
            .collect();
        let complete = page.len() as i64 == PAGE;
        for (response_id, value) in page {
            let Some((organisation_name, organisation_kind)) = signed.remove(&response_id) else {
                continue;
            };
            let answer = SignedAnswer {
                response_id,
                value,
                organisation_name,
                organisation_kind,
            };
            if !each(answer) {
                return Ok(());
            }
        }
        if !complete {
            return Ok(());
        }
        after = last;
    }
}

/// Submitted responses to a round, from organisations of `kind` when one is given.
pub fn submitted_count(
    conn: &mut DbConnection,
    round_id: i64,
    counted: Counted<'_>,
) -> QueryResult<i64> {
    let mut query = responses::table
        .inner_join(organisations::table)
        .filter(responses::round_id.eq(round_id))
        .filter(responses::status.eq(ResponseStatus::Submitted.as_str()))
        .count()
        .into_boxed();
    if let Some(kind) = counted.kind {
        query = query.filter(organisations::kind.eq(kind.to_owned()));
    }
    if !counted.set_aside.is_empty() {
        query = query.filter(responses::id.ne_all(counted.set_aside));
    }
    query.get_result(conn)
}

/// How many submitted responses gave each distinct value to a choice or scale question
/// (few distinct values: the database does the counting).
pub fn value_counts(
    conn: &mut DbConnection,
    question_id: i64,
    counted: Counted<'_>,
) -> QueryResult<Vec<(Option<AnswerValue>, i64)>> {
    let mut query = answers::table
        .inner_join(responses::table.inner_join(organisations::table))
        .filter(answers::question_id.eq(question_id))
        .filter(responses::status.eq(ResponseStatus::Submitted.as_str()))
        .group_by(answers::value)
        .select((answers::value, diesel::dsl::count_star()))
        .into_boxed();
    if let Some(kind) = counted.kind {
        query = query.filter(organisations::kind.eq(kind.to_owned()));
    }
    if !counted.set_aside.is_empty() {
        query = query.filter(responses::id.ne_all(counted.set_aside));
    }
    query.load(conn)
}

/// How many submitted responses answered a text question (a cleared answer is no answer).
pub fn answered_count(
    conn: &mut DbConnection,
    question_id: i64,
    counted: Counted<'_>,
) -> QueryResult<i64> {
    let mut query = answers::table
        .inner_join(responses::table.inner_join(organisations::table))
        .filter(answers::question_id.eq(question_id))
        .filter(responses::status.eq(ResponseStatus::Submitted.as_str()))
        .filter(answers::value.is_not_null())
        .filter(answers::value.ne_all(["\"\"", "[]", "null"]))
        .count()
        .into_boxed();
    if let Some(kind) = counted.kind {
        query = query.filter(organisations::kind.eq(kind.to_owned()));
    }
    if !counted.set_aside.is_empty() {
        query = query.filter(responses::id.ne_all(counted.set_aside));
    }
    query.get_result(conn)
}

/// The themes put on the round's answers: (response, question code, theme id), each
/// once.
pub fn themes_of_answers(
    conn: &mut DbConnection,
    round_id: i64,
) -> QueryResult<Vec<(i64, String, i64)>> {
    use super::schema::{tags, themes};
    tags::table
        .inner_join(themes::table)
        .inner_join(questions::table.on(questions::id.eq(tags::question_id)))
        .filter(themes::round_id.eq(round_id))
        .select((tags::response_id, questions::code, tags::theme_id))
        .distinct()
        .load(conn)
}

/// The campaign of each of the round's answers that belongs to one: (response, question
/// code, campaign name).
pub fn campaigns_of_answers(
    conn: &mut DbConnection,
    round_id: i64,
) -> QueryResult<Vec<(i64, String, String)>> {
    use super::schema::{campaign_answers, campaigns};
    campaign_answers::table
        .inner_join(campaigns::table)
        .inner_join(answers::table.inner_join(questions::table))
        .filter(campaigns::round_id.eq(round_id))
        .select((answers::response_id, questions::code, campaigns::name))
        .load(conn)
}
