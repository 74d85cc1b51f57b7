//! Platform administration: roles, suspensions, the audit trail.

use super::accounts::Origin;
use super::authority::{Admin, Coordinator};
use crate::domain::accounts::PlatformRole;
use crate::error::AppError;
use crate::state::AppState;
use crate::store::audit::{AuditFilter, AuditRow};
use crate::store::models::UserRow;
use crate::store::{self, DbConnection};

/// Every account (admins only).
pub async fn users(state: &AppState, _: &Admin) -> Result<Vec<UserRow>, AppError> {
    state
        .db
        .run(|conn| store::users::list(conn, 500).map_err(AppError::from))
        .await
}

fn record(
    conn: &mut DbConnection,
    actor: i64,
    action: &str,
    target: i64,
    origin: &Origin,
    details: serde_json::Value,
) -> Result<(), AppError> {
    super::accounts::audit_on(
        conn,
        Some(actor),
        action,
        Some(format!("user:{target}")),
        origin,
        details,
    )
}

/// An administrator's change to another person's account, in one write transaction
/// (`change` returns the audit event's action and details, or `NotFound`); an
/// administrator never changes their own (`own`: the refusal).
async fn change_account<F>(
    state: &AppState,
    admin: &Admin,
    user_id: i64,
    origin: Origin,
    own: crate::domain::FieldError,
    change: F,
) -> Result<(), AppError>
where
    F: FnOnce(
            &mut DbConnection,
            chrono::DateTime<chrono::Utc>,
        ) -> Result<(&'static str, serde_json::Value), AppError>
        + Send
        + 'static,
{
    if user_id == admin.account.id {
        return Err(AppError::Validation(vec![own]));
    }
    let (actor, now) = (admin.account.id, state.clock.now());
    state
        .db
        .run(move |conn| {
            crate::store::write_transaction(conn, |conn| {
                let (action, details) = change(conn, now)?;
                record(conn, actor, action, user_id, &origin, details)
            })
        })
        .await
}

pub async fn set_role(
    state: &AppState,
    admin: &Admin,
    user_id: i64,
    role: PlatformRole,
    origin: Origin,
) -> Result<(), AppError> {
    let own = crate::domain::FieldError::new(
        "role",
        "own_role",
        "Un administrateur ne change pas son propre rôle.",
    );
    change_account(state, admin, user_id, origin, own, move |conn, now| {
        if !store::users::set_role(conn, user_id, role, now)? {
            return Err(AppError::NotFound);
        }
        Ok(("role_changed", serde_json::json!({ "role": role.as_str() })))
    })
    .await
}

/// Suspends (or reinstates) an account: suspension ends every session and revokes every
/// API token.
pub async fn set_suspended(
    state: &AppState,
    admin: &Admin,
    user_id: i64,
    suspended: bool,
    origin: Origin,
) -> Result<(), AppError> {
    let own = crate::domain::FieldError::new(
        "user",
        "own_account",
        "Un administrateur ne suspend pas son propre compte.",
    );
    change_account(state, admin, user_id, origin, own, move |conn, now| {
        if !store::users::set_suspended(conn, user_id, suspended, now)? {
            return Err(AppError::NotFound);
        }
        if suspended {
            store::sessions::delete_all_for_user(conn, user_id)?;
            for token in store::api_tokens::list_live(conn, user_id)? {
                store::api_tokens::revoke(conn, user_id, token.id, now)?;
            }
        }
        let action = if suspended {
            "account_suspended"
        } else {
            "account_reinstated"
        };
        Ok((action, serde_json::json!({})))
    })
    .await
}

/// A page of the audit trail, newest first, as filtered, with the kinds of events
/// recorded so far (the journal's filter offers them): coordinators and admins.
pub async fn audit_log(
    state: &AppState,
    _: &Coordinator,
    filter: AuditFilter,
) -> Result<(Vec<AuditRow>, Vec<String>), AppError> {
    state
        .db
        .run(move |conn| {
            let rows = store::audit::search(conn, &filter, AUDIT_PAGE)?;
            Ok((rows, store::audit::actions(conn)?))
        })
        .await
}

/// Events per page of the journal.
pub const AUDIT_PAGE: i64 = 100;
