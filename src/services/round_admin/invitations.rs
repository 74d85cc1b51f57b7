//! The organisations invited to a round open to invited ones only.

use super::*;

/// Invites approved organisations to a round whose audience is `invited`.
/// The organisations invited to the round (coordinators).
pub async fn invited(
    state: &AppState,
    _: &Coordinator,
    round_id: i64,
) -> Result<Vec<i64>, AppError> {
    state
        .db
        .run(move |conn| Ok(crate::store::rounds::invited(conn, round_id)?))
        .await
}

pub async fn invite(
    state: &AppState,
    coordinator: &Coordinator,
    slug: String,
    organisation_ids: Vec<i64>,
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
            crate::store::write_transaction(conn, |conn| {
                let round = load(conn, &slug)?.round;
                if round.audience != Audience::Invited {
                    return Err(AppError::Conflict("cette consultation est ouverte à toutes les organisations validées : aucune invitation n'est nécessaire".into()));
                }
                if matches!(round.status_at(now), RoundStatus::Closed | RoundStatus::Archived) {
                    return Err(AppError::Conflict("une consultation close ne reçoit plus d'invitations".into()));
                }
                let mut errors = Vec::new();
                for (i, id) in organisation_ids.iter().enumerate() {
                    let ok = store::organisations::find(conn, *id)?.is_some_and(|o| o.status() == crate::domain::organisations::OrganisationStatus::Approved);
                    if !ok {
                        errors.push(FieldError::new(&format!("organisation_ids[{i}]"), "not_approved", format!("L'organisation {id} n'existe pas ou n'est pas validée.")));
                    }
                }
                invalid(errors)?;
                let added = store::rounds::invite_organisations(conn, round.id, &organisation_ids, now)?;
                // Already open: the newly invited hear of it now.
                if added > 0 && round.status_at(now) == RoundStatus::Open {
                    let people = store::organisations::member_contacts(conn, &organisation_ids, crate::domain::organisations::MemberRole::ALL)?;
                    for user in &people {
                        let account = Account::from(user);
                        let mail = Composer::new(account.language, &base_url, &account.email, &account.display_name).round_opened(&round);
                        store::outbox::enqueue(conn, &mail, now)?;
                    }
                }
                audit_on(conn, Some(actor), "round_invitations", round_target(&slug), &origin, serde_json::json!({ "organisations": organisation_ids }))?;
                Ok(added)
            })
        })
        .await
}
