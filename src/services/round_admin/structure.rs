//! Building a round: its settings, chapters and questions, their order, while it is a
//! draft (wording fixes later, audited).

use super::*;

pub(super) fn round_target(slug: &str) -> Option<String> {
    Some(format!("round:{slug}"))
}

pub async fn create(
    state: &AppState,
    coordinator: &Coordinator,
    input: RoundInput,
    origin: Origin,
) -> Result<RoundDetail, AppError> {
    let (actor, now) = (coordinator.account.id, state.clock.now());
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
    coordinator: &Coordinator,
    slug: String,
    patch: RoundPatch,
    origin: Origin,
) -> Result<RoundDetail, AppError> {
    let (actor, now, base_url) = (
        coordinator.account.id,
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
    _: &Coordinator,
    slug: String,
    input: ChapterInput,
) -> Result<RoundDetail, AppError> {
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
    _: &Coordinator,
    slug: String,
    chapter: String,
    input: QuestionInput,
) -> Result<RoundDetail, AppError> {
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
    coordinator: &Coordinator,
    slug: String,
    input: QuestionInput,
    origin: Origin,
) -> Result<RoundDetail, AppError> {
    invalid(question_errors(&input))?;
    let (actor, now) = (coordinator.account.id, state.clock.now());
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
    _: &Coordinator,
    slug: String,
    what: Part,
    code: String,
    step: i32,
) -> Result<RoundDetail, AppError> {
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
pub(super) async fn in_draft<F>(
    state: &AppState,
    slug: String,
    change: F,
) -> Result<RoundDetail, AppError>
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
    coordinator: &Coordinator,
    slug: String,
    what: Part,
    code: String,
    origin: Origin,
) -> Result<RoundDetail, AppError> {
    let actor = coordinator.account.id;
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

/// What a round's respondents may attach (area, limits); the round's coordinators change
/// it at any time before the round closes: the limits count for uploads to come.
pub async fn attachment_policy(
    state: &AppState,
    slug: String,
) -> Result<crate::domain::attachments::AttachmentPolicy, AppError> {
    state
        .db
        .run(move |conn| {
            let round = load(conn, &slug)?.round;
            Ok(store::attachments::policy(conn, round.id)?)
        })
        .await
}

pub async fn set_attachment_policy(
    state: &AppState,
    coordinator: &Coordinator,
    slug: String,
    policy: crate::domain::attachments::AttachmentPolicy,
    origin: Origin,
) -> Result<crate::domain::attachments::AttachmentPolicy, AppError> {
    invalid(policy.validate())?;
    let (actor, now) = (coordinator.account.id, state.clock.now());
    state
        .db
        .run(move |conn| {
            crate::store::write_transaction(conn, |conn| {
                let round = load(conn, &slug)?.round;
                if matches!(
                    round.status_at(now),
                    RoundStatus::Closed | RoundStatus::Archived
                ) {
                    return Err(AppError::Conflict(
                        "une consultation close ne se modifie plus".into(),
                    ));
                }
                store::attachments::set_policy(conn, round.id, &policy)?;
                audit_on(
                    conn,
                    Some(actor),
                    "attachment_policy_changed",
                    round_target(&slug),
                    &origin,
                    serde_json::json!({
                        "area": policy.area,
                        "file_limit": policy.file_limit,
                        "response_limit": policy.response_limit,
                    }),
                )?;
                Ok(policy)
            })
        })
        .await
}
