//! A response as read, submitted (with its publication consent and receipts) and
//! reopened.

use super::*;

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
                    established_from: None,
                },
                Some(response) => view(conn, &shape, &response)?,
            })
        })
        .await
}

pub(super) fn view(
    conn: &mut DbConnection,
    shape: &Shape,
    response: &ResponseRow,
) -> Result<ResponseView, AppError> {
    Ok(ResponseView {
        answers: store::responses::answers_of(conn, response.id, &shape.question_codes)?,
        established_from: crate::services::synthesis::relay::source_of(conn, response.id)?,
        ..view_of(response)
    })
}

/// The response's row as a view, without its answers.
pub(super) fn view_of(response: &ResponseRow) -> ResponseView {
    ResponseView {
        status: Progress::of(Some(response.status)),
        submitted_at: response.submitted_at.map(|t| t.and_utc()),
        publication_consent: response.publication_consent,
        answers: Vec::new(),
        established_from: None,
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
                let documents: Vec<_> =
                    store::attachments::current_of_response(conn, response.id)?
                        .into_iter()
                        .map(|a| crate::mail::messages::ReceiptDocument {
                            title: a.title,
                            file_name: a.file_name,
                            size: a.size,
                            sha256: a.sha256,
                        })
                        .collect();
                let members = match members {
                    Some(members) => members,
                    None => store::organisations::members_of(conn, org)?,
                };
                let receipts: Vec<_> = members
                    .iter()
                    .map(|member| {
                        let language = Lang::parse(&member.language).unwrap_or(Lang::Fr);
                        Composer::new(language, &base_url, &member.email, &member.display_name)
                            .receipt(&detail.round, &organisation_name, consent, &lines, &documents)
                    })
                    .collect();
                store::outbox::enqueue_all(conn, &receipts, now)?;
                Ok(ResponseView {
                    status: Progress::Submitted,
                    submitted_at: Some(submitted_at),
                    publication_consent: consent,
                    answers: stored,
                    established_from: crate::services::synthesis::relay::source_of(
                        conn,
                        response.id,
                    )?,
                })
            })
        })
        .await
}

/// The draft submitted, or when there is none yet, a response created and submitted as it
/// is (which a round without required questions accepts); 409 when already submitted.
pub(super) fn submit_draft(
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
pub(super) fn transition(
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
pub(super) fn receipt_lines(detail: &RoundDetail, stored: &[StoredAnswer]) -> Vec<String> {
    questions(detail)
        .map(|q| {
            let value = stored
                .iter()
                .find(|a| a.question_code == q.code)
                .and_then(|a| a.value.as_ref());
            format!(
                "{} — {} : {}",
                q.code,
                q.prompt,
                answers::for_reading(&q.spec, value)
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
