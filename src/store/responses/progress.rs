//! Where the eligible organisations stand, and the reminders already queued.

use super::*;

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
    let eligible = crate::store::rounds::eligible_with_names(conn, round)?;
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
