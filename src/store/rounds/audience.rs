//! Who may answer a round: the organisations invited to it, or every approved one.

use super::*;

/// The organisations invited to a round.
pub fn invited(conn: &mut DbConnection, round_id: i64) -> QueryResult<Vec<i64>> {
    use crate::store::schema::round_invitations as ri;
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
    use crate::store::schema::round_invitations as ri;
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
    use crate::store::schema::{organisations as o, round_invitations as ri};
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
    use crate::store::schema::{organisations as o, round_invitations as ri};
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

/// The rounds taking answers at `now`, the earliest deadline first, each with those of
/// `organisations` (approved ones: the caller's to say) that may answer it: all of them
/// for a round open to every approved organisation, the invited ones otherwise. Rounds
/// none of them may answer are left out.
pub fn open_to(
    conn: &mut DbConnection,
    organisations: &[i64],
    now: DateTime<Utc>,
) -> QueryResult<Vec<(Round, Vec<i64>)>> {
    use crate::store::schema::round_invitations as ri;
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
