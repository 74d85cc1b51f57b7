//! What a signed-in person manages about themself: profile, password, sessions, tokens.

use super::accounts::{NewSessionKeys, Origin, Strength, audit, audit_on, create_session};
use crate::auth::identity::Identity;
use crate::auth::passwords::Verified;
use crate::auth::tokens;
use crate::domain::accounts::{DisplayName, Password};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::mail::messages::Composer;
use crate::state::AppState;
use crate::store;
use crate::store::api_tokens::ApiTokenRow;
use crate::store::sessions::SessionRow;

pub async fn update_profile(
    state: &AppState,
    identity: &Identity,
    name: &str,
    language: Lang,
    origin: Origin,
) -> Result<(), AppError> {
    let now = state.clock.now();
    let name = DisplayName::parse(name)?;
    let id = identity.account.id;
    state
        .db
        .run(move |conn| {
            store::users::set_display_name_and_language(conn, id, &name, language, now)?;
            audit(conn, Some(id), "profile_changed", &origin)
        })
        .await
}

/// Changes the password after checking the current one. Every session of the account
/// is closed and the caller gets a new one; the owner is told by email.
pub async fn change_password(
    state: &AppState,
    identity: &Identity,
    current: String,
    new: String,
    origin: Origin,
) -> Result<NewSessionKeys, AppError> {
    let now = state.clock.now();
    state
        .throttles
        .sign_in_account
        .check(&identity.account.email)?;
    let account = identity.account.clone();
    let id = account.id;
    let stored = state
        .db
        .run(move |conn| store::users::find(conn, id).map_err(AppError::from))
        .await?
        .map(|u| u.password_hash);
    if state.hasher.verify(current, stored).await? == Verified::Mismatch {
        return Err(AppError::invalid(
            "current_password",
            "wrong_password",
            "Le mot de passe actuel n'est pas le bon.",
        ));
    }
    let new = Password::parse(
        &new,
        &[account.email.as_str(), account.display_name.as_str()],
    )?;
    let hash = state.hasher.hash(new).await?;
    let (state2, base_url) = (state.clone(), state.settings.base_url().to_owned());
    // The new session has shown what this one had.
    let strength = if identity.second_factor {
        Strength::TwoFactors
    } else {
        Strength::Password
    };
    state
        .db
        .run(move |conn| {
            crate::store::write_transaction(conn, |conn| {
                store::users::set_password_hash(conn, account.id, &hash, now)?;
                store::sessions::delete_all_for_user(conn, account.id)?;
                // Whoever learnt the old password may have made tokens with it.
                store::api_tokens::revoke_all(conn, account.id, now)?;
                let keys = create_session(conn, &state2, account.id, strength, &origin)?;
                let mail = Composer::new(
                    account.language,
                    &base_url,
                    &account.email,
                    &account.display_name,
                )
                .password_changed();
                store::outbox::enqueue(conn, &mail, now)?;
                audit(conn, Some(account.id), "password_changed", &origin)?;
                Ok(keys)
            })
        })
        .await
}

pub async fn sessions(state: &AppState, identity: &Identity) -> Result<Vec<SessionRow>, AppError> {
    let id = identity.account.id;
    state
        .db
        .run(move |conn| store::sessions::list_for_user(conn, id).map_err(AppError::from))
        .await
}

/// Ends one of one's own sessions (any other person's is "not found").
pub async fn revoke_session(
    state: &AppState,
    identity: &Identity,
    session_id: i64,
    origin: Origin,
) -> Result<(), AppError> {
    let user_id = identity.account.id;
    state
        .db
        .run(move |conn| {
            let mine = store::sessions::list_for_user(conn, user_id)?
                .iter()
                .any(|s| s.id == session_id);
            if !mine {
                return Err(AppError::NotFound);
            }
            store::sessions::delete(conn, session_id)?;
            audit(conn, Some(user_id), "session_revoked", &origin)
        })
        .await
}

pub struct NewToken {
    pub id: i64,
    pub name: String,
    /// Shown once; only its hash is kept.
    pub token: String,
    pub expires_at: chrono::DateTime<chrono::Utc>,
}

/// A token's lifetime unless its maker chooses, and the longest one.
pub const TOKEN_DAYS: u32 = 90;
pub const TOKEN_MAX_DAYS: u32 = 365;

/// Makes a personal API token, from a signed-in session only: a token cannot make
/// tokens (a leaked one would otherwise outlive its own revocation).
pub async fn create_token(
    state: &AppState,
    identity: &Identity,
    name: &str,
    days: Option<u32>,
    origin: Origin,
) -> Result<NewToken, AppError> {
    let now = state.clock.now();
    if identity.via != crate::auth::identity::Via::Session {
        super::authority::refused(state, identity, &origin).await;
        return Err(AppError::Forbidden(
            "un jeton se crée depuis une session ouverte, pas avec un autre jeton".into(),
        ));
    }
    let days = days.unwrap_or(TOKEN_DAYS);
    if !(1..=TOKEN_MAX_DAYS).contains(&days) {
        return Err(AppError::invalid(
            "expires_in_days",
            "out_of_range",
            format!("Durée de validité attendue entre 1 et {TOKEN_MAX_DAYS} jours."),
        ));
    }
    let expires_at = now + chrono::Duration::days(i64::from(days));
    let second_factor = identity.second_factor;
    let name = name.trim().to_owned();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(AppError::invalid(
            "name",
            "invalid_length",
            "Donnez au jeton un nom de 1 à 100 caractères.",
        ));
    }
    let user_id = identity.account.id;
    let token = format!("cct_{}", tokens::new_secret());
    let hash = tokens::hash(&token);
    let stored_name = name.clone();
    let id = state
        .db
        .run(move |conn| {
            crate::store::write_transaction(conn, |conn| {
                let new = store::api_tokens::NewToken {
                    user_id,
                    name: &stored_name,
                    token_hash: &hash,
                    expires_at,
                    second_factor,
                };
                let id = store::api_tokens::insert(conn, &new, now)?;
                let target = Some(format!("api_token:{id}"));
                audit_on(
                    conn,
                    Some(user_id),
                    "api_token_created",
                    target,
                    &origin,
                    serde_json::json!({ "name": stored_name, "expires_at": expires_at.to_rfc3339() }),
                )?;
                Ok::<_, AppError>(id)
            })
        })
        .await?;
    Ok(NewToken {
        id,
        name,
        token,
        expires_at,
    })
}

pub async fn tokens(state: &AppState, identity: &Identity) -> Result<Vec<ApiTokenRow>, AppError> {
    let id = identity.account.id;
    state
        .db
        .run(move |conn| store::api_tokens::list_live(conn, id).map_err(AppError::from))
        .await
}

pub async fn revoke_token(
    state: &AppState,
    identity: &Identity,
    token_id: i64,
    origin: Origin,
) -> Result<(), AppError> {
    let now = state.clock.now();
    let user_id = identity.account.id;
    state
        .db
        .run(move |conn| {
            if !store::api_tokens::revoke(conn, user_id, token_id, now)? {
                return Err(AppError::NotFound);
            }
            let target = Some(format!("api_token:{token_id}"));
            audit_on(
                conn,
                Some(user_id),
                "api_token_revoked",
                target,
                &origin,
                serde_json::json!({}),
            )
        })
        .await
}
