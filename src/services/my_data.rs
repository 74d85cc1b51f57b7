//! A person's right of access and portability: everything Concerto holds about them
//! (account, memberships, sessions, tokens' names, the audit events they made or that
//! name their account, the answer versions they wrote) as JSON in a ZIP archive, with a
//! short README. Only their own rows; no secret (password and second-factor secrets,
//! token and session hashes). The download itself is audited.

use std::io::{Cursor, Write};

use chrono::{DateTime, NaiveDateTime, Utc};
use serde_json::{Value, json};
use zip::CompressionMethod;
use zip::write::SimpleFileOptions;

use crate::auth::identity::Identity;
use crate::error::AppError;
use crate::services::accounts::{Origin, audit_on};
use crate::state::AppState;
use crate::store::{self, DbConnection};

/// What the archive's README says.
const README: &str = "Vos données personnelles dans Concerto
=======================================

Ce dossier contient tout ce que ce service Concerto garde à votre sujet, au moment du
téléchargement (RGPD, droits d'accès et de portabilité) :

- donnees.json : votre compte (adresse, nom, langue, rôle, dates ; double authentification
  activée ou non), vos appartenances aux organisations, vos sessions ouvertes (adresse IP,
  navigateur), le nom de vos jetons d'API, les événements du journal que vous avez faits ou
  qui concernent votre compte, chaque version des réponses que vous avez écrites au nom
  de vos organisations, et la description des documents que vous y avez joints (titre,
  nom de fichier, type, taille, empreinte SHA-256 ; les fichiers eux-mêmes sont ceux de
  l'organisation et se téléchargent depuis sa réponse).

Ne s'y trouvent pas : votre mot de passe et le secret de votre double authentification
(seules leurs empreintes sont gardées, et elles ne vous sont d'aucun usage), ni les
réponses écrites par d'autres membres de vos organisations.

Les dates sont en temps universel (UTC), au format ISO 8601. Pour rectifier votre nom ou
votre langue : la page « Mon compte ». Pour toute autre demande : la page
« Données personnelles » (/confidentialite) dit à qui écrire.
";

fn at(t: NaiveDateTime) -> String {
    t.and_utc().to_rfc3339()
}

fn maybe(t: Option<NaiveDateTime>) -> Value {
    t.map(at).map_or(Value::Null, Value::String)
}

/// The person's data as JSON.
fn gathered(conn: &mut DbConnection, user: i64, now: DateTime<Utc>) -> Result<Value, AppError> {
    use store::my_data as data;
    let account = data::account(conn, user)?.ok_or(AppError::NotFound)?;
    let memberships: Vec<Value> = data::memberships(conn, user)?
        .into_iter()
        .map(|(id, name, role, since)| {
            json!({"organisation_id": id, "organisation": name, "role": role, "since": at(since)})
        })
        .collect();
    let sessions: Vec<Value> = data::sessions(conn, user)?
        .into_iter()
        .map(|(created, seen, expires, ip, agent)| {
            json!({"created_at": at(created), "last_seen_at": at(seen), "expires_at": at(expires), "ip": ip, "user_agent": agent})
        })
        .collect();
    let tokens: Vec<Value> = data::tokens(conn, user)?
        .into_iter()
        .map(|(name, created, used, expires, revoked)| {
            json!({"name": name, "created_at": at(created), "last_used_at": maybe(used), "expires_at": at(expires), "revoked_at": maybe(revoked)})
        })
        .collect();
    let events: Vec<Value> = data::events(conn, user)?
        .into_iter()
        .map(|(when, action, target, ip, details)| {
            let details: Value = serde_json::from_str(&details).unwrap_or(Value::String(details));
            json!({"occurred_at": at(when), "action": action, "target": target, "ip": ip, "details": details})
        })
        .collect();
    let written: Vec<Value> = data::written(conn, user)?
        .into_iter()
        .map(|(round, organisation, question, version, value, when)| {
            let value: Value = value
                .map(|v| serde_json::from_str(&v).unwrap_or(Value::String(v)))
                .unwrap_or(Value::Null);
            json!({"round": round, "organisation": organisation, "question": question, "version": version, "value": value, "written_at": at(when)})
        })
        .collect();
    let attached: Vec<Value> = data::attached(conn, user)?
        .into_iter()
        .map(|(round, organisation, title, file_name, media_type, size, sha256, version, when)| {
            json!({"round": round, "organisation": organisation, "title": title, "file_name": file_name, "media_type": media_type, "size": size, "sha256": sha256, "version": version, "attached_at": at(when)})
        })
        .collect();
    Ok(json!({
        "format": "concerto-personal-data",
        "version": 1,
        "generated_at": now.to_rfc3339(),
        "account": {
            "id": account.id,
            "email": account.email,
            "display_name": account.display_name,
            "role": account.platform_role,
            "language": account.language,
            "verified_at": maybe(account.verified_at),
            "created_at": at(account.created_at),
            "updated_at": at(account.updated_at),
            "two_factor_enabled_at": maybe(account.totp_enabled_at),
        },
        "memberships": memberships,
        "sessions": sessions,
        "api_tokens": tokens,
        "audit_events": events,
        "answers_written": written,
        "documents_attached": attached,
    }))
}

/// The archive (ZIP: `mes-donnees/LISEZMOI.txt`, `mes-donnees/donnees.json`) and its
/// file name; the download recorded in the journal first, so it is in it.
pub async fn archive(
    state: &AppState,
    identity: &Identity,
    origin: Origin,
) -> Result<(Vec<u8>, String), AppError> {
    let (user, now) = (identity.account.id, state.clock.now());
    let data = state
        .db
        .run(move |conn| {
            store::write_transaction(conn, |conn| {
                let target = Some(format!("user:{user}"));
                let details = json!({});
                audit_on(
                    conn,
                    Some(user),
                    "personal_data_exported",
                    target,
                    &origin,
                    details,
                )
            })?;
            gathered(conn, user, now)
        })
        .await?;
    let json = serde_json::to_vec_pretty(&data).map_err(anyhow::Error::from)?;
    let zipped = zipped(&json).map_err(|e| AppError::Internal(anyhow::anyhow!(e)))?;
    Ok((
        zipped,
        format!("mes-donnees-{}.zip", now.format("%Y-%m-%d")),
    ))
}

fn zipped(json: &[u8]) -> Result<Vec<u8>, String> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    for (name, bytes) in [
        ("mes-donnees/LISEZMOI.txt", README.as_bytes()),
        ("mes-donnees/donnees.json", json),
    ] {
        zip.start_file(name, options).map_err(|e| e.to_string())?;
        zip.write_all(bytes).map_err(|e| e.to_string())?;
    }
    Ok(zip.finish().map_err(|e| e.to_string())?.into_inner())
}

/// Erases an account in one unit of work, unless it is the only owner of an
/// organisation (409 naming them: someone must take over first). Audited without
/// personal data: the account's number only.
fn erase_in(
    conn: &mut DbConnection,
    user: i64,
    (actor, origin, by): (Option<i64>, &Origin, &str),
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    store::write_transaction(conn, |conn| {
        let account = store::my_data::account(conn, user)?.ok_or(AppError::NotFound)?;
        let sole = store::my_data::sole_owner_of(conn, user)?;
        if !sole.is_empty() {
            let names: Vec<String> = sole.into_iter().map(|(_, name)| name).collect();
            return Err(AppError::clash(
                "organisations",
                "last_owner",
                format!(
                    "vous êtes seul propriétaire de : {} ; nommez d'abord un autre propriétaire (ou demandez à la coordination de le faire)",
                    names.join(", ")
                ),
            ));
        }
        store::my_data::erase(conn, user, &account.email)?;
        let event = store::audit::AuditEvent {
            actor,
            action: "account_erased",
            target: Some(format!("user:{user}")),
            // The person's own address is theirs: not kept. An administrator's is.
            ip: actor.map(|_| origin.ip.as_str()),
            details: json!({ "by": by }),
        };
        store::audit::record(conn, &event, now)?;
        Ok(())
    })
}

/// A person deletes their own account: their password, and their second factor's code
/// (or a recovery code) when it is on.
pub async fn erase_own(
    state: &AppState,
    identity: &Identity,
    password: String,
    code: Option<String>,
    origin: Origin,
) -> Result<(), AppError> {
    use crate::auth::passwords::Verified;
    let account = identity.account.clone();
    state.throttles.sign_in_account.check(&account.email)?;
    let id = account.id;
    let stored = state
        .db
        .run(move |conn| store::users::find(conn, id).map_err(AppError::from))
        .await?
        .ok_or(AppError::Unauthorized)?;
    if state
        .hasher
        .verify(password, Some(stored.password_hash.clone()))
        .await?
        == Verified::Mismatch
    {
        return Err(AppError::invalid(
            "password",
            "wrong_password",
            "Le mot de passe n'est pas le bon.",
        ));
    }
    let now = state.clock.now();
    state
        .db
        .run(move |conn| {
            if let Some(secret) = stored.totp_secret.filter(|_| stored.totp_enabled_at.is_some())
            {
                let code = code.unwrap_or_default();
                let proved = crate::services::two_factor::accepts(
                    conn,
                    (id, &account.email),
                    (&secret, &code),
                    now,
                    &origin,
                )?;
                if !proved {
                    return Err(AppError::invalid(
                        "code",
                        "wrong_code",
                        "Ce code n'est pas le bon : donnez le code actuel de votre application d'authentification, ou un code de secours.",
                    ));
                }
            }
            erase_in(conn, id, (None, &origin, "self"), now)
        })
        .await
}

/// An administrator erases an account on its owner's request.
pub async fn erase_by_admin(
    state: &AppState,
    admin: &crate::services::authority::Admin,
    user: i64,
    origin: Origin,
) -> Result<(), AppError> {
    let (actor, now) = (admin.account.id, state.clock.now());
    if actor == user {
        return Err(AppError::clash(
            "user",
            "own_account",
            "votre propre compte se supprime depuis la page « Mon compte »",
        ));
    }
    state
        .db
        .run(move |conn| erase_in(conn, user, (Some(actor), &origin, "admin"), now))
        .await
}
