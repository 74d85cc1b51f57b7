//! Invitations to join an organisation: sent (paced), resent, cancelled, accepted.

use super::*;

/// An owner invites someone by email to join with a role (single-use link, 7 days).
pub async fn invite(
    state: &AppState,
    owner: &Identity,
    org: i64,
    email: &str,
    role: &str,
    origin: Origin,
) -> Result<(), AppError> {
    let email = Email::parse(email);
    let role = MemberRole::parse(role).ok_or_else(|| {
        FieldError::new(
            "role",
            "invalid_role",
            "Rôle attendu : owner, editor ou viewer.",
        )
    });
    if email.is_err() || role.is_err() {
        return Err(AppError::Validation(
            [email.clone().err(), role.clone().err()]
                .into_iter()
                .flatten()
                .collect(),
        ));
    }
    let (email, role) = (email?, role?);
    let row = may_send_invitations(state, owner, org, &origin).await?;
    let (actor, inviter) = (owner.account.id, owner.account.display_name.clone());
    let base_url = state.settings.base_url().to_owned();
    let now = state.clock.now();
    state
        .db
        .run(move |conn| {
            crate::store::write_transaction(conn, |conn| {
                let invitee = store::users::find_by_email(conn, &email)?;
                if let Some(user) = &invitee
                    && store::organisations::role_of(conn, org, user.id)?.is_some()
                {
                    return Err(AppError::Conflict(format!(
                        "{} est déjà membre de l'organisation",
                        email.as_str()
                    )));
                }
                // Greeted by name when the address already has an account.
                let name = invitee.map(|u| u.display_name).unwrap_or_default();
                let token = tokens::new_secret();
                let invitation = store::organisations::NewInvitation {
                    organisation_id: org,
                    email: email.as_str(),
                    role,
                    token_hash: &tokens::hash(&token),
                    invited_by: actor,
                    expires_at: now + Duration::days(INVITATION_DAYS),
                };
                store::organisations::insert_invitation(conn, &invitation, now)?;
                let mail = Composer::new(origin.lang, &base_url, email.as_str(), &name)
                    .invitation(&inviter, &row.name, &token);
                store::outbox::enqueue(conn, &mail, now)?;
                let details = serde_json::json!({ "role": role.as_str() });
                audit_on(
                    conn,
                    Some(actor),
                    "member_invited",
                    Some(format!("organisation:{org}")),
                    &origin,
                    details,
                )
            })
        })
        .await
}

/// An owner about to email an invitation: invitations are emails to outside addresses,
/// so only an organisation the coordination approved (and has not suspended) sends them,
/// at a bounded pace (per organisation and per inviter), whether new or sent again.
pub(super) async fn may_send_invitations(
    state: &AppState,
    owner: &Identity,
    org: i64,
    origin: &Origin,
) -> Result<OrganisationRow, AppError> {
    let row = require_role(state, owner, org, &[MemberRole::Owner], origin).await?;
    if OrganisationStatus::parse(&row.status) != Some(OrganisationStatus::Approved) {
        crate::services::authority::refused(state, owner, origin).await;
        return Err(AppError::Forbidden(
            "l'organisation doit être validée par la coordination (et non suspendue) pour inviter des membres".into(),
        ));
    }
    state
        .throttles
        .invite_organisation
        .check(&org.to_string())?;
    state
        .throttles
        .invite_account
        .check(&owner.account.id.to_string())?;
    Ok(row)
}

/// The organisation's invitations not yet used (owners only).
pub async fn pending_invitations(
    state: &AppState,
    owner: &Identity,
    org: i64,
    origin: Origin,
) -> Result<Vec<store::organisations::PendingInvitation>, AppError> {
    require_role(state, owner, org, &[MemberRole::Owner], &origin).await?;
    state
        .db
        .run(move |conn| Ok(store::organisations::pending_invitations(conn, org)?))
        .await
}

/// Sends an unused invitation again, with a new link and a new expiry (the old link
/// stops working).
pub async fn resend_invitation(
    state: &AppState,
    owner: &Identity,
    org: i64,
    invitation: i64,
    origin: Origin,
) -> Result<(), AppError> {
    let row = may_send_invitations(state, owner, org, &origin).await?;
    let (actor, inviter) = (owner.account.id, owner.account.display_name.clone());
    let base_url = state.settings.base_url().to_owned();
    let now = state.clock.now();
    state
        .db
        .run(move |conn| {
            crate::store::write_transaction(conn, |conn| {
                let token = tokens::new_secret();
                let expires_at = now + Duration::days(INVITATION_DAYS);
                let (email, role) = store::organisations::renew_invitation(
                    conn,
                    org,
                    invitation,
                    &tokens::hash(&token),
                    expires_at,
                )?
                .ok_or(AppError::NotFound)?;
                // Greeted by name when the address has an account by now.
                let name = match Email::parse(&email) {
                    Ok(address) => store::users::find_by_email(conn, &address)?
                        .map(|u| u.display_name)
                        .unwrap_or_default(),
                    Err(_) => String::new(),
                };
                let mail = Composer::new(origin.lang, &base_url, &email, &name)
                    .invitation(&inviter, &row.name, &token);
                store::outbox::enqueue(conn, &mail, now)?;
                let details = serde_json::json!({ "role": role, "invitation": invitation });
                audit_on(
                    conn,
                    Some(actor),
                    "invitation_resent",
                    Some(format!("organisation:{org}")),
                    &origin,
                    details,
                )
            })
        })
        .await
}

/// Cancels an unused invitation: its link stops working.
pub async fn cancel_invitation(
    state: &AppState,
    owner: &Identity,
    org: i64,
    invitation: i64,
    origin: Origin,
) -> Result<(), AppError> {
    require_role(state, owner, org, &[MemberRole::Owner], &origin).await?;
    let actor = owner.account.id;
    state
        .db
        .run(move |conn| {
            crate::store::write_transaction(conn, |conn| {
                if !store::organisations::cancel_invitation(conn, org, invitation)? {
                    return Err(AppError::NotFound);
                }
                let details = serde_json::json!({ "invitation": invitation });
                audit_on(
                    conn,
                    Some(actor),
                    "invitation_cancelled",
                    Some(format!("organisation:{org}")),
                    &origin,
                    details,
                )
            })
        })
        .await
}

/// The invitee, signed in with the invited address, joins the organisation.
pub async fn accept_invitation(
    state: &AppState,
    identity: &Identity,
    token: &str,
    origin: Origin,
) -> Result<i64, AppError> {
    let token_hash = tokens::hash(token);
    let account = identity.account.clone();
    let now = state.clock.now();
    state
        .db
        .run(move |conn| {
            crate::store::write_transaction(conn, |conn| {
                let invalid = || AppError::LinkExpired;
                let (org, email, role) = store::organisations::find_invitation(conn, &token_hash, now)?.ok_or_else(invalid)?;
                if email != account.email {
                    return Err(AppError::Forbidden(format!("cette invitation est adressée à {email} : connectez-vous avec cette adresse")));
                }
                if !store::organisations::accept_invitation(conn, &token_hash, account.id, now)? {
                    return Err(invalid());
                }
                let role = MemberRole::parse(&role).unwrap_or(MemberRole::Viewer);
                if store::organisations::role_of(conn, org, account.id)?.is_none() {
                    store::organisations::add_member(conn, org, account.id, role, now)?;
                }
                audit_on(conn, Some(account.id), "invitation_accepted", Some(format!("organisation:{org}")), &origin, serde_json::json!({}))?;
                Ok(org)
            })
        })
        .await
}

/// What an invitation link offers (organisation, role, inviter), or None when the link
/// is unknown, used or expired.
pub async fn invitation(
    state: &AppState,
    token: &str,
) -> Result<Option<(String, MemberRole, Option<String>)>, AppError> {
    let token_hash = tokens::hash(token);
    let now = state.clock.now();
    let found = state
        .db
        .run(move |conn| {
            store::organisations::invitation_details(conn, &token_hash, now).map_err(AppError::from)
        })
        .await?;
    Ok(found.map(|(name, role, inviter)| {
        (
            name,
            MemberRole::parse(&role).unwrap_or(MemberRole::Viewer),
            inviter,
        )
    }))
}
