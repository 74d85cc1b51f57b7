//! Responses and their answers, with versions and history: the response itself here,
//! and one module per seam (`writing`, `transitions`, `progress`, `history`, `kept`).

mod history;
mod kept;
mod progress;
mod transitions;
mod writing;

pub use self::history::*;
pub use self::kept::*;
pub use self::progress::*;
pub use self::transitions::*;
pub use self::writing::*;

use std::collections::HashMap;

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Timestamp};

use super::DbConnection;
use super::prepared::Prepared;
use super::schema::{answer_history, answers, questions, responses, users};
use super::sql;
use crate::domain::answers::AnswerValue;
use crate::domain::organisations::{MemberRole, OrganisationStatus};
use crate::domain::responses::{Progress, PublicationConsent, ResponseStatus};

#[derive(Debug, Clone, Queryable, QueryableByName, Selectable)]
#[diesel(table_name = responses)]
pub struct ResponseRow {
    pub id: i64,
    pub round_id: i64,
    pub organisation_id: i64,
    pub status: ResponseStatus,
    pub submitted_at: Option<NaiveDateTime>,
    pub submitted_by: Option<i64>,
    pub publication_consent: PublicationConsent,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// Answers given (value not NULL), all and of required questions: see `tally`.
    pub answered: i32,
    pub required_answered: i32,
}

/// An answer as stored, with its question's code and its last author's name.
#[derive(Debug, Clone)]
pub struct StoredAnswer {
    pub id: i64,
    pub question_code: String,
    pub value: Option<AnswerValue>,
    pub version: i32,
    pub updated_by: Option<String>,
    pub updated_at: NaiveDateTime,
}

/// The organisation's response to the round (one at most), as a query.
#[diesel::dsl::auto_type]
pub(super) fn response_of(round_id: i64, organisation_id: i64) -> _ {
    responses::table
        .filter(responses::round_id.eq(round_id))
        .filter(responses::organisation_id.eq(organisation_id))
}

pub fn find(
    conn: &mut DbConnection,
    round_id: i64,
    organisation_id: i64,
) -> QueryResult<Option<ResponseRow>> {
    response_of(round_id, organisation_id)
        .select(ResponseRow::as_select())
        .first(conn)
        .optional()
}

/// The response, created if absent. Two first writes at once both get the same row:
/// the insert ignores a conflict (per backend: diesel's multi-connection has no upsert).
pub fn find_or_create(
    conn: &mut DbConnection,
    round_id: i64,
    organisation_id: i64,
    now: DateTime<Utc>,
) -> QueryResult<ResponseRow> {
    if let Some(found) = find(conn, round_id, organisation_id)? {
        return Ok(found);
    }
    let now = now.naive_utc();
    match conn {
        DbConnection::Postgres(c) => diesel::sql_query(
            "INSERT INTO responses (round_id, organisation_id, created_at, updated_at) VALUES ($1, $2, $3, $3) \
             ON CONFLICT (round_id, organisation_id) DO NOTHING",
        )
        .bind::<BigInt, _>(round_id)
        .bind::<BigInt, _>(organisation_id)
        .bind::<Timestamp, _>(now)
        .execute(c)?,
        DbConnection::Sqlite(c) => diesel::sql_query(
            "INSERT OR IGNORE INTO responses (round_id, organisation_id, created_at, updated_at) VALUES (?, ?, ?, ?)",
        )
        .bind::<BigInt, _>(round_id)
        .bind::<BigInt, _>(organisation_id)
        .bind::<Timestamp, _>(now)
        .bind::<Timestamp, _>(now)
        .execute(c)?,
    };
    find(conn, round_id, organisation_id)?.ok_or(diesel::result::Error::NotFound)
}

/// Every answer of a response, with its question's code from `codes` (the round's, by
/// question id: the caller has them in memory, so the questions are not read again).
pub fn answers_of(
    conn: &mut DbConnection,
    response_id: i64,
    codes: &HashMap<i64, String>,
) -> QueryResult<Vec<StoredAnswer>> {
    type Row = (
        i64,
        i64,
        Option<AnswerValue>,
        i32,
        Option<String>,
        NaiveDateTime,
    );
    // The author's name by a subquery per answer (an index lookup each), not a join:
    // PostgreSQL joined the 40 answers to every account by hashing the whole table
    // (1.5 ms of a 1.9 ms read with 2,000 accounts), its estimates favouring the hash.
    let updated_by = super::prepared::fixed::<diesel::sql_types::Nullable<diesel::sql_types::Text>>(
        "(SELECT u.display_name FROM users u WHERE u.id = answers.updated_by)",
    );
    let rows: Vec<Row> = answers::table
        .filter(answers::response_id.eq(response_id))
        .select((
            answers::id,
            answers::question_id,
            answers::value,
            answers::version,
            updated_by,
            answers::updated_at,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, question, value, version, updated_by, updated_at)| {
            Some(StoredAnswer {
                id,
                question_code: codes.get(&question)?.clone(),
                value,
                version,
                updated_by,
                updated_at,
            })
        })
        .collect())
}

/// The current answer to a question: (answer id, value, version).
pub fn current(
    conn: &mut DbConnection,
    response_id: i64,
    question_id: i64,
) -> QueryResult<Option<(i64, Option<AnswerValue>, i32)>> {
    answers::table
        .filter(answers::response_id.eq(response_id))
        .filter(answers::question_id.eq(question_id))
        .select((answers::id, answers::value, answers::version))
        .first(conn)
        .optional()
}
