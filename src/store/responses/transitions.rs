//! A response submitted or reopened, on either backend, and in one statement with its
//! audit event on PostgreSQL.

use super::*;

/// Submits the draft response in one statement, which holds its row until the transaction
/// ends (no write lands on it meanwhile): the row as it now is, or `None` when there is no
/// draft (none at all, or already submitted).
pub fn submit_draft(
    conn: &mut DbConnection,
    round_id: i64,
    organisation_id: i64,
    user_id: i64,
    consent: PublicationConsent,
    now: DateTime<Utc>,
) -> QueryResult<Option<ResponseRow>> {
    let draft = responses::status.eq(ResponseStatus::Draft.as_str());
    diesel::update(response_of(round_id, organisation_id).filter(draft))
        .set((
            responses::status.eq(ResponseStatus::Submitted.as_str()),
            responses::submitted_at.eq(now.naive_utc()),
            responses::submitted_by.eq(user_id),
            responses::publication_consent.eq(consent.as_str()),
            responses::updated_at.eq(now.naive_utc()),
        ))
        .returning(responses::all_columns)
        .get_result(conn)
        .optional()
}

/// Puts the submitted response back in draft, in one statement: the row as it now is, or
/// `None` when there is no submitted response.
pub fn reopen(
    conn: &mut DbConnection,
    round_id: i64,
    organisation_id: i64,
    now: DateTime<Utc>,
) -> QueryResult<Option<ResponseRow>> {
    let submitted = responses::status.eq(ResponseStatus::Submitted.as_str());
    diesel::update(response_of(round_id, organisation_id).filter(submitted))
        .set((
            responses::status.eq(ResponseStatus::Draft.as_str()),
            responses::updated_at.eq(now.naive_utc()),
        ))
        .returning(responses::all_columns)
        .get_result(conn)
        .optional()
}

/// A response's change of state by one of its organisation's members.
pub enum Transition {
    /// A draft submitted, with the publication consent given.
    Submit { consent: PublicationConsent },
    /// A submitted response back in draft.
    Reopen,
}

/// What `transition_as_member` changed, with what a submission's receipts need.
pub struct Transitioned {
    pub response: ResponseRow,
    pub organisation_name: String,
    pub members: Vec<crate::store::organisations::Recipient>,
}

/// A submission or a reopening in one statement on PostgreSQL, with its audit event, in
/// the round's lock (`concerto_round_open_held`; inside a transaction that holds it
/// already, taken again for nothing): the response of an approved organisation, changed
/// by one of its owners or editors while the round is open, from the state the transition
/// starts from. Checks everything `organisations::membership_in_round` reads for the
/// caller to judge, but cannot say which one failed: `None` (and on SQLite) sends the
/// caller down the path that finds out. Otherwise the response as it now is, the
/// organisation's name and its members (`organisations::members_of`, read along: one
/// round trip fewer for a submission's receipts). For rounds open to every approved
/// organisation (an invited round takes that path).
pub fn transition_as_member(
    conn: &mut DbConnection,
    transition: &Transition,
    round_id: i64,
    organisation_id: i64,
    now: NaiveDateTime,
    event: &crate::store::audit::AuditEvent<'_>,
    logged_at: NaiveDateTime,
) -> QueryResult<Option<Transitioned>> {
    use diesel::sql_types::{Nullable, Text};
    #[derive(QueryableByName)]
    struct Changed {
        #[diesel(embed)]
        response: ResponseRow,
        #[diesel(sql_type = Text)]
        organisation_name: String,
        #[diesel(sql_type = Nullable<Text>)]
        member_email: Option<String>,
        #[diesel(sql_type = Nullable<Text>)]
        member_name: Option<String>,
        #[diesel(sql_type = Nullable<Text>)]
        member_language: Option<String>,
    }
    let (DbConnection::Postgres(c), Some(user_id)) = (conn, event.actor) else {
        return Ok(None);
    };
    // ($10, the consent, only in a submission: PostgreSQL refuses an unused parameter.)
    let statement = match transition {
        Transition::Submit { .. } => sql::MEMBER_SUBMIT.as_str(),
        Transition::Reopen => sql::MEMBER_REOPEN.as_str(),
    };
    let query = diesel::sql_query(statement)
        .bind::<BigInt, _>(round_id)
        .bind::<BigInt, _>(organisation_id)
        .bind::<BigInt, _>(user_id)
        .bind::<Timestamp, _>(now)
        .bind::<Timestamp, _>(logged_at)
        .bind::<Text, _>(event.action)
        .bind::<Nullable<Text>, _>(event.target.as_deref());
    let details = event.details.to_string();
    let query = query
        .bind::<Nullable<Text>, _>(event.ip)
        .bind::<Text, _>(&details);
    let rows: Vec<Changed> = match transition {
        Transition::Submit { consent } => {
            Prepared(query.bind::<Text, _>(consent.as_str())).load(c)?
        }
        Transition::Reopen => Prepared(query).load(c)?,
    };
    let mut members = Vec::with_capacity(rows.len());
    let mut landed = None;
    for row in rows {
        if let (Some(email), Some(display_name), Some(language)) =
            (row.member_email, row.member_name, row.member_language)
        {
            members.push(crate::store::organisations::Recipient {
                email,
                display_name,
                language,
            });
        }
        landed.get_or_insert((row.response, row.organisation_name));
    }
    Ok(landed.map(|(response, organisation_name)| Transitioned {
        response,
        organisation_name,
        members,
    }))
}
