//! Who may do what with an organisation's response, and whether the round takes answers
//! now: the checks every use case of this module starts with.

use super::*;

/// Who may do what with an organisation's response in a round.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Access {
    Read,
    Write,
}

/// Loads the round (its shape from memory once frozen) and checks the caller: members
/// read (owners and editors write); coordinators read everything and write nothing;
/// strangers see nothing (404).
pub(super) fn authorise(
    conn: &mut DbConnection,
    rounds: &RoundCache,
    identity: &Identity,
    slug: &str,
    org: i64,
    access: Access,
) -> Result<Arc<Shape>, AppError> {
    let shape = rounds.shape(conn, slug)?.ok_or(AppError::NotFound)?;
    let (status, role) = store::organisations::membership(conn, org, identity.account.id)?
        .ok_or(AppError::NotFound)?;
    judge_access(
        conn,
        identity,
        &shape.detail.round,
        org,
        access,
        status,
        role,
    )?;
    Ok(shape)
}

/// Who may do what with `org`'s response to `round`, given the organisation's status and
/// the caller's role in it (none for a stranger).
pub(super) fn judge_access(
    conn: &mut DbConnection,
    identity: &Identity,
    round: &Round,
    org: i64,
    access: Access,
    status: OrganisationStatus,
    role: Option<MemberRole>,
) -> Result<MemberRole, AppError> {
    if !round.is_public() {
        return Err(AppError::NotFound);
    }
    let role = match role {
        Some(role) => role,
        // Organisations' answers, drafts included, are what the second factor guards
        // for coordinators, as exports are.
        None if identity.account.is_coordinator() && access == Access::Read => {
            if !identity.second_factor {
                return Err(crate::services::authority::second_factor_needed(identity));
            }
            return Ok(MemberRole::Viewer);
        }
        None if identity.account.is_coordinator() => {
            return Err(AppError::Forbidden(
                "la coordination lit les réponses, elle ne les écrit pas".into(),
            ));
        }
        None => return Err(AppError::NotFound),
    };
    if access == Access::Write {
        if !role.can_write() {
            return Err(AppError::Forbidden(
                "les lecteurs et lectrices ne modifient pas la réponse".into(),
            ));
        }
        if !status.may_answer() {
            return Err(AppError::Forbidden(
                "l'organisation n'est pas validée (ou est suspendue) : elle ne peut pas répondre"
                    .into(),
            ));
        }
        if round.audience == Audience::Invited && !store::rounds::is_eligible(conn, round, org)? {
            return Err(AppError::Forbidden(
                "cette consultation est réservée aux organisations invitées".into(),
            ));
        }
    }
    Ok(role)
}

/// The round open now, as read inside the caller's write transaction once it holds the
/// round's lock (on PostgreSQL, until the transaction ends: a close racing this write is
/// wholly before or after it).
pub(super) fn require_open_now(
    conn: &mut DbConnection,
    detail: &RoundDetail,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    store::rounds::hold_shared(conn, detail.round.id)?;
    let round = store::rounds::find_by_id(conn, detail.round.id)?.ok_or(AppError::NotFound)?;
    require_open_round(&round, now)
}

/// A submission's or a reopening's checks, in a transaction that holds the round's lock
/// from its start: the caller may write (`judge_access`) and the round takes answers now,
/// read together in one query. The organisation's name, for the receipt.
pub(super) fn require_writer_while_open(
    conn: &mut DbConnection,
    identity: &Identity,
    round_id: i64,
    org: i64,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let found =
        store::organisations::membership_in_round(conn, org, identity.account.id, round_id)?
            .ok_or(AppError::NotFound)?;
    let round = &found.round;
    judge_access(
        conn,
        identity,
        round,
        org,
        Access::Write,
        found.status,
        found.role,
    )?;
    require_open_round(round, now)?;
    Ok(found.organisation_name)
}

pub(super) fn require_open_round(round: &Round, now: DateTime<Utc>) -> Result<(), AppError> {
    match round.status_at(now) {
        RoundStatus::Open => Ok(()),
        status => Err(AppError::Conflict(format!(
            "la consultation n'accepte pas de réponse (état : {})",
            status.as_str()
        ))),
    }
}
