//! The coordinators' decisions on organisations: approve, reject, suspend, reinstate.

use super::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Approve,
    Reject,
    Suspend,
    Reinstate,
}

impl Decision {
    fn target(self) -> OrganisationStatus {
        match self {
            Self::Approve | Self::Reinstate => OrganisationStatus::Approved,
            Self::Reject => OrganisationStatus::Rejected,
            Self::Suspend => OrganisationStatus::Suspended,
        }
    }

    fn action(self) -> &'static str {
        match self {
            Self::Approve => "organisation_approved",
            Self::Reject => "organisation_rejected",
            Self::Suspend => "organisation_suspended",
            Self::Reinstate => "organisation_reinstated",
        }
    }
}

/// A coordinator's decision; the owners are told by email, with the reason if any.
pub async fn decide(
    state: &AppState,
    coordinator: &Coordinator,
    id: i64,
    decision: Decision,
    reason: Option<String>,
    origin: Origin,
) -> Result<OrganisationRow, AppError> {
    let reason = optional(reason);
    if let Some(error) = reason
        .as_deref()
        .and_then(|r| texts::REASON.check("reason", r))
    {
        return Err(error.into());
    }
    if decision == Decision::Reject && reason.is_none() {
        return Err(AppError::invalid(
            "reason",
            "required",
            "Indiquez la raison du refus : elle est envoyée à l'organisation.",
        ));
    }
    let actor = coordinator.account.id;
    let base_url = state.settings.base_url().to_owned();
    let now = state.clock.now();
    state
        .db
        .run(move |conn| {
            crate::store::write_transaction(conn, |conn| {
                let org = store::organisations::find(conn, id)?.ok_or(AppError::NotFound)?;
                let to = decision.target();
                if !org.status().can_become(to) {
                    return Err(AppError::Conflict(format!(
                        "une organisation « {} » ne peut pas devenir « {} »",
                        org.status,
                        to.as_str()
                    )));
                }
                store::organisations::set_status(conn, id, to, reason.as_deref(), now)?;
                // What the organisation may now answer, for the owners' email.
                let open: Vec<_> = if to == OrganisationStatus::Approved {
                    store::rounds::open_to(conn, &[id], now)?
                        .into_iter()
                        .map(|(round, _)| round)
                        .collect()
                } else {
                    Vec::new()
                };
                for user in
                    store::organisations::member_contacts(conn, &[id], &[MemberRole::Owner])?
                {
                    let account = Account::from(&user);
                    let mail = Composer::new(
                        account.language,
                        &base_url,
                        &account.email,
                        &account.display_name,
                    )
                    .organisation_decision(
                        decision_key(decision),
                        (id, &org.name),
                        reason.as_deref(),
                        &open,
                    );
                    store::outbox::enqueue(conn, &mail, now)?;
                }
                let details = serde_json::json!({ "reason": reason });
                audit_on(
                    conn,
                    Some(actor),
                    decision.action(),
                    Some(format!("organisation:{id}")),
                    &origin,
                    details,
                )?;
                store::organisations::find(conn, id)?.ok_or(AppError::NotFound)
            })
        })
        .await
}

pub(super) fn decision_key(decision: Decision) -> &'static str {
    match decision {
        Decision::Approve => OrganisationStatus::Approved.as_str(),
        Decision::Reject => OrganisationStatus::Rejected.as_str(),
        Decision::Suspend => OrganisationStatus::Suspended.as_str(),
        Decision::Reinstate => "reinstated",
    }
}
