//! Documents attached to a response: received while the response is a draft, by the
//! members who write it, to a question of kind `documents` or to the response's own
//! area when the round has one; replaced (a new version) or deleted, never rewritten, so
//! their history stays; read by those who read the response.
//!
//! An upload goes in three steps: `prepare_upload` says how many bytes it may bring
//! (before the body is read: the limit is enforced while it streams), the web or API
//! layer receives the body into staging (`files::FileStore::receive`), then
//! `record_upload` checks the type from the content, keeps the content and records the
//! version, checking everything again in the write's transaction.

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::*;
use crate::domain::answers::AttachedFile;
use crate::domain::attachments::{self as rules, AttachmentPolicy, DocumentKind};
use crate::domain::rounds::QuestionSpec;
use crate::files::Received;
use crate::store::attachments::{AttachmentRow, NewAttachment};

/// Where an upload goes: a documents question (by code) or the response's own area, and
/// the document it replaces, if any (by its download name).
#[derive(Debug, Clone, Default)]
pub struct UploadTarget {
    pub question: Option<String>,
    pub replaces: Option<String>,
}

/// What an upload may bring, as `prepare_upload` found it.
#[derive(Debug, Clone, Copy)]
pub struct Allowance {
    /// Most bytes the file may have.
    pub limit: u64,
    /// Whether that is the round's limit per file (else what the response has left).
    pub per_file: bool,
}

/// What people wrote about the file, and its name as sent.
#[derive(Debug, Clone, Default)]
pub struct UploadMeta {
    pub title: String,
    pub description: String,
    pub file_name: String,
}

/// A document's version, as members and coordinators see it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AttachmentView {
    /// The download's unguessable name: `GET /api/v1/attachments/{id}`.
    pub id: String,
    /// The documents question it answers; absent: the response's own area.
    pub question: Option<String>,
    pub title: String,
    pub description: String,
    pub file_name: String,
    pub media_type: String,
    pub size: i64,
    pub sha256: String,
    /// 1 for the first file, then one more at each replacement.
    pub version: i32,
    /// Who attached it (absent: a former member).
    pub uploaded_by: Option<String>,
    pub uploaded_at: DateTime<Utc>,
    /// Whether it is the document's current version (not replaced nor deleted).
    pub current: bool,
    pub replaced_at: Option<DateTime<Utc>>,
    pub deleted_at: Option<DateTime<Utc>>,
    /// Where to download it (same authorisation as the response).
    pub download: String,
}

impl AttachmentView {
    fn from_row(
        row: &AttachmentRow,
        codes: &std::collections::HashMap<i64, String>,
        names: &std::collections::HashMap<i64, String>,
    ) -> Self {
        Self {
            id: row.token.clone(),
            question: row.question_id.and_then(|q| codes.get(&q).cloned()),
            title: row.title.clone(),
            description: row.description.clone(),
            file_name: row.file_name.clone(),
            media_type: row.media_type.clone(),
            size: row.size,
            sha256: row.sha256.clone(),
            version: row.version,
            uploaded_by: row.uploaded_by.and_then(|u| names.get(&u).cloned()),
            uploaded_at: row.uploaded_at.and_utc(),
            current: row.is_current(),
            replaced_at: row.replaced_at.map(|t| t.and_utc()),
            deleted_at: row.deleted_at.map(|t| t.and_utc()),
            download: download_path(&row.token),
        }
    }
}

pub fn download_path(token: &str) -> String {
    format!("/api/v1/attachments/{token}")
}

/// A response's documents: the current ones, then the history (every version).
pub struct Attachments {
    pub policy: AttachmentPolicy,
    pub current: Vec<AttachmentView>,
    pub history: Vec<AttachmentView>,
}

impl Attachments {
    /// Bytes of the current documents together.
    pub fn used(&self) -> i64 {
        self.current.iter().map(|a| a.size).sum()
    }
}

/// The documents of `org`'s response, for those who may read it.
pub async fn list(
    state: &AppState,
    identity: &Identity,
    slug: String,
    org: i64,
) -> Result<Attachments, AppError> {
    let identity = identity.clone();
    let rounds = state.rounds.clone();
    state
        .db
        .run(move |conn| {
            let shape = authorise(conn, &rounds, &identity, &slug, org, Access::Read)?;
            let round = &shape.detail.round;
            let policy = store::attachments::policy(conn, round.id)?;
            let rows = match store::responses::find(conn, round.id, org)? {
                Some(response) => store::attachments::of_response(conn, response.id)?,
                None => Vec::new(),
            };
            let names = store::attachments::uploaders(conn, &rows)?;
            let views: Vec<AttachmentView> = rows
                .iter()
                .map(|r| AttachmentView::from_row(r, &shape.question_codes, &names))
                .collect();
            Ok(Attachments {
                policy,
                current: views.iter().filter(|v| v.current).cloned().collect(),
                history: views,
            })
        })
        .await
}

/// Where an upload goes, checked: the question's id (none: the area), the document it
/// replaces, and how many bytes it may bring.
struct Destination {
    question: Option<(i64, u32)>,
    replaced: Option<AttachmentRow>,
    allowance: Allowance,
}

fn destination(
    conn: &mut DbConnection,
    shape: &Shape,
    response: Option<&ResponseRow>,
    target: &UploadTarget,
) -> Result<Destination, AppError> {
    let round = &shape.detail.round;
    let policy = store::attachments::policy(conn, round.id)?;
    let current = match response {
        Some(response) => store::attachments::current_of_response(conn, response.id)?,
        None => Vec::new(),
    };
    let replaced = match &target.replaces {
        Some(token) => Some(
            current
                .iter()
                .find(|a| &a.token == token)
                .cloned()
                .ok_or_else(|| {
                    AppError::invalid(
                        "replaces",
                        "unknown_document",
                        "Ce document n'est pas (ou plus) parmi ceux de la réponse : rechargez la page.",
                    )
                })?,
        ),
        None => None,
    };
    // A replacement stays where its document is.
    let code = match &replaced {
        Some(old) => old
            .question_id
            .and_then(|q| shape.question_codes.get(&q).cloned()),
        None => target.question.clone(),
    };
    let question = match code {
        Some(code) => {
            let question = questions(&shape.detail)
                .find(|q| q.code == code)
                .ok_or_else(|| {
                    AppError::invalid("question", "unknown_question", "Question inconnue.")
                })?;
            let QuestionSpec::Documents { max_files } = question.spec else {
                return Err(AppError::invalid(
                    "question",
                    "not_documents",
                    "Cette question n'attend pas de documents.",
                ));
            };
            Some((shape.question_ids[&code], max_files))
        }
        None if policy.area => None,
        None => {
            return Err(AppError::invalid(
                "question",
                "no_area",
                "Cette consultation n'a pas d'espace de documents joints : joignez le document à une question qui en attend.",
            ));
        }
    };
    if replaced.is_none()
        && let Some((id, max_files)) = question
    {
        let count = current.iter().filter(|a| a.question_id == Some(id)).count();
        if count >= max_files as usize {
            return Err(AppError::Clash(vec![FieldError::new(
                "question",
                "too_many_documents",
                format!(
                    "Cette question prend {max_files} document{} au plus : supprimez-en un ou remplacez-le.",
                    if max_files > 1 { "s" } else { "" }
                ),
            )]));
        }
    }
    let used: i64 =
        current.iter().map(|a| a.size).sum::<i64>() - replaced.as_ref().map_or(0, |r| r.size);
    let left = (policy.response_limit - used).max(0);
    let allowance = Allowance {
        limit: policy.file_limit.min(left) as u64,
        per_file: policy.file_limit <= left,
    };
    Ok(Destination {
        question,
        replaced,
        allowance,
    })
}

/// Checks that the caller may attach a document there now, and says how big it may be.
pub async fn prepare_upload(
    state: &AppState,
    identity: &Identity,
    slug: String,
    org: i64,
    target: UploadTarget,
) -> Result<Allowance, AppError> {
    let identity = identity.clone();
    let rounds = state.rounds.clone();
    let now = state.clock.now();
    state
        .db
        .run(move |conn| {
            let shape = authorise(conn, &rounds, &identity, &slug, org, Access::Write)?;
            let round = &shape.detail.round;
            require_open_now(conn, &shape.detail, now)?;
            let response = store::responses::find(conn, round.id, org)?;
            refuse_if_submitted(response.as_ref())?;
            let allowance = destination(conn, &shape, response.as_ref(), &target)?.allowance;
            if allowance.limit == 0 {
                return Err(too_large(allowance));
            }
            Ok(allowance)
        })
        .await
}

fn refuse_if_submitted(response: Option<&ResponseRow>) -> Result<(), AppError> {
    if response.is_some_and(|r| r.status == ResponseStatus::Submitted) {
        return Err(AppError::Conflict(
            "la réponse a été soumise : rouvrez-la pour modifier ses documents".into(),
        ));
    }
    Ok(())
}

/// The refusal of a file over its allowance (413, naming the field).
pub fn too_large(allowance: Allowance) -> AppError {
    let limit = rules::size_label(allowance.limit as i64);
    let message = if allowance.per_file {
        format!("Ce fichier dépasse la taille maximale d'un document ({limit}).")
    } else {
        format!(
            "Ce fichier dépasse la place qui reste pour les documents de cette réponse ({limit})."
        )
    };
    AppError::FileTooLarge(vec![FieldError::new("file", "too_large", message)])
}

/// Records a received file as a new document (or a new version of one): its type read
/// from its content, its content kept once, the question's answer listing it.
#[allow(clippy::too_many_arguments)]
pub async fn record_upload(
    state: &AppState,
    identity: &Identity,
    slug: String,
    org: i64,
    target: UploadTarget,
    meta: UploadMeta,
    received: Received,
    origin: &Origin,
) -> Result<AttachmentView, AppError> {
    let kind = rules::sniff(&received.head, received.archive().as_ref(), &meta.file_name)
        .map_err(|e| AppError::Validation(vec![e]))?;
    let file_name = rules::sanitise_file_name(&meta.file_name, kind);
    let mut errors = Vec::new();
    let title = rules::check_title(&meta.title, &file_name).map_err(|e| errors.push(e));
    let description = rules::check_description(&meta.description).map_err(|e| errors.push(e));
    let (Ok(title), Ok(description)) = (title, description) else {
        return Err(AppError::Validation(errors));
    };
    let now = state.clock.now();
    // Wanted before it is stored: the clean-up leaves a content touched today alone.
    let (sha, size) = (received.sha256.clone(), received.size);
    state
        .db
        .run(move |conn| {
            store::attachments::touch_content(
                conn,
                &sha,
                size,
                kind.media_type(),
                kind.first_text_state(),
                now.naive_utc(),
            )
            .map_err(AppError::from)
        })
        .await?;
    state.files.keep(&received).await?;
    let identity = identity.clone();
    let rounds = state.rounds.clone();
    let origin = origin.clone();
    let (sha, size) = (received.sha256.clone(), received.size);
    let view = state
        .db
        .run(move |conn| {
            let shape = authorise(conn, &rounds, &identity, &slug, org, Access::Write)?;
            let round_id = shape.detail.round.id;
            let user = identity.account.id;
            store::answers_transaction(conn, round_id, |conn| {
                require_open_now(conn, &shape.detail, now)?;
                let response = store::responses::find_or_create(conn, round_id, org, now)?;
                store::responses::hold_for_tally(conn, response.id)?;
                refuse_if_submitted(Some(&response))?;
                // Again, holding the response: a colleague's upload may have landed since.
                let found = destination(conn, &shape, Some(&response), &target)?;
                if size as u64 > found.allowance.limit {
                    return Err(too_large(found.allowance));
                }
                let token = new_token();
                let (lineage, version) = match &found.replaced {
                    Some(old) => {
                        store::attachments::mark_replaced(conn, old.id, now.naive_utc())?;
                        (Some(old.lineage()), old.version + 1)
                    }
                    None => (None, 1),
                };
                let row = store::attachments::insert(
                    conn,
                    &NewAttachment {
                        token: &token,
                        response_id: response.id,
                        question_id: found.question.map(|q| q.0),
                        lineage,
                        version,
                        title: &title,
                        description: &description,
                        file_name: &file_name,
                        media_type: kind.media_type(),
                        size,
                        sha256: &sha,
                        uploaded_by: Some(user),
                        uploaded_at: now.naive_utc(),
                    },
                )?;
                documents_changed(
                    conn,
                    &shape,
                    &response,
                    found.question.map(|q| q.0),
                    (user, now),
                )?;
                let action = if found.replaced.is_some() {
                    "attachment_replaced"
                } else {
                    "attachment_added"
                };
                audit_on(
                    conn,
                    Some(user),
                    action,
                    Some(format!("round:{slug}")),
                    &origin,
                    serde_json::json!({
                        "organisation": org,
                        "document": row.lineage(),
                        "version": row.version,
                        "size": size,
                        "sha256": sha,
                        "media_type": kind.media_type(),
                    }),
                )?;
                let names = store::attachments::uploaders(conn, std::slice::from_ref(&row))?;
                Ok(AttachmentView::from_row(
                    &row,
                    &shape.question_codes,
                    &names,
                ))
            })
        })
        .await?;
    // Its text, for the search, read off the request (a new content only waits for it).
    if kind.has_text() {
        state.texts.notify_one();
    }
    Ok(view)
}

/// Deletes a document of a draft response (its versions stay in the history).
pub async fn delete(
    state: &AppState,
    identity: &Identity,
    slug: String,
    org: i64,
    token: String,
    origin: &Origin,
) -> Result<(), AppError> {
    let identity = identity.clone();
    let rounds = state.rounds.clone();
    let origin = origin.clone();
    let now = state.clock.now();
    state
        .db
        .run(move |conn| {
            let shape = authorise(conn, &rounds, &identity, &slug, org, Access::Write)?;
            let round_id = shape.detail.round.id;
            let user = identity.account.id;
            store::answers_transaction(conn, round_id, |conn| {
                require_open_now(conn, &shape.detail, now)?;
                let response =
                    store::responses::find(conn, round_id, org)?.ok_or(AppError::NotFound)?;
                store::responses::hold_for_tally(conn, response.id)?;
                refuse_if_submitted(Some(&response))?;
                let row = store::attachments::current_of_response(conn, response.id)?
                    .into_iter()
                    .find(|a| a.token == token)
                    .ok_or(AppError::NotFound)?;
                store::attachments::mark_deleted(conn, row.id, user, now.naive_utc())?;
                documents_changed(conn, &shape, &response, row.question_id, (user, now))?;
                audit_on(
                    conn,
                    Some(user),
                    "attachment_deleted",
                    Some(format!("round:{slug}")),
                    &origin,
                    serde_json::json!({
                        "organisation": org,
                        "document": row.lineage(),
                        "version": row.version,
                    }),
                )?;
                Ok(())
            })
        })
        .await
}

/// What a change of documents does to the response: a documents question's answer lists
/// them again (`list_in_answer`); the area's change marks the response active.
fn documents_changed(
    conn: &mut DbConnection,
    shape: &Shape,
    response: &ResponseRow,
    question_id: Option<i64>,
    (user, now): (i64, DateTime<Utc>),
) -> Result<(), AppError> {
    match question_id {
        Some(question_id) => list_in_answer(conn, shape, response, question_id, user, now),
        None => {
            store::responses::touch(conn, response.id, response.updated_at, now.naive_utc())?;
            Ok(())
        }
    }
}

/// Writes the documents question's answer anew: the list of its current documents
/// (cleared when none), a new version with its history row, and the response's tallies.
fn list_in_answer(
    conn: &mut DbConnection,
    shape: &Shape,
    response: &ResponseRow,
    question_id: i64,
    user: i64,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let files: Vec<AttachedFile> = store::attachments::current_of_response(conn, response.id)?
        .into_iter()
        .filter(|a| a.question_id == Some(question_id))
        .map(|a| AttachedFile {
            id: a.token,
            title: a.title,
            file_name: a.file_name,
            media_type: a.media_type,
            size: a.size,
            sha256: a.sha256,
        })
        .collect();
    let value = (!files.is_empty()).then(|| AnswerValue::Documents(files).to_json());
    let expected =
        store::responses::current(conn, response.id, question_id)?.map_or(NONE_SEEN, |c| c.2);
    let written = store::responses::write_if_current(
        conn,
        &store::responses::NewVersion {
            round_id: shape.detail.round.id,
            response_id: response.id,
            question_id,
            value: value.as_deref(),
            expected,
            user_id: user,
            now: now.naive_utc(),
        },
    )?;
    if written.is_none() {
        let code = shape.question_codes[&question_id].clone();
        return Err(why_not_written(
            conn,
            &shape.detail,
            response,
            &[(code, question_id)],
            now,
        ));
    }
    store::responses::tally(conn, response.id, &shape.required_ids, now.naive_utc())?;
    Ok(())
}

/// A download's unguessable name: 128 random bits.
fn new_token() -> String {
    crate::hex::random_hex::<16>()
}

/// A document version to download, once the caller may read its response.
pub struct Download {
    pub file_name: String,
    pub media_type: String,
    pub size: i64,
    pub sha256: String,
}

/// The version named `token`, for a member of its organisation or a coordinator with
/// the second factor; anyone else is told it does not exist.
pub async fn find_download(
    state: &AppState,
    identity: &Identity,
    token: String,
) -> Result<Download, AppError> {
    let identity = identity.clone();
    let rounds = state.rounds.clone();
    state
        .db
        .run(move |conn| {
            let found = store::attachments::by_token(conn, &token)?.ok_or(AppError::NotFound)?;
            authorise(
                conn,
                &rounds,
                &identity,
                &found.round_slug,
                found.organisation_id,
                Access::Read,
            )?;
            let row = found.row;
            // Named by a type the upload checked; anything else is sent as bytes.
            let media_type = DocumentKind::from_media_type(&row.media_type)
                .map_or("application/octet-stream", |k| k.media_type())
                .to_owned();
            Ok(Download {
                file_name: row.file_name,
                media_type,
                size: row.size,
                sha256: row.sha256,
            })
        })
        .await
}

/// Deletes the contents no document names any more (the responses they belonged to were
/// deleted, or their upload was refused after they were stored), once untouched for a
/// day: from the table first (each content to one instance only), then from the store.
/// Returns how many went.
pub async fn clean_unnamed(state: &AppState, now: DateTime<Utc>) -> Result<usize, AppError> {
    let before = (now - chrono::Duration::days(1)).naive_utc();
    let taken = state
        .db
        .run(move |conn| {
            store::write_transaction(conn, |conn| {
                store::attachments::take_unnamed_contents(conn, before).map_err(AppError::from)
            })
        })
        .await?;
    for sha256 in &taken {
        state.files.remove(sha256).await?;
    }
    if !taken.is_empty() {
        tracing::info!(contents = taken.len(), "unnamed document contents deleted");
    }
    Ok(taken.len())
}

/// Runs [`clean_unnamed`] every hour on this instance's runtime.
pub fn spawn_cleaning(state: AppState) {
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(std::time::Duration::from_secs(3600)).await;
            if let Err(e) = clean_unnamed(&state, state.clock.now()).await {
                tracing::warn!(error = %e, "cleaning document contents failed");
            }
        }
    });
}
