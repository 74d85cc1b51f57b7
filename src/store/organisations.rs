//! Organisations, memberships and membership invitations.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;

use super::DbConnection;
use super::models::UserRow;
use super::schema::{memberships, organisation_invitations, organisations, users};
use crate::domain::organisations::{MemberRole, OrganisationKind, OrganisationStatus};
use crate::domain::rounds::Round;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = organisations)]
pub struct OrganisationRow {
    pub id: i64,
    pub name: String,
    pub acronym: Option<String>,
    pub kind: String,
    pub legal_id: String,
    pub website: Option<String>,
    pub contact_email: String,
    pub description: String,
    pub status: String,
    pub status_reason: Option<String>,
    pub created_by: Option<i64>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl OrganisationRow {
    pub fn status(&self) -> OrganisationStatus {
        OrganisationStatus::parse(&self.status).unwrap_or(OrganisationStatus::Pending)
    }

    pub fn kind(&self) -> OrganisationKind {
        OrganisationKind::parse(&self.kind).unwrap_or(OrganisationKind::Other)
    }
}

/// An organisation to register (values already checked by the domain).
pub struct NewOrganisation<'a> {
    pub name: &'a str,
    pub acronym: Option<&'a str>,
    pub kind: OrganisationKind,
    pub legal_id: &'a str,
    pub website: Option<&'a str>,
    pub contact_email: &'a str,
    pub description: &'a str,
}

pub fn insert(
    conn: &mut DbConnection,
    org: &NewOrganisation<'_>,
    creator: i64,
    now: DateTime<Utc>,
) -> QueryResult<i64> {
    let now = now.naive_utc();
    diesel::insert_into(organisations::table)
        .values((
            organisations::name.eq(org.name),
            organisations::acronym.eq(org.acronym),
            organisations::kind.eq(org.kind.as_str()),
            organisations::legal_id.eq(org.legal_id),
            organisations::website.eq(org.website),
            organisations::contact_email.eq(org.contact_email),
            organisations::description.eq(org.description),
            organisations::status.eq(OrganisationStatus::Pending.as_str()),
            organisations::created_by.eq(creator),
            organisations::created_at.eq(now),
            organisations::updated_at.eq(now),
        ))
        .returning(organisations::id)
        .get_result(conn)
}

pub fn find(conn: &mut DbConnection, id: i64) -> QueryResult<Option<OrganisationRow>> {
    organisations::table
        .find(id)
        .select(OrganisationRow::as_select())
        .first(conn)
        .optional()
}

pub fn legal_id_taken(conn: &mut DbConnection, legal_id: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        organisations::table.filter(organisations::legal_id.eq(legal_id)),
    ))
    .get_result(conn)
}

/// What the coordinators' list filters on.
#[derive(Debug, Default, Clone)]
pub struct Filter {
    pub status: Option<OrganisationStatus>,
    pub kind: Option<OrganisationKind>,
    /// Matched against name, acronym and legal identifier, ignoring case.
    pub search: Option<String>,
}

pub fn list(conn: &mut DbConnection, filter: &Filter) -> QueryResult<Vec<OrganisationRow>> {
    let mut query = organisations::table
        .select(OrganisationRow::as_select())
        .order((organisations::name, organisations::id))
        .into_boxed();
    if let Some(status) = filter.status {
        query = query.filter(organisations::status.eq(status.as_str()));
    }
    if let Some(kind) = filter.kind {
        query = query.filter(organisations::kind.eq(kind.as_str()));
    }
    let rows = query.load(conn)?;
    // Case-insensitive matching is done here: SQLite's and PostgreSQL's LIKE disagree on
    // case, and an organisation list is small.
    Ok(
        match filter
            .search
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            Some(search) => {
                let needle = search.to_lowercase();
                rows.into_iter()
                    .filter(|o| {
                        o.name.to_lowercase().contains(&needle)
                            || o.acronym
                                .as_deref()
                                .is_some_and(|a| a.to_lowercase().contains(&needle))
                            || o.legal_id.to_lowercase().contains(&needle)
                    })
                    .collect()
            }
            None => rows,
        },
    )
}

/// How many organisations have this status (the coordinators' "to decide" count).
pub fn count_with_status(conn: &mut DbConnection, status: OrganisationStatus) -> QueryResult<i64> {
    organisations::table
        .filter(organisations::status.eq(status.as_str()))
        .count()
        .get_result(conn)
}

/// The organisations a person belongs to, with their role in each.
pub fn list_for_user(
    conn: &mut DbConnection,
    user_id: i64,
) -> QueryResult<Vec<(OrganisationRow, String)>> {
    organisations::table
        .inner_join(memberships::table)
        .filter(memberships::user_id.eq(user_id))
        .order(organisations::name)
        .select((OrganisationRow::as_select(), memberships::role))
        .load(conn)
}

/// What an organisation's owners may change after registering.
pub struct ContactFields<'a> {
    pub acronym: Option<&'a str>,
    pub website: Option<&'a str>,
    pub contact_email: &'a str,
    pub description: &'a str,
}

pub fn set_contact(
    conn: &mut DbConnection,
    id: i64,
    fields: &ContactFields<'_>,
    now: chrono::DateTime<chrono::Utc>,
) -> QueryResult<()> {
    diesel::update(organisations::table.find(id))
        .set((
            organisations::acronym.eq(fields.acronym),
            organisations::website.eq(fields.website),
            organisations::contact_email.eq(fields.contact_email),
            organisations::description.eq(fields.description),
            organisations::updated_at.eq(now.naive_utc()),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn set_status(
    conn: &mut DbConnection,
    id: i64,
    status: OrganisationStatus,
    reason: Option<&str>,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::update(organisations::table.find(id))
        .set((
            organisations::status.eq(status.as_str()),
            organisations::status_reason.eq(reason),
            organisations::updated_at.eq(now.naive_utc()),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn add_member(
    conn: &mut DbConnection,
    organisation_id: i64,
    user_id: i64,
    role: MemberRole,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::insert_into(memberships::table)
        .values((
            memberships::organisation_id.eq(organisation_id),
            memberships::user_id.eq(user_id),
            memberships::role.eq(role.as_str()),
            memberships::created_at.eq(now.naive_utc()),
        ))
        .execute(conn)
        .map(|_| ())
}

/// The organisation's status and the user's role in it (None: not a member); None when
/// there is no such organisation. One query.
pub fn membership(
    conn: &mut DbConnection,
    organisation_id: i64,
    user_id: i64,
) -> QueryResult<Option<(OrganisationStatus, Option<MemberRole>)>> {
    let row: Option<(String, Option<String>)> = organisations::table
        .left_join(
            memberships::table.on(memberships::organisation_id
                .eq(organisations::id)
                .and(memberships::user_id.eq(user_id))),
        )
        .filter(organisations::id.eq(organisation_id))
        .select((organisations::status, memberships::role.nullable()))
        .first(conn)
        .optional()?;
    Ok(row.map(|(status, role)| parse_membership(&status, role.as_deref())))
}

/// What a submission or a reopening checks before it writes.
pub struct MembershipInRound {
    pub status: OrganisationStatus,
    pub role: Option<MemberRole>,
    /// For the receipt.
    pub organisation_name: String,
    /// As it now is: its status and dates decide whether it takes answers.
    pub round: Round,
}

/// `membership` with the organisation's name and the round, in one query. None when there
/// is no such organisation or round.
pub fn membership_in_round(
    conn: &mut DbConnection,
    organisation_id: i64,
    user_id: i64,
    round_id: i64,
) -> QueryResult<Option<MembershipInRound>> {
    use super::models::RoundRow;
    use super::schema::rounds;
    let row: Option<(String, Option<String>, String, RoundRow)> = organisations::table
        .left_join(
            memberships::table.on(memberships::organisation_id
                .eq(organisations::id)
                .and(memberships::user_id.eq(user_id))),
        )
        .inner_join(rounds::table.on(rounds::id.eq(round_id)))
        .filter(organisations::id.eq(organisation_id))
        .select((
            organisations::status,
            memberships::role.nullable(),
            organisations::name,
            RoundRow::as_select(),
        ))
        .first(conn)
        .optional()?;
    let Some((status, role, organisation_name, round)) = row else {
        return Ok(None);
    };
    let (status, role) = parse_membership(&status, role.as_deref());
    Ok(Some(MembershipInRound {
        status,
        role,
        organisation_name,
        round: Round::try_from(round)?,
    }))
}

/// An organisation's stored status and a member's stored role, as the domain reads them
/// (an unknown status counts as pending, an unknown role as none).
pub fn parse_membership(
    status: &str,
    role: Option<&str>,
) -> (OrganisationStatus, Option<MemberRole>) {
    (
        OrganisationStatus::parse(status).unwrap_or(OrganisationStatus::Pending),
        role.and_then(MemberRole::parse),
    )
}

pub fn role_of(
    conn: &mut DbConnection,
    organisation_id: i64,
    user_id: i64,
) -> QueryResult<Option<MemberRole>> {
    let role: Option<String> = memberships::table
        .filter(memberships::organisation_id.eq(organisation_id))
        .filter(memberships::user_id.eq(user_id))
        .select(memberships::role)
        .first(conn)
        .optional()?;
    Ok(role.and_then(|r| MemberRole::parse(&r)))
}

/// Members with their accounts, owners first.
pub fn members(
    conn: &mut DbConnection,
    organisation_id: i64,
) -> QueryResult<Vec<(String, UserRow)>> {
    memberships::table
        .inner_join(users::table)
        .filter(memberships::organisation_id.eq(organisation_id))
        .order((memberships::role.desc(), users::email))
        .select((memberships::role, UserRow::as_select()))
        .load(conn)
}

pub fn count_owners(conn: &mut DbConnection, organisation_id: i64) -> QueryResult<i64> {
    memberships::table
        .filter(memberships::organisation_id.eq(organisation_id))
        .filter(memberships::role.eq(MemberRole::Owner.as_str()))
        .count()
        .get_result(conn)
}

pub fn set_member_role(
    conn: &mut DbConnection,
    organisation_id: i64,
    user_id: i64,
    role: MemberRole,
) -> QueryResult<bool> {
    diesel::update(
        memberships::table
            .filter(memberships::organisation_id.eq(organisation_id))
            .filter(memberships::user_id.eq(user_id)),
    )
    .set(memberships::role.eq(role.as_str()))
    .execute(conn)
    .map(|n| n == 1)
}

pub fn remove_member(
    conn: &mut DbConnection,
    organisation_id: i64,
    user_id: i64,
) -> QueryResult<bool> {
    diesel::delete(
        memberships::table
            .filter(memberships::organisation_id.eq(organisation_id))
            .filter(memberships::user_id.eq(user_id)),
    )
    .execute(conn)
    .map(|n| n == 1)
}

/// An owner's invitation, the token already hashed.
pub struct NewInvitation<'a> {
    pub organisation_id: i64,
    pub email: &'a str,
    pub role: MemberRole,
    pub token_hash: &'a str,
    pub invited_by: i64,
    pub expires_at: DateTime<Utc>,
}

pub fn insert_invitation(
    conn: &mut DbConnection,
    invitation: &NewInvitation<'_>,
    now: DateTime<Utc>,
) -> QueryResult<i64> {
    diesel::insert_into(organisation_invitations::table)
        .values((
            organisation_invitations::organisation_id.eq(invitation.organisation_id),
            organisation_invitations::email.eq(invitation.email),
            organisation_invitations::role.eq(invitation.role.as_str()),
            organisation_invitations::token_hash.eq(invitation.token_hash),
            organisation_invitations::invited_by.eq(invitation.invited_by),
            organisation_invitations::created_at.eq(now.naive_utc()),
            organisation_invitations::expires_at.eq(invitation.expires_at.naive_utc()),
        ))
        .returning(organisation_invitations::id)
        .get_result(conn)
}

/// A live invitation: (organisation, invited email, role).
pub fn find_invitation(
    conn: &mut DbConnection,
    token_hash: &str,
    now: DateTime<Utc>,
) -> QueryResult<Option<(i64, String, String)>> {
    organisation_invitations::table
        .filter(organisation_invitations::token_hash.eq(token_hash))
        .filter(organisation_invitations::accepted_at.is_null())
        .filter(organisation_invitations::expires_at.gt(now.naive_utc()))
        .select((
            organisation_invitations::organisation_id,
            organisation_invitations::email,
            organisation_invitations::role,
        ))
        .first(conn)
        .optional()
}

/// An invitation not yet used, as its organisation's owners see it.
#[derive(Debug, Clone, Queryable)]
pub struct PendingInvitation {
    pub id: i64,
    pub email: String,
    pub role: String,
    pub invited_by: Option<String>,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
}

/// The organisation's invitations not yet used, the expired ones included (an owner
/// sends them again or cancels them), newest first.
pub fn pending_invitations(
    conn: &mut DbConnection,
    organisation_id: i64,
) -> QueryResult<Vec<PendingInvitation>> {
    organisation_invitations::table
        .left_join(
            users::table.on(users::id
                .nullable()
                .eq(organisation_invitations::invited_by)),
        )
        .filter(organisation_invitations::organisation_id.eq(organisation_id))
        .filter(organisation_invitations::accepted_at.is_null())
        .order(organisation_invitations::id.desc())
        .select((
            organisation_invitations::id,
            organisation_invitations::email,
            organisation_invitations::role,
            users::display_name.nullable(),
            organisation_invitations::created_at,
            organisation_invitations::expires_at,
        ))
        .load(conn)
}

/// Gives an unused invitation a new link (the old one stops working) and a new expiry;
/// its invited email, or None when the organisation has no such unused invitation.
pub fn renew_invitation(
    conn: &mut DbConnection,
    organisation_id: i64,
    id: i64,
    token_hash: &str,
    expires_at: DateTime<Utc>,
) -> QueryResult<Option<(String, String)>> {
    diesel::update(
        organisation_invitations::table
            .filter(organisation_invitations::id.eq(id))
            .filter(organisation_invitations::organisation_id.eq(organisation_id))
            .filter(organisation_invitations::accepted_at.is_null()),
    )
    .set((
        organisation_invitations::token_hash.eq(token_hash),
        organisation_invitations::expires_at.eq(expires_at.naive_utc()),
    ))
    .returning((
        organisation_invitations::email,
        organisation_invitations::role,
    ))
    .get_result(conn)
    .optional()
}

/// Deletes an unused invitation (its link stops working); false when there is none.
pub fn cancel_invitation(
    conn: &mut DbConnection,
    organisation_id: i64,
    id: i64,
) -> QueryResult<bool> {
    diesel::delete(
        organisation_invitations::table
            .filter(organisation_invitations::id.eq(id))
            .filter(organisation_invitations::organisation_id.eq(organisation_id))
            .filter(organisation_invitations::accepted_at.is_null()),
    )
    .execute(conn)
    .map(|n| n == 1)
}

/// Uses an invitation once; false if it was used (or expired) in the meantime.
pub fn accept_invitation(
    conn: &mut DbConnection,
    token_hash: &str,
    user_id: i64,
    now: DateTime<Utc>,
) -> QueryResult<bool> {
    diesel::update(
        organisation_invitations::table
            .filter(organisation_invitations::token_hash.eq(token_hash))
            .filter(organisation_invitations::accepted_at.is_null())
            .filter(organisation_invitations::expires_at.gt(now.naive_utc())),
    )
    .set((
        organisation_invitations::accepted_at.eq(now.naive_utc()),
        organisation_invitations::accepted_by.eq(user_id),
    ))
    .execute(conn)
    .map(|n| n == 1)
}

/// Who an email to an organisation's members goes to.
#[derive(Debug, Clone, Queryable)]
pub struct Recipient {
    pub email: String,
    pub display_name: String,
    pub language: String,
}

/// Every member of one organisation (suspended accounts aside), as a receipt reaches them.
/// A fixed query, kept prepared: `member_contacts`, with its lists, was planned anew at
/// every call (0.3 ms of a submission's database time, planning a join and a DISTINCT
/// that one membership per member makes needless here).
pub fn members_of(conn: &mut DbConnection, organisation_id: i64) -> QueryResult<Vec<Recipient>> {
    memberships::table
        .inner_join(users::table)
        .filter(memberships::organisation_id.eq(organisation_id))
        .filter(users::suspended_at.is_null())
        .select((users::email, users::display_name, users::language))
        .load(conn)
}

/// Everyone who should hear about an organisation's status: its members' addresses,
/// names and languages.
pub fn member_contacts(
    conn: &mut DbConnection,
    organisation_ids: &[i64],
    roles: &[MemberRole],
) -> QueryResult<Vec<UserRow>> {
    let roles: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
    memberships::table
        .inner_join(users::table)
        .filter(memberships::organisation_id.eq_any(organisation_ids))
        .filter(memberships::role.eq_any(roles))
        .filter(users::suspended_at.is_null())
        .select(UserRow::as_select())
        .distinct()
        .load(conn)
}

/// Organisations waiting for a decision registered after `after_id`, oldest first.
pub fn pending_after(conn: &mut DbConnection, after_id: i64) -> QueryResult<Vec<OrganisationRow>> {
    organisations::table
        .filter(organisations::status.eq(OrganisationStatus::Pending.as_str()))
        .filter(organisations::id.gt(after_id))
        .order(organisations::id)
        .select(OrganisationRow::as_select())
        .load(conn)
}

/// What a live invitation offers, for its page: the organisation's name, the role, and
/// who invited (None if that account is gone).
pub fn invitation_details(
    conn: &mut DbConnection,
    token_hash: &str,
    now: DateTime<Utc>,
) -> QueryResult<Option<(String, String, Option<String>)>> {
    organisation_invitations::table
        .inner_join(organisations::table)
        .left_join(
            users::table.on(users::id
                .nullable()
                .eq(organisation_invitations::invited_by)),
        )
        .filter(organisation_invitations::token_hash.eq(token_hash))
        .filter(organisation_invitations::accepted_at.is_null())
        .filter(organisation_invitations::expires_at.gt(now.naive_utc()))
        .select((
            organisations::name,
            organisation_invitations::role,
            users::display_name.nullable(),
        ))
        .first(conn)
        .optional()
}
