//! Organisations: registration, the coordinators' decisions, members and invitations.

use chrono::Duration;

use super::accounts::{Origin, audit_on};
use crate::auth::identity::Identity;
use crate::auth::tokens;
use crate::domain::FieldError;
use crate::domain::accounts::{Account, Email};
use crate::domain::organisations::texts;
use crate::domain::organisations::{LegalId, MemberRole, OrganisationKind, OrganisationStatus};
use crate::error::AppError;
use crate::mail::messages::Composer;
use crate::state::AppState;
use crate::store::organisations::{Filter, NewOrganisation, OrganisationRow};
use crate::store::{self, DbConnection};

pub const INVITATION_DAYS: i64 = 7;

pub struct Registration {
    pub name: String,
    pub acronym: Option<String>,
    pub kind: String,
    pub legal_id: String,
    pub website: Option<String>,
    pub contact_email: String,
    pub description: Option<String>,
}

fn optional(value: Option<String>) -> Option<String> {
    value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

/// A verified person registers an organisation: it starts pending, and they own it.
pub async fn register(
    state: &AppState,
    identity: &Identity,
    input: Registration,
    origin: Origin,
) -> Result<OrganisationRow, AppError> {
    if !identity.account.verified {
        return Err(AppError::Forbidden(
            "adresse électronique non vérifiée".into(),
        ));
    }
    let legal_id = LegalId::parse(&input.legal_id);
    let kind = OrganisationKind::parse(&input.kind);
    let contact = Email::parse(&input.contact_email).map_err(|e| FieldError {
        field: "contact_email".into(),
        ..e
    });
    let website = optional(input.website);
    let acronym = optional(input.acronym);
    let description = optional(input.description).unwrap_or_default();
    let mut errors: Vec<FieldError> = [
        texts::NAME.check("name", &input.name),
        acronym
            .as_deref()
            .and_then(|a| texts::ACRONYM.check("acronym", a)),
        texts::DESCRIPTION.check("description", &description),
        legal_id.clone().err(),
        contact.clone().err(),
    ]
    .into_iter()
    .flatten()
    .collect();
    if kind.is_none() {
        errors.push(FieldError::new(
            "kind",
            "invalid_kind",
            "Type d'organisation inconnu.",
        ));
    }
    if let Some(site) = &website {
        let ok = (site.starts_with("https://") || site.starts_with("http://"))
            && site.len() <= 300
            && !site.contains(char::is_whitespace);
        if !ok {
            errors.push(FieldError::new("website", "invalid_url", "Adresse de site attendue, commençant par https:// (exemple : https://www.exemple.fr)."));
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let (legal_id, kind, contact) = (legal_id?, kind.unwrap_or(OrganisationKind::Other), contact?);
    let creator = identity.account.id;
    let name = input.name.trim().to_owned();
    let now = state.clock.now();
    state
        .db
        .run(move |conn| {
            crate::store::write_transaction(conn, |conn| {
                if store::organisations::legal_id_taken(conn, legal_id.as_str())? {
                    return Err(AppError::Conflict(format!(
                        "une organisation est déjà inscrite avec l'identifiant {}",
                        legal_id.as_str()
                    )));
                }
                let org = NewOrganisation {
                    name: &name,
                    acronym: acronym.as_deref(),
                    kind,
                    legal_id: legal_id.as_str(),
                    website: website.as_deref(),
                    contact_email: contact.as_str(),
                    description: &description,
                };
                let id = store::organisations::insert(conn, &org, creator, now)?;
                store::organisations::add_member(conn, id, creator, MemberRole::Owner, now)?;
                audit_on(
                    conn,
                    Some(creator),
                    "organisation_registered",
                    Some(format!("organisation:{id}")),
                    &origin,
                    serde_json::json!({}),
                )?;
                store::organisations::find(conn, id)?.ok_or(AppError::NotFound)
            })
        })
        .await
}

/// Who may see an organisation: coordinators, and its members. Others get 404, so
/// the existence of an organisation is not revealed.
pub async fn visible(
    state: &AppState,
    identity: &Identity,
    id: i64,
) -> Result<(OrganisationRow, Option<MemberRole>), AppError> {
    let user = identity.account.id;
    let (org, role) = state
        .db
        .run(move |conn| {
            let org = store::organisations::find(conn, id)?;
            let role = store::organisations::role_of(conn, id, user)?;
            Ok::<_, AppError>((org, role))
        })
        .await?;
    let org = org.ok_or(AppError::NotFound)?;
    if role.is_none() && !identity.account.is_coordinator() {
        return Err(AppError::NotFound);
    }
    Ok((org, role))
}

/// Coordinators: every organisation (filtered); others: their own.
pub async fn list(
    state: &AppState,
    identity: &Identity,
    filter: Filter,
) -> Result<Vec<(OrganisationRow, Option<MemberRole>)>, AppError> {
    let (user, coordinator) = (identity.account.id, identity.account.is_coordinator());
    state
        .db
        .run(move |conn| {
            let mine: Vec<(OrganisationRow, String)> =
                store::organisations::list_for_user(conn, user)?;
            if coordinator {
                let roles: std::collections::HashMap<i64, MemberRole> = mine
                    .iter()
                    .filter_map(|(o, r)| Some((o.id, MemberRole::parse(r)?)))
                    .collect();
                let all = store::organisations::list(conn, &filter)?;
                return Ok(all
                    .into_iter()
                    .map(|o| {
                        let role = roles.get(&o.id).copied();
                        (o, role)
                    })
                    .collect());
            }
            Ok(mine
                .into_iter()
                .map(|(o, r)| (o, MemberRole::parse(&r)))
                .collect())
        })
        .await
}

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
    coordinator: &Identity,
    id: i64,
    decision: Decision,
    reason: Option<String>,
    origin: Origin,
) -> Result<OrganisationRow, AppError> {
    require_coordinator(state, coordinator, &origin).await?;
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

fn decision_key(decision: Decision) -> &'static str {
    match decision {
        Decision::Approve => OrganisationStatus::Approved.as_str(),
        Decision::Reject => OrganisationStatus::Rejected.as_str(),
        Decision::Suspend => OrganisationStatus::Suspended.as_str(),
        Decision::Reinstate => "reinstated",
    }
}

async fn require_coordinator(
    state: &AppState,
    identity: &Identity,
    origin: &Origin,
) -> Result<(), AppError> {
    super::admin::require_coordinator(state, identity, origin).await
}

/// The caller's role in the organisation, or the right refusal: 404 for strangers
/// (coordinators excepted), 403 for members without the needed role.
async fn require_role(
    state: &AppState,
    identity: &Identity,
    org: i64,
    needed: &[MemberRole],
    origin: &Origin,
) -> Result<OrganisationRow, AppError> {
    let (row, role) = visible(state, identity, org).await?;
    match role {
        Some(role) if needed.contains(&role) => Ok(row),
        _ => {
            super::admin::refused(state, identity, origin).await;
            Err(AppError::Forbidden(
                "réservé aux propriétaires de l'organisation".into(),
            ))
        }
    }
}

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
async fn may_send_invitations(
    state: &AppState,
    owner: &Identity,
    org: i64,
    origin: &Origin,
) -> Result<OrganisationRow, AppError> {
    let row = require_role(state, owner, org, &[MemberRole::Owner], origin).await?;
    if OrganisationStatus::parse(&row.status) != Some(OrganisationStatus::Approved) {
        super::admin::refused(state, owner, origin).await;
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

/// Changes a member's role (owners only); the last owner cannot be demoted.
pub async fn change_role(
    state: &AppState,
    owner: &Identity,
    org: i64,
    user: i64,
    role: &str,
    origin: Origin,
) -> Result<(), AppError> {
    let role = MemberRole::parse(role).ok_or_else(|| {
        FieldError::new(
            "role",
            "invalid_role",
            "Rôle attendu : owner, editor ou viewer.",
        )
    })?;
    require_role(state, owner, org, &[MemberRole::Owner], &origin).await?;
    let actor = owner.account.id;
    state
        .db
        .run(move |conn| {
            crate::store::write_transaction(conn, |conn| {
                let current =
                    store::organisations::role_of(conn, org, user)?.ok_or(AppError::NotFound)?;
                if current == MemberRole::Owner && role != MemberRole::Owner {
                    ensure_another_owner(conn, org)?;
                }
                store::organisations::set_member_role(conn, org, user, role)?;
                let details = serde_json::json!({ "user": user, "role": role.as_str() });
                audit_on(
                    conn,
                    Some(actor),
                    "member_role_changed",
                    Some(format!("organisation:{org}")),
                    &origin,
                    details,
                )
            })
        })
        .await
}

fn ensure_another_owner(conn: &mut DbConnection, org: i64) -> Result<(), AppError> {
    if store::organisations::count_owners(conn, org)? <= 1 {
        return Err(AppError::Conflict(
            "l'organisation doit garder au moins un propriétaire : nommez-en un autre d'abord"
                .into(),
        ));
    }
    Ok(())
}

/// Removes a member (owners), or leaves (anyone, oneself); never the last owner.
pub async fn remove_member(
    state: &AppState,
    identity: &Identity,
    org: i64,
    user: i64,
    origin: Origin,
) -> Result<(), AppError> {
    if user != identity.account.id {
        require_role(state, identity, org, &[MemberRole::Owner], &origin).await?;
    } else {
        visible(state, identity, org).await?;
    }
    let actor = identity.account.id;
    state
        .db
        .run(move |conn| {
            crate::store::write_transaction(conn, |conn| {
                let current =
                    store::organisations::role_of(conn, org, user)?.ok_or(AppError::NotFound)?;
                if current == MemberRole::Owner {
                    ensure_another_owner(conn, org)?;
                }
                store::organisations::remove_member(conn, org, user)?;
                let details = serde_json::json!({ "user": user });
                audit_on(
                    conn,
                    Some(actor),
                    "member_removed",
                    Some(format!("organisation:{org}")),
                    &origin,
                    details,
                )
            })
        })
        .await
}

pub async fn members(
    state: &AppState,
    identity: &Identity,
    org: i64,
) -> Result<Vec<(MemberRole, Account)>, AppError> {
    visible(state, identity, org).await?;
    let rows = state
        .db
        .run(move |conn| store::organisations::members(conn, org).map_err(AppError::from))
        .await?;
    Ok(rows
        .into_iter()
        .map(|(role, user)| {
            (
                MemberRole::parse(&role).unwrap_or(MemberRole::Viewer),
                Account::from(&user),
            )
        })
        .collect())
}

/// Where the registrations digest stands: the last organisation it told of, and when.
const DIGEST_KEY: &str = "registrations_digest";

/// At most one digest in this interval: registrations made meanwhile wait for the next.
pub const DIGEST_EVERY: Duration = Duration::hours(1);

/// The background job: tells the coordination team of organisations waiting for a
/// decision that no digest has named yet, in one email each per `DIGEST_EVERY` at most.
/// Returns how many organisations the digest named (0: none sent).
pub fn send_registration_digest(
    conn: &mut DbConnection,
    now: chrono::DateTime<chrono::Utc>,
    base_url: &str,
) -> Result<usize, AppError> {
    store::write_transaction(conn, |conn| {
        let seen = store::settings::get(conn, DIGEST_KEY)?;
        let (through, last) = seen
            .as_deref()
            .and_then(|v| v.split_once(' '))
            .and_then(|(id, at)| {
                Some((
                    id.parse::<i64>().ok()?,
                    chrono::DateTime::parse_from_rfc3339(at).ok()?,
                ))
            })
            .map_or((0, None), |(id, at)| (id, Some(at.to_utc())));
        if last.is_some_and(|at| now - at < DIGEST_EVERY) {
            return Ok(0);
        }
        let waiting = store::organisations::pending_after(conn, through)?;
        let Some(newest) = waiting.last() else {
            return Ok(0);
        };
        let value = format!("{} {}", newest.id, now.to_rfc3339());
        if !store::settings::replace_if(conn, DIGEST_KEY, seen.as_deref(), &value, now)? {
            return Ok(0);
        }
        let names: Vec<&str> = waiting.iter().map(|o| o.name.as_str()).collect();
        for user in store::users::coordinators(conn)? {
            let account = Account::from(&user);
            let mail = Composer::new(
                account.language,
                base_url,
                &account.email,
                &account.display_name,
            )
            .registrations_digest(&names);
            store::outbox::enqueue(conn, &mail, now)?;
        }
        Ok(waiting.len())
    })
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
