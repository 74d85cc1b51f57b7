//! The coordinators' follow-up: progress of every eligible organisation, reminders.

use super::*;

/// Coordinators' dashboard: every eligible organisation's progress.
pub async fn progress(
    state: &AppState,
    _: &Coordinator,
    slug: String,
) -> Result<
    (
        crate::domain::rounds::Round,
        Vec<store::responses::OrganisationProgress>,
    ),
    AppError,
> {
    let rounds = state.rounds.clone();
    state
        .db
        .run(move |conn| {
            let shape = rounds.shape(conn, &slug)?.ok_or(AppError::NotFound)?;
            // The questions from memory; the round itself afresh (its status is shown).
            let round = store::rounds::find_by_id(conn, shape.detail.round.id)?
                .ok_or(AppError::NotFound)?;
            let required = shape.required_ids.len() as i64;
            let progress = store::responses::progress(conn, &round, required)?;
            Ok((round, progress))
        })
        .await
}

/// Queues a reminder to every member of the eligible organisations that have not
/// submitted, if reminder `kind` of this round was not queued yet; returns how many
/// organisations were reminded.
pub fn remind_in(
    conn: &mut DbConnection,
    round: &crate::domain::rounds::Round,
    kind: &str,
    now: DateTime<Utc>,
    base_url: &str,
) -> Result<usize, AppError> {
    store::write_transaction(conn, |conn| {
        if !store::rounds::find_by_id(conn, round.id)?.is_some_and(|r| r.accepts_answers_at(now)) {
            return Ok(0);
        }
        if !store::responses::claim_reminder(conn, round.id, kind, now)? {
            return Ok(0);
        }
        let required = store::responses::required_questions(conn, round.id)?;
        let pending: Vec<i64> = store::responses::progress(conn, round, required)?
            .into_iter()
            .filter(|p| p.status != Progress::Submitted)
            .map(|p| p.organisation_id)
            .collect();
        let days_left = (round.closes_at - now).num_days().max(0);
        for member in store::organisations::member_contacts(conn, &pending, MemberRole::ALL)? {
            let account = Account::from(&member);
            let mail = Composer::new(
                account.language,
                base_url,
                &account.email,
                &account.display_name,
            )
            .reminder(round, days_left);
            store::outbox::enqueue(conn, &mail, now)?;
        }
        let event = store::audit::AuditEvent {
            actor: None,
            action: "reminder_queued",
            target: Some(format!("round:{}", round.slug)),
            ip: None,
            details: serde_json::json!({ "kind": kind, "organisations": pending.len() }),
        };
        store::audit::record(conn, &event, now)?;
        Ok(pending.len())
    })
}

/// The background job: 7 days and 1 day before each open round's deadline, once each.
pub fn send_due_reminders(
    conn: &mut DbConnection,
    now: DateTime<Utc>,
    base_url: &str,
) -> Result<usize, AppError> {
    let mut reminded = 0;
    for (round, _) in store::rounds::list_public(conn)? {
        if !round.accepts_answers_at(now) {
            continue;
        }
        let left = round.closes_at - now;
        let kind = if left <= chrono::Duration::days(1) {
            "1d"
        } else if left <= chrono::Duration::days(7) {
            "7d"
        } else {
            continue;
        };
        reminded += remind_in(conn, &round, kind, now, base_url)?;
    }
    Ok(reminded)
}

/// A coordinator's reminder, now, to the organisations that have not submitted.
pub async fn remind_now(
    state: &AppState,
    coordinator: &Coordinator,
    slug: String,
    origin: Origin,
) -> Result<usize, AppError> {
    let (actor, now, base_url) = (
        coordinator.account.id,
        state.clock.now(),
        state.settings.base_url().to_owned(),
    );
    state
        .db
        .run(move |conn| {
            let round = store::rounds::find_by_slug(conn, &slug)?
                .ok_or(AppError::NotFound)?
                .round;
            if !round.accepts_answers_at(now) {
                return Err(AppError::Conflict(
                    "la consultation n'est pas ouverte".into(),
                ));
            }
            let kind = format!("manual-{}", now.timestamp_micros());
            let reminded = remind_in(conn, &round, &kind, now, &base_url)?;
            audit_on(
                conn,
                Some(actor),
                "reminder_sent",
                Some(format!("round:{slug}")),
                &origin,
                serde_json::json!({ "organisations": reminded }),
            )?;
            Ok(reminded)
        })
        .await
}
