//! Writing answers: what a write needs to know first, each answer's new version from the
//! one its writer saw (one statement on PostgreSQL, with the rules checked where it
//! writes), the response's tallies.

use super::*;
use crate::domain::answers::NONE_SEEN;

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
    use crate::store::prepared::{fixed, fixed_with};
    use crate::store::schema::{memberships, organisations};
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
            crate::store::organisations::parse_membership(&status, role.as_deref());
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
pub(super) struct Written {
    #[diesel(sql_type = BigInt)]
    pub(super) id: i64,
    #[diesel(sql_type = diesel::sql_types::Integer)]
    pub(super) version: i32,
}

/// Writes a new version of an answer, with its history row, if the round is open, the
/// response a draft and `expected` still the current version; returns the new version,
/// or `None` when one of those did not hold (nothing written; the caller finds which).
/// Inside the caller's `store::answers_transaction`: on PostgreSQL one statement, on
/// SQLite two.
pub fn write_if_current(conn: &mut DbConnection, w: &NewVersion<'_>) -> QueryResult<Option<i32>> {
    use diesel::sql_types::{Integer, Nullable, Text};
    let inserting = w.expected == NONE_SEEN;
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
pub(super) const PARTIAL_WRITE: &str = "concerto: partial answer write";

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
pub(super) fn touched_before(now: NaiveDateTime) -> NaiveDateTime {
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
