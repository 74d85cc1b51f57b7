//! Organisations answer rounds: answers saved question by question (or several at once,
//! all or nothing) with optimistic versions, then submitted with a publication consent,
//! reopened while the round is open. The round's deadline is checked in the same
//! transaction as every write.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, SubsecRound, Utc};
use serde_json::Value;

use super::accounts::{Origin, audit_on};
use crate::auth::identity::Identity;
use crate::domain::FieldError;
use crate::domain::accounts::Account;
use crate::domain::answers;
use crate::domain::organisations::{MemberRole, OrganisationStatus};
use crate::domain::responses::{Progress, PublicationConsent, ResponseStatus};
use crate::domain::rounds::{Audience, Question, Round, RoundDetail, RoundStatus};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::mail::messages::Composer;
use crate::state::AppState;
use crate::store::audit::AuditEvent;
use crate::store::responses::{ResponseRow, StoredAnswer, Transition, Transitioned};
use crate::store::round_cache::{RoundCache, Shape};
use crate::store::{self, DbConnection};

/// One answer to write: `version` is the one the writer saw (absent: unconditional).
#[derive(Debug, Clone)]
pub struct AnswerWrite {
    pub value: Value,
    pub version: Option<i32>,
}

/// A response as members and coordinators read it.
pub struct ResponseView {
    pub status: Progress,
    pub submitted_at: Option<DateTime<Utc>>,
    pub publication_consent: PublicationConsent,
    pub answers: Vec<StoredAnswer>,
}

fn parse_value(stored: &Option<String>) -> Value {
    stored
        .as_deref()
        .and_then(|v| serde_json::from_str(v).ok())
        .unwrap_or(Value::Null)
}

fn questions(detail: &RoundDetail) -> impl Iterator<Item = &Question> {
    detail.chapters.iter().flat_map(|c| c.questions.iter())
}

/// Whether `stored` holds an answer to `code` (a value, not a cleared one).
pub fn answered(stored: &[StoredAnswer], code: &str) -> bool {
    stored
        .iter()
        .any(|a| a.question_code == code && a.value.is_some())
}

/// The required questions `stored` leaves unanswered, with their chapter's code: what a
/// submission refuses (`not_ready`), and what the review page lists before it.
pub fn missing_required<'a>(
    detail: &'a RoundDetail,
    stored: &'a [StoredAnswer],
) -> impl Iterator<Item = (&'a str, &'a Question)> + 'a {
    detail
        .chapters
        .iter()
        .flat_map(|c| {
            c.questions
                .iter()
                .map(move |q| (c.chapter.code.as_str(), q))
        })
        .filter(move |(_, q)| q.required && !answered(stored, &q.code))
}

/// Who may do what with an organisation's response in a round.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Access {
    Read,
    Write,
}

/// Loads the round (its shape from memory once frozen) and checks the caller: members
/// read (owners and editors write); coordinators read everything and write nothing;
/// strangers see nothing (404).
fn authorise(
    conn: &mut DbConnection,
    rounds: &RoundCache,
    identity: &Identity,
    slug: &str,
    org: i64,
    access: Access,
) -> Result<Arc<Shape>, AppError> {
    let shape = rounds.shape(conn, slug)?.ok_or(AppError::NotFound)?;
    let (status, role) = store::organisations::membership(conn, org, identity.account.id)?
        .ok_or(AppError::NotFound)?;
    judge_access(
        conn,
        identity,
        &shape.detail.round,
        org,
        access,
        status,
        role,
    )?;
    Ok(shape)
}

/// Who may do what with `org`'s response to `round`, given the organisation's status and
/// the caller's role in it (none for a stranger).
fn judge_access(
    conn: &mut DbConnection,
    identity: &Identity,
    round: &Round,
    org: i64,
    access: Access,
    status: OrganisationStatus,
    role: Option<MemberRole>,
) -> Result<MemberRole, AppError> {
    if !round.is_public() {
        return Err(AppError::NotFound);
    }
    let role = match role {
        Some(role) => role,
        // Organisations' answers, drafts included, are what the second factor guards
        // for coordinators, as exports are.
        None if identity.account.is_coordinator() && access == Access::Read => {
            if !identity.second_factor {
                return Err(super::round_admin::second_factor_needed(identity));
            }
            return Ok(MemberRole::Viewer);
        }
        None if identity.account.is_coordinator() => {
            return Err(AppError::Forbidden(
                "la coordination lit les réponses, elle ne les écrit pas".into(),
            ));
        }
        None => return Err(AppError::NotFound),
    };
    if access == Access::Write {
        if !role.can_write() {
            return Err(AppError::Forbidden(
                "les lecteurs et lectrices ne modifient pas la réponse".into(),
            ));
        }
        if !status.may_answer() {
            return Err(AppError::Forbidden(
                "l'organisation n'est pas validée (ou est suspendue) : elle ne peut pas répondre"
                    .into(),
            ));
        }
        if round.audience == Audience::Invited && !store::rounds::is_eligible(conn, round, org)? {
            return Err(AppError::Forbidden(
                "cette consultation est réservée aux organisations invitées".into(),
            ));
        }
    }
    Ok(role)
}

/// The round open now, as read inside the caller's write transaction once it holds the
/// round's lock (on PostgreSQL, until the transaction ends: a close racing this write is
/// wholly before or after it).
fn require_open_now(
    conn: &mut DbConnection,
    detail: &RoundDetail,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    store::rounds::hold_shared(conn, detail.round.id)?;
    let round = store::rounds::find_by_id(conn, detail.round.id)?.ok_or(AppError::NotFound)?;
    require_open_round(&round, now)
}

/// A submission's or a reopening's checks, in a transaction that holds the round's lock
/// from its start: the caller may write (`judge_access`) and the round takes answers now,
/// read together in one query. The organisation's name, for the receipt.
fn require_writer_while_open(
    conn: &mut DbConnection,
    identity: &Identity,
    round_id: i64,
    org: i64,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let found =
        store::organisations::membership_in_round(conn, org, identity.account.id, round_id)?
            .ok_or(AppError::NotFound)?;
    let round = &found.round;
    judge_access(
        conn,
        identity,
        round,
        org,
        Access::Write,
        found.status,
        found.role,
    )?;
    require_open_round(round, now)?;
    Ok(found.organisation_name)
}

fn require_open_round(round: &Round, now: DateTime<Utc>) -> Result<(), AppError> {
    match round.status_at(now) {
        RoundStatus::Open => Ok(()),
        status => Err(AppError::Conflict(format!(
            "la consultation n'accepte pas de réponse (état : {})",
            status.as_str()
        ))),
    }
}

/// Writes what is valid of `writes` and gives back the refusals of the rest, each named
/// `answers.<code>`: one over-long answer must not hold back a chapter's valid ones,
/// nor be lost (the caller keeps showing it, with its error). Refusals of the whole
/// request (rights, deadline, versions) stay errors.
pub async fn write_valid_answers(
    state: &AppState,
    identity: &Identity,
    slug: String,
    org: i64,
    mut writes: BTreeMap<String, AnswerWrite>,
) -> Result<(BTreeMap<String, i32>, Vec<FieldError>), AppError> {
    let errors = match write_answers(state, identity, slug.clone(), org, writes.clone()).await {
        Ok(versions) => return Ok((versions, Vec::new())),
        Err(AppError::Validation(errors)) => errors,
        Err(other) => return Err(other),
    };
    // Codes hold dots (`E1.Q3`): a field names a write when it is `answers.<code>` or
    // a part of it (`answers.<code>[2]`, `answers.<code>.title`).
    let names = |code: &str, field: &str| {
        field
            .strip_prefix("answers.")
            .and_then(|rest| rest.strip_prefix(code))
            .is_some_and(|tail| tail.is_empty() || tail.starts_with(['[', '.']))
    };
    // The longest code that names the field (`E1` and `E1.Q1` may both be codes).
    let refused: std::collections::BTreeSet<String> = errors
        .iter()
        .filter_map(|e| {
            writes
                .keys()
                .filter(|code| names(code, &e.field))
                .max_by_key(|code| code.len())
                .cloned()
        })
        .collect();
    if refused.is_empty() {
        // Nothing the refusals name: the request itself is refused.
        return Err(AppError::Validation(errors));
    }
    writes.retain(|code, _| !refused.contains(code));
    let versions = if writes.is_empty() {
        BTreeMap::new()
    } else {
        write_answers(state, identity, slug, org, writes).await?
    };
    Ok((versions, errors))
}

/// Writes answers, all or nothing: every invalid value is listed (422), every stale
/// version too (409, with the current value and who wrote it); otherwise each gets its
/// new version.
///
/// The hot path of every autosave, so it asks little of the database: the round's
/// questions come from memory once it is frozen. On PostgreSQL the usual autosave (one
/// answer already given, its version known) is one statement that checks everything at
/// the moment it writes (`autosave`); when that does not land, or elsewhere, the
/// caller's membership, the organisation and the response are read in one query, then
/// each answer is written only if the round is still open, the response still a draft
/// and the version still the one seen, checked by the write itself (on PostgreSQL one
/// statement for all the answers; on SQLite all of it in one write transaction). When a
/// write does not land, the reason is found afterwards, inside the same transaction.
pub async fn write_answers(
    state: &AppState,
    identity: &Identity,
    slug: String,
    org: i64,
    writes: BTreeMap<String, AnswerWrite>,
) -> Result<BTreeMap<String, i32>, AppError> {
    let user = identity.account.id;
    let identity = identity.clone();
    let now = state.clock.now();
    let rounds = state.rounds.clone();
    state
        .db
        .run(move |conn| {
            let shape = rounds.shape(conn, &slug)?.ok_or(AppError::NotFound)?;
            if let Some(versions) = autosave(conn, &shape, org, user, &writes, now)? {
                return Ok(versions);
            }
            let (detail, ids) = (&shape.detail, &shape.question_ids);
            let round = &detail.round;
            // Read before the write transaction (on SQLite, outside the writers' turn):
            // what may change meanwhile is checked again by the writes themselves.
            // The versions given: a write of one answer asks along whether it is cleared.
            let known: Vec<i64> = writes
                .iter()
                .filter(|(_, write)| write.version.is_some_and(|v| v > 0))
                .filter_map(|(code, _)| ids.get(code).copied())
                .collect();
            let probe = match known[..] {
                [] => store::responses::ClearedProbe::Nothing,
                [one] => store::responses::ClearedProbe::Question(one),
                _ => store::responses::ClearedProbe::AnyAnswer,
            };
            let context = store::responses::write_context(conn, round.id, org, user, probe)?
                .ok_or(AppError::NotFound)?;
            let (status, role) = (context.organisation_status, context.role);
            judge_access(conn, &identity, round, org, Access::Write, status, role)?;
            // The cached status is only a hint: a round seen closed is read again (it may
            // have reopened); one seen open is checked again by every write.
            if !round.accepts_answers_at(now) {
                require_open_now(conn, detail, now)?;
            }
            let checked = check_values(detail, &writes)?;
            if let Some(response) = &context.response
                && response.status == ResponseStatus::Submitted
            {
                return Err(AppError::Conflict(
                    "la réponse a été soumise : rouvrez-la pour la modifier".into(),
                ));
            }
            // The response's tallies of given answers change only if an answer is given for
            // the first time, cleared, or given again after being cleared. (Seen cleared
            // here and given meanwhile, or the reverse: its version changed, the write
            // will not land.)
            let mut retally = context.probe_cleared;
            let write_all = |conn: &mut DbConnection| {
                let response = match &context.response {
                    Some(response) => response.clone(),
                    None => store::responses::find_or_create(conn, round.id, org, now)?,
                };
                let mut planned = Vec::with_capacity(checked.len());
                for (code, value, version) in &checked {
                    let question_id = ids[code];
                    let expected = match version {
                        Some(version) => *version,
                        None => {
                            let current =
                                store::responses::current(conn, response.id, question_id)?;
                            retally |= current.as_ref().is_some_and(|c| c.1.is_none());
                            current.map_or(0, |c| c.2)
                        }
                    };
                    retally |= value.is_none() || expected == 0;
                    planned.push(store::responses::NewVersion {
                        round_id: round.id,
                        response_id: response.id,
                        question_id,
                        value: value.as_deref(),
                        expected,
                        user_id: user,
                        now: now.naive_utc(),
                    });
                }
                let touch = store::responses::due_for_touch(response.updated_at, now.naive_utc());
                if retally || touch {
                    store::responses::hold_for_tally(conn, response.id)?;
                }
                let written = store::responses::write_all_if_current(conn, &planned)?;
                let mut versions = BTreeMap::new();
                let mut missed = Vec::new();
                for ((code, _, _), (plan, version)) in
                    checked.iter().zip(planned.iter().zip(written))
                {
                    match version {
                        Some(version) => {
                            versions.insert(code.clone(), version);
                        }
                        None => missed.push((code.clone(), plan.question_id)),
                    }
                }
                if !missed.is_empty() {
                    return Err(why_not_written(conn, detail, &response, &missed, now));
                }
                if retally {
                    store::responses::tally(
                        conn,
                        response.id,
                        &shape.required_ids,
                        now.naive_utc(),
                    )?;
                } else if touch {
                    store::responses::touch(
                        conn,
                        response.id,
                        response.updated_at,
                        now.naive_utc(),
                    )?;
                }
                Ok(versions)
            };
            store::answers_transaction(conn, round.id, write_all)
        })
        .await
}

/// The usual autosave on PostgreSQL in one statement (`store::responses::write_as_member`),
/// also for several answers (a whole response in one PATCH): answers already given, each
/// with its version, in a round open to every approved organisation and seen open.
/// `None` when that is not the case or the write did not land (a stranger, a viewer, a
/// stale version, a submitted response, a round just closed…): the caller then takes the
/// path that tells which.
fn autosave(
    conn: &mut DbConnection,
    shape: &Shape,
    org: i64,
    user: i64,
    writes: &BTreeMap<String, AnswerWrite>,
    now: DateTime<Utc>,
) -> Result<Option<BTreeMap<String, i32>>, AppError> {
    let round = &shape.detail.round;
    if writes.is_empty()
        || !store::one_statement_writes(conn)
        || round.audience != Audience::AllApproved
        || !round.accepts_answers_at(now)
    {
        return Ok(None);
    }
    let Ok(checked) = check_values(&shape.detail, writes) else {
        return Ok(None);
    };
    let mut answers = Vec::with_capacity(checked.len());
    for (code, value, expected) in &checked {
        match (value, expected) {
            (Some(value), Some(expected)) if *expected > 0 => {
                answers.push((shape.question_ids[code], value.as_str(), *expected));
            }
            _ => return Ok(None),
        }
    }
    let write = store::responses::MemberWrite {
        round_id: round.id,
        organisation_id: org,
        answers,
        user_id: user,
        now: now.naive_utc(),
    };
    let Some(landed) = store::responses::write_as_member(conn, &write)? else {
        return Ok(None);
    };
    store::responses::touch(conn, landed.response_id, landed.updated_at, now.naive_utc())?;
    let codes = checked.into_iter().map(|(code, _, _)| code);
    Ok(Some(codes.zip(landed.versions).collect()))
}

/// A value that passed its question's checks: (code, stored JSON, version seen).
type Checked = (String, Option<String>, Option<i32>);

/// Every value checked against its question, all errors at once.
fn check_values(
    detail: &RoundDetail,
    writes: &BTreeMap<String, AnswerWrite>,
) -> Result<Vec<Checked>, AppError> {
    let mut errors = Vec::new();
    let mut checked = Vec::new();
    for (code, write) in writes {
        let field = format!("answers.{code}");
        match questions(detail).find(|q| &q.code == code) {
            None => errors.push(FieldError::new(
                &field,
                "unknown_question",
                format!("Pas de question {code} dans cette consultation."),
            )),
            Some(question) => match answers::check(&question.spec, &write.value, &field) {
                Ok(value) => checked.push((
                    code.clone(),
                    value.as_ref().map(Value::to_string),
                    write.version,
                )),
                Err(mut e) => errors.append(&mut e),
            },
        }
    }
    if errors.is_empty() {
        Ok(checked)
    } else {
        Err(AppError::Validation(errors))
    }
}

/// Why some answers were not written: the round closed, the response submitted, or
/// (for each answer) someone else's newer version, given with its value and author.
fn why_not_written(
    conn: &mut DbConnection,
    detail: &RoundDetail,
    response: &ResponseRow,
    missed: &[(String, i64)],
    now: DateTime<Utc>,
) -> AppError {
    let explain = |conn: &mut DbConnection| -> Result<AppError, AppError> {
        require_open_now(conn, detail, now)?;
        if store::responses::find(conn, detail.round.id, response.organisation_id)?
            .is_some_and(|r| r.status == ResponseStatus::Submitted)
        {
            return Ok(AppError::Conflict(
                "la réponse a été soumise : rouvrez-la pour la modifier".into(),
            ));
        }
        let mut conflicts = Vec::new();
        for (code, question_id) in missed {
            let current = store::responses::current(conn, response.id, *question_id)?;
            let author = store::responses::last_author(conn, response.id, *question_id)?;
            conflicts.push(serde_json::json!({
                "question": code,
                "current_value": current.as_ref().map(|c| parse_value(&c.1)).unwrap_or(Value::Null),
                "current_version": current.map_or(0, |c| c.2),
                "updated_by": author,
            }));
        }
        Ok(AppError::StaleAnswers(conflicts))
    };
    explain(conn).unwrap_or_else(|e| e)
}

/// The organisation's response (members and coordinators).
pub async fn read(
    state: &AppState,
    identity: &Identity,
    slug: String,
    org: i64,
) -> Result<ResponseView, AppError> {
    let identity = identity.clone();
    let rounds = state.rounds.clone();
    state
        .db
        .run(move |conn| {
            let shape = authorise(conn, &rounds, &identity, &slug, org, Access::Read)?;
            let detail = &shape.detail;
            Ok(match store::responses::find(conn, detail.round.id, org)? {
                None => ResponseView {
                    status: Progress::NotStarted,
                    submitted_at: None,
                    publication_consent: PublicationConsent::None,
                    answers: Vec::new(),
                },
                Some(response) => view(conn, &shape, &response)?,
            })
        })
        .await
}

fn view(
    conn: &mut DbConnection,
    shape: &Shape,
    response: &ResponseRow,
) -> Result<ResponseView, AppError> {
    Ok(ResponseView {
        answers: store::responses::answers_of(conn, response.id, &shape.question_codes)?,
        ..view_of(response)
    })
}

/// The response's row as a view, without its answers.
fn view_of(response: &ResponseRow) -> ResponseView {
    ResponseView {
        status: Progress::of(Some(response.status)),
        submitted_at: response.submitted_at.map(|t| t.and_utc()),
        publication_consent: response.publication_consent,
        answers: Vec::new(),
    }
}

/// Submits the response: every required question must be answered (409 `not_ready`
/// lists the missing ones by code and title), and the consent chosen (there is no
/// default: publishing is the organisation's choice to make). Every member gets a receipt with the answers.
pub async fn submit(
    state: &AppState,
    identity: &Identity,
    slug: String,
    org: i64,
    consent: String,
    origin: Origin,
) -> Result<ResponseView, AppError> {
    if consent.trim().is_empty() {
        return Err(AppError::invalid(
            "publication_consent",
            "consent_required",
            "Choisissez si et comment votre contribution peut être publiée : aucune option n'est cochée d'avance.",
        ));
    }
    let consent = PublicationConsent::parse(&consent).ok_or_else(|| {
        let codes: Vec<&str> = PublicationConsent::ALL.iter().map(|c| c.as_str()).collect();
        AppError::invalid(
            "publication_consent",
            "invalid_consent",
            format!("Consentement attendu : {}.", codes.join(", ")),
        )
    })?;
    let (user, identity) = (identity.account.id, identity.clone());
    let (now, base_url) = (state.clock.now(), state.settings.base_url().to_owned());
    let rounds = state.rounds.clone();
    state
        .db
        .run(move |conn| {
            let shape = rounds.shape(conn, &slug)?.ok_or(AppError::NotFound)?;
            store::answers_transaction(conn, shape.detail.round.id, |conn| {
                let detail = &shape.detail;
                // To the microsecond, as PostgreSQL keeps it: the view returned below is
                // then exactly what a later reading gives, without reading it back.
                let submitted_at = now.trunc_subsecs(6);
                let event = AuditEvent {
                    actor: Some(user),
                    action: "response_submitted",
                    target: Some(format!("round:{slug}")),
                    ip: Some(&origin.ip),
                    details: serde_json::json!({ "organisation": org, "publication_consent": consent }),
                };
                let submission = Transition::Submit { consent };
                // Submitted first, which holds the response from here: the answers read
                // below are the last ones. A missing answer then undoes it (422).
                let (response, organisation_name, members) = match transition(
                    conn,
                    &shape,
                    org,
                    &submission,
                    submitted_at,
                    &event,
                )? {
                    Some(done) => (done.response, done.organisation_name, Some(done.members)),
                    None => {
                        let organisation_name =
                            require_writer_while_open(conn, &identity, detail.round.id, org, now)?;
                        let response =
                            submit_draft(conn, detail.round.id, org, user, consent, submitted_at)?;
                        store::audit::record(conn, &event, Utc::now())?;
                        (response, organisation_name, None)
                    }
                };
                let stored =
                    store::responses::answers_of(conn, response.id, &shape.question_codes)?;
                let missing: Vec<FieldError> = missing_required(detail, &stored)
                    .map(|(_, q)| {
                        FieldError::new(
                            &format!("answers.{}", q.code),
                            "required",
                            format!("{} — {} : réponse obligatoire.", q.code, q.prompt),
                        )
                    })
                    .collect();
                if !missing.is_empty() {
                    return Err(AppError::NotReady(missing));
                }
                let lines = receipt_lines(detail, &stored);
                let members = match members {
                    Some(members) => members,
                    None => store::organisations::members_of(conn, org)?,
                };
                let receipts: Vec<_> = members
                    .iter()
                    .map(|member| {
                        let language = Lang::parse(&member.language).unwrap_or(Lang::Fr);
                        Composer::new(language, &base_url, &member.email, &member.display_name)
                            .receipt(&detail.round, &organisation_name, consent, &lines)
                    })
                    .collect();
                store::outbox::enqueue_all(conn, &receipts, now)?;
                Ok(ResponseView {
                    status: Progress::Submitted,
                    submitted_at: Some(submitted_at),
                    publication_consent: consent,
                    answers: stored,
                })
            })
        })
        .await
}

/// The draft submitted, or when there is none yet, a response created and submitted as it
/// is (which a round without required questions accepts); 409 when already submitted.
fn submit_draft(
    conn: &mut DbConnection,
    round_id: i64,
    org: i64,
    user: i64,
    consent: PublicationConsent,
    submitted_at: DateTime<Utc>,
) -> Result<ResponseRow, AppError> {
    let submit = |conn: &mut DbConnection| {
        store::responses::submit_draft(conn, round_id, org, user, consent, submitted_at)
    };
    if let Some(response) = submit(conn)? {
        return Ok(response);
    }
    // (No need to hold it: the submission below does, or says none.)
    match store::responses::find(conn, round_id, org)? {
        Some(response) if response.status == ResponseStatus::Submitted => {
            Err(AppError::Conflict("la réponse est déjà soumise".into()))
        }
        // None yet (or one just started by a first write).
        _ => {
            store::responses::find_or_create(conn, round_id, org, submitted_at)?;
            submit(conn)?.ok_or(AppError::NotFound)
        }
    }
}

/// A submission or a reopening in one statement with its audit event, on PostgreSQL, in
/// a round open to every approved organisation and seen open
/// (`store::responses::transition_as_member`). `None` when that is not the case or the
/// change did not land: the caller then takes the path that tells why (or does it).
fn transition(
    conn: &mut DbConnection,
    shape: &Shape,
    org: i64,
    transition: &Transition,
    now: DateTime<Utc>,
    event: &AuditEvent<'_>,
) -> Result<Option<Transitioned>, AppError> {
    let round = &shape.detail.round;
    if round.audience != Audience::AllApproved || !round.accepts_answers_at(now) {
        return Ok(None);
    }
    let (now, logged_at) = (now.naive_utc(), Utc::now().naive_utc());
    Ok(store::responses::transition_as_member(
        conn, transition, round.id, org, now, event, logged_at,
    )?)
}

/// The answers as plain lines for the receipt: `E1.Q1 — prompt : answer`.
fn receipt_lines(detail: &RoundDetail, stored: &[StoredAnswer]) -> Vec<String> {
    questions(detail)
        .map(|q| {
            let value = stored
                .iter()
                .find(|a| a.question_code == q.code)
                .map(|a| parse_value(&a.value))
                .unwrap_or(Value::Null);
            format!(
                "{} — {} : {}",
                q.code,
                q.prompt,
                crate::domain::answers::for_reading(&q.spec, &value)
            )
        })
        .collect()
}

/// Back to draft, while the round is open.
pub async fn reopen(
    state: &AppState,
    identity: &Identity,
    slug: String,
    org: i64,
    origin: Origin,
) -> Result<ResponseView, AppError> {
    let (user, identity) = (identity.account.id, identity.clone());
    let now = state.clock.now();
    let rounds = state.rounds.clone();
    state
        .db
        .run(move |conn| {
            let shape = rounds.shape(conn, &slug)?.ok_or(AppError::NotFound)?;
            let event = AuditEvent {
                actor: Some(user),
                action: "response_reopened",
                target: Some(format!("round:{slug}")),
                ip: Some(&origin.ip),
                details: serde_json::json!({ "organisation": org }),
            };
            // (The answers read after it: the view is of the response as reopened, or
            // as a colleague's write has changed it since.)
            if let Some(reopened) = transition(conn, &shape, org, &Transition::Reopen, now, &event)?
            {
                return view(conn, &shape, &reopened.response);
            }
            store::answers_transaction(conn, shape.detail.round.id, |conn| {
                let detail = &shape.detail;
                require_writer_while_open(conn, &identity, detail.round.id, org, now)?;
                let response = store::responses::reopen(conn, detail.round.id, org, now)?
                    .ok_or_else(|| {
                        AppError::Conflict("seule une réponse soumise se rouvre".into())
                    })?;
                store::audit::record(conn, &event, Utc::now())?;
                view(conn, &shape, &response)
            })
        })
        .await
}

/// Coordinators' dashboard: every eligible organisation's progress.
pub async fn progress(
    state: &AppState,
    identity: &Identity,
    slug: String,
    origin: &Origin,
) -> Result<
    (
        crate::domain::rounds::Round,
        Vec<store::responses::OrganisationProgress>,
    ),
    AppError,
> {
    super::admin::require_coordinator(state, identity, origin).await?;
    let rounds = state.rounds.clone();
    state
        .db
        .run(move |conn| {
            let shape = rounds.shape(conn, &slug)?.ok_or(AppError::NotFound)?;
            // The questions from memory; the round itself afresh (its status is shown).
            let round = store::rounds::find_by_id(conn, shape.detail.round.id)?
                .ok_or(AppError::NotFound)?;
            let required = shape.required_ids.len() as i64;
            let progress = store::responses::progress(conn, &round, required)?;
            Ok((round, progress))
        })
        .await
}

/// Queues a reminder to every member of the eligible organisations that have not
/// submitted, if reminder `kind` of this round was not queued yet; returns how many
/// organisations were reminded.
pub fn remind_in(
    conn: &mut DbConnection,
    round: &crate::domain::rounds::Round,
    kind: &str,
    now: DateTime<Utc>,
    base_url: &str,
) -> Result<usize, AppError> {
    store::write_transaction(conn, |conn| {
        if !store::rounds::find_by_id(conn, round.id)?.is_some_and(|r| r.accepts_answers_at(now)) {
            return Ok(0);
        }
        if !store::responses::claim_reminder(conn, round.id, kind, now)? {
            return Ok(0);
        }
        let required = store::responses::required_questions(conn, round.id)?;
        let pending: Vec<i64> = store::responses::progress(conn, round, required)?
            .into_iter()
            .filter(|p| p.status != Progress::Submitted)
            .map(|p| p.organisation_id)
            .collect();
        let days_left = (round.closes_at - now).num_days().max(0);
        for member in store::organisations::member_contacts(conn, &pending, MemberRole::ALL)? {
            let account = Account::from(&member);
            let mail = Composer::new(
                account.language,
                base_url,
                &account.email,
                &account.display_name,
            )
            .reminder(round, days_left);
            store::outbox::enqueue(conn, &mail, now)?;
        }
        let event = store::audit::AuditEvent {
            actor: None,
            action: "reminder_queued",
            target: Some(format!("round:{}", round.slug)),
            ip: None,
            details: serde_json::json!({ "kind": kind, "organisations": pending.len() }),
        };
        store::audit::record(conn, &event, now)?;
        Ok(pending.len())
    })
}

/// The background job: 7 days and 1 day before each open round's deadline, once each.
pub fn send_due_reminders(
    conn: &mut DbConnection,
    now: DateTime<Utc>,
    base_url: &str,
) -> Result<usize, AppError> {
    let mut reminded = 0;
    for (round, _) in store::rounds::list_public(conn)? {
        if !round.accepts_answers_at(now) {
            continue;
        }
        let left = round.closes_at - now;
        let kind = if left <= chrono::Duration::days(1) {
            "1d"
        } else if left <= chrono::Duration::days(7) {
            "7d"
        } else {
            continue;
        };
        reminded += remind_in(conn, &round, kind, now, base_url)?;
    }
    Ok(reminded)
}

/// A coordinator's reminder, now, to the organisations that have not submitted.
pub async fn remind_now(
    state: &AppState,
    identity: &Identity,
    slug: String,
    origin: Origin,
) -> Result<usize, AppError> {
    super::admin::require_coordinator(state, identity, &origin).await?;
    let (actor, now, base_url) = (
        identity.account.id,
        state.clock.now(),
        state.settings.base_url().to_owned(),
    );
    state
        .db
        .run(move |conn| {
            let round = store::rounds::find_by_slug(conn, &slug)?
                .ok_or(AppError::NotFound)?
                .round;
            if !round.accepts_answers_at(now) {
                return Err(AppError::Conflict(
                    "la consultation n'est pas ouverte".into(),
                ));
            }
            let kind = format!("manual-{}", now.timestamp_micros());
            let reminded = remind_in(conn, &round, &kind, now, &base_url)?;
            audit_on(
                conn,
                Some(actor),
                "reminder_sent",
                Some(format!("round:{slug}")),
                &origin,
                serde_json::json!({ "organisations": reminded }),
            )?;
            Ok(reminded)
        })
        .await
}

/// The last versions of an answer (members and coordinators).
pub async fn history(
    state: &AppState,
    identity: &Identity,
    slug: String,
    org: i64,
    code: String,
) -> Result<Vec<(Value, i32, Option<String>, DateTime<Utc>)>, AppError> {
    let identity = identity.clone();
    let rounds = state.rounds.clone();
    state
        .db
        .run(move |conn| {
            let shape = authorise(conn, &rounds, &identity, &slug, org, Access::Read)?;
            let detail = &shape.detail;
            let question = shape
                .question_ids
                .get(&code)
                .copied()
                .ok_or(AppError::NotFound)?;
            let Some(response) = store::responses::find(conn, detail.round.id, org)? else {
                return Ok(Vec::new());
            };
            Ok(store::responses::history(conn, response.id, question, 20)?
                .into_iter()
                .map(|(value, version, by, at)| (parse_value(&value), version, by, at.and_utc()))
                .collect())
        })
        .await
}
