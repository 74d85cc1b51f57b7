//! A round's life: opened (or scheduled), closed, archived.

use super::*;

pub async fn open(
    state: &AppState,
    coordinator: &SecuredCoordinator,
    slug: String,
    origin: Origin,
) -> Result<RoundDetail, AppError> {
    let (actor, now, base_url) = (
        coordinator.account.id,
        state.clock.now(),
        state.settings.base_url().to_owned(),
    );
    state
        .db
        .run(move |conn| {
            crate::store::write_transaction(conn, |conn| {
                open_in(conn, &slug, now, &base_url)?;
                audit_on(
                    conn,
                    Some(actor),
                    "round_opened",
                    round_target(&slug),
                    &origin,
                    serde_json::json!({}),
                )?;
                load(conn, &slug)
            })
        })
        .await
}

/// Moves a round to `to` if `allowed` accepts its current state; audited as `action`.
/// `answers_kept`, at archiving: whether the answers outlive the retention period.
#[allow(clippy::too_many_arguments)]
pub(super) async fn transition(
    state: &AppState,
    coordinator: &SecuredCoordinator,
    slug: String,
    origin: Origin,
    allowed: fn(&Round, DateTime<Utc>) -> bool,
    to: RoundStatus,
    action: &'static str,
    answers_kept: Option<bool>,
) -> Result<RoundDetail, AppError> {
    let (actor, now) = (coordinator.account.id, state.clock.now());
    state
        .db
        .run(move |conn| {
            crate::store::write_transaction(conn, |conn| {
                let round = load(conn, &slug)?.round;
                if !allowed(&round, now) {
                    return Err(AppError::Conflict(format!(
                        "action impossible dans l'état actuel de la consultation ({})",
                        round.status_at(now).as_str()
                    )));
                }
                store::rounds::set_status(conn, round.id, to, round.opens_at, now)?;
                let mut details = serde_json::json!({});
                if let Some(kept) = answers_kept {
                    store::rounds::set_answers_kept(conn, round.id, kept)?;
                    details["answers_kept"] = kept.into();
                }
                audit_on(
                    conn,
                    Some(actor),
                    action,
                    round_target(&slug),
                    &origin,
                    details,
                )?;
                load(conn, &slug)
            })
        })
        .await
}

/// Closes an open round (or cancels a scheduled one) now, whatever its deadline.
pub async fn close(
    state: &AppState,
    coordinator: &SecuredCoordinator,
    slug: String,
    origin: Origin,
) -> Result<RoundDetail, AppError> {
    let allowed = |round: &Round, _: DateTime<Utc>| round.stored_status == RoundStatus::Open;
    transition(
        state,
        coordinator,
        slug,
        origin,
        allowed,
        RoundStatus::Closed,
        "round_closed",
        None,
    )
    .await
}

/// Archives a closed round; `answers_kept`: whether its answers outlive the retention
/// period (`[privacy] archived_answers_months`) or are then deleted.
pub async fn archive(
    state: &AppState,
    coordinator: &SecuredCoordinator,
    slug: String,
    origin: Origin,
    answers_kept: bool,
) -> Result<RoundDetail, AppError> {
    let allowed = |round: &Round, now: DateTime<Utc>| round.status_at(now) == RoundStatus::Closed;
    transition(
        state,
        coordinator,
        slug,
        origin,
        allowed,
        RoundStatus::Archived,
        "round_archived",
        Some(answers_kept),
    )
    .await
}
