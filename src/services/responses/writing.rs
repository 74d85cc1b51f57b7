//! Writing answers: one or several (all or nothing), each from the version its writer
//! saw, in the round's deadline; what was not written, and why.

use super::*;

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
                .filter(|(_, write)| write.version.is_some_and(|v| v != NONE_SEEN))
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
                            current.map_or(NONE_SEEN, |c| c.2)
                        }
                    };
                    retally |= value.is_none() || expected == NONE_SEEN;
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
        .inspect(|versions| state.metrics.answers_written(versions.len()))
}

/// The usual autosave on PostgreSQL in one statement (`store::responses::write_as_member`),
/// also for several answers (a whole response in one PATCH): answers already given, each
/// with its version, in a round open to every approved organisation and seen open.
/// `None` when that is not the case or the write did not land (a stranger, a viewer, a
/// stale version, a submitted response, a round just closed…): the caller then takes the
/// path that tells which.
pub(super) fn autosave(
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
            (Some(value), Some(expected)) if *expected != NONE_SEEN => {
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
pub(super) type Checked = (String, Option<String>, Option<i32>);

/// Every value checked against its question, all errors at once.
pub(super) fn check_values(
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
                    value.as_ref().map(AnswerValue::to_json),
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
pub(super) fn why_not_written(
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
            conflicts.push(crate::error::StaleAnswer {
                question: code.clone(),
                current_version: current.as_ref().map_or(NONE_SEEN, |c| c.2),
                current_value: current.and_then(|c| c.1),
                updated_by: author,
            });
        }
        Ok(AppError::StaleAnswers(conflicts))
    };
    explain(conn).unwrap_or_else(|e| e)
}
