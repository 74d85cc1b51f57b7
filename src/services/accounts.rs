//! Getting in and staying safe: registration, email verification, sign-in and out,
//! password reset. Every email is queued in the same transaction as its cause, and every
//! step leaves an audit event.

use chrono::{DateTime, Duration, Utc};

use crate::auth::identity::Identity;
use crate::auth::tokens;
use crate::domain::FieldError;
use crate::domain::accounts::{Account, DisplayName, Email, Password, PlatformRole};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::mail::messages::Composer;
use crate::state::AppState;
use crate::store::audit::AuditEvent;
use crate::store::email_tokens::Purpose;
use crate::store::sessions::NewSession;
use crate::store::users::NewUser;
use crate::store::{self, DbConnection};

pub const VERIFY_TOKEN_HOURS: i64 = 48;
pub const RESET_TOKEN_MINUTES: i64 = 60;

/// Where a request came from, for throttling, audit and the language of emails.
#[derive(Debug, Clone)]
pub struct Origin {
    pub ip: String,
    pub user_agent: Option<String>,
    pub lang: Lang,
    /// The browser's device mark, if it has one (see `auth::devices`).
    pub device: Option<String>,
}

pub(crate) fn audit(
    conn: &mut DbConnection,
    actor: Option<i64>,
    action: &str,
    origin: &Origin,
) -> Result<(), AppError> {
    audit_on(conn, actor, action, None, origin, serde_json::json!({}))
}

/// An audit event about a given object (`api_token:12`, `user:3`…).
pub(crate) fn audit_on(
    conn: &mut DbConnection,
    actor: Option<i64>,
    action: &str,
    target: Option<String>,
    origin: &Origin,
    details: serde_json::Value,
) -> Result<(), AppError> {
    let event = AuditEvent {
        actor,
        action,
        target,
        ip: Some(&origin.ip),
        details,
    };
    store::audit::record(conn, &event, Utc::now()).map_err(AppError::from)
}

/// An account created by the operator on the command line (the way coordinators and
/// administrators are made), verified from the start, and recorded in the audit journal
/// (no actor: the operator holds the machine). The fields are checked as a registration
/// checks them; an email already known is a conflict.
pub fn create_by_operator(
    conn: &mut DbConnection,
    email: &str,
    display_name: &str,
    password: &str,
    role: PlatformRole,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    let email = Email::parse(email).map_err(|e| AppError::Validation(vec![e]))?;
    let name = DisplayName::parse(display_name).map_err(|e| AppError::Validation(vec![e]))?;
    let password = Password::parse(password, &[email.as_str(), name.as_str()])
        .map_err(|e| AppError::Validation(vec![e]))?;
    let hash = crate::auth::passwords::hash(&password)?;
    store::write_transaction(conn, |conn| {
        if store::users::find_by_email(conn, &email)?.is_some() {
            return Err(AppError::Conflict(format!(
                "un compte existe déjà pour {}",
                email.as_str()
            )));
        }
        let user = NewUser {
            email: &email,
            display_name: &name,
            password_hash: &hash,
            role,
            language: Lang::Fr,
            verified: true,
        };
        let id = store::users::insert(conn, &user, now)?;
        let event = AuditEvent {
            actor: None,
            action: "account_created",
            target: Some(format!("user:{id}")),
            ip: None,
            details: serde_json::json!({ "role": role.as_str(), "via": "command_line" }),
        };
        store::audit::record(conn, &event, now)?;
        Ok(id)
    })
}

/// Collects every refused field at once, so a form shows all its errors together.
fn validate<const N: usize>(checks: [Option<FieldError>; N]) -> Result<(), AppError> {
    let errors: Vec<FieldError> = checks.into_iter().flatten().collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::Validation(errors))
    }
}

pub struct Registration {
    pub email: String,
    pub display_name: String,
    pub password: String,
    /// Where the verification link leads after signing in (an invitation being
    /// accepted, say): a path of this site, or None.
    pub then: Option<String>,
}

/// Creates an unverified account and emails a verification link. An address that
/// already has an account gets the same answer, and its owner an email saying so.
pub async fn register(
    state: &AppState,
    input: Registration,
    origin: Origin,
) -> Result<(), AppError> {
    let now = state.clock.now();
    state.throttles.register_ip.check(&origin.ip)?;
    let email = Email::parse(&input.email);
    let name = DisplayName::parse(&input.display_name);
    let context: Vec<&str> = [input.email.as_str(), input.display_name.as_str()]
        .into_iter()
        .collect();
    let password = Password::parse(&input.password, &context);
    validate([
        email.clone().err(),
        name.clone().err(),
        password.as_ref().err().cloned(),
    ])?;
    let (email, name, password) = (email?, name?, password?);
    // Hash even for an existing address: both paths must take the same time.
    let hash = state.hasher.hash(password).await?;
    let base_url = state.settings.base_url().to_owned();
    state
        .db
        .run(move |conn| {
            crate::store::write_transaction(conn, |conn| {
                if let Some(existing) = store::users::find_by_email(conn, &email)? {
                    let account = Account::from(&existing);
                    let mail = Composer::new(
                        account.language,
                        &base_url,
                        &account.email,
                        &account.display_name,
                    )
                    .already_registered();
                    store::outbox::enqueue(conn, &mail, now)?;
                    return audit(conn, Some(account.id), "register_existing_email", &origin);
                }
                let user = NewUser {
                    email: &email,
                    display_name: &name,
                    password_hash: &hash,
                    role: PlatformRole::None,
                    language: origin.lang,
                    verified: false,
                };
                let id = store::users::insert(conn, &user, now)?;
                let token = tokens::new_secret();
                let expires = now + Duration::hours(VERIFY_TOKEN_HOURS);
                store::email_tokens::insert(
                    conn,
                    id,
                    Purpose::VerifyEmail,
                    &tokens::hash(&token),
                    now,
                    expires,
                )?;
                let mail = Composer::new(origin.lang, &base_url, email.as_str(), name.as_str())
                    .verify_email(&token, input.then.as_deref());
                store::outbox::enqueue(conn, &mail, now)?;
                audit(conn, Some(id), "register", &origin)
            })
        })
        .await
}

fn invalid_token() -> AppError {
    AppError::LinkExpired
}

/// Confirms an address with the emailed token (once).
pub async fn verify_email(state: &AppState, token: String, origin: Origin) -> Result<(), AppError> {
    let now = state.clock.now();
    state.throttles.verify_ip.check(&origin.ip)?;
    state
        .db
        .run(move |conn| {
            crate::store::write_transaction(conn, |conn| {
                let user_id = store::email_tokens::consume(
                    conn,
                    Purpose::VerifyEmail,
                    &tokens::hash(&token),
                    now,
                )?
                .ok_or_else(invalid_token)?;
                store::users::mark_verified(conn, user_id, now)?;
                audit(conn, Some(user_id), "email_verified", &origin)
            })
        })
        .await
}

/// A new session: its key goes in the cookie, only its hash in the database.
pub struct NewSessionKeys {
    pub key: String,
    pub csrf_token: String,
}

pub enum SignIn {
    Done {
        account: Account,
        keys: NewSessionKeys,
        /// The device's mark for this account, to keep in its cookie.
        device: String,
    },
    /// Password right; a two-factor code is owed before the session is usable.
    TotpRequired {
        keys: NewSessionKeys,
        device: String,
    },
}

fn refused_sign_in() -> AppError {
    AppError::Unauthorized
}

/// What a new session has shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Strength {
    /// The password; the account has no second factor, or this session needs no more.
    Password,
    /// The password of an account with two-factor: only the code route accepts it.
    CodeOwed,
    /// The password and the second factor.
    TwoFactors,
}

pub(crate) fn create_session(
    conn: &mut DbConnection,
    state: &AppState,
    user_id: i64,
    strength: Strength,
    origin: &Origin,
) -> Result<NewSessionKeys, AppError> {
    let mfa_pending = strength == Strength::CodeOwed;
    let now = Utc::now();
    let keys = NewSessionKeys {
        key: tokens::new_secret(),
        csrf_token: tokens::new_secret(),
    };
    let lifetime = if mfa_pending {
        Duration::minutes(5)
    } else {
        Duration::hours(state.settings.sessions.absolute_hours)
    };
    let user_agent: Option<String> = origin
        .user_agent
        .as_ref()
        .map(|ua| ua.chars().take(300).collect());
    store::sessions::insert(
        conn,
        &NewSession {
            key_hash: &tokens::hash(&keys.key),
            user_id,
            csrf_token: &keys.csrf_token,
            mfa_pending,
            ip: Some(&origin.ip),
            user_agent: user_agent.as_deref(),
            created_at: now.naive_utc(),
            last_seen_at: now.naive_utc(),
            expires_at: (now + lifetime).naive_utc(),
            second_factor: strength == Strength::TwoFactors,
        },
    )?;
    Ok(keys)
}

/// Checks the password and opens a session (always a new one: no fixation). Unknown
/// email and wrong password are refused identically, after the same amount of work.
pub async fn sign_in(
    state: &AppState,
    email: String,
    password: String,
    origin: Origin,
) -> Result<SignIn, AppError> {
    let now = state.clock.now();
    state.throttles.sign_in_ip.check(&origin.ip)?;
    let key = email.trim().to_lowercase();
    // Guessing from one address is slowed for that address; guessing from many counts
    // against the account's ceiling, which a device that signed in before passes: an
    // attack cannot lock the owner out.
    state
        .throttles
        .sign_in_account_address
        .check(&format!("{key}\u{0}{}", origin.ip))?;
    if !state.devices.recognises(&key, origin.device.as_deref()) {
        state.throttles.sign_in_account.check(&key)?;
    }
    let parsed = Email::parse(&email).ok();
    let user = match parsed {
        Some(email) => {
            state
                .db
                .run(move |conn| store::users::find_by_email(conn, &email).map_err(AppError::from))
                .await?
        }
        None => None,
    };
    let stored = user.as_ref().map(|u| u.password_hash.clone());
    let verified = state.hasher.verify(password.clone(), stored).await?;
    let (user, needs_rehash) = match (user, verified) {
        (Some(user), crate::auth::passwords::Verified::Match { needs_rehash }) => {
            (user, needs_rehash)
        }
        (user, _) => {
            let actor = user.map(|u| u.id);
            let origin = origin.clone();
            state
                .db
                .run(move |conn| audit(conn, actor, "sign_in_failed", &origin))
                .await?;
            return Err(refused_sign_in());
        }
    };
    let account = Account::from(&user);
    if !account.verified {
        return Err(AppError::Forbidden(
            "adresse électronique non vérifiée : ouvrez le lien reçu par courriel".into(),
        ));
    }
    if account.suspended {
        return Err(AppError::Forbidden("compte suspendu".into()));
    }
    let rehashed = if needs_rehash {
        let context = [account.email.as_str(), account.display_name.as_str()];
        // A password that no longer passes the policy still signs in; it is only rehashed.
        match Password::parse(&password, &context) {
            Ok(p) => Some(state.hasher.hash(p).await?),
            Err(_) => None,
        }
    } else {
        None
    };
    let state2 = state.clone();
    let device = state.devices.mark(&account.email);
    state
        .db
        .run(move |conn| {
            crate::store::write_transaction(conn, |conn| {
                if let Some(hash) = &rehashed {
                    store::users::set_password_hash(conn, account.id, hash, now)?;
                }
                let keys = create_session(
                    conn,
                    &state2,
                    account.id,
                    if account.two_factor {
                        Strength::CodeOwed
                    } else {
                        Strength::Password
                    },
                    &origin,
                )?;
                if account.two_factor {
                    audit(
                        conn,
                        Some(account.id),
                        "sign_in_password_ok_totp_pending",
                        &origin,
                    )?;
                    Ok(SignIn::TotpRequired { keys, device })
                } else {
                    audit(conn, Some(account.id), "sign_in", &origin)?;
                    Ok(SignIn::Done {
                        account,
                        keys,
                        device,
                    })
                }
            })
        })
        .await
}

/// Ends a session server-side: its cookie is worthless from now on.
/// Ends the session `identity` signed in with. An API token is not a session: it is
/// revoked, never signed out.
pub async fn sign_out(
    state: &AppState,
    identity: &Identity,
    origin: Origin,
) -> Result<(), AppError> {
    let account_id = identity.account.id;
    let session_id = identity.session_id.ok_or_else(|| {
        AppError::Forbidden("un jeton d'API ne se déconnecte pas : révoquez-le".into())
    })?;
    state
        .db
        .run(move |conn| {
            store::sessions::delete(conn, session_id)?;
            audit(conn, Some(account_id), "sign_out", &origin)
        })
        .await
}

/// Emails a reset link if the address has an account; answers the same either way, and
/// as fast: the lookup and its writes happen after the answer, so its timing cannot
/// tell whether the account exists.
pub async fn request_reset(
    state: &AppState,
    email: String,
    origin: Origin,
) -> Result<(), AppError> {
    let now = state.clock.now();
    state.throttles.reset_ip.check(&origin.ip)?;
    state
        .throttles
        .reset_account
        .check(&email.trim().to_lowercase())?;
    let Ok(email) = Email::parse(&email) else {
        return Ok(());
    };
    let base_url = state.settings.base_url().to_owned();
    let db = state.db.clone();
    actix_web::rt::spawn(async move {
        let outcome = db
            .run(move |conn| reset_link_for(conn, &email, &base_url, now, &origin))
            .await;
        if let Err(e) = outcome {
            tracing::warn!(error = %e, "password reset link not queued");
        }
    });
    Ok(())
}

fn reset_link_for(
    conn: &mut DbConnection,
    email: &Email,
    base_url: &str,
    now: DateTime<Utc>,
    origin: &Origin,
) -> Result<(), AppError> {
    crate::store::write_transaction(conn, |conn| {
        let Some(user) = store::users::find_by_email(conn, email)? else {
            return Ok(());
        };
        let account = Account::from(&user);
        store::email_tokens::void_unused(conn, account.id, Purpose::PasswordReset, now)?;
        let token = tokens::new_secret();
        let expires = now + Duration::minutes(RESET_TOKEN_MINUTES);
        store::email_tokens::insert(
            conn,
            account.id,
            Purpose::PasswordReset,
            &tokens::hash(&token),
            now,
            expires,
        )?;
        let mail = Composer::new(
            account.language,
            base_url,
            &account.email,
            &account.display_name,
        )
        .password_reset(&token);
        store::outbox::enqueue(conn, &mail, now)?;
        audit(conn, Some(account.id), "password_reset_requested", origin)
    })
}

/// Sets a new password with an emailed token (once): every session is closed, nobody is
/// signed in, and the owner is told by email.
pub async fn confirm_reset(
    state: &AppState,
    token: String,
    password: String,
    origin: Origin,
) -> Result<(), AppError> {
    let now = state.clock.now();
    state.throttles.verify_ip.check(&origin.ip)?;
    let token_hash = tokens::hash(&token);
    // Find the account first (without using the token) to check the password in context.
    let user = state
        .db
        .run({
            let token_hash = token_hash.clone();
            move |conn| {
                store::email_tokens::peek_user(conn, Purpose::PasswordReset, &token_hash, now)
                    .map_err(AppError::from)
            }
        })
        .await?
        .ok_or_else(invalid_token)?;
    let account = Account::from(&user);
    let password = Password::parse(
        &password,
        &[account.email.as_str(), account.display_name.as_str()],
    )
    .map_err(|e| AppError::Validation(vec![e]))?;
    let hash = state.hasher.hash(password).await?;
    let base_url = state.settings.base_url().to_owned();
    state
        .db
        .run(move |conn| {
            crate::store::write_transaction(conn, |conn| {
                let user_id =
                    store::email_tokens::consume(conn, Purpose::PasswordReset, &token_hash, now)?
                        .ok_or_else(invalid_token)?;
                store::users::set_password_hash(conn, user_id, &hash, now)?;
                // Whoever could read the mailbox had the reset link: verified now.
                store::users::mark_verified(conn, user_id, now)?;
                store::sessions::delete_all_for_user(conn, user_id)?;
                store::api_tokens::revoke_all(conn, user_id, now)?;
                let mail = Composer::new(
                    account.language,
                    &base_url,
                    &account.email,
                    &account.display_name,
                )
                .password_changed();
                store::outbox::enqueue(conn, &mail, now)?;
                audit(conn, Some(user_id), "password_reset", &origin)
            })
        })
        .await
}
