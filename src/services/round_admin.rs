//! What coordinators do to rounds: build them, open, close and archive them, invite
//! organisations. Each operation has a synchronous core working on one connection (so
//! the demo seeding goes through exactly the same rules) and an async wrapper that
//! checks who is asking.

use chrono::{DateTime, Duration, Utc};

use super::accounts::{Origin, audit_on};
use crate::auth::identity::Identity;
use crate::domain::FieldError;
use crate::domain::accounts::Account;
use crate::domain::rounds::texts;
use crate::domain::rounds::{
    Audience, Chapter, NewRound, Question, QuestionSpec, Round, RoundDetail, RoundStatus, Slug,
    check_chapter_code, check_date, check_question_code,
};
use crate::error::AppError;
use crate::mail::messages::Composer;
use crate::state::AppState;
use crate::store::{self, DbConnection};

pub struct RoundInput {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub opens_at: Option<DateTime<Utc>>,
    pub closes_at: DateTime<Utc>,
    pub audience: String,
}

#[derive(Default)]
pub struct RoundPatch {
    pub title: Option<String>,
    pub summary: Option<String>,
    pub body: Option<String>,
    /// `Some(None)` clears it.
    pub opens_at: Option<Option<DateTime<Utc>>>,
    pub closes_at: Option<DateTime<Utc>>,
    pub audience: Option<String>,
}

pub struct ChapterInput {
    pub code: String,
    pub title: String,
    pub description: String,
}

pub struct QuestionInput {
    pub code: String,
    pub prompt: String,
    pub help: String,
    pub required: bool,
    pub spec: QuestionSpec,
}

/// Each date within the window, and the closing after the opening.
fn check_dates(opens_at: Option<DateTime<Utc>>, closes_at: DateTime<Utc>) -> Vec<FieldError> {
    let window: Vec<FieldError> = [
        opens_at.and_then(|o| check_date("opens_at", o).err()),
        check_date("closes_at", closes_at).err(),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !window.is_empty() {
        return window;
    }
    opens_at
        .filter(|o| *o >= closes_at)
        .map(|_| {
            FieldError::new(
                "closes_at",
                "before_opening",
                "La date de clôture doit suivre la date d'ouverture.",
            )
        })
        .into_iter()
        .collect()
}

fn parse_audience(value: &str) -> Result<Audience, FieldError> {
    Audience::parse(value).ok_or_else(|| {
        FieldError::new(
            "audience",
            "invalid_audience",
            "Public attendu : all_approved ou invited.",
        )
    })
}

fn invalid(errors: Vec<FieldError>) -> Result<(), AppError> {
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::Validation(errors))
    }
}

fn load(conn: &mut DbConnection, slug: &str) -> Result<RoundDetail, AppError> {
    store::rounds::find_by_slug(conn, slug)?.ok_or(AppError::NotFound)
}

fn frozen() -> AppError {
    AppError::Conflict("la structure d'une consultation est figée une fois ouverte : seules les corrections de formulation sont possibles".into())
}

// ---- synchronous cores ----

/// What is wrong with a new round's fields but its dates, every problem at once (a form
/// whose date could not be read still hears about its other fields).
pub fn new_round_errors(input: &RoundInput) -> Vec<FieldError> {
    [
        Slug::parse(input.slug.trim()).err(),
        texts::ROUND_TITLE.check("title", &input.title),
        texts::ROUND_SUMMARY.check("summary", &input.summary),
        texts::ROUND_BODY.check("body", &input.body),
        parse_audience(&input.audience).err(),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// Creates a draft round.
pub fn create_in(
    conn: &mut DbConnection,
    input: &RoundInput,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    let errors: Vec<FieldError> = new_round_errors(input)
        .into_iter()
        .chain(check_dates(input.opens_at, input.closes_at))
        .collect();
    invalid(errors)?;
    let slug = Slug::parse(input.slug.trim())?;
    let audience = parse_audience(&input.audience);
    crate::store::write_transaction(conn, |conn| {
        if store::rounds::slug_taken(conn, slug.as_str())? {
            return Err(AppError::Conflict(format!(
                "une consultation utilise déjà l'identifiant « {} »",
                slug.as_str()
            )));
        }
        let round = NewRound {
            slug,
            title: input.title.trim().to_owned(),
            summary: input.summary.trim().to_owned(),
            body: input.body.clone(),
            opens_at: input.opens_at,
            closes_at: input.closes_at,
            audience: audience?,
            status: RoundStatus::Draft,
            chapters: Vec::new(),
        };
        Ok(store::rounds::insert(conn, &round, now)?)
    })
}

pub fn add_chapter_in(
    conn: &mut DbConnection,
    slug: &str,
    input: &ChapterInput,
) -> Result<(), AppError> {
    let errors: Vec<FieldError> = [
        check_chapter_code(&input.code).err(),
        texts::CHAPTER_TITLE.check("title", &input.title),
        texts::CHAPTER_DESCRIPTION.check("description", &input.description),
    ]
    .into_iter()
    .flatten()
    .collect();
    invalid(errors)?;
    crate::store::write_transaction(conn, |conn| {
        let round = load(conn, slug)?;
        if !round.round.structure_editable() {
            return Err(frozen());
        }
        if round.chapters.iter().any(|c| c.chapter.code == input.code) {
            return Err(AppError::Conflict(format!(
                "le chapitre {} existe déjà",
                input.code
            )));
        }
        let chapter = Chapter {
            code: input.code.clone(),
            position: 0,
            title: input.title.trim().to_owned(),
            description: input.description.trim().to_owned(),
        };
        store::rounds::add_chapter(conn, round.round.id, &chapter)?;
        Ok(())
    })
}

fn question_errors(input: &QuestionInput) -> Vec<FieldError> {
    let mut errors: Vec<FieldError> = [
        check_question_code(&input.code).err(),
        texts::QUESTION_PROMPT.check("prompt", &input.prompt),
        texts::QUESTION_HELP.check("help", &input.help),
    ]
    .into_iter()
    .flatten()
    .collect();
    errors.extend(input.spec.validate());
    errors
}

pub fn add_question_in(
    conn: &mut DbConnection,
    slug: &str,
    chapter_code: &str,
    input: &QuestionInput,
) -> Result<(), AppError> {
    invalid(question_errors(input))?;
    crate::store::write_transaction(conn, |conn| {
        let round = load(conn, slug)?;
        if !round.round.structure_editable() {
            return Err(frozen());
        }
        let chapter = store::rounds::chapter_id(conn, round.round.id, chapter_code)?
            .ok_or(AppError::NotFound)?;
        if store::rounds::question_code_taken(conn, round.round.id, &input.code)? {
            return Err(AppError::Conflict(format!(
                "le code {} est déjà utilisé dans cette consultation",
                input.code
            )));
        }
        let question = Question {
            code: input.code.clone(),
            position: 0,
            prompt: input.prompt.trim().to_owned(),
            help: input.help.trim().to_owned(),
            required: input.required,
            spec: input.spec.clone(),
        };
        store::rounds::add_question(conn, round.round.id, chapter, &question)?;
        Ok(())
    })
}

/// Opens a draft: from `opens_at` if it is still to come, now otherwise. Members of
/// eligible organisations are emailed when it actually opens.
pub fn open_in(
    conn: &mut DbConnection,
    slug: &str,
    now: DateTime<Utc>,
    base_url: &str,
) -> Result<Round, AppError> {
    crate::store::write_transaction(conn, |conn| {
        let detail = load(conn, slug)?;
        let round = &detail.round;
        if round.stored_status != RoundStatus::Draft {
            return Err(AppError::Conflict(format!(
                "seule une consultation en brouillon s'ouvre (état : {})",
                round.status_at(now).as_str()
            )));
        }
        let mut errors = Vec::new();
        if detail.chapters.iter().all(|c| c.questions.is_empty()) {
            errors.push(FieldError::new(
                "chapters",
                "no_question",
                "Ajoutez au moins une question avant d'ouvrir la consultation.",
            ));
        }
        if round.closes_at <= now {
            errors.push(FieldError::new(
                "closes_at",
                "in_the_past",
                "La date de clôture doit être dans le futur pour ouvrir la consultation.",
            ));
        }
        if !errors.is_empty() {
            return Err(AppError::NotReady(errors));
        }
        let opens_at = Some(round.opens_at.filter(|at| *at > now).unwrap_or(now));
        store::rounds::set_status(conn, round.id, RoundStatus::Open, opens_at, now)?;
        let opened = store::rounds::find_by_id(conn, round.id)?.ok_or(AppError::NotFound)?;
        if opened.status_at(now) == RoundStatus::Open {
            announce_opening(conn, &opened, now, base_url)?;
        }
        Ok(opened)
    })
}

/// Emails every member of every eligible organisation that the round is open, once.
pub fn announce_opening(
    conn: &mut DbConnection,
    round: &Round,
    now: DateTime<Utc>,
    base_url: &str,
) -> Result<usize, AppError> {
    if !store::rounds::claim_open_notification(conn, round.id, now)? {
        return Ok(0);
    }
    let organisations = store::rounds::eligible_organisations(conn, round)?;
    let people = store::organisations::member_contacts(
        conn,
        &organisations,
        crate::domain::organisations::MemberRole::ALL,
    )?;
    for user in &people {
        let account = Account::from(user);
        let mail = Composer::new(
            account.language,
            base_url,
            &account.email,
            &account.display_name,
        )
        .round_opened(round);
        store::outbox::enqueue(conn, &mail, now)?;
    }
    Ok(people.len())
}

/// Announces the rounds whose scheduled opening has come (run by the background worker;
/// the claim keeps several instances from announcing twice).
pub fn announce_due_openings(
    conn: &mut DbConnection,
    now: DateTime<Utc>,
    base_url: &str,
) -> Result<usize, AppError> {
    let mut sent = 0;
    for id in store::rounds::due_open_notifications(conn, now)? {
        sent += crate::store::write_transaction(conn, |conn| {
            let round = store::rounds::find_by_id(conn, id)?.ok_or(AppError::NotFound)?;
            announce_opening(conn, &round, now, base_url)
        })?;
    }
    Ok(sent)
}

// ---- authorised operations ----

/// Coordinators (and admins) only; refusals are audited.
async fn coordinator(
    state: &AppState,
    identity: &Identity,
    origin: &Origin,
) -> Result<(), AppError> {
    super::admin::require_coordinator(state, identity, origin).await
}

/// Opening, closing, archiving, exporting and reading organisations' answers also need
/// a sign-in that presented the second factor (not merely an account that has it on).
pub(crate) async fn coordinator_with_two_factor(
    state: &AppState,
    identity: &Identity,
    origin: &Origin,
) -> Result<(), AppError> {
    coordinator(state, identity, origin).await?;
    if !identity.second_factor {
        super::admin::refused(state, identity, origin).await;
        return Err(second_factor_needed(identity));
    }
    Ok(())
}

/// The refusal of a power two-factor guards, saying what to do.
pub(crate) fn second_factor_needed(identity: &Identity) -> AppError {
    AppError::SecondFactorNeeded {
        enabled: identity.account.two_factor,
    }
}

fn round_target(slug: &str) -> Option<String> {
    Some(format!("round:{slug}"))
}

pub async fn create(
    state: &AppState,
    identity: &Identity,
    input: RoundInput,
    origin: Origin,
) -> Result<RoundDetail, AppError> {
    coordinator(state, identity, &origin).await?;
    let (actor, now) = (identity.account.id, state.clock.now());
    state
        .db
        .run(move |conn| {
            crate::store::write_transaction(conn, |conn| {
                create_in(conn, &input, now)?;
                audit_on(
                    conn,
                    Some(actor),
                    "round_created",
                    round_target(&input.slug),
                    &origin,
                    serde_json::json!({}),
                )?;
                load(conn, input.slug.trim())
            })
        })
        .await
}

/// Edits a round. In a draft, everything; once open, wording (title, summary, body) and
/// a later deadline only (members are told of the extension); closed rounds not at all.
pub async fn update(
    state: &AppState,
    identity: &Identity,
    slug: String,
    patch: RoundPatch,
    origin: Origin,
) -> Result<RoundDetail, AppError> {
    coordinator(state, identity, &origin).await?;
    let (actor, now, base_url) = (
        identity.account.id,
        state.clock.now(),
        state.settings.base_url().to_owned(),
    );
    state
        .db
        .run(move |conn| {
            crate::store::write_transaction(conn, |conn| {
                let round = load(conn, &slug)?.round;
                let status = round.status_at(now);
                let title = patch.title.clone().unwrap_or_else(|| round.title.clone());
                let summary = patch
                    .summary
                    .clone()
                    .unwrap_or_else(|| round.summary.clone());
                let body = patch.body.clone().unwrap_or_else(|| round.body.clone());
                let opens_at = patch.opens_at.unwrap_or(round.opens_at);
                let closes_at = patch.closes_at.unwrap_or(round.closes_at);
                let audience = match &patch.audience {
                    Some(a) => parse_audience(a).map_err(AppError::from)?,
                    None => round.audience,
                };
                let errors: Vec<FieldError> = [
                    texts::ROUND_TITLE.check("title", &title),
                    texts::ROUND_SUMMARY.check("summary", &summary),
                    texts::ROUND_BODY.check("body", &body),
                ]
                .into_iter()
                .flatten()
                .chain(check_dates(opens_at, closes_at))
                .collect();
                invalid(errors)?;
                let mut extended = false;
                match status {
                    RoundStatus::Draft => {}
                    RoundStatus::Open | RoundStatus::Scheduled => {
                        if opens_at != round.opens_at && status == RoundStatus::Open
                            || audience != round.audience
                        {
                            return Err(frozen());
                        }
                        if closes_at != round.closes_at {
                            if closes_at < round.closes_at {
                                return Err(AppError::invalid(
                                    "closes_at",
                                    "earlier",
                                    "Une consultation ouverte ne peut qu'être prolongée.",
                                ));
                            }
                            extended = true;
                        }
                    }
                    RoundStatus::Closed | RoundStatus::Archived => {
                        return Err(AppError::Conflict(
                            "une consultation close ne se modifie plus".into(),
                        ));
                    }
                }
                let fields = store::rounds::RoundFields {
                    title: title.trim(),
                    summary: summary.trim(),
                    body: &body,
                    opens_at,
                    closes_at,
                    audience,
                };
                store::rounds::update_fields(conn, round.id, &fields, now)?;
                let updated =
                    store::rounds::find_by_id(conn, round.id)?.ok_or(AppError::NotFound)?;
                if extended {
                    let organisations = store::rounds::eligible_organisations(conn, &updated)?;
                    for user in store::organisations::member_contacts(
                        conn,
                        &organisations,
                        crate::domain::organisations::MemberRole::ALL,
                    )? {
                        let account = Account::from(&user);
                        let mail = Composer::new(
                            account.language,
                            &base_url,
                            &account.email,
                            &account.display_name,
                        )
                        .round_extended(&updated);
                        store::outbox::enqueue(conn, &mail, now)?;
                    }
                }
                let action = if status == RoundStatus::Draft {
                    "round_edited"
                } else {
                    "round_wording_fixed"
                };
                let details =
                    serde_json::json!({ "extended_to": extended.then(|| closes_at.to_rfc3339()) });
                audit_on(
                    conn,
                    Some(actor),
                    action,
                    round_target(&slug),
                    &origin,
                    details,
                )?;
                load(conn, &slug)
            })
        })
        .await
}

pub async fn add_chapter(
    state: &AppState,
    identity: &Identity,
    slug: String,
    input: ChapterInput,
    origin: Origin,
) -> Result<RoundDetail, AppError> {
    coordinator(state, identity, &origin).await?;
    state
        .db
        .run(move |conn| {
            add_chapter_in(conn, &slug, &input)?;
            load(conn, &slug)
        })
        .await
}

pub async fn add_question(
    state: &AppState,
    identity: &Identity,
    slug: String,
    chapter: String,
    input: QuestionInput,
    origin: Origin,
) -> Result<RoundDetail, AppError> {
    coordinator(state, identity, &origin).await?;
    state
        .db
        .run(move |conn| {
            add_question_in(conn, &slug, &chapter, &input)?;
            load(conn, &slug)
        })
        .await
}

/// Rewrites a question: freely in a draft; once open, only its wording (same code, kind
/// and option keys), and the fix is audited.
pub async fn update_question(
    state: &AppState,
    identity: &Identity,
    slug: String,
    input: QuestionInput,
    origin: Origin,
) -> Result<RoundDetail, AppError> {
    coordinator(state, identity, &origin).await?;
    invalid(question_errors(&input))?;
    let (actor, now) = (identity.account.id, state.clock.now());
    state
        .db
        .run(move |conn| {
            crate::store::write_transaction(conn, |conn| {
                let detail = load(conn, &slug)?;
                let current = detail
                    .chapters
                    .iter()
                    .flat_map(|c| &c.questions)
                    .find(|q| q.code == input.code)
                    .cloned()
                    .ok_or(AppError::NotFound)?;
                let status = detail.round.status_at(now);
                let wording_only = current.spec.is_wording_fix_of(&input.spec)
                    && current.required == input.required;
                match status {
                    RoundStatus::Draft => {}
                    RoundStatus::Open | RoundStatus::Scheduled if wording_only => {}
                    RoundStatus::Open | RoundStatus::Scheduled => return Err(frozen()),
                    RoundStatus::Closed | RoundStatus::Archived => {
                        return Err(AppError::Conflict(
                            "une consultation close ne se modifie plus".into(),
                        ));
                    }
                }
                let question = Question {
                    position: current.position,
                    code: input.code.clone(),
                    prompt: input.prompt.trim().to_owned(),
                    help: input.help.trim().to_owned(),
                    required: input.required,
                    spec: input.spec.clone(),
                };
                store::rounds::update_question(conn, detail.round.id, &question)?;
                if status != RoundStatus::Draft {
                    let details =
                        serde_json::json!({ "question": input.code, "before": current.prompt });
                    audit_on(
                        conn,
                        Some(actor),
                        "question_wording_fixed",
                        round_target(&slug),
                        &origin,
                        details,
                    )?;
                }
                load(conn, &slug)
            })
        })
        .await
}

#[derive(Debug, Clone, Copy)]
/// A part of a round's structure, as moved or deleted.
pub enum Part {
    Chapter,
    Question,
}

/// Moves a chapter or question one place up (`-1`) or down (`+1`), in a draft.
pub async fn reorder(
    state: &AppState,
    identity: &Identity,
    slug: String,
    what: Part,
    code: String,
    step: i32,
    origin: Origin,
) -> Result<RoundDetail, AppError> {
    coordinator(state, identity, &origin).await?;
    in_draft(state, slug, move |conn, round| {
        let moved = match what {
            Part::Chapter => store::rounds::move_chapter(conn, round.id, &code, step)?,
            Part::Question => store::rounds::move_question(conn, round.id, &code, step)?,
        };
        if !moved {
            // Already first or last: the order, not the request, says no.
            return Err(AppError::Conflict(
                "impossible de déplacer plus loin : déjà en tête ou en fin de liste".into(),
            ));
        }
        Ok(())
    })
    .await
}

/// Changes the structure of a round that is still a draft, in one write transaction;
/// the round as it then stands. Once open, the structure is what organisations answer.
async fn in_draft<F>(state: &AppState, slug: String, change: F) -> Result<RoundDetail, AppError>
where
    F: FnOnce(&mut DbConnection, &Round) -> Result<(), AppError> + Send + 'static,
{
    state
        .db
        .run(move |conn| {
            crate::store::write_transaction(conn, |conn| {
                let round = load(conn, &slug)?.round;
                if !round.structure_editable() {
                    return Err(frozen());
                }
                change(conn, &round)?;
                load(conn, &slug)
            })
        })
        .await
}

/// Deletes a chapter (with its questions) or a question, in a draft only. Audited, as it
/// cannot be undone.
pub async fn remove(
    state: &AppState,
    identity: &Identity,
    slug: String,
    what: Part,
    code: String,
    origin: Origin,
) -> Result<RoundDetail, AppError> {
    coordinator(state, identity, &origin).await?;
    let actor = identity.account.id;
    in_draft(state, slug.clone(), move |conn, round| {
        let (removed, action) = match what {
            Part::Chapter => (
                store::rounds::delete_chapter(conn, round.id, &code)?,
                "chapter_deleted",
            ),
            Part::Question => (
                store::rounds::delete_question(conn, round.id, &code)?,
                "question_deleted",
            ),
        };
        if !removed {
            return Err(AppError::NotFound);
        }
        let details = serde_json::json!({ "code": code });
        audit_on(
            conn,
            Some(actor),
            action,
            round_target(&slug),
            &origin,
            details,
        )?;
        Ok(())
    })
    .await
}

pub async fn open(
    state: &AppState,
    identity: &Identity,
    slug: String,
    origin: Origin,
) -> Result<RoundDetail, AppError> {
    coordinator_with_two_factor(state, identity, &origin).await?;
    let (actor, now, base_url) = (
        identity.account.id,
        state.clock.now(),
        state.settings.base_url().to_owned(),
    );
    state
        .db
        .run(move |conn| {
            crate::store::write_transaction(conn, |conn| {
                open_in(conn, &slug, now, &base_url)?;
                audit_on(
                    conn,
                    Some(actor),
                    "round_opened",
                    round_target(&slug),
                    &origin,
                    serde_json::json!({}),
                )?;
                load(conn, &slug)
            })
        })
        .await
}

/// Moves a round to `to` if `allowed` accepts its current state; audited as `action`.
async fn transition(
    state: &AppState,
    identity: &Identity,
    slug: String,
    origin: Origin,
    allowed: fn(&Round, DateTime<Utc>) -> bool,
    to: RoundStatus,
    action: &'static str,
) -> Result<RoundDetail, AppError> {
    coordinator_with_two_factor(state, identity, &origin).await?;
    let (actor, now) = (identity.account.id, state.clock.now());
    state
        .db
        .run(move |conn| {
            crate::store::write_transaction(conn, |conn| {
                let round = load(conn, &slug)?.round;
                if !allowed(&round, now) {
                    return Err(AppError::Conflict(format!(
                        "action impossible dans l'état actuel de la consultation ({})",
                        round.status_at(now).as_str()
                    )));
                }
                store::rounds::set_status(conn, round.id, to, round.opens_at, now)?;
                audit_on(
                    conn,
                    Some(actor),
                    action,
                    round_target(&slug),
                    &origin,
                    serde_json::json!({}),
                )?;
                load(conn, &slug)
            })
        })
        .await
}

/// Closes an open round (or cancels a scheduled one) now, whatever its deadline.
pub async fn close(
    state: &AppState,
    identity: &Identity,
    slug: String,
    origin: Origin,
) -> Result<RoundDetail, AppError> {
    let allowed = |round: &Round, _: DateTime<Utc>| round.stored_status == RoundStatus::Open;
    transition(
        state,
        identity,
        slug,
        origin,
        allowed,
        RoundStatus::Closed,
        "round_closed",
    )
    .await
}

/// Archives a closed round (by a coordinator or by its deadline).
pub async fn archive(
    state: &AppState,
    identity: &Identity,
    slug: String,
    origin: Origin,
) -> Result<RoundDetail, AppError> {
    let allowed = |round: &Round, now: DateTime<Utc>| round.status_at(now) == RoundStatus::Closed;
    transition(
        state,
        identity,
        slug,
        origin,
        allowed,
        RoundStatus::Archived,
        "round_archived",
    )
    .await
}

/// Invites approved organisations to a round whose audience is `invited`.
/// The organisations invited to the round (coordinators).
pub async fn invited(
    state: &AppState,
    identity: &Identity,
    round_id: i64,
    origin: &Origin,
) -> Result<Vec<i64>, AppError> {
    coordinator(state, identity, origin).await?;
    state
        .db
        .run(move |conn| Ok(crate::store::rounds::invited(conn, round_id)?))
        .await
}

pub async fn invite(
    state: &AppState,
    identity: &Identity,
    slug: String,
    organisation_ids: Vec<i64>,
    origin: Origin,
) -> Result<usize, AppError> {
    coordinator(state, identity, &origin).await?;
    let (actor, now, base_url) = (
        identity.account.id,
        state.clock.now(),
        state.settings.base_url().to_owned(),
    );
    state
        .db
        .run(move |conn| {
            crate::store::write_transaction(conn, |conn| {
                let round = load(conn, &slug)?.round;
                if round.audience != Audience::Invited {
                    return Err(AppError::Conflict("cette consultation est ouverte à toutes les organisations validées : aucune invitation n'est nécessaire".into()));
                }
                if matches!(round.status_at(now), RoundStatus::Closed | RoundStatus::Archived) {
                    return Err(AppError::Conflict("une consultation close ne reçoit plus d'invitations".into()));
                }
                let mut errors = Vec::new();
                for (i, id) in organisation_ids.iter().enumerate() {
                    let ok = store::organisations::find(conn, *id)?.is_some_and(|o| o.status() == crate::domain::organisations::OrganisationStatus::Approved);
                    if !ok {
                        errors.push(FieldError::new(&format!("organisation_ids[{i}]"), "not_approved", format!("L'organisation {id} n'existe pas ou n'est pas validée.")));
                    }
                }
                invalid(errors)?;
                let added = store::rounds::invite_organisations(conn, round.id, &organisation_ids, now)?;
                // Already open: the newly invited hear of it now.
                if added > 0 && round.status_at(now) == RoundStatus::Open {
                    let people = store::organisations::member_contacts(conn, &organisation_ids, crate::domain::organisations::MemberRole::ALL)?;
                    for user in &people {
                        let account = Account::from(user);
                        let mail = Composer::new(account.language, &base_url, &account.email, &account.display_name).round_opened(&round);
                        store::outbox::enqueue(conn, &mail, now)?;
                    }
                }
                audit_on(conn, Some(actor), "round_invitations", round_target(&slug), &origin, serde_json::json!({ "organisations": organisation_ids }))?;
                Ok(added)
            })
        })
        .await
}

/// Longest round a duplicate keeps the length of.
const MAX_ROUND_DAYS: i64 = 2 * 366;

/// A new draft with the structure of an existing round.
pub async fn duplicate(
    state: &AppState,
    identity: &Identity,
    slug: String,
    new_slug: String,
    title: Option<String>,
    origin: Origin,
) -> Result<RoundDetail, AppError> {
    coordinator(state, identity, &origin).await?;
    let (actor, now) = (identity.account.id, state.clock.now());
    state
        .db
        .run(move |conn| {
            crate::store::write_transaction(conn, |conn| {
                let source = load(conn, &slug)?;
                // The source's length, within reason: its dates may predate the
                // window's check, and the sum must stay a date.
                let length = source
                    .round
                    .opens_at
                    .map(|o| source.round.closes_at.signed_duration_since(o))
                    .filter(|d| *d > Duration::zero() && *d <= Duration::days(MAX_ROUND_DAYS))
                    .unwrap_or(Duration::weeks(8));
                let input = RoundInput {
                    slug: new_slug.clone(),
                    title: title.clone().unwrap_or_else(|| source.round.title.clone()),
                    summary: source.round.summary.clone(),
                    body: source.round.body.clone(),
                    opens_at: None,
                    closes_at: now + length,
                    audience: source.round.audience.as_str().to_owned(),
                };
                create_in(conn, &input, now)?;
                for part in &source.chapters {
                    let c = &part.chapter;
                    add_chapter_in(
                        conn,
                        &new_slug,
                        &ChapterInput {
                            code: c.code.clone(),
                            title: c.title.clone(),
                            description: c.description.clone(),
                        },
                    )?;
                    for q in &part.questions {
                        let input = QuestionInput {
                            code: q.code.clone(),
                            prompt: q.prompt.clone(),
                            help: q.help.clone(),
                            required: q.required,
                            spec: q.spec.clone(),
                        };
                        add_question_in(conn, &new_slug, &c.code, &input)?;
                    }
                }
                audit_on(
                    conn,
                    Some(actor),
                    "round_duplicated",
                    round_target(&new_slug),
                    &origin,
                    serde_json::json!({ "from": slug }),
                )?;
                load(conn, &new_slug)
            })
        })
        .await
}
