//! Documents attached to a response over the API: sent as `multipart/form-data` (the
//! `file`, its `title` and `description`), listed, deleted, downloaded; and what a round
//! allows. The pages post the same form to the same reception (`receive`).

use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, delete, get, post, put, web};
use futures_util::StreamExt;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::body::Json;
use super::caller::As;
use crate::auth::identity::{Identity, SignedIn, origin_of};
use crate::domain::FieldError;
use crate::domain::attachments::AttachmentPolicy;
use crate::error::{AppError, Problem};
use crate::files::ReceiveError;
use crate::services::accounts::Origin;
use crate::services::authority::Coordinator;
use crate::services::responses::attachments::{
    self as service, Allowance, AttachmentView, UploadMeta, UploadTarget,
};
use crate::state::AppState;

#[derive(Debug, Deserialize, IntoParams)]
pub struct UploadQuery {
    /// The documents question the file answers (its code); absent: the response's own
    /// area, when the round has one.
    #[param(max_length = 32)]
    pub question: Option<String>,
    /// The document this file replaces (its `id`): a new version of it.
    #[param(max_length = 64)]
    pub replaces: Option<String>,
}

/// The form an upload sends (`multipart/form-data`).
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct UploadForm {
    /// The file: PDF, ODT, DOCX, XLSX, ODS, PNG or JPEG, its type read from its content
    /// and agreeing with its name's extension.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
    /// Its title (by default, the file's name without its extension).
    #[schema(max_length = 200)]
    title: Option<String>,
    #[schema(max_length = 2000)]
    description: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AttachmentsView {
    pub policy: AttachmentPolicy,
    /// Bytes the current documents take together.
    pub used: i64,
    pub current: Vec<AttachmentView>,
    /// Every version, replaced and deleted ones too, oldest first.
    pub history: Vec<AttachmentView>,
}

/// Most bytes of a text field of the upload form (a title, a description).
const TEXT_FIELD_MAX: usize = 16 * 1024;
/// What the form around the file may add to it (boundaries, headers, text fields).
const FORM_OVERHEAD: u64 = 64 * 1024;

/// Reads an upload form: the file into staging (refused, and nothing kept, as soon as it
/// brings more than `allowance`), and its text fields.
pub async fn receive(
    state: &AppState,
    req: &HttpRequest,
    payload: web::Payload,
    allowance: Allowance,
) -> Result<(UploadMeta, crate::files::Received), AppError> {
    // Refused before reading a byte when the client says how much it sends.
    if let Some(length) = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
        && length > allowance.limit + FORM_OVERHEAD
    {
        return Err(service::too_large(allowance));
    }
    let mut form = actix_multipart::Multipart::new(req.headers(), payload);
    let mut meta = UploadMeta::default();
    let mut received = None;
    while let Some(field) = form.next().await {
        let mut field = field.map_err(|e| unreadable(&format!("{e:?}")))?;
        let name = field.name().unwrap_or_default().to_owned();
        match name.as_str() {
            "file" if received.is_none() => {
                meta.file_name = field
                    .content_disposition()
                    .and_then(|d| d.get_filename())
                    .unwrap_or_default()
                    .to_owned();
                let file = state
                    .files
                    .receive(&mut field, allowance.limit)
                    .await
                    .map_err(|e| match e {
                        ReceiveError::TooLarge { .. } => service::too_large(allowance),
                        ReceiveError::Interrupted(why) => unreadable(&why),
                        ReceiveError::Io(e) => AppError::Internal(e.into()),
                    })?;
                received = Some(file);
            }
            "title" | "description" => {
                let mut text = Vec::new();
                while let Some(chunk) = field.next().await {
                    let chunk = chunk.map_err(|e| unreadable(&format!("{e:?}")))?;
                    if text.len() + chunk.len() > TEXT_FIELD_MAX {
                        return Err(AppError::invalid(&name, "too_long", "Texte trop long."));
                    }
                    text.extend_from_slice(&chunk);
                }
                let text = String::from_utf8(text).map_err(|_| {
                    AppError::invalid(&name, "not_utf8", "Texte illisible (UTF-8 attendu).")
                })?;
                if name == "title" {
                    meta.title = text;
                } else {
                    meta.description = text;
                }
            }
            // Anything else (the pages' CSRF token, a second file) is read and let go.
            _ => {
                while let Some(chunk) = field.next().await {
                    chunk.map_err(|e| unreadable(&format!("{e:?}")))?;
                }
            }
        }
    }
    let received = received
        .ok_or_else(|| AppError::invalid("file", "required", "Choisissez un fichier à joindre."))?;
    if meta.file_name.trim().is_empty() {
        return Err(AppError::invalid(
            "file",
            "no_file_name",
            "Le fichier envoyé n'a pas de nom : son extension dit son type.",
        ));
    }
    if received.size == 0 {
        return Err(AppError::invalid("file", "empty", "Ce fichier est vide."));
    }
    Ok((meta, received))
}

fn unreadable(why: &str) -> AppError {
    AppError::Validation(vec![FieldError::new(
        "file",
        "unreadable",
        format!("L'envoi n'a pas pu être lu jusqu'au bout ({why}) : recommencez."),
    )])
}

/// The whole upload: checked, received, recorded.
pub async fn upload_for(
    state: &AppState,
    req: &HttpRequest,
    payload: web::Payload,
    identity: &Identity,
    (slug, org): (String, i64),
    target: UploadTarget,
    origin: &Origin,
) -> Result<AttachmentView, AppError> {
    let allowance =
        service::prepare_upload(state, identity, slug.clone(), org, target.clone()).await?;
    let (meta, received) = receive(state, req, payload, allowance).await?;
    service::record_upload(state, identity, slug, org, target, meta, received, origin).await
}

#[utoipa::path(tag = "responses", params(("slug" = String, Path), ("org" = i64, Path), UploadQuery),
    request_body(content = UploadForm, content_type = "multipart/form-data"),
    responses(
    (status = 201, description = "Attached (a new document, or a new version of the one replaced)", body = AttachmentView),
    (status = 403, description = "Viewer, coordinator, or organisation not approved", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "Unknown round, or not the caller's organisation", body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "Round not open, response submitted, or the question has all its documents", body = Problem, content_type = "application/problem+json"),
    (status = 413, description = "Over the round's limit per file or per response (`file`), refused while it arrived: nothing kept", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "Type refused or not agreeing with the name (`file`), no such documents question or area (`question`), unknown document (`replaces`), title too long", body = Problem, content_type = "application/problem+json"),
))]
#[post("/api/v1/rounds/{slug}/responses/{org}/attachments")]
pub async fn upload(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: SignedIn,
    path: web::Path<(String, i64)>,
    query: web::Query<UploadQuery>,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    let query = query.into_inner();
    let target = UploadTarget {
        question: query.question.filter(|q| !q.is_empty()),
        replaces: query.replaces.filter(|r| !r.is_empty()),
    };
    let view = upload_for(
        &state,
        &req,
        payload,
        &user.0,
        path.into_inner(),
        target,
        &origin_of(&req),
    )
    .await?;
    Ok(HttpResponse::Created().json(view))
}

#[utoipa::path(tag = "responses", params(("slug" = String, Path), ("org" = i64, Path)), responses(
    (status = 200, description = "The response's documents, current and past versions", body = AttachmentsView),
    (status = 404, description = "Unknown, or not the caller's organisation", body = Problem, content_type = "application/problem+json"),
))]
#[get("/api/v1/rounds/{slug}/responses/{org}/attachments")]
pub async fn list(
    state: web::Data<AppState>,
    user: SignedIn,
    path: web::Path<(String, i64)>,
) -> Result<HttpResponse, AppError> {
    let (slug, org) = path.into_inner();
    let found = service::list(&state, &user.0, slug, org).await?;
    Ok(HttpResponse::Ok().json(AttachmentsView {
        policy: found.policy,
        used: found.used(),
        current: found.current,
        history: found.history,
    }))
}

#[utoipa::path(tag = "responses", params(("slug" = String, Path), ("org" = i64, Path), ("id" = String, Path)), responses(
    (status = 204, description = "Deleted (its versions stay in the history)"),
    (status = 403, description = "Viewer, coordinator, or organisation not approved", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "No such current document", body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "Round not open, or response submitted", body = Problem, content_type = "application/problem+json"),
))]
#[delete("/api/v1/rounds/{slug}/responses/{org}/attachments/{id}")]
pub async fn remove(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: SignedIn,
    path: web::Path<(String, i64, String)>,
) -> Result<HttpResponse, AppError> {
    let (slug, org, token) = path.into_inner();
    service::delete(&state, &user.0, slug, org, token, &origin_of(&req)).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[utoipa::path(tag = "responses", params(("id" = String, Path)), responses(
    (status = 200, description = "The file, as an attachment", content(
        (Vec<u8> = "application/octet-stream"),
    )),
    (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
    (status = 403, description = "A coordinator without the second factor", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "Unknown, or not readable by the caller", body = Problem, content_type = "application/problem+json"),
))]
#[get("/api/v1/attachments/{id}")]
pub async fn download(
    state: web::Data<AppState>,
    user: SignedIn,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let found = service::find_download(&state, &user.0, token.into_inner()).await?;
    let body = state.files.read(&found.sha256).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, found.media_type.clone()))
        .insert_header((header::CONTENT_DISPOSITION, disposition(&found.file_name)))
        .insert_header((
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        // Opened by mistake in a tab, it runs nothing.
        .insert_header((
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("sandbox; default-src 'none'"),
        ))
        .insert_header((
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-store"),
        ))
        .insert_header(("Digest", format!("sha-256={}", found.sha256)))
        .no_chunking(found.size as u64)
        .streaming(body.map(|chunk| chunk.map_err(actix_web::error::ErrorInternalServerError))))
}

/// `attachment`, with the name in ASCII for old clients and in UTF-8 (RFC 6266) for the
/// others. The stored name is already clean (`domain::attachments::sanitise_file_name`).
pub fn disposition(file_name: &str) -> String {
    let ascii: String = file_name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded =
        percent_encoding::utf8_percent_encode(file_name, percent_encoding::NON_ALPHANUMERIC);
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

#[utoipa::path(tag = "rounds", params(("slug" = String, Path)), responses(
    (status = 200, description = "What respondents may attach", body = AttachmentPolicy),
    (status = 403, description = "Not a coordinator", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "Unknown round", body = Problem, content_type = "application/problem+json"),
))]
#[get("/api/v1/rounds/{slug}/attachment-policy")]
pub async fn attachment_policy(
    state: web::Data<AppState>,
    As(_coordinator): As<Coordinator>,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let policy = crate::services::round_admin::attachment_policy(&state, slug.into_inner()).await?;
    Ok(HttpResponse::Ok().json(policy))
}

#[utoipa::path(tag = "rounds", params(("slug" = String, Path)), request_body = AttachmentPolicy, responses(
    (status = 200, description = "Changed (the limits count for uploads to come)", body = AttachmentPolicy),
    (status = 403, description = "Not a coordinator", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "Unknown round", body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "Round closed", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "Limits out of range, or the response's below the file's", body = Problem, content_type = "application/problem+json"),
))]
#[put("/api/v1/rounds/{slug}/attachment-policy")]
pub async fn set_attachment_policy(
    req: HttpRequest,
    state: web::Data<AppState>,
    As(coordinator): As<Coordinator>,
    slug: web::Path<String>,
    body: Json<AttachmentPolicy>,
) -> Result<HttpResponse, AppError> {
    let policy = crate::services::round_admin::set_attachment_policy(
        &state,
        &coordinator,
        slug.into_inner(),
        body.into_inner(),
        origin_of(&req),
    )
    .await?;
    Ok(HttpResponse::Ok().json(policy))
}
