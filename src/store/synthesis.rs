//! A round's synthesis as stored (migration 000025): its header, a JSON body per
//! chapter, each with the version a write must name; every version written
//! (`synthesis_revisions`); the published versions, frozen.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;

use super::DbConnection;
use super::schema::{
    answers, chapters, organisations, questions, responses, rounds, syntheses,
    synthesis_publications, synthesis_relays, synthesis_revisions, synthesis_sections, users,
};
use crate::domain::answers::AnswerValue;
use crate::domain::organisations::OrganisationKind;
use crate::domain::responses::{PublicationConsent, ResponseStatus};
use crate::domain::synthesis::{Header, Licence, ProposalsOrder};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = syntheses)]
pub struct SynthesisRow {
    pub id: i64,
    pub round_id: i64,
    pub title: String,
    pub introduction: String,
    pub conclusion: String,
    pub proposals_order: ProposalsOrder,
    pub licence: Licence,
    pub version: i32,
    pub updated_by: Option<i64>,
    pub updated_at: NaiveDateTime,
}

impl SynthesisRow {
    pub fn header(&self) -> Header {
        Header {
            title: self.title.clone(),
            introduction: self.introduction.clone(),
            conclusion: self.conclusion.clone(),
            proposals_order: self.proposals_order,
            licence: self.licence,
        }
    }
}

pub fn find(conn: &mut DbConnection, round_id: i64) -> QueryResult<Option<SynthesisRow>> {
    syntheses::table
        .filter(syntheses::round_id.eq(round_id))
        .select(SynthesisRow::as_select())
        .first(conn)
        .optional()
}

/// The round's synthesis, made (version 0: nothing written yet) if it has none. Two
/// first readings at once make one: the second insert is refused by the unique round.
pub fn find_or_create(
    conn: &mut DbConnection,
    round_id: i64,
    header: &Header,
    now: DateTime<Utc>,
) -> QueryResult<SynthesisRow> {
    if let Some(found) = find(conn, round_id)? {
        return Ok(found);
    }
    let made = diesel::insert_into(syntheses::table)
        .values((
            syntheses::round_id.eq(round_id),
            syntheses::title.eq(&header.title),
            syntheses::introduction.eq(&header.introduction),
            syntheses::conclusion.eq(&header.conclusion),
            syntheses::proposals_order.eq(header.proposals_order.as_str()),
            syntheses::licence.eq(header.licence.as_str()),
            syntheses::version.eq(0),
            syntheses::updated_at.eq(now.naive_utc()),
        ))
        .execute(conn);
    // Made meanwhile by another first reading (outside a transaction: the read goes on).
    match made {
        Err(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        )) => {}
        other => {
            other?;
        }
    }
    Ok(find(conn, round_id)?.expect("the synthesis just made is found"))
}

/// Writes the header if its version is still `expected` (any, when `None`): the new
/// version, or `None` when someone wrote since.
pub fn write_header(
    conn: &mut DbConnection,
    id: i64,
    header: &Header,
    expected: Option<i32>,
    actor: i64,
    now: DateTime<Utc>,
) -> QueryResult<Option<i32>> {
    let target = syntheses::table.filter(syntheses::id.eq(id));
    let values = (
        syntheses::title.eq(&header.title),
        syntheses::introduction.eq(&header.introduction),
        syntheses::conclusion.eq(&header.conclusion),
        syntheses::proposals_order.eq(header.proposals_order.as_str()),
        syntheses::licence.eq(header.licence.as_str()),
        syntheses::version.eq(syntheses::version + 1),
        syntheses::updated_by.eq(actor),
        syntheses::updated_at.eq(now.naive_utc()),
    );
    let written = match expected {
        Some(version) => diesel::update(target.filter(syntheses::version.eq(version)))
            .set(values)
            .returning(syntheses::version)
            .get_result(conn)
            .optional()?,
        None => Some(
            diesel::update(target)
                .set(values)
                .returning(syntheses::version)
                .get_result(conn)?,
        ),
    };
    Ok(written)
}

#[derive(Debug, Clone, Queryable)]
pub struct SectionRow {
    pub chapter_id: i64,
    pub body: String,
    pub version: i32,
    pub updated_by: Option<String>,
    pub updated_at: NaiveDateTime,
}

/// The chapters written so far, with who wrote each last.
pub fn sections(conn: &mut DbConnection, synthesis: i64) -> QueryResult<Vec<SectionRow>> {
    synthesis_sections::table
        .left_join(users::table.on(users::id.nullable().eq(synthesis_sections::updated_by)))
        .filter(synthesis_sections::synthesis_id.eq(synthesis))
        .select((
            synthesis_sections::chapter_id,
            synthesis_sections::body,
            synthesis_sections::version,
            users::display_name.nullable(),
            synthesis_sections::updated_at,
        ))
        .load(conn)
}

/// Writes a chapter's body if its version is still `expected` (0 when never written;
/// any, when `None`): the new version, or `None` when someone wrote since.
pub fn write_section(
    conn: &mut DbConnection,
    synthesis: i64,
    chapter: i64,
    body: &str,
    expected: Option<i32>,
    actor: i64,
    now: DateTime<Utc>,
) -> QueryResult<Option<i32>> {
    let current: Option<i32> = synthesis_sections::table
        .filter(synthesis_sections::synthesis_id.eq(synthesis))
        .filter(synthesis_sections::chapter_id.eq(chapter))
        .select(synthesis_sections::version)
        .first(conn)
        .optional()?;
    let Some(current) = current else {
        if expected.is_some_and(|v| v != 0) {
            return Ok(None);
        }
        diesel::insert_into(synthesis_sections::table)
            .values((
                synthesis_sections::synthesis_id.eq(synthesis),
                synthesis_sections::chapter_id.eq(chapter),
                synthesis_sections::body.eq(body),
                synthesis_sections::version.eq(1),
                synthesis_sections::updated_by.eq(actor),
                synthesis_sections::updated_at.eq(now.naive_utc()),
            ))
            .execute(conn)?;
        return Ok(Some(1));
    };
    if expected.is_some_and(|v| v != current) {
        return Ok(None);
    }
    // The version read is the one replaced: a writer in between makes this change none.
    let changed = diesel::update(
        synthesis_sections::table
            .filter(synthesis_sections::synthesis_id.eq(synthesis))
            .filter(synthesis_sections::chapter_id.eq(chapter))
            .filter(synthesis_sections::version.eq(current)),
    )
    .set((
        synthesis_sections::body.eq(body),
        synthesis_sections::version.eq(current + 1),
        synthesis_sections::updated_by.eq(actor),
        synthesis_sections::updated_at.eq(now.naive_utc()),
    ))
    .execute(conn)?;
    Ok((changed == 1).then_some(current + 1))
}

/// Keeps a version written (of the header when `chapter` is `None`).
pub fn keep_revision(
    conn: &mut DbConnection,
    synthesis: i64,
    chapter: Option<i64>,
    version: i32,
    body: &str,
    actor: i64,
    now: DateTime<Utc>,
) -> QueryResult<()> {
    diesel::insert_into(synthesis_revisions::table)
        .values((
            synthesis_revisions::synthesis_id.eq(synthesis),
            synthesis_revisions::chapter_id.eq(chapter),
            synthesis_revisions::version.eq(version),
            synthesis_revisions::body.eq(body),
            synthesis_revisions::changed_by.eq(actor),
            synthesis_revisions::changed_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    Ok(())
}

#[derive(Debug, Clone, Queryable)]
pub struct RevisionRow {
    pub version: i32,
    pub body: String,
    pub changed_by: Option<String>,
    pub changed_at: NaiveDateTime,
}

/// The last `limit` versions of the header (`chapter` `None`) or of a chapter, newest
/// first.
pub fn revisions(
    conn: &mut DbConnection,
    synthesis: i64,
    chapter: Option<i64>,
    limit: i64,
) -> QueryResult<Vec<RevisionRow>> {
    let mut query = synthesis_revisions::table
        .left_join(users::table.on(users::id.nullable().eq(synthesis_revisions::changed_by)))
        .filter(synthesis_revisions::synthesis_id.eq(synthesis))
        .select((
            synthesis_revisions::version,
            synthesis_revisions::body,
            users::display_name.nullable(),
            synthesis_revisions::changed_at,
        ))
        .order(synthesis_revisions::version.desc())
        .limit(limit)
        .into_boxed();
    query = match chapter {
        Some(chapter) => query.filter(synthesis_revisions::chapter_id.eq(chapter)),
        None => query.filter(synthesis_revisions::chapter_id.is_null()),
    };
    query.load(conn)
}

/// The round's chapters: (id, code, title), in order.
pub fn chapters_of(
    conn: &mut DbConnection,
    round_id: i64,
) -> QueryResult<Vec<(i64, String, String)>> {
    chapters::table
        .filter(chapters::round_id.eq(round_id))
        .order((chapters::position, chapters::id))
        .select((chapters::id, chapters::code, chapters::title))
        .load(conn)
}

/// A response the public may read: submitted, its organisation consenting.
#[derive(Debug, Clone, Queryable)]
pub struct PublishableResponse {
    pub response_id: i64,
    pub organisation: String,
    pub organisation_kind: OrganisationKind,
    pub consent: PublicationConsent,
    pub submitted_at: Option<NaiveDateTime>,
}

/// Which publishable responses to read.
#[derive(Debug, Clone, Copy)]
pub enum Window {
    /// A page of the public list, by organisation name: `limit` after the first `offset`.
    Page { offset: i64, limit: i64 },
    /// The next `limit` after response `after`, by id: the open data's keyset batches.
    After { after: i64, limit: i64 },
}

/// The round's publishable responses: submitted, their organisation consenting. One
/// filter for the public list and the open data, so both show the same responses.
#[diesel::dsl::auto_type]
fn publishable(round_id: i64, submitted: &'static str, withheld: &'static str) -> _ {
    responses::table
        .filter(responses::round_id.eq(round_id))
        .filter(responses::status.eq(submitted))
        .filter(responses::publication_consent.ne(withheld))
}

fn publishable_in(round_id: i64) -> publishable {
    publishable(
        round_id,
        ResponseStatus::Submitted.as_str(),
        PublicationConsent::None.as_str(),
    )
}

/// The round's publishable responses in `window`.
pub fn publishable_responses(
    conn: &mut DbConnection,
    round_id: i64,
    window: Window,
) -> QueryResult<Vec<PublishableResponse>> {
    let query = publishable_in(round_id)
        .inner_join(organisations::table)
        .select((
            responses::id,
            organisations::name,
            organisations::kind,
            responses::publication_consent,
            responses::submitted_at,
        ))
        .into_boxed();
    match window {
        Window::Page { offset, limit } => query
            .order((organisations::name, responses::id))
            .offset(offset)
            .limit(limit),
        Window::After { after, limit } => query
            .filter(responses::id.gt(after))
            .order(responses::id)
            .limit(limit),
    }
    .load(conn)
}

/// How many publishable responses the round has.
pub fn publishable_count(conn: &mut DbConnection, round_id: i64) -> QueryResult<i64> {
    publishable_in(round_id).count().get_result(conn)
}

/// Whether a round is still a draft (its coordinators' alone).
pub fn round_is_draft(conn: &mut DbConnection, round_id: i64) -> QueryResult<bool> {
    let status: String = rounds::table
        .filter(rounds::id.eq(round_id))
        .select(rounds::status)
        .first(conn)?;
    Ok(status == crate::domain::rounds::RoundStatus::Draft.as_str())
}

/// A round's title.
pub fn round_title(conn: &mut DbConnection, round_id: i64) -> QueryResult<Option<String>> {
    rounds::table
        .filter(rounds::id.eq(round_id))
        .select(rounds::title)
        .first(conn)
        .optional()
}

/// An answer a synthesis names, with what its reading needs: where it stands, and who
/// wrote it with what consent.
#[derive(Debug, Clone, Queryable)]
pub struct NamedAnswer {
    pub id: i64,
    pub version: i32,
    pub value: Option<AnswerValue>,
    pub question_code: String,
    pub question_kind: String,
    pub chapter_id: i64,
    pub response_id: i64,
    pub status: ResponseStatus,
    pub consent: PublicationConsent,
    pub organisation_id: i64,
    pub organisation: String,
    pub organisation_kind: OrganisationKind,
}

/// Every answer with what `NamedAnswer` holds.
#[diesel::dsl::auto_type]
fn named() -> _ {
    answers::table
        .inner_join(responses::table.inner_join(organisations::table))
        .inner_join(questions::table)
        .select((
            answers::id,
            answers::version,
            answers::value,
            questions::code,
            questions::kind,
            questions::chapter_id,
            responses::id,
            responses::status,
            responses::publication_consent,
            organisations::id,
            organisations::name,
            organisations::kind,
        ))
}

/// The answers of round `round_id` among `ids` (those of other rounds are not found).
pub fn named_answers(
    conn: &mut DbConnection,
    round_id: i64,
    ids: &[i64],
) -> QueryResult<Vec<NamedAnswer>> {
    let mut found = Vec::with_capacity(ids.len());
    // In slices: a bound parameter per id, and SQLite takes at most 32,766 of them.
    for ids in ids.chunks(10_000) {
        found.extend(
            named()
                .filter(answers::id.eq_any(ids))
                .filter(responses::round_id.eq(round_id))
                .load::<NamedAnswer>(conn)?,
        );
    }
    Ok(found)
}

/// The submitted answers of a chapter's questions of these kinds: what the synthesis
/// may select (and reports as left out when it does not).
pub fn chapter_answers(
    conn: &mut DbConnection,
    round_id: i64,
    chapter_id: i64,
    kinds: &[&str],
) -> QueryResult<Vec<NamedAnswer>> {
    named()
        .filter(responses::round_id.eq(round_id))
        .filter(questions::chapter_id.eq(chapter_id))
        .filter(questions::kind.eq_any(kinds))
        .filter(responses::status.eq(ResponseStatus::Submitted.as_str()))
        .order((questions::position, organisations::name, answers::id))
        .load(conn)
}

/// The slugs of the rounds (not drafts) and whether each has a published synthesis.
pub fn public_rounds(conn: &mut DbConnection) -> QueryResult<Vec<(String, bool)>> {
    let published: Vec<i64> = syntheses::table
        .inner_join(synthesis_publications::table)
        .select(syntheses::round_id)
        .distinct()
        .load(conn)?;
    let rounds: Vec<(i64, String)> = rounds::table
        .filter(rounds::status.ne(crate::domain::rounds::RoundStatus::Draft.as_str()))
        .order(rounds::slug)
        .select((rounds::id, rounds::slug))
        .load(conn)?;
    Ok(rounds
        .into_iter()
        .map(|(id, slug)| (slug, published.contains(&id)))
        .collect())
}

/// The organisations that submitted a response in the round: (id, name), by name.
pub fn organisations_of_round(
    conn: &mut DbConnection,
    round_id: i64,
) -> QueryResult<Vec<(i64, String)>> {
    responses::table
        .inner_join(organisations::table)
        .filter(responses::round_id.eq(round_id))
        .filter(responses::status.eq(ResponseStatus::Submitted.as_str()))
        .order((organisations::name, organisations::id))
        .select((organisations::id, organisations::name))
        .load(conn)
}

/// An organisation's name, if it exists.
pub fn organisation_name(conn: &mut DbConnection, id: i64) -> QueryResult<Option<String>> {
    organisations::table
        .filter(organisations::id.eq(id))
        .select(organisations::name)
        .first(conn)
        .optional()
}

#[derive(Debug, Clone, Queryable)]
pub struct PublicationRow {
    pub number: i32,
    pub changes: String,
    pub published_by: Option<String>,
    pub published_at: NaiveDateTime,
}

/// The published versions, newest first.
pub fn publications(conn: &mut DbConnection, synthesis: i64) -> QueryResult<Vec<PublicationRow>> {
    synthesis_publications::table
        .left_join(
            users::table.on(users::id
                .nullable()
                .eq(synthesis_publications::published_by)),
        )
        .filter(synthesis_publications::synthesis_id.eq(synthesis))
        .order(synthesis_publications::number.desc())
        .select((
            synthesis_publications::number,
            synthesis_publications::changes,
            users::display_name.nullable(),
            synthesis_publications::published_at,
        ))
        .load(conn)
}

/// A published version's document (JSON) and when it was published.
pub fn publication(
    conn: &mut DbConnection,
    synthesis: i64,
    number: i32,
) -> QueryResult<Option<(String, NaiveDateTime)>> {
    synthesis_publications::table
        .filter(synthesis_publications::synthesis_id.eq(synthesis))
        .filter(synthesis_publications::number.eq(number))
        .select((
            synthesis_publications::document,
            synthesis_publications::published_at,
        ))
        .first(conn)
        .optional()
}

/// Publishes `document` as the next version: its number.
pub fn publish(
    conn: &mut DbConnection,
    synthesis: i64,
    changes: &str,
    document: &str,
    actor: i64,
    now: DateTime<Utc>,
) -> QueryResult<i32> {
    let last: Option<i32> = synthesis_publications::table
        .filter(synthesis_publications::synthesis_id.eq(synthesis))
        .select(diesel::dsl::max(synthesis_publications::number))
        .first(conn)?;
    let number = last.unwrap_or(0) + 1;
    diesel::insert_into(synthesis_publications::table)
        .values((
            synthesis_publications::synthesis_id.eq(synthesis),
            synthesis_publications::number.eq(number),
            synthesis_publications::changes.eq(changes),
            synthesis_publications::document.eq(document),
            synthesis_publications::published_by.eq(actor),
            synthesis_publications::published_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    Ok(number)
}

/// A relay as recorded: which published version prefilled which response, mapped how.
#[derive(Debug, Insertable)]
#[diesel(table_name = synthesis_relays)]
pub struct NewRelay<'a> {
    pub synthesis_id: i64,
    pub number: i32,
    pub title: &'a str,
    pub response_id: i64,
    /// JSON: the routes.
    pub mapping: &'a str,
    pub relayed_by: Option<i64>,
    pub relayed_at: NaiveDateTime,
}

pub fn record_relay(conn: &mut DbConnection, relay: &NewRelay) -> QueryResult<()> {
    diesel::insert_into(synthesis_relays::table)
        .values(relay)
        .execute(conn)
        .map(drop)
}

/// Where a synthesis was sent, newest first.
#[derive(Debug, Clone, Queryable)]
pub struct SentRow {
    pub round_slug: String,
    pub round_title: String,
    pub organisation: String,
    pub number: i32,
    pub relayed_at: NaiveDateTime,
}

pub fn relays_from(conn: &mut DbConnection, synthesis: i64) -> QueryResult<Vec<SentRow>> {
    synthesis_relays::table
        .inner_join(
            responses::table
                .inner_join(rounds::table)
                .inner_join(organisations::table),
        )
        .filter(synthesis_relays::synthesis_id.eq(synthesis))
        .order((
            synthesis_relays::relayed_at.desc(),
            synthesis_relays::id.desc(),
        ))
        .select((
            rounds::slug,
            rounds::title,
            organisations::name,
            synthesis_relays::number,
            synthesis_relays::relayed_at,
        ))
        .load(conn)
}

/// Where a response was established from: the latest relay into it.
#[derive(Debug, Clone, Queryable)]
pub struct SourceRow {
    /// The round whose synthesis it is.
    pub round_slug: String,
    pub title: String,
    pub number: i32,
    pub relayed_at: NaiveDateTime,
}

pub fn relayed_into(conn: &mut DbConnection, response: i64) -> QueryResult<Option<SourceRow>> {
    synthesis_relays::table
        .inner_join(syntheses::table.inner_join(rounds::table))
        .filter(synthesis_relays::response_id.eq(response))
        .order((
            synthesis_relays::relayed_at.desc(),
            synthesis_relays::id.desc(),
        ))
        .select((
            rounds::slug,
            synthesis_relays::title,
            synthesis_relays::number,
            synthesis_relays::relayed_at,
        ))
        .first(conn)
        .optional()
}
