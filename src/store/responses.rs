//! Responses and their answers, with versions and history.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Timestamp};

use super::DbConnection;
use super::prepared::Prepared;
use super::schema::{answer_history, answers, questions, responses, users};
use super::sql;
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
    pub question_code: String,
    pub value: Option<String>,
    pub version: i32,
    pub updated_by: Option<String>,
    pub updated_at: NaiveDateTime,
}

/// The organisation's response to the round (one at most), as a query.
#[diesel::dsl::auto_type]
fn response_of(round_id: i64, organisation_id: i64) -> _ {
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
    type Row = (i64, Option<String>, i32, Option<String>, NaiveDateTime);
    // The author's name by a subquery per answer (an index lookup each), not a join:
    // PostgreSQL joined the 40 answers to every account by hashing the whole table
    // (1.5 ms of a 1.9 ms read with 2,000 accounts), its estimates favouring the hash.
    let updated_by = super::prepared::fixed::<diesel::sql_types::Nullable<diesel::sql_types::Text>>(
        "(SELECT u.display_name FROM users u WHERE u.id = answers.updated_by)",
    );
    let rows: Vec<Row> = answers::table
        .filter(answers::response_id.eq(response_id))
        .select((
            answers::question_id,
            answers::value,
            answers::version,
            updated_by,
            answers::updated_at,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(question, value, version, updated_by, updated_at)| {
            Some(StoredAnswer {
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
) -> QueryResult<Option<(i64, Option<String>, i32)>> {
    answers::table
        .filter(answers::response_id.eq(response_id))
        .filter(answers::question_id.eq(question_id))
        .select((answers::id, answers::value, answers::version))
        .first(conn)
        .optional()
}

/// What an answer write reads before its transaction, in one query: the organisation's
/// status, the caller's role in it (none for a stranger) and the response, if started.
/// What may change meanwhile (the response submitted, the round closed) is checked
/// again by the write itself.
pub struct WriteContext {
    pub organisation_status: OrganisationStatus,
    pub role: Option<MemberRole>,
    pub response: Option<ResponseRow>,
    /// What `probe` found: an answer stored cleared, which a write may give again (the
    /// response's tallies then change).
    pub probe_cleared: bool,
}

/// Which stored answers `write_context` looks at for one stored cleared.
#[derive(Debug, Clone, Copy)]
pub enum ClearedProbe {
    /// None: every answer written is new.
    Nothing,
    /// The one answer written.
    Question(i64),
    /// Any answer of the response (a write of several: more than needed, never less).
    AnyAnswer,
}

pub fn write_context(
    conn: &mut DbConnection,
    round_id: i64,
    organisation_id: i64,
    user_id: i64,
    probe: ClearedProbe,
) -> QueryResult<Option<WriteContext>> {
    use super::prepared::{fixed, fixed_with};
    use super::schema::{memberships, organisations};
    use diesel::sql_types::Bool;
    // In the same statement as the rest: on SQLite each statement after another
    // connection's write starts from a cold page cache, so one more cost an autosave a
    // tenth of its time; on PostgreSQL, a round trip.
    let cleared = match probe {
        ClearedProbe::Nothing => fixed::<Bool>("FALSE"),
        ClearedProbe::Question(id) => fixed_with::<Bool>(
            "EXISTS (SELECT 1 FROM answers a WHERE a.response_id = responses.id \
             AND a.question_id = ",
            id,
            " AND a.value IS NULL)",
        ),
        ClearedProbe::AnyAnswer => fixed::<Bool>(
            "EXISTS (SELECT 1 FROM answers a WHERE a.response_id = responses.id \
             AND a.value IS NULL)",
        ),
    };
    let row: Option<(String, Option<String>, Option<ResponseRow>, bool)> = organisations::table
        .left_join(
            memberships::table.on(memberships::organisation_id
                .eq(organisations::id)
                .and(memberships::user_id.eq(user_id))),
        )
        .left_join(
            responses::table.on(responses::organisation_id
                .eq(organisations::id)
                .and(responses::round_id.eq(round_id))),
        )
        .filter(organisations::id.eq(organisation_id))
        .select((
            organisations::status,
            memberships::role.nullable(),
            // (The columns in the struct's order: its `Queryable` reads them by place.)
            responses::all_columns.nullable(),
            cleared,
        ))
        .first(conn)
        .optional()?;
    Ok(row.map(|(status, role, response, probe_cleared)| {
        let (organisation_status, role) =
            super::organisations::parse_membership(&status, role.as_deref());
        WriteContext {
            organisation_status,
            role,
            response,
            probe_cleared,
        }
    }))
}

/// One answer to write: the new value and the version its writer saw (0: none yet).
pub struct NewVersion<'a> {
    pub round_id: i64,
    pub response_id: i64,
    pub question_id: i64,
    pub value: Option<&'a str>,
    pub expected: i32,
    pub user_id: i64,
    pub now: NaiveDateTime,
}

#[derive(QueryableByName)]
struct Written {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = diesel::sql_types::Integer)]
    version: i32,
}

/// Writes a new version of an answer, with its history row, if the round is open, the
/// response a draft and `expected` still the current version; returns the new version,
/// or `None` when one of those did not hold (nothing written; the caller finds which).
/// Inside the caller's `store::answers_transaction`: on PostgreSQL one statement, on
/// SQLite two.
pub fn write_if_current(conn: &mut DbConnection, w: &NewVersion<'_>) -> QueryResult<Option<i32>> {
    use diesel::sql_types::{Integer, Nullable, Text};
    let inserting = w.expected == 0;
    // ($7, the version seen, only in the update: PostgreSQL refuses an unused parameter.)
    let pick = |statements: &'static sql::AnswerWrite| {
        if inserting {
            statements.insert.as_str()
        } else {
            statements.update.as_str()
        }
    };
    macro_rules! run {
        ($conn:expr, $sql:expr) => {{
            let query = diesel::sql_query($sql)
                .bind::<Nullable<Text>, _>(w.value)
                .bind::<BigInt, _>(w.user_id)
                .bind::<Timestamp, _>(w.now)
                .bind::<BigInt, _>(w.response_id)
                .bind::<BigInt, _>(w.question_id)
                .bind::<BigInt, _>(w.round_id);
            if inserting {
                Prepared(query).get_result::<Written>($conn).optional()?
            } else {
                Prepared(query.bind::<Integer, _>(w.expected))
                    .get_result::<Written>($conn)
                    .optional()?
            }
        }};
    }
    let written = match conn {
        DbConnection::Postgres(c) => run!(c, pick(&sql::ANSWER_POSTGRES)),
        DbConnection::Sqlite(c) => {
            let written = run!(c, pick(&sql::ANSWER_SQLITE));
            if let Some(written) = &written {
                diesel::insert_into(answer_history::table)
                    .values((
                        answer_history::answer_id.eq(written.id),
                        answer_history::value.eq(w.value),
                        answer_history::version.eq(written.version),
                        answer_history::changed_by.eq(w.user_id),
                        answer_history::changed_at.eq(w.now),
                    ))
                    .execute(c)?;
            }
            written
        }
    };
    Ok(written.map(|w| w.version))
}

/// Answers of an organisation's response, as its member writes them: for each, the
/// question, the new value and the version seen.
pub struct MemberWrite<'a> {
    pub round_id: i64,
    pub organisation_id: i64,
    pub answers: Vec<(i64, &'a str, i32)>,
    pub user_id: i64,
    pub now: NaiveDateTime,
}

/// The message of `concerto_all_written` (migration 2026-11-29-000014) when it undoes a
/// statement that wrote only some of its answers.
const PARTIAL_WRITE: &str = "concerto: partial answer write";

/// What `write_as_member` wrote: the new version of each answer (in the order given), the
/// response and its `updated_at` before the write (for `touch`).
pub struct Landed {
    pub versions: Vec<i32>,
    pub response_id: i64,
    pub updated_at: NaiveDateTime,
}

/// The autosave's one statement (PostgreSQL), also for several answers at once, outside
/// any transaction: answers already given (each `expected` > 0) to a draft response of an
/// approved organisation, written by one of its owners or editors while the round is
/// open, each version still the one seen, with their history rows; all of them or none.
/// Checks everything `write_context` and `write_if_current` check between them, at the
/// moment it writes (the round's shared lock through `concerto_round_open_held`, the
/// response's row held), but cannot say which one failed: `None` sends the caller down
/// the path that finds out. For rounds open to every approved organisation (an invited
/// round takes that path), and given answers given anew (values not NULL, the stored
/// ones neither): the response's tallies stay as they are.
pub fn write_as_member(
    conn: &mut DbConnection,
    w: &MemberWrite<'_>,
) -> QueryResult<Option<Landed>> {
    use diesel::sql_types::{Array, Integer, Text};
    #[derive(QueryableByName)]
    struct Row {
        #[diesel(sql_type = BigInt)]
        question_id: i64,
        #[diesel(sql_type = Integer)]
        version: i32,
        #[diesel(sql_type = BigInt)]
        response_id: i64,
        #[diesel(sql_type = Timestamp)]
        touched_at: NaiveDateTime,
    }
    let DbConnection::Postgres(c) = conn else {
        return Ok(None);
    };
    // The round's lock is taken while the response is found, before its row is held (the
    // rows are locked above every filter), in the order of the other writes and of a
    // submission: a writer holding the response and waiting for the round behind a
    // close, itself waiting for a writer that waits for that response, would deadlock.
    // Without a transaction, a statement is its own: `concerto_all_written` undoes it
    // when it wrote only some of the answers.
    let written: Result<Vec<Row>, _> = match w.answers[..] {
        // One answer (the usual autosave): its own statement, which finds the answer by
        // its key; the arrays' join reads all of the response's answers to find one (the
        // autosave benchmark on PostgreSQL: 18 % of pgbench in the run with it, 33 % in the
        // run after).
        [(question_id, value, expected)] => Prepared(
            diesel::sql_query(sql::MEMBER_WRITE_ONE.as_str())
                .bind::<BigInt, _>(question_id)
                .bind::<Text, _>(value)
                .bind::<Integer, _>(expected)
                .bind::<BigInt, _>(w.organisation_id)
                .bind::<BigInt, _>(w.user_id)
                .bind::<Timestamp, _>(w.now)
                .bind::<BigInt, _>(w.round_id),
        )
        .load(c),
        _ => Prepared(
            diesel::sql_query(sql::MEMBER_WRITE_MANY.as_str())
                .bind::<Array<BigInt>, _>(w.answers.iter().map(|a| a.0).collect::<Vec<_>>())
                .bind::<Array<Text>, _>(w.answers.iter().map(|a| a.1).collect::<Vec<_>>())
                .bind::<Array<Integer>, _>(w.answers.iter().map(|a| a.2).collect::<Vec<_>>())
                .bind::<BigInt, _>(w.organisation_id)
                .bind::<BigInt, _>(w.user_id)
                .bind::<Timestamp, _>(w.now)
                .bind::<BigInt, _>(w.round_id)
                .bind::<Integer, _>(w.answers.len() as i32),
        )
        .load(c),
    };
    let written = match written {
        Err(diesel::result::Error::DatabaseError(_, info))
            if info.message().starts_with(PARTIAL_WRITE) =>
        {
            return Ok(None);
        }
        written => written?,
    };
    let Some(first) = written.first() else {
        return Ok(None);
    };
    // Every answer is there: a statement that wrote some but not all was undone above.
    let versions: std::collections::HashMap<i64, i32> =
        written.iter().map(|r| (r.question_id, r.version)).collect();
    Ok(Some(Landed {
        versions: w.answers.iter().map(|a| versions[&a.0]).collect(),
        response_id: first.response_id,
        updated_at: first.touched_at,
    }))
}

/// Several answers of one response written as `write_if_current` writes one, in order;
/// the new version of each, or `None` for those not written (the caller's transaction
/// then undoes the others). On PostgreSQL, one statement for them all.
pub fn write_all_if_current(
    conn: &mut DbConnection,
    writes: &[NewVersion<'_>],
) -> QueryResult<Vec<Option<i32>>> {
    let (DbConnection::Postgres(c), [first, _, ..]) = (&mut *conn, writes) else {
        return writes.iter().map(|w| write_if_current(conn, w)).collect();
    };
    use diesel::sql_types::{Array, Integer, Nullable, Text};
    let written: Vec<Written> = Prepared(
        diesel::sql_query(sql::ANSWERS_IF_CURRENT.as_str())
            .bind::<Array<BigInt>, _>(writes.iter().map(|w| w.question_id).collect::<Vec<_>>())
            .bind::<Array<Nullable<Text>>, _>(writes.iter().map(|w| w.value).collect::<Vec<_>>())
            .bind::<Array<Integer>, _>(writes.iter().map(|w| w.expected).collect::<Vec<_>>())
            .bind::<BigInt, _>(first.response_id)
            .bind::<BigInt, _>(first.user_id)
            .bind::<Timestamp, _>(first.now)
            .bind::<BigInt, _>(first.round_id),
    )
    .load(c)?;
    let versions: std::collections::HashMap<i64, i32> =
        written.into_iter().map(|w| (w.id, w.version)).collect();
    Ok(writes
        .iter()
        .map(|w| versions.get(&w.question_id).copied())
        .collect())
}

/// Marks the response active now, at most every half-minute: an autosave every few
/// seconds need not rewrite the response's row (nor ask the database) each time.
/// (`updated_at`: the response's, as last read.)
pub fn touch(
    conn: &mut DbConnection,
    response_id: i64,
    updated_at: NaiveDateTime,
    now: NaiveDateTime,
) -> QueryResult<()> {
    if !due_for_touch(updated_at, now) {
        return Ok(());
    }
    diesel::update(
        responses::table
            .find(response_id)
            .filter(responses::updated_at.lt(touched_before(now))),
    )
    .set(responses::updated_at.eq(now))
    .execute(conn)
    .map(|_| ())
}

/// Whether `touch` would write, the response last marked active at `updated_at`.
pub fn due_for_touch(updated_at: NaiveDateTime, now: NaiveDateTime) -> bool {
    updated_at < touched_before(now)
}

/// A response marked active before this is due to be marked again.
fn touched_before(now: NaiveDateTime) -> NaiveDateTime {
    now - chrono::Duration::seconds(30)
}

/// Holds the response's row for the rest of the transaction before its answers are written
/// (PostgreSQL; SQLite's write transaction already excludes other writers): `tally` or
/// `touch` will update it, and two writers holding it shared (as each write does), then
/// both waiting to update it, would deadlock.
pub fn hold_for_tally(conn: &mut DbConnection, response_id: i64) -> QueryResult<()> {
    if let DbConnection::Postgres(c) = conn {
        responses::table
            .find(response_id)
            .select(responses::id)
            .for_update()
            .get_result::<i64>(c)?;
    }
    Ok(())
}

/// Counts the response's given answers again, all and of the `required` questions, after
/// writes that may have given, cleared or given again an answer; marks it active `now`.
/// (In the writes' transaction, after `hold_for_tally`.)
pub fn tally(
    conn: &mut DbConnection,
    response_id: i64,
    required: &[i64],
    now: NaiveDateTime,
) -> QueryResult<()> {
    let required = if required.is_empty() {
        "NULL".to_owned()
    } else {
        required
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    };
    // (The required ids are numbers written in the statement: NULL, never matched, if none.)
    let given =
        "SELECT COUNT(*) FROM answers a WHERE a.response_id = responses.id AND a.value IS NOT NULL";
    diesel::sql_query(format!(
        "UPDATE responses SET answered = ({given}), \
         required_answered = ({given} AND a.question_id IN ({required})), updated_at = $1 \
         WHERE id = $2"
    ))
    .bind::<Timestamp, _>(now)
    .bind::<BigInt, _>(response_id)
    .execute(conn)
    .map(|_| ())
}

/// The last author's name of an answer (for a conflict's explanation).
pub fn last_author(
    conn: &mut DbConnection,
    response_id: i64,
    question_id: i64,
) -> QueryResult<Option<String>> {
    answers::table
        .inner_join(users::table.on(users::id.nullable().eq(answers::updated_by)))
        .filter(answers::response_id.eq(response_id))
        .filter(answers::question_id.eq(question_id))
        .select(users::display_name)
        .first(conn)
        .optional()
}

/// Submits the draft response in one statement, which holds its row until the transaction
/// ends (no write lands on it meanwhile): the row as it now is, or `None` when there is no
/// draft (none at all, or already submitted).
pub fn submit_draft(
    conn: &mut DbConnection,
    round_id: i64,
    organisation_id: i64,
    user_id: i64,
    consent: PublicationConsent,
    now: DateTime<Utc>,
) -> QueryResult<Option<ResponseRow>> {
    let draft = responses::status.eq(ResponseStatus::Draft.as_str());
    diesel::update(response_of(round_id, organisation_id).filter(draft))
        .set((
            responses::status.eq(ResponseStatus::Submitted.as_str()),
            responses::submitted_at.eq(now.naive_utc()),
            responses::submitted_by.eq(user_id),
            responses::publication_consent.eq(consent.as_str()),
            responses::updated_at.eq(now.naive_utc()),
        ))
        .returning(responses::all_columns)
        .get_result(conn)
        .optional()
}

/// Puts the submitted response back in draft, in one statement: the row as it now is, or
/// `None` when there is no submitted response.
pub fn reopen(
    conn: &mut DbConnection,
    round_id: i64,
    organisation_id: i64,
    now: DateTime<Utc>,
) -> QueryResult<Option<ResponseRow>> {
    let submitted = responses::status.eq(ResponseStatus::Submitted.as_str());
    diesel::update(response_of(round_id, organisation_id).filter(submitted))
        .set((
            responses::status.eq(ResponseStatus::Draft.as_str()),
            responses::updated_at.eq(now.naive_utc()),
        ))
        .returning(responses::all_columns)
        .get_result(conn)
        .optional()
}

/// A response's change of state by one of its organisation's members.
pub enum Transition {
    /// A draft submitted, with the publication consent given.
    Submit { consent: PublicationConsent },
    /// A submitted response back in draft.
    Reopen,
}

/// What `transition_as_member` changed, with what a submission's receipts need.
pub struct Transitioned {
    pub response: ResponseRow,
    pub organisation_name: String,
    pub members: Vec<super::organisations::Recipient>,
}

/// A submission or a reopening in one statement on PostgreSQL, with its audit event, in
/// the round's lock (`concerto_round_open_held`; inside a transaction that holds it
/// already, taken again for nothing): the response of an approved organisation, changed
/// by one of its owners or editors while the round is open, from the state the transition
/// starts from. Checks everything `organisations::membership_in_round` reads for the
/// caller to judge, but cannot say which one failed: `None` (and on SQLite) sends the
/// caller down the path that finds out. Otherwise the response as it now is, the
/// organisation's name and its members (`organisations::members_of`, read along: one
/// round trip fewer for a submission's receipts). For rounds open to every approved
/// organisation (an invited round takes that path).
pub fn transition_as_member(
    conn: &mut DbConnection,
    transition: &Transition,
    round_id: i64,
    organisation_id: i64,
    now: NaiveDateTime,
    event: &super::audit::AuditEvent<'_>,
    logged_at: NaiveDateTime,
) -> QueryResult<Option<Transitioned>> {
    use diesel::sql_types::{Nullable, Text};
    #[derive(QueryableByName)]
    struct Changed {
        #[diesel(embed)]
        response: ResponseRow,
        #[diesel(sql_type = Text)]
        organisation_name: String,
        #[diesel(sql_type = Nullable<Text>)]
        member_email: Option<String>,
        #[diesel(sql_type = Nullable<Text>)]
        member_name: Option<String>,
        #[diesel(sql_type = Nullable<Text>)]
        member_language: Option<String>,
    }
    let (DbConnection::Postgres(c), Some(user_id)) = (conn, event.actor) else {
        return Ok(None);
    };
    // ($10, the consent, only in a submission: PostgreSQL refuses an unused parameter.)
    let statement = match transition {
        Transition::Submit { .. } => sql::MEMBER_SUBMIT.as_str(),
        Transition::Reopen => sql::MEMBER_REOPEN.as_str(),
    };
    let query = diesel::sql_query(statement)
        .bind::<BigInt, _>(round_id)
        .bind::<BigInt, _>(organisation_id)
        .bind::<BigInt, _>(user_id)
        .bind::<Timestamp, _>(now)
        .bind::<Timestamp, _>(logged_at)
        .bind::<Text, _>(event.action)
        .bind::<Nullable<Text>, _>(event.target.as_deref());
    let details = event.details.to_string();
    let query = query
        .bind::<Nullable<Text>, _>(event.ip)
        .bind::<Text, _>(&details);
    let rows: Vec<Changed> = match transition {
        Transition::Submit { consent } => {
            Prepared(query.bind::<Text, _>(consent.as_str())).load(c)?
        }
        Transition::Reopen => Prepared(query).load(c)?,
    };
    let mut members = Vec::with_capacity(rows.len());
    let mut landed = None;
    for row in rows {
        if let (Some(email), Some(display_name), Some(language)) =
            (row.member_email, row.member_name, row.member_language)
        {
            members.push(super::organisations::Recipient {
                email,
                display_name,
                language,
            });
        }
        landed.get_or_insert((row.response, row.organisation_name));
    }
    Ok(landed.map(|(response, organisation_name)| Transitioned {
        response,
        organisation_name,
        members,
    }))
}

/// Progress of one organisation on a round (coordinators' dashboard).
#[derive(Debug, Clone)]
pub struct OrganisationProgress {
    pub organisation_id: i64,
    pub organisation_name: String,
    pub status: Progress,
    pub answered: i64,
    pub missing_required: i64,
    pub last_activity: Option<NaiveDateTime>,
    /// When its response was submitted, if it is (the per-day chart).
    pub submitted_at: Option<NaiveDateTime>,
}

/// Progress of every eligible organisation, in two queries whatever their number.
/// `required`: how many of the round's questions are required.
pub fn progress(
    conn: &mut DbConnection,
    round: &crate::domain::rounds::Round,
    required: i64,
) -> QueryResult<Vec<OrganisationProgress>> {
    use std::collections::HashMap;
    let eligible = super::rounds::eligible_with_names(conn, round)?;
    let rows: Vec<ResponseRow> = responses::table
        .filter(responses::round_id.eq(round.id))
        .select(ResponseRow::as_select())
        .load(conn)?;
    // Each response's own tallies (kept by the writes, see `tally`): one row per response,
    // never the answers themselves.
    let by_organisation: HashMap<i64, &ResponseRow> =
        rows.iter().map(|r| (r.organisation_id, r)).collect();
    let mut list: Vec<OrganisationProgress> = eligible
        .into_iter()
        .map(|(org, organisation_name)| {
            let response = by_organisation.get(&org).copied();
            let (answered, required_answered) = response.map_or((0, 0), |r| {
                (i64::from(r.answered), i64::from(r.required_answered))
            });
            OrganisationProgress {
                organisation_id: org,
                organisation_name,
                status: Progress::of(response.map(|r| r.status)),
                answered,
                missing_required: required - required_answered,
                last_activity: response.map(|r| r.updated_at),
                submitted_at: response
                    .filter(|r| r.status == ResponseStatus::Submitted)
                    .and_then(|r| r.submitted_at),
            }
        })
        .collect();
    list.sort_by(|a, b| a.organisation_name.cmp(&b.organisation_name));
    Ok(list)
}

/// How many of a round's questions are required, as `progress` takes it.
pub fn required_questions(conn: &mut DbConnection, round_id: i64) -> QueryResult<i64> {
    questions::table
        .filter(questions::round_id.eq(round_id))
        .filter(questions::required.eq(true))
        .count()
        .get_result(conn)
}

/// Records that reminder `kind` of a round was queued; false if someone already did.
pub fn claim_reminder(
    conn: &mut DbConnection,
    round_id: i64,
    kind: &str,
    now: DateTime<Utc>,
) -> QueryResult<bool> {
    let inserted = match conn {
        DbConnection::Postgres(c) => diesel::sql_query(
            "INSERT INTO round_reminders (round_id, kind, sent_at) VALUES ($1, $2, $3) ON CONFLICT (round_id, kind) DO NOTHING",
        )
        .bind::<BigInt, _>(round_id)
        .bind::<diesel::sql_types::Text, _>(kind)
        .bind::<Timestamp, _>(now.naive_utc())
        .execute(c)?,
        DbConnection::Sqlite(c) => diesel::sql_query("INSERT OR IGNORE INTO round_reminders (round_id, kind, sent_at) VALUES (?, ?, ?)")
            .bind::<BigInt, _>(round_id)
            .bind::<diesel::sql_types::Text, _>(kind)
            .bind::<Timestamp, _>(now.naive_utc())
            .execute(c)?,
    };
    Ok(inserted == 1)
}

/// One past version of an answer: value, version, author's name, when.
pub type Version = (Option<String>, i32, Option<String>, NaiveDateTime);

/// Versions of an answer, newest first (at most `limit`).
pub fn history(
    conn: &mut DbConnection,
    response_id: i64,
    question_id: i64,
    limit: i64,
) -> QueryResult<Vec<Version>> {
    answer_history::table
        .inner_join(answers::table)
        .left_join(users::table.on(users::id.nullable().eq(answer_history::changed_by)))
        .filter(answers::response_id.eq(response_id))
        .filter(answers::question_id.eq(question_id))
        .order(answer_history::version.desc())
        .limit(limit)
        .select((
            answer_history::value,
            answer_history::version,
            users::display_name.nullable(),
            answer_history::changed_at,
        ))
        .load(conn)
}

/// A draft typed before the session ended: where it belongs and the posted fields.
pub struct KeptDraft {
    pub round_slug: String,
    pub organisation_id: i64,
    pub chapter: String,
    pub fields: Vec<(String, String)>,
}

/// Keeps a draft unless `ceiling` drafts are kept already (false then); expired ones go
/// first.
pub fn keep_draft(
    conn: &mut DbConnection,
    key_hash: &str,
    draft: &KeptDraft,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    ceiling: i64,
) -> QueryResult<bool> {
    use super::schema::kept_drafts::dsl as k;
    diesel::delete(k::kept_drafts.filter(k::expires_at.le(now.naive_utc()))).execute(conn)?;
    let kept: i64 = k::kept_drafts.count().get_result(conn)?;
    if kept >= ceiling {
        return Ok(false);
    }
    diesel::insert_into(k::kept_drafts)
        .values((
            k::key_hash.eq(key_hash),
            k::round_slug.eq(&draft.round_slug),
            k::organisation_id.eq(draft.organisation_id),
            k::chapter.eq(&draft.chapter),
            k::fields.eq(serde_json::to_string(&draft.fields).unwrap_or_default()),
            k::created_at.eq(now.naive_utc()),
            k::expires_at.eq(expires_at.naive_utc()),
        ))
        .execute(conn)
        .map(|_| true)
}

/// Takes a kept draft back (it is deleted): once only, and only before it expires.
pub fn take_draft(
    conn: &mut DbConnection,
    key_hash: &str,
    now: DateTime<Utc>,
) -> QueryResult<Option<KeptDraft>> {
    use super::schema::kept_drafts::dsl as k;
    let row: Option<(i64, String, i64, String, String)> = k::kept_drafts
        .filter(k::key_hash.eq(key_hash))
        .filter(k::expires_at.gt(now.naive_utc()))
        .select((
            k::id,
            k::round_slug,
            k::organisation_id,
            k::chapter,
            k::fields,
        ))
        .first(conn)
        .optional()?;
    let Some((id, round_slug, organisation_id, chapter, fields)) = row else {
        return Ok(None);
    };
    diesel::delete(k::kept_drafts.find(id)).execute(conn)?;
    Ok(Some(KeptDraft {
        round_slug,
        organisation_id,
        chapter,
        fields: serde_json::from_str(&fields).unwrap_or_default(),
    }))
}

/// The responses of `organisations` to `rounds` (those that exist).
pub fn of_organisations(
    conn: &mut DbConnection,
    organisations: &[i64],
    rounds: &[i64],
) -> QueryResult<Vec<ResponseRow>> {
    responses::table
        .filter(responses::organisation_id.eq_any(organisations))
        .filter(responses::round_id.eq_any(rounds))
        .select(ResponseRow::as_select())
        .load(conn)
}
