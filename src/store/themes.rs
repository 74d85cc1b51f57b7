//! A round's codebook (themes), the tags coders put on answers, and the suggestions
//! they turned down.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};

use super::DbConnection;
use super::schema::{
    answers, chapters, organisations, questions, responses, tags, theme_dismissals, themes, users,
};
use crate::domain::answers::AnswerValue;
use crate::domain::passages::Passage;
use crate::domain::themes::ThemeFields;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = themes)]
pub struct ThemeRow {
    pub id: i64,
    pub round_id: i64,
    pub parent_id: Option<i64>,
    pub name: String,
    pub description: String,
    pub colour: String,
    pub keywords: String,
    pub created_by: Option<i64>,
    pub created_at: NaiveDateTime,
}

/// The round's themes, in the order they were made.
pub fn list(conn: &mut DbConnection, round_id: i64) -> QueryResult<Vec<ThemeRow>> {
    themes::table
        .filter(themes::round_id.eq(round_id))
        .order(themes::id)
        .select(ThemeRow::as_select())
        .load(conn)
}

pub fn find(conn: &mut DbConnection, round_id: i64, id: i64) -> QueryResult<Option<ThemeRow>> {
    themes::table
        .filter(themes::round_id.eq(round_id).and(themes::id.eq(id)))
        .select(ThemeRow::as_select())
        .first(conn)
        .optional()
}

/// Whether another theme of the round (not `except`) has this name.
pub fn name_taken(
    conn: &mut DbConnection,
    round_id: i64,
    name: &str,
    except: Option<i64>,
) -> QueryResult<bool> {
    let same: Vec<i64> = themes::table
        .filter(themes::round_id.eq(round_id).and(themes::name.eq(name)))
        .select(themes::id)
        .load(conn)?;
    Ok(same.iter().any(|id| Some(*id) != except))
}

pub fn insert(
    conn: &mut DbConnection,
    round_id: i64,
    fields: &ThemeFields,
    actor: i64,
    now: DateTime<Utc>,
) -> QueryResult<i64> {
    diesel::insert_into(themes::table)
        .values((
            themes::round_id.eq(round_id),
            themes::parent_id.eq(fields.parent),
            themes::name.eq(&fields.name),
            themes::description.eq(&fields.description),
            themes::colour.eq(fields.colour.as_str()),
            themes::keywords.eq(fields.keywords.as_str()),
            themes::created_by.eq(actor),
            themes::created_at.eq(now.naive_utc()),
        ))
        .returning(themes::id)
        .get_result(conn)
}

pub fn update(conn: &mut DbConnection, id: i64, fields: &ThemeFields) -> QueryResult<usize> {
    diesel::update(themes::table.filter(themes::id.eq(id)))
        .set((
            themes::parent_id.eq(fields.parent),
            themes::name.eq(&fields.name),
            themes::description.eq(&fields.description),
            themes::colour.eq(fields.colour.as_str()),
            themes::keywords.eq(fields.keywords.as_str()),
        ))
        .execute(conn)
}

/// Deletes a theme and its tags; its sub-themes lose their parent.
pub fn delete(conn: &mut DbConnection, id: i64) -> QueryResult<usize> {
    diesel::update(themes::table.filter(themes::parent_id.eq(id)))
        .set(themes::parent_id.eq(None::<i64>))
        .execute(conn)?;
    diesel::delete(tags::table.filter(tags::theme_id.eq(id))).execute(conn)?;
    diesel::delete(theme_dismissals::table.filter(theme_dismissals::theme_id.eq(id)))
        .execute(conn)?;
    diesel::delete(themes::table.filter(themes::id.eq(id))).execute(conn)
}

/// An answer of a round, as a tag or a redaction needs it.
#[derive(Debug, Queryable)]
pub struct AnswerInRound {
    pub id: i64,
    pub response_id: i64,
    pub question_id: i64,
    pub version: i32,
    pub value: Option<AnswerValue>,
    pub question_kind: String,
}

pub fn answer_in_round(
    conn: &mut DbConnection,
    round_id: i64,
    answer_id: i64,
) -> QueryResult<Option<AnswerInRound>> {
    answers::table
        .inner_join(responses::table)
        .inner_join(questions::table)
        .filter(
            answers::id
                .eq(answer_id)
                .and(responses::round_id.eq(round_id)),
        )
        .select((
            answers::id,
            answers::response_id,
            answers::question_id,
            answers::version,
            answers::value,
            questions::kind,
        ))
        .first(conn)
        .optional()
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = tags)]
pub struct TagRow {
    pub id: i64,
    pub theme_id: i64,
    pub answer_id: i64,
    pub response_id: i64,
    pub question_id: i64,
    pub coder_id: Option<i64>,
    pub passage_start: Option<i32>,
    pub passage_end: Option<i32>,
    pub passage: Option<String>,
    pub answer_version: i32,
    pub created_at: NaiveDateTime,
}

impl TagRow {
    /// The passage tagged; `None` for the whole answer.
    pub fn passage(&self) -> Option<Passage> {
        match (self.passage_start, self.passage_end, &self.passage) {
            (Some(start), Some(end), Some(text)) => Some(Passage {
                start: start as usize,
                end: end as usize,
                text: text.clone(),
            }),
            _ => None,
        }
    }
}

/// The same coder's tag with the same theme on the same passage (or whole answer).
pub fn same_tag(
    conn: &mut DbConnection,
    theme_id: i64,
    answer_id: i64,
    coder_id: i64,
    passage: Option<&Passage>,
) -> QueryResult<Option<i64>> {
    let mut query = tags::table
        .filter(tags::theme_id.eq(theme_id))
        .filter(tags::answer_id.eq(answer_id))
        .filter(tags::coder_id.eq(coder_id))
        .select(tags::id)
        .into_boxed();
    query = match passage {
        Some(p) => query
            .filter(tags::passage_start.eq(p.start as i32))
            .filter(tags::passage_end.eq(p.end as i32)),
        None => query.filter(tags::passage_start.is_null()),
    };
    query.first(conn).optional()
}

pub fn insert_tag(
    conn: &mut DbConnection,
    theme_id: i64,
    answer: &AnswerInRound,
    coder_id: i64,
    passage: Option<&Passage>,
    now: DateTime<Utc>,
) -> QueryResult<i64> {
    diesel::insert_into(tags::table)
        .values((
            tags::theme_id.eq(theme_id),
            tags::answer_id.eq(answer.id),
            tags::response_id.eq(answer.response_id),
            tags::question_id.eq(answer.question_id),
            tags::coder_id.eq(coder_id),
            tags::passage_start.eq(passage.map(|p| p.start as i32)),
            tags::passage_end.eq(passage.map(|p| p.end as i32)),
            tags::passage.eq(passage.map(|p| p.text.as_str())),
            tags::answer_version.eq(answer.version),
            tags::created_at.eq(now.naive_utc()),
        ))
        .returning(tags::id)
        .get_result(conn)
}

/// A tag of the round's, by its id.
pub fn find_tag(conn: &mut DbConnection, round_id: i64, id: i64) -> QueryResult<Option<TagRow>> {
    tags::table
        .inner_join(themes::table)
        .filter(tags::id.eq(id).and(themes::round_id.eq(round_id)))
        .select(TagRow::as_select())
        .first(conn)
        .optional()
}

pub fn delete_tag(conn: &mut DbConnection, id: i64) -> QueryResult<usize> {
    diesel::delete(tags::table.filter(tags::id.eq(id))).execute(conn)
}

/// Which tags to show.
#[derive(Debug, Clone, Copy, Default)]
pub struct TagFilter {
    pub theme: Option<i64>,
    pub response: Option<i64>,
    pub answer: Option<i64>,
}

/// A tag with what a reader needs around it: the answer as it is now, where it sits.
#[derive(Debug, Queryable)]
pub struct TagSeen {
    #[diesel(embed)]
    pub tag: TagRow,
    pub coder: Option<String>,
    pub value: Option<AnswerValue>,
    pub version: i32,
    pub response_id: i64,
    pub organisation_id: i64,
    pub organisation: String,
    pub organisation_kind: String,
    pub chapter: String,
    pub question: String,
}

/// The round's tags that `filter` selects, newest first, `limit` at most.
pub fn tags_seen(
    conn: &mut DbConnection,
    round_id: i64,
    filter: TagFilter,
    limit: i64,
) -> QueryResult<Vec<TagSeen>> {
    let mut query = tags::table
        .inner_join(themes::table)
        .inner_join(
            answers::table
                .inner_join(responses::table.inner_join(organisations::table))
                .inner_join(questions::table.inner_join(chapters::table)),
        )
        .left_join(users::table.on(users::id.nullable().eq(tags::coder_id)))
        .filter(themes::round_id.eq(round_id))
        .select((
            TagRow::as_select(),
            users::display_name.nullable(),
            answers::value,
            answers::version,
            responses::id,
            organisations::id,
            organisations::name,
            organisations::kind,
            chapters::code,
            questions::code,
        ))
        .order(tags::id.desc())
        .limit(limit)
        .into_boxed();
    if let Some(theme) = filter.theme {
        query = query.filter(tags::theme_id.eq(theme));
    }
    if let Some(response) = filter.response {
        query = query.filter(tags::response_id.eq(response));
    }
    if let Some(answer) = filter.answer {
        query = query.filter(tags::answer_id.eq(answer));
    }
    query.load(conn)
}

/// Answers tagged per theme, by question (and its chapter) and organisation kind: each
/// answer is in one cell, so the cells of a theme add up to its answers.
#[derive(Debug, QueryableByName)]
pub struct Cell {
    #[diesel(sql_type = BigInt)]
    pub theme_id: i64,
    #[diesel(sql_type = Text)]
    pub chapter: String,
    #[diesel(sql_type = Text)]
    pub question: String,
    #[diesel(sql_type = Text)]
    pub kind: String,
    #[diesel(sql_type = BigInt)]
    pub answers: i64,
}

pub fn cells(conn: &mut DbConnection, round_id: i64) -> QueryResult<Vec<Cell>> {
    let sql = match conn {
        DbConnection::Postgres(_) => super::sql::THEME_CELLS_POSTGRES,
        DbConnection::Sqlite(_) => super::sql::THEME_CELLS_SQLITE.as_str(),
    };
    diesel::sql_query(sql)
        .bind::<BigInt, _>(round_id)
        .load(conn)
}

/// A coder's tag of an answer with a theme (each once), for the coders' agreement.
#[derive(Debug, Clone, Queryable)]
pub struct Coding {
    pub theme_id: i64,
    pub answer_id: i64,
    pub coder_id: i64,
    pub coder: String,
}

pub fn codings(conn: &mut DbConnection, round_id: i64) -> QueryResult<Vec<Coding>> {
    tags::table
        .inner_join(themes::table)
        .inner_join(users::table.on(users::id.nullable().eq(tags::coder_id)))
        .filter(themes::round_id.eq(round_id))
        .select((
            tags::theme_id,
            tags::answer_id,
            users::id,
            users::display_name,
        ))
        .distinct()
        .load(conn)
}

/// The answers tagged with a theme, by anyone, and those whose suggestion was turned down.
pub fn settled_answers(conn: &mut DbConnection, theme_id: i64) -> QueryResult<Vec<i64>> {
    let mut settled: Vec<i64> = tags::table
        .filter(tags::theme_id.eq(theme_id))
        .select(tags::answer_id)
        .load(conn)?;
    settled.extend(
        theme_dismissals::table
            .filter(theme_dismissals::theme_id.eq(theme_id))
            .select(theme_dismissals::answer_id)
            .load::<i64>(conn)?,
    );
    settled.sort_unstable();
    settled.dedup();
    Ok(settled)
}

/// Records that a suggestion was turned down (once).
pub fn dismiss(
    conn: &mut DbConnection,
    theme_id: i64,
    answer_id: i64,
    actor: i64,
    now: DateTime<Utc>,
) -> QueryResult<usize> {
    let already = theme_dismissals::table
        .filter(theme_dismissals::theme_id.eq(theme_id))
        .filter(theme_dismissals::answer_id.eq(answer_id))
        .count()
        .get_result::<i64>(conn)?;
    if already > 0 {
        return Ok(0);
    }
    diesel::insert_into(theme_dismissals::table)
        .values((
            theme_dismissals::theme_id.eq(theme_id),
            theme_dismissals::answer_id.eq(answer_id),
            theme_dismissals::dismissed_by.eq(actor),
            theme_dismissals::dismissed_at.eq(now.naive_utc()),
        ))
        .execute(conn)
}

/// An answer of a response, as the coding view shows it.
#[derive(Debug, Queryable)]
pub struct CodedAnswer {
    pub answer_id: i64,
    pub response_id: i64,
    pub organisation: String,
    pub question: String,
    pub prompt: String,
    pub kind: String,
    pub value: Option<AnswerValue>,
}

/// The answers of organisation `org`'s response to the round, in the round's order.
pub fn answers_of_organisation(
    conn: &mut DbConnection,
    round_id: i64,
    org: i64,
) -> QueryResult<Vec<CodedAnswer>> {
    answers::table
        .inner_join(responses::table.inner_join(organisations::table))
        .inner_join(questions::table.inner_join(chapters::table))
        .filter(responses::round_id.eq(round_id))
        .filter(responses::organisation_id.eq(org))
        .filter(answers::value.is_not_null())
        .order((chapters::position, questions::position))
        .select((
            answers::id,
            responses::id,
            organisations::name,
            questions::code,
            questions::prompt,
            questions::kind,
            answers::value,
        ))
        .load(conn)
}
