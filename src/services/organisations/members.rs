//! An organisation's members and their roles (owners manage them).

use super::*;

/// The caller's role in the organisation, or the right refusal: 404 for strangers
/// (coordinators excepted), 403 for members without the needed role.
pub(super) async fn require_role(
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
            crate::services::authority::refused(state, identity, origin).await;
            Err(AppError::Forbidden(
                "réservé aux propriétaires de l'organisation".into(),
            ))
        }
    }
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

pub(super) fn ensure_another_owner(conn: &mut DbConnection, org: i64) -> Result<(), AppError> {
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
