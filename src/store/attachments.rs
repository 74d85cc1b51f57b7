//! Documents attached to responses: their rows (one per version), the contents they
//! name (`stored_files`), and what a round allows.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::DbConnection;
use super::schema::{attachments, organisations, responses, rounds, stored_files, users};
use crate::domain::attachments::{AttachmentPolicy, TextState};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = attachments)]
pub struct AttachmentRow {
    pub id: i64,
    pub token: String,
    pub response_id: i64,
    pub question_id: Option<i64>,
    pub lineage: Option<i64>,
    pub version: i32,
    pub title: String,
    pub description: String,
    pub file_name: String,
    pub media_type: String,
    pub size: i64,
    pub sha256: String,
    pub uploaded_by: Option<i64>,
    pub uploaded_at: NaiveDateTime,
    pub replaced_at: Option<NaiveDateTime>,
    pub deleted_at: Option<NaiveDateTime>,
    pub deleted_by: Option<i64>,
}

impl AttachmentRow {
    /// The first version's id, which every later version shares.
    pub fn lineage(&self) -> i64 {
        self.lineage.unwrap_or(self.id)
    }

    pub fn is_current(&self) -> bool {
        self.replaced_at.is_none() && self.deleted_at.is_none()
    }
}

#[derive(Debug, Insertable)]
#[diesel(table_name = attachments)]
pub struct NewAttachment<'a> {
    pub token: &'a str,
    pub response_id: i64,
    pub question_id: Option<i64>,
    pub lineage: Option<i64>,
    pub version: i32,
    pub title: &'a str,
    pub description: &'a str,
    pub file_name: &'a str,
    pub media_type: &'a str,
    pub size: i64,
    pub sha256: &'a str,
    pub uploaded_by: Option<i64>,
    pub uploaded_at: NaiveDateTime,
}

pub fn policy(conn: &mut DbConnection, round_id: i64) -> QueryResult<AttachmentPolicy> {
    let (area, file_limit, response_limit) = rounds::table
        .find(round_id)
        .select((
            rounds::attachments_area,
            rounds::attachment_file_limit,
            rounds::attachment_response_limit,
        ))
        .first::<(bool, i64, i64)>(conn)?;
    Ok(AttachmentPolicy {
        area,
        file_limit,
        response_limit,
    })
}

pub fn set_policy(
    conn: &mut DbConnection,
    round_id: i64,
    policy: &AttachmentPolicy,
) -> QueryResult<()> {
    diesel::update(rounds::table.find(round_id))
        .set((
            rounds::attachments_area.eq(policy.area),
            rounds::attachment_file_limit.eq(policy.file_limit),
            rounds::attachment_response_limit.eq(policy.response_limit),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Records that an upload wants the content `sha256` (before it is put in the object
/// store: the clean-up then leaves it alone for a day).
/// `text`: what its text awaits (`Pending` for a kind whose text is read).
pub fn touch_content(
    conn: &mut DbConnection,
    sha256: &str,
    size: i64,
    media_type: &str,
    text: TextState,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let updated = diesel::update(stored_files::table.find(sha256))
        .set(stored_files::touched_at.eq(now))
        .execute(conn)?;
    if updated == 0 {
        use diesel::sql_types::{BigInt, Text, Timestamp};
        // Two uploads of one content at once: the second insert finds the first's row.
        let sql = match conn {
            DbConnection::Postgres(_) => {
                "INSERT INTO stored_files (sha256, size, media_type, touched_at, text_state) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (sha256) DO NOTHING"
            }
            DbConnection::Sqlite(_) => {
                "INSERT OR IGNORE INTO stored_files \
                 (sha256, size, media_type, touched_at, text_state) VALUES ($1, $2, $3, $4, $5)"
            }
        };
        diesel::sql_query(sql)
            .bind::<Text, _>(sha256)
            .bind::<BigInt, _>(size)
            .bind::<Text, _>(media_type)
            .bind::<Timestamp, _>(now)
            .bind::<Text, _>(text.as_str())
            .execute(conn)?;
    }
    Ok(())
}

pub fn insert(conn: &mut DbConnection, new: &NewAttachment<'_>) -> QueryResult<AttachmentRow> {
    let id: i64 = diesel::insert_into(attachments::table)
        .values(new)
        .returning(attachments::id)
        .get_result(conn)?;
    attachments::table
        .find(id)
        .select(AttachmentRow::as_select())
        .first(conn)
}

pub fn mark_replaced(conn: &mut DbConnection, id: i64, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(attachments::table.find(id))
        .set(attachments::replaced_at.eq(now))
        .execute(conn)
        .map(|_| ())
}

pub fn mark_deleted(
    conn: &mut DbConnection,
    id: i64,
    by: i64,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(attachments::table.find(id))
        .set((
            attachments::deleted_at.eq(now),
            attachments::deleted_by.eq(by),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Every version of every document of a response, oldest first.
pub fn of_response(conn: &mut DbConnection, response_id: i64) -> QueryResult<Vec<AttachmentRow>> {
    attachments::table
        .filter(attachments::response_id.eq(response_id))
        .order(attachments::id.asc())
        .select(AttachmentRow::as_select())
        .load(conn)
}

/// The current documents of a response, oldest first.
pub fn current_of_response(
    conn: &mut DbConnection,
    response_id: i64,
) -> QueryResult<Vec<AttachmentRow>> {
    attachments::table
        .filter(attachments::response_id.eq(response_id))
        .filter(attachments::replaced_at.is_null())
        .filter(attachments::deleted_at.is_null())
        .order(attachments::id.asc())
        .select(AttachmentRow::as_select())
        .load(conn)
}

/// A version by its download's name, with its response's round and organisation.
pub struct Located {
    pub row: AttachmentRow,
    pub round_id: i64,
    pub round_slug: String,
    pub organisation_id: i64,
}

pub fn by_token(conn: &mut DbConnection, token: &str) -> QueryResult<Option<Located>> {
    attachments::table
        .inner_join(responses::table)
        .inner_join(rounds::table.on(rounds::id.eq(responses::round_id)))
        .filter(attachments::token.eq(token))
        .select((
            AttachmentRow::as_select(),
            rounds::id,
            rounds::slug,
            responses::organisation_id,
        ))
        .first::<(AttachmentRow, i64, String, i64)>(conn)
        .optional()
        .map(|found| {
            found.map(|(row, round_id, round_slug, organisation_id)| Located {
                row,
                round_id,
                round_slug,
                organisation_id,
            })
        })
}

/// A round's current documents (of submitted responses, or of drafts too), with their
/// organisation's id and name, by organisation then upload (the exports and the bundle).
pub fn current_of_round(
    conn: &mut DbConnection,
    round_id: i64,
    with_drafts: bool,
) -> QueryResult<Vec<(i64, String, AttachmentRow)>> {
    let mut query = attachments::table
        .inner_join(responses::table)
        .inner_join(organisations::table.on(organisations::id.eq(responses::organisation_id)))
        .filter(responses::round_id.eq(round_id))
        .filter(attachments::replaced_at.is_null())
        .filter(attachments::deleted_at.is_null())
        .order((organisations::name.asc(), attachments::id.asc()))
        .select((
            organisations::id,
            organisations::name,
            AttachmentRow::as_select(),
        ))
        .into_boxed();
    if !with_drafts {
        use crate::domain::responses::ResponseStatus;
        query = query.filter(responses::status.eq(ResponseStatus::Submitted.as_str()));
    }
    query.load(conn)
}

/// The names of the people who uploaded `rows` (absent: a former member).
pub fn uploaders(
    conn: &mut DbConnection,
    rows: &[AttachmentRow],
) -> QueryResult<std::collections::HashMap<i64, String>> {
    let ids: Vec<i64> = rows.iter().filter_map(|r| r.uploaded_by).collect();
    Ok(users::table
        .filter(users::id.eq_any(ids))
        .select((users::id, users::display_name))
        .load::<(i64, String)>(conn)?
        .into_iter()
        .collect())
}

/// The contents no document names any more, last wanted before `before`: deleted from
/// the table here, to be deleted from the object store by the caller.
pub fn take_unnamed_contents(
    conn: &mut DbConnection,
    before: NaiveDateTime,
) -> QueryResult<Vec<String>> {
    let named = attachments::table.select(attachments::sha256);
    diesel::delete(
        stored_files::table
            .filter(stored_files::touched_at.lt(before))
            .filter(stored_files::sha256.ne_all(named)),
    )
    .returning(stored_files::sha256)
    .get_results(conn)
}

/// How many rows name the content (tests, the bundle).
pub fn contents_count(conn: &mut DbConnection) -> QueryResult<i64> {
    stored_files::table.count().get_result(conn)
}

/// A content whose text an instance has taken to read.
#[derive(Debug, Clone, Queryable)]
pub struct ContentToRead {
    pub sha256: String,
    pub size: i64,
    pub media_type: String,
}

/// Takes a content whose text awaits reading, for this instance: one a document names
/// (an upload records its content before storing it, and names it once stored), that
/// nobody took or that an instance took before `stale` (and died since, or gave up).
/// The claim is a conditional update: of two instances after the same content, one gets
/// it.
pub fn claim_text(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    stale: NaiveDateTime,
) -> QueryResult<Option<ContentToRead>> {
    let waiting = || {
        stored_files::text_state
            .eq(TextState::Pending.as_str())
            .and(
                stored_files::text_claimed_at
                    .is_null()
                    .or(stored_files::text_claimed_at.lt(stale)),
            )
    };
    let candidates: Vec<ContentToRead> = stored_files::table
        .filter(waiting())
        .filter(stored_files::sha256.eq_any(attachments::table.select(attachments::sha256)))
        .select((
            stored_files::sha256,
            stored_files::size,
            stored_files::media_type,
        ))
        .order(stored_files::touched_at)
        .limit(8)
        .load(conn)?;
    for candidate in candidates {
        let taken = diesel::update(
            stored_files::table
                .find(&candidate.sha256)
                .filter(waiting()),
        )
        .set(stored_files::text_claimed_at.eq(now))
        .execute(conn)?;
        if taken == 1 {
            return Ok(Some(candidate));
        }
    }
    Ok(None)
}

/// What came of reading a content's text (its text when `Extracted`); the claim ends.
pub fn set_text(
    conn: &mut DbConnection,
    sha256: &str,
    state: TextState,
    text: Option<&str>,
) -> QueryResult<()> {
    diesel::update(stored_files::table.find(sha256))
        .set((
            stored_files::text_state.eq(state.as_str()),
            stored_files::extracted_text.eq(text),
            stored_files::text_claimed_at.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)
        .map(|_| ())
}

/// How many contents named by documents await the reading of their text (tests).
pub fn texts_waiting(conn: &mut DbConnection) -> QueryResult<i64> {
    stored_files::table
        .filter(stored_files::text_state.eq(TextState::Pending.as_str()))
        .filter(stored_files::sha256.eq_any(attachments::table.select(attachments::sha256)))
        .count()
        .get_result(conn)
}

/// The state and text of content `sha256` (tests).
pub fn text_of(
    conn: &mut DbConnection,
    sha256: &str,
) -> QueryResult<Option<(TextState, Option<String>)>> {
    stored_files::table
        .find(sha256)
        .select((stored_files::text_state, stored_files::extracted_text))
        .first(conn)
        .optional()
}
