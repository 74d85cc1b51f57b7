//! Organisations registering, as listed and shown, and the coordinators' digest of new
//! registrations.

use super::*;

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
    let checked = checked_contact(Contact {
        acronym: input.acronym,
        website: input.website,
        contact_email: input.contact_email,
        description: input.description,
    });
    let mut errors: Vec<FieldError> = [
        texts::NAME.check("name", &input.name),
        legal_id.clone().err(),
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
    if let Err(contact_errors) = &checked {
        errors.extend(contact_errors.iter().cloned());
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let (legal_id, kind) = (legal_id?, kind.unwrap_or(OrganisationKind::Other));
    let Checked {
        acronym,
        website,
        contact,
        description,
    } = checked.map_err(AppError::Validation)?;
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

/// What an organisation says of itself and how to reach it: the fields its owners may
/// change after registering (its name, kind and legal identifier are what the
/// coordinators approved: they stay).
#[derive(Debug, Clone, Default)]
pub struct Contact {
    pub acronym: Option<String>,
    pub website: Option<String>,
    pub contact_email: String,
    pub description: Option<String>,
}

/// `Contact`, checked.
struct Checked {
    acronym: Option<String>,
    website: Option<String>,
    contact: Email,
    description: String,
}

/// The contact fields' rules, for registration and for later changes alike: every
/// problem reported, each on its field.
fn checked_contact(input: Contact) -> Result<Checked, Vec<FieldError>> {
    let contact = Email::parse(&input.contact_email).map_err(|e| FieldError {
        field: "contact_email".into(),
        ..e
    });
    let website = optional(input.website);
    let acronym = optional(input.acronym);
    let description = optional(input.description).unwrap_or_default();
    let mut errors: Vec<FieldError> = [
        acronym
            .as_deref()
            .and_then(|a| texts::ACRONYM.check("acronym", a)),
        texts::DESCRIPTION.check("description", &description),
        contact.clone().err(),
    ]
    .into_iter()
    .flatten()
    .collect();
    if let Some(site) = &website {
        let ok = (site.starts_with("https://") || site.starts_with("http://"))
            && site.len() <= 300
            && !site.contains(char::is_whitespace);
        if !ok {
            errors.push(FieldError::new("website", "invalid_url", "Adresse de site attendue, commençant par https:// (exemple : https://www.exemple.fr)."));
        }
    }
    match contact {
        Ok(contact) if errors.is_empty() => Ok(Checked {
            acronym,
            website,
            contact,
            description,
        }),
        _ => Err(errors),
    }
}

/// The owners rectify their organisation's contact data; other members are refused
/// (403), strangers told it does not exist (404). Audited.
pub async fn change_contact(
    state: &AppState,
    identity: &Identity,
    id: i64,
    input: Contact,
    origin: Origin,
) -> Result<OrganisationRow, AppError> {
    let checked = checked_contact(input).map_err(AppError::Validation)?;
    let (user, coordinator) = (identity.account.id, identity.account.is_coordinator());
    let now = state.clock.now();
    state
        .db
        .run(move |conn| {
            crate::store::write_transaction(conn, |conn| {
                store::organisations::find(conn, id)?.ok_or(AppError::NotFound)?;
                match store::organisations::role_of(conn, id, user)? {
                    Some(MemberRole::Owner) => {}
                    Some(_) => {
                        return Err(AppError::Forbidden(
                            "seuls les propriétaires changent les coordonnées de l'organisation"
                                .into(),
                        ));
                    }
                    None if coordinator => {
                        return Err(AppError::Forbidden(
                            "les coordonnées d'une organisation sont changées par ses propriétaires"
                                .into(),
                        ));
                    }
                    None => return Err(AppError::NotFound),
                }
                store::organisations::set_contact(
                    conn,
                    id,
                    &store::organisations::ContactFields {
                        acronym: checked.acronym.as_deref(),
                        website: checked.website.as_deref(),
                        contact_email: checked.contact.as_str(),
                        description: &checked.description,
                    },
                    now,
                )?;
                audit_on(
                    conn,
                    Some(user),
                    "organisation_contact_changed",
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

/// Where the registrations digest stands: the last organisation it told of, and when.
pub(super) const DIGEST_KEY: &str = "registrations_digest";

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
