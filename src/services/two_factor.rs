//! Two-factor sign-in: enabling it, and the second step of signing in.

use super::accounts::{NewSessionKeys, Origin, Strength, audit, create_session};
use crate::auth::identity::Identity;
use crate::auth::{tokens, totp};
use crate::domain::accounts::Account;
use crate::error::AppError;
use crate::state::AppState;
use crate::store;

pub struct Setup {
    pub secret: String,
    pub otpauth_uri: String,
}

fn wrong_code() -> AppError {
    AppError::invalid(
        "code",
        "invalid_code",
        "Code incorrect ou expiré : saisissez le code affiché maintenant par l'application.",
    )
}

/// Whether `code` proves the account's second factor (`secret`) now: the
/// authenticator's current code, each step once, or an unused recovery code, which is
/// then spent and its use journaled. Signing in and deleting one's account ask it alike.
pub(crate) fn accepts(
    conn: &mut store::DbConnection,
    (id, email): (i64, &str),
    (secret, code): (&str, &str),
    now: chrono::DateTime<chrono::Utc>,
    origin: &Origin,
) -> Result<bool, AppError> {
    if let Some(step) = totp::check(secret, email, code)
        && store::users::accept_totp_step(conn, id, step as i64)?
    {
        return Ok(true);
    }
    let hash = tokens::hash(&totp::normalise_recovery_code(code));
    let used = store::recovery_codes::consume(conn, id, &hash, now)?;
    if used {
        audit(conn, Some(id), "recovery_code_used", origin)?;
    }
    Ok(used)
}

/// Starts enabling two-factor sign-in: a new secret, waiting for a first code.
pub async fn begin_setup(state: &AppState, identity: &Identity) -> Result<Setup, AppError> {
    let now = state.clock.now();
    if identity.account.two_factor {
        return Err(AppError::Conflict(
            "la double authentification est déjà activée".into(),
        ));
    }
    let secret = totp::new_secret();
    let uri = totp::otpauth_uri(&secret, &identity.account.email)
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("otpauth URI")))?;
    let (id, stored) = (identity.account.id, secret.clone());
    state
        .db
        .run(move |conn| {
            store::users::set_pending_totp(conn, id, Some(&stored), now).map_err(AppError::from)
        })
        .await?;
    Ok(Setup {
        secret,
        otpauth_uri: uri,
    })
}

/// The pending secret and its QR code, for the page that shows them again.
pub async fn pending_secret(
    state: &AppState,
    identity: &Identity,
) -> Result<Option<String>, AppError> {
    let id = identity.account.id;
    let user = state
        .db
        .run(move |conn| store::users::find(conn, id).map_err(AppError::from))
        .await?;
    Ok(user
        .filter(|u| u.totp_enabled_at.is_none())
        .and_then(|u| u.totp_secret))
}

/// Confirms with a first code; returns the recovery codes, shown once. The current
/// session stays valid.
pub async fn confirm_setup(
    state: &AppState,
    identity: &Identity,
    code: String,
    origin: Origin,
) -> Result<Vec<String>, AppError> {
    let now = state.clock.now();
    state
        .throttles
        .second_factor_account
        .check(&identity.account.email)?;
    let account = identity.account.clone();
    let session = identity.session_id;
    let codes = totp::new_recovery_codes();
    let hashes: Vec<String> = codes
        .iter()
        .map(|c| tokens::hash(&totp::normalise_recovery_code(c)))
        .collect();
    state
        .db
        .run(move |conn| {
            crate::store::write_transaction(conn, |conn| {
                let user = store::users::find(conn, account.id)?.ok_or(AppError::Unauthorized)?;
                if user.totp_enabled_at.is_some() {
                    return Err(AppError::Conflict(
                        "la double authentification est déjà activée".into(),
                    ));
                }
                let secret = user.totp_secret.ok_or_else(|| {
                    AppError::Conflict(
                        "commencez par demander un nouveau secret (totp/setup)".into(),
                    )
                })?;
                let step = totp::check(&secret, &account.email, &code).ok_or_else(wrong_code)?;
                if !store::users::accept_totp_step(conn, account.id, step as i64)? {
                    return Err(wrong_code());
                }
                store::users::enable_totp(conn, account.id, now)?;
                store::recovery_codes::replace(conn, account.id, &hashes)?;
                // This session just showed a code: it keeps its powers and gains the
                // guarded ones. Any other sign-in (perhaps someone else's, with the
                // password alone) ends, and must come back through the code.
                match session {
                    Some(id) => {
                        store::sessions::mark_second_factor(conn, id)?;
                        store::sessions::delete_others(conn, account.id, id)?;
                    }
                    None => {
                        store::sessions::delete_all_for_user(conn, account.id)?;
                    }
                }
                audit(conn, Some(account.id), "totp_enabled", &origin)
            })
        })
        .await?;
    Ok(codes)
}

/// The second step of signing in: a current code, or a recovery code (once). The half
/// session is replaced by a new, complete one.
pub async fn complete_sign_in(
    state: &AppState,
    half: &Identity,
    code: String,
    origin: Origin,
) -> Result<(Account, NewSessionKeys), AppError> {
    let now = state.clock.now();
    state.throttles.sign_in_ip.check(&origin.ip)?;
    state
        .throttles
        .second_factor_account
        .check(&half.account.email)?;
    let account = half.account.clone();
    let half_session = half.session_id.ok_or(AppError::Unauthorized)?;
    let state2 = state.clone();
    let result = state
        .db
        .run(move |conn| {
            crate::store::write_transaction(conn, |conn| {
                let user = store::users::find(conn, account.id)?.ok_or(AppError::Unauthorized)?;
                let secret = user
                    .totp_secret
                    .filter(|_| user.totp_enabled_at.is_some())
                    .ok_or(AppError::Unauthorized)?;
                let accepted = accepts(
                    conn,
                    (account.id, &account.email),
                    (&secret, &code),
                    now,
                    &origin,
                )?;
                if !accepted {
                    audit(conn, Some(account.id), "sign_in_totp_failed", &origin)?;
                    return Ok::<_, AppError>(None);
                }
                store::sessions::delete(conn, half_session)?;
                let keys =
                    create_session(conn, &state2, account.id, Strength::TwoFactors, &origin)?;
                audit(conn, Some(account.id), "sign_in", &origin)?;
                Ok(Some((account, keys)))
            })
        })
        .await?;
    result.ok_or_else(wrong_code)
}
