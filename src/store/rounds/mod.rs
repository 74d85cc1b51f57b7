//! Rounds, chapters and questions: the rounds themselves here, and one module per seam
//! (`structure`, `openings`, `audience`, `state`).

mod audience;
mod openings;
mod state;
mod structure;

pub use self::audience::*;
pub use self::openings::*;
pub use self::state::*;
pub use self::structure::*;

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

pub(super) fn utc(t: NaiveDateTime) -> DateTime<Utc> {
    t.and_utc()
}

/// A stored value the domain does not recognise: the database was written by
/// something else than this code, which is a server fault, not a client one.
pub(super) fn corrupt(what: &str, value: &str) -> diesel::result::Error {
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
    with_chapters(conn, rows)
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

/// `rows` with their chapters in order, read in one more query.
fn with_chapters(
    conn: &mut DbConnection,
    rows: Vec<RoundRow>,
) -> QueryResult<Vec<(Round, Vec<Chapter>)>> {
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

/// Every round, drafts included, latest deadline first (coordinators).
pub fn list_all(conn: &mut DbConnection) -> QueryResult<Vec<(Round, Vec<Chapter>)>> {
    let rows: Vec<RoundRow> = rounds::table
        .order((rounds::closes_at.desc(), rounds::id.desc()))
        .select(RoundRow::as_select())
        .load(conn)?;
    with_chapters(conn, rows)
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
    // The retention of an archived round's drafts and answers counts from its archiving.
    let archived_at = (status == RoundStatus::Archived).then(|| now.naive_utc());
    diesel::update(rounds::table.find(id))
        .set((
            rounds::status.eq(status.as_str()),
            rounds::opens_at.eq(opens_at.map(|t| t.naive_utc())),
            rounds::updated_at.eq(now.naive_utc()),
            rounds::archived_at.eq(archived_at),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Whether the round's answers are kept after its archiving (the coordinators' choice).
pub fn set_answers_kept(conn: &mut DbConnection, id: i64, kept: bool) -> QueryResult<()> {
    diesel::update(rounds::table.find(id))
        .set(rounds::answers_kept.eq(kept))
        .execute(conn)
        .map(|_| ())
}
