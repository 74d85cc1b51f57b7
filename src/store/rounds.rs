//! Rounds, chapters and questions.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;

use super::DbConnection;
use super::models::{
    ChapterRow, NewChapterRow, NewQuestionRow, NewRoundRow, QuestionRow, RoundRow,
};
use super::schema::{chapters, questions, rounds};
use super::session_cache::{Change, note};
use crate::domain::organisations::OrganisationStatus;
use crate::domain::rounds::{
    Audience, Chapter, ChapterWithQuestions, NewRound, Question, QuestionSpec, Round, RoundDetail,
    RoundStatus,
};

fn utc(t: NaiveDateTime) -> DateTime<Utc> {
    t.and_utc()
}

/// A stored value the domain does not recognise: the database was written by
/// something else than this code, which is a server fault, not a client one.
fn corrupt(what: &str, value: &str) -> diesel::result::Error {
    diesel::result::Error::DeserializationError(
        format!("unknown {what} « {value} » in the database").into(),
    )
}

impl TryFrom<RoundRow> for Round {
    type Error = diesel::result::Error;

    fn try_from(row: RoundRow) -> Result<Self, Self::Error> {
        Ok(Round {
            audience: Audience::parse(&row.audience)
                .ok_or_else(|| corrupt("audience", &row.audience))?,
            stored_status: RoundStatus::parse(&row.status)
                .ok_or_else(|| corrupt("status", &row.status))?,
            id: row.id,
            slug: row.slug,
            title: row.title,
            summary: row.summary,
            body: row.body,
            opens_at: row.opens_at.map(utc),
            closes_at: utc(row.closes_at),
            created_at: utc(row.created_at),
            updated_at: utc(row.updated_at),
        })
    }
}

impl From<ChapterRow> for Chapter {
    fn from(row: ChapterRow) -> Self {
        Chapter {
            code: row.code,
            position: row.position,
            title: row.title,
            description: row.description,
        }
    }
}

impl TryFrom<QuestionRow> for Question {
    type Error = diesel::result::Error;

    fn try_from(row: QuestionRow) -> Result<Self, Self::Error> {
        let spec: QuestionSpec = serde_json::from_str(&row.settings)
            .map_err(|e| corrupt("question settings", &e.to_string()))?;
        if spec.kind() != row.kind {
            return Err(corrupt("question kind", &row.kind));
        }
        Ok(Question {
            code: row.code,
            position: row.position,
            prompt: row.prompt,
            help: row.help,
            required: row.required,
            spec,
        })
    }
}

/// Stores a round with its chapters and questions, all or nothing.
pub fn insert(conn: &mut DbConnection, round: &NewRound, now: DateTime<Utc>) -> QueryResult<i64> {
    conn.transaction(|conn| {
        let now = now.naive_utc();
        let round_id: i64 = diesel::insert_into(rounds::table)
            .values(NewRoundRow {
                slug: round.slug.as_str(),
                title: &round.title,
                summary: &round.summary,
                body: &round.body,
                opens_at: round.opens_at.map(|t| t.naive_utc()),
                closes_at: round.closes_at.naive_utc(),
                audience: round.audience.as_str(),
                status: round.status.as_str(),
                created_at: now,
                updated_at: now,
            })
            .returning(rounds::id)
            .get_result(conn)?;
        for part in &round.chapters {
            let chapter = &part.chapter;
            let chapter_id: i64 = diesel::insert_into(chapters::table)
                .values(NewChapterRow {
                    round_id,
                    code: &chapter.code,
                    position: chapter.position,
                    title: &chapter.title,
                    description: &chapter.description,
                })
                .returning(chapters::id)
                .get_result(conn)?;
            let rows: Vec<NewQuestionRow<'_>> = part
                .questions
                .iter()
                .map(|q| NewQuestionRow {
                    round_id,
                    chapter_id,
                    code: &q.code,
                    position: q.position,
                    kind: q.spec.kind(),
                    prompt: &q.prompt,
                    help: &q.help,
                    required: q.required,
                    settings: serde_json::to_string(&q.spec).expect("question settings serialise"),
                })
                .collect();
            // One statement per row: SQLite's batch insert is not available through the
            // multi-backend connection, and a round has few questions per chapter.
            for row in rows {
                diesel::insert_into(questions::table)
                    .values(row)
                    .execute(conn)?;
            }
        }
        Ok(round_id)
    })
}

/// Rounds visitors may read (everything but drafts), newest deadline first, with their
/// chapters in order.
pub fn list_public(conn: &mut DbConnection) -> QueryResult<Vec<(Round, Vec<Chapter>)>> {
    let rows: Vec<RoundRow> = rounds::table
        .filter(rounds::status.ne(RoundStatus::Draft.as_str()))
        .order((rounds::closes_at.desc(), rounds::id.desc()))
        .select(RoundRow::as_select())
        .load(conn)?;
    let chapter_rows: Vec<ChapterRow> = ChapterRow::belonging_to(&rows)
        .order((chapters::round_id, chapters::position, chapters::id))
        .select(ChapterRow::as_select())
        .load(conn)?;
    let grouped = chapter_rows.grouped_by(&rows);
    rows.into_iter()
        .zip(grouped)
        .map(|(round, chapters)| {
            Ok((
                Round::try_from(round)?,
                chapters.into_iter().map(Chapter::from).collect(),
            ))
        })
        .collect()
}

/// A round with its whole structure, whatever its status (callers decide who sees it).
pub fn find_by_slug(conn: &mut DbConnection, slug: &str) -> QueryResult<Option<RoundDetail>> {
    let Some(row) = rounds::table
        .filter(rounds::slug.eq(slug))
        .select(RoundRow::as_select())
        .first(conn)
        .optional()?
    else {
        return Ok(None);
    };
    let chapter_rows: Vec<ChapterRow> = ChapterRow::belonging_to(&row)
        .order((chapters::position, chapters::id))
        .select(ChapterRow::as_select())
        .load(conn)?;
    let question_rows: Vec<QuestionRow> = QuestionRow::belonging_to(&chapter_rows)
        .order((questions::position, questions::id))
        .select(QuestionRow::as_select())
        .load(conn)?;
    let grouped = question_rows.grouped_by(&chapter_rows);
    let chapters = chapter_rows
        .into_iter()
        .zip(grouped)
        .map(|(chapter, questions)| {
            Ok(ChapterWithQuestions {
                chapter: chapter.into(),
                questions: questions
                    .into_iter()
                    .map(Question::try_from)
                    .collect::<QueryResult<_>>()?,
            })
        })
        .collect::<QueryResult<_>>()?;
    Ok(Some(RoundDetail {
        round: Round::try_from(row)?,
        chapters,
    }))
}

/// The round's id, whatever its status.
pub fn id_of(conn: &mut DbConnection, slug: &str) -> QueryResult<Option<i64>> {
    rounds::table
        .filter(rounds::slug.eq(slug))
        .select(rounds::id)
        .first(conn)
        .optional()
}

pub fn slug_taken(conn: &mut DbConnection, slug: &str) -> QueryResult<bool> {
    Ok(id_of(conn, slug)?.is_some())
}

/// Every round, drafts included, latest deadline first (coordinators).
pub fn list_all(conn: &mut DbConnection) -> QueryResult<Vec<(Round, Vec<Chapter>)>> {
    let rows: Vec<RoundRow> = rounds::table
        .order((rounds::closes_at.desc(), rounds::id.desc()))
        .select(RoundRow::as_select())
        .load(conn)?;
    let chapter_rows: Vec<ChapterRow> = ChapterRow::belonging_to(&rows)
        .order((chapters::round_id, chapters::position, chapters::id))
        .select(ChapterRow::as_select())
        .load(conn)?;
    let grouped = chapter_rows.grouped_by(&rows);
    rows.into_iter()
        .zip(grouped)
        .map(|(round, chapters)| {
            Ok((
                Round::try_from(round)?,
                chapters.into_iter().map(Chapter::from).collect(),
            ))
        })
        .collect()
}

/// The editable fields of a round.
pub struct RoundFields<'a> {
    pub title: &'a str,
    pub summary: &'a str,
    pub body: &'a str,
    pub opens_at: Option<DateTime<Utc>>,
    pub closes_at: DateTime<Utc>,
    pub audience: Audience,
}

pub fn update_fields(
    conn: &mut DbConnection,
    id: i64,
    fields: &RoundFields<'_>,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    note(Change::Round(id));
    hold_alone(conn, id)?;
    diesel::update(rounds::table.find(id))
        .set((
            rounds::title.eq(fields.title),
            rounds::summary.eq(fields.summary),
            rounds::body.eq(fields.body),
            rounds::opens_at.eq(fields.opens_at.map(|t| t.naive_utc())),
            rounds::closes_at.eq(fields.closes_at.naive_utc()),
            rounds::audience.eq(fields.audience.as_str()),
            rounds::updated_at.eq(now.naive_utc()),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn set_status(
    conn: &mut DbConnection,
    id: i64,
    status: RoundStatus,
    opens_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    note(Change::Round(id));
    hold_alone(conn, id)?;
    diesel::update(rounds::table.find(id))
        .set((
            rounds::status.eq(status.as_str()),
            rounds::opens_at.eq(opens_at.map(|t| t.naive_utc())),
            rounds::updated_at.eq(now.naive_utc()),
        ))
        .execute(conn)
        .map(|_| ())
}

fn next_position<T>(positions: Vec<T>) -> i32
where
    T: Into<i32>,
{
    positions.into_iter().map(Into::into).max().unwrap_or(0) + 1
}

pub fn add_chapter(conn: &mut DbConnection, round_id: i64, chapter: &Chapter) -> QueryResult<i64> {
    note(Change::Round(round_id));
    let positions: Vec<i32> = chapters::table
        .filter(chapters::round_id.eq(round_id))
        .select(chapters::position)
        .load(conn)?;
    diesel::insert_into(chapters::table)
        .values(NewChapterRow {
            round_id,
            code: &chapter.code,
            position: next_position(positions),
            title: &chapter.title,
            description: &chapter.description,
        })
        .returning(chapters::id)
        .get_result(conn)
}

pub fn chapter_id(conn: &mut DbConnection, round_id: i64, code: &str) -> QueryResult<Option<i64>> {
    chapters::table
        .filter(chapters::round_id.eq(round_id))
        .filter(chapters::code.eq(code))
        .select(chapters::id)
        .first(conn)
        .optional()
}

pub fn question_code_taken(
    conn: &mut DbConnection,
    round_id: i64,
    code: &str,
) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        questions::table
            .filter(questions::round_id.eq(round_id))
            .filter(questions::code.eq(code)),
    ))
    .get_result(conn)
}

pub fn add_question(
    conn: &mut DbConnection,
    round_id: i64,
    chapter_id: i64,
    question: &Question,
) -> QueryResult<i64> {
    note(Change::Round(round_id));
    let positions: Vec<i32> = questions::table
        .filter(questions::chapter_id.eq(chapter_id))
        .select(questions::position)
        .load(conn)?;
    diesel::insert_into(questions::table)
        .values(NewQuestionRow {
            round_id,
            chapter_id,
            code: &question.code,
            position: next_position(positions),
            kind: question.spec.kind(),
            prompt: &question.prompt,
            help: &question.help,
            required: question.required,
            settings: serde_json::to_string(&question.spec).expect("question settings serialise"),
        })
        .returning(questions::id)
        .get_result(conn)
}

/// Rewrites a question in place (its code and position stay).
pub fn update_question(
    conn: &mut DbConnection,
    round_id: i64,
    question: &Question,
) -> QueryResult<bool> {
    note(Change::Round(round_id));
    diesel::update(
        questions::table
            .filter(questions::round_id.eq(round_id))
            .filter(questions::code.eq(&question.code)),
    )
    .set((
        questions::kind.eq(question.spec.kind()),
        questions::prompt.eq(&question.prompt),
        questions::help.eq(&question.help),
        questions::required.eq(question.required),
        questions::settings
            .eq(serde_json::to_string(&question.spec).expect("question settings serialise")),
    ))
    .execute(conn)
    .map(|n| n == 1)
}

/// The ids in their new order after moving the one with `code` by `step`, or `None`
/// at either end.
fn swapped(rows: &[(i64, String)], code: &str, step: i32) -> Option<Vec<i64>> {
    let index = rows.iter().position(|r| r.1 == code)?;
    let other = index
        .checked_add_signed(step as isize)
        .filter(|i| *i < rows.len())?;
    let mut order: Vec<i64> = rows.iter().map(|r| r.0).collect();
    order.swap(index, other);
    Some(order)
}

/// Swaps a chapter with its neighbour (`-1` up, `+1` down); false at either end.
/// Positions are rewritten as 1..n so that equal or sparse positions never stall a move.
pub fn move_chapter(
    conn: &mut DbConnection,
    round_id: i64,
    code: &str,
    step: i32,
) -> QueryResult<bool> {
    note(Change::Round(round_id));
    let rows: Vec<(i64, String)> = chapters::table
        .filter(chapters::round_id.eq(round_id))
        .order((chapters::position, chapters::id))
        .select((chapters::id, chapters::code))
        .load(conn)?;
    let Some(order) = swapped(&rows, code, step) else {
        return Ok(false);
    };
    for (i, id) in order.iter().enumerate() {
        diesel::update(chapters::table.find(id))
            .set(chapters::position.eq(i as i32 + 1))
            .execute(conn)?;
    }
    Ok(true)
}

/// Swaps a question with its neighbour in its chapter.
pub fn move_question(
    conn: &mut DbConnection,
    round_id: i64,
    code: &str,
    step: i32,
) -> QueryResult<bool> {
    note(Change::Round(round_id));
    let Some(chapter) = questions::table
        .filter(questions::round_id.eq(round_id))
        .filter(questions::code.eq(code))
        .select(questions::chapter_id)
        .first::<i64>(conn)
        .optional()?
    else {
        return Ok(false);
    };
    let rows: Vec<(i64, String)> = questions::table
        .filter(questions::chapter_id.eq(chapter))
        .order((questions::position, questions::id))
        .select((questions::id, questions::code))
        .load(conn)?;
    let Some(order) = swapped(&rows, code, step) else {
        return Ok(false);
    };
    for (i, id) in order.iter().enumerate() {
        diesel::update(questions::table.find(id))
            .set(questions::position.eq(i as i32 + 1))
            .execute(conn)?;
    }
    Ok(true)
}

/// Deletes a chapter and, by the foreign key's cascade, its questions; false when the
/// round has no such chapter. (The service allows it in a draft only: no answers yet.)
pub fn delete_chapter(conn: &mut DbConnection, round_id: i64, code: &str) -> QueryResult<bool> {
    note(Change::Round(round_id));
    let chapter = chapters::table
        .filter(chapters::round_id.eq(round_id))
        .filter(chapters::code.eq(code));
    Ok(diesel::delete(chapter).execute(conn)? > 0)
}

/// Deletes a question; false when the round has no such question.
pub fn delete_question(conn: &mut DbConnection, round_id: i64, code: &str) -> QueryResult<bool> {
    note(Change::Round(round_id));
    let question = questions::table
        .filter(questions::round_id.eq(round_id))
        .filter(questions::code.eq(code));
    Ok(diesel::delete(question).execute(conn)? > 0)
}

pub fn question_count(conn: &mut DbConnection, round_id: i64) -> QueryResult<i64> {
    questions::table
        .filter(questions::round_id.eq(round_id))
        .count()
        .get_result(conn)
}

/// Marks the "round open" emails as queued; true only for the first caller.
pub fn claim_open_notification(
    conn: &mut DbConnection,
    round_id: i64,
    now: DateTime<Utc>,
) -> QueryResult<bool> {
    diesel::update(
        rounds::table
            .find(round_id)
            .filter(rounds::open_notified_at.is_null()),
    )
    .set(rounds::open_notified_at.eq(now.naive_utc()))
    .execute(conn)
    .map(|n| n == 1)
}

/// Open rounds whose opening is due and not yet announced.
pub fn due_open_notifications(
    conn: &mut DbConnection,
    now: DateTime<Utc>,
) -> QueryResult<Vec<i64>> {
    rounds::table
        .filter(rounds::status.eq(RoundStatus::Open.as_str()))
        .filter(rounds::open_notified_at.is_null())
        .filter(
            rounds::opens_at
                .le(now.naive_utc())
                .or(rounds::opens_at.is_null()),
        )
        .filter(rounds::closes_at.gt(now.naive_utc()))
        .select(rounds::id)
        .load(conn)
}

/// The organisations invited to a round.
pub fn invited(conn: &mut DbConnection, round_id: i64) -> QueryResult<Vec<i64>> {
    use super::schema::round_invitations as ri;
    ri::table
        .filter(ri::round_id.eq(round_id))
        .select(ri::organisation_id)
        .load(conn)
}

pub fn invite_organisations(
    conn: &mut DbConnection,
    round_id: i64,
    organisation_ids: &[i64],
    now: DateTime<Utc>,
) -> QueryResult<usize> {
    use super::schema::round_invitations as ri;
    let already = invited(conn, round_id)?;
    let mut added = 0;
    for id in organisation_ids.iter().filter(|id| !already.contains(id)) {
        diesel::insert_into(ri::table)
            .values((
                ri::round_id.eq(round_id),
                ri::organisation_id.eq(id),
                ri::created_at.eq(now.naive_utc()),
            ))
            .execute(conn)?;
        added += 1;
    }
    Ok(added)
}

/// The approved organisations that may answer the round.
pub fn eligible_organisations(conn: &mut DbConnection, round: &Round) -> QueryResult<Vec<i64>> {
    Ok(eligible_with_names(conn, round)?
        .into_iter()
        .map(|(id, _)| id)
        .collect())
}

/// The organisations that may answer the round, with their names.
pub fn eligible_with_names(
    conn: &mut DbConnection,
    round: &Round,
) -> QueryResult<Vec<(i64, String)>> {
    use super::schema::{organisations as o, round_invitations as ri};
    let approved = o::table.filter(o::status.eq(OrganisationStatus::Approved.as_str()));
    match round.audience {
        Audience::AllApproved => approved.select((o::id, o::name)).load(conn),
        Audience::Invited => approved
            .inner_join(ri::table)
            .filter(ri::round_id.eq(round.id))
            .select((o::id, o::name))
            .load(conn),
    }
}

/// Whether the organisation is among those `eligible_with_names` lists, in one query
/// (every answer write to an invited round asks).
pub fn is_eligible(conn: &mut DbConnection, round: &Round, organisation: i64) -> QueryResult<bool> {
    use super::schema::{organisations as o, round_invitations as ri};
    let approved = o::table
        .filter(o::status.eq(OrganisationStatus::Approved.as_str()))
        .filter(o::id.eq(organisation));
    let found: i64 = match round.audience {
        Audience::AllApproved => approved.count().get_result(conn)?,
        Audience::Invited => approved
            .inner_join(ri::table)
            .filter(ri::round_id.eq(round.id))
            .count()
            .get_result(conn)?,
    };
    Ok(found > 0)
}

pub fn find_by_id(conn: &mut DbConnection, id: i64) -> QueryResult<Option<Round>> {
    let row: Option<RoundRow> = rounds::table
        .find(id)
        .select(RoundRow::as_select())
        .first(conn)
        .optional()?;
    row.map(Round::try_from).transpose()
}

/// Answer writes and changes of a round's state (status, dates, audience) exclude each
/// other on PostgreSQL through an advisory lock on the round, held until the transaction
/// ends: writers share it, a change takes it alone. A statement run after the lock reads
/// the round afresh, so a close is wholly before or wholly after each write. (A row lock,
/// FOR SHARE on the round, did the same but wrote the round's row at every autosave, and
/// 64 writers at once queued on that one row.) SQLite needs nothing: its write
/// transactions already take turns. The key is the round's id: the application takes no
/// other advisory lock.
pub fn hold_shared(conn: &mut DbConnection, id: i64) -> QueryResult<()> {
    advisory(conn, SHARED_LOCK, id)
}

pub(super) const SHARED_LOCK: &str = "pg_advisory_xact_lock_shared";

fn hold_alone(conn: &mut DbConnection, id: i64) -> QueryResult<()> {
    advisory(conn, "pg_advisory_xact_lock", id)
}

fn advisory(conn: &mut DbConnection, function: &str, id: i64) -> QueryResult<()> {
    if let DbConnection::Postgres(c) = conn {
        super::prepared::Prepared(
            diesel::sql_query(format!("SELECT 1 FROM (SELECT {function}($1)) AS held"))
                .bind::<diesel::sql_types::BigInt, _>(id),
        )
        .execute(c)?;
    }
    Ok(())
}

/// How many questions each round has (rounds without any are absent).
pub fn question_counts(
    conn: &mut DbConnection,
    round_ids: &[i64],
) -> QueryResult<std::collections::HashMap<i64, i64>> {
    let rows: Vec<(i64, i64)> = questions::table
        .filter(questions::round_id.eq_any(round_ids))
        .group_by(questions::round_id)
        .select((questions::round_id, diesel::dsl::count_star()))
        .load(conn)?;
    Ok(rows.into_iter().collect())
}

/// The rounds taking answers at `now`, the earliest deadline first, each with those of
/// `organisations` (approved ones: the caller's to say) that may answer it: all of them
/// for a round open to every approved organisation, the invited ones otherwise. Rounds
/// none of them may answer are left out.
pub fn open_to(
    conn: &mut DbConnection,
    organisations: &[i64],
    now: DateTime<Utc>,
) -> QueryResult<Vec<(Round, Vec<i64>)>> {
    use super::schema::round_invitations as ri;
    let mut open: Vec<Round> = list_public(conn)?
        .into_iter()
        .map(|(round, _)| round)
        .filter(|r| r.accepts_answers_at(now))
        .collect();
    open.sort_by_key(|r| (r.closes_at, r.id));
    let mut found = Vec::with_capacity(open.len());
    for round in open {
        let may = match round.audience {
            Audience::AllApproved => organisations.to_vec(),
            Audience::Invited => ri::table
                .filter(ri::round_id.eq(round.id))
                .filter(ri::organisation_id.eq_any(organisations))
                .select(ri::organisation_id)
                .load(conn)?,
        };
        if !may.is_empty() {
            found.push((round, may));
        }
    }
    Ok(found)
}
