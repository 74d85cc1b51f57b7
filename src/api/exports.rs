//! Exports of a round's responses (coordinators with two-factor sign-in).

use actix_web::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse, get, web};
use serde::Deserialize;
use utoipa::IntoParams;

use super::caller::As;
use crate::auth::identity::origin_of;
use crate::error::{AppError, Problem};
use crate::services::authority::SecuredCoordinator;
use crate::services::exports::{self, Chunks, Dialect, Format, Include, Rendering};
use crate::state::AppState;

#[derive(Debug, Deserialize, IntoParams)]
pub struct ExportQuery {
    /// `csv` (one row per question of each response), `csv-wide` (one row per response),
    /// `json` (with statistics; schema in `docs/export.schema.json`), `xlsx` (a summary
    /// sheet and one sheet per chapter) or `document` (the consolidated contribution).
    /// `attachments` (the documents attached, listed in CSV; `attachments-json`, the
    /// same in JSON) or `bundle` (one ZIP: the CSV, the JSON, the document and every
    /// document attached, a folder per organisation).
    #[param(pattern = "^(csv|csv-wide|json|xlsx|document|attachments|attachments-json|bundle)$")]
    pub format: String,
    /// `submitted` (default) or `all` (drafts too).
    #[param(pattern = "^(submitted|all)$")]
    pub include: Option<String>,
    /// `standard` (default) or `excel-fr` (`;`, BOM, CRLF).
    #[param(pattern = "^(standard|excel-fr)$")]
    pub dialect: Option<String>,
    /// The rendering of `format=document`: `html` (default, printable) or `markdown`;
    /// the other formats have one rendering each and pay it no attention.
    #[serde(rename = "as")]
    #[param(rename = "as", pattern = "^(html|markdown)$")]
    pub rendering: Option<String>,
    /// `true`: the personal data coordinators marked is masked in CSV, JSON and XLSX too
    /// (the document always masks it; raw exports keep the answers as written otherwise).
    pub masked: Option<bool>,
}

/// `<slug>-<format>-<date>.<ext>`, with nothing a header or a file system could trip on.
pub fn file_name(
    slug: &str,
    format: &str,
    date: chrono::DateTime<chrono::Utc>,
    ext: &str,
) -> String {
    let clean = |s: &str| {
        s.chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect::<String>()
    };
    format!(
        "{}-{}-{}.{ext}",
        clean(slug),
        clean(format),
        date.format("%Y-%m-%d")
    )
}

/// What tells an export's files apart in their names: the format, and for CSV the
/// dialect when it is not the standard one (`csv-excel-fr`).
pub fn variant(format: Format, dialect: Dialect) -> String {
    match format {
        Format::Csv(_) if dialect.french => format!("{}-{}", format.name(), dialect.name()),
        _ => format.name().to_owned(),
    }
}

pub fn parse_options(query: &ExportQuery) -> Result<(Format, Include, Dialect), AppError> {
    let include = query
        .include
        .as_deref()
        .map_or(Some(Include::Submitted), Include::parse)
        .ok_or_else(|| {
            AppError::invalid(
                "include",
                "invalid_include",
                "Valeur attendue : submitted ou all.",
            )
        })?;
    let dialect =
        Dialect::parse(query.dialect.as_deref().unwrap_or("standard")).ok_or_else(|| {
            AppError::invalid(
                "dialect",
                "invalid_dialect",
                "Valeur attendue : standard ou excel-fr.",
            )
        })?;
    let mut format = Format::parse(&query.format).ok_or_else(|| {
        AppError::invalid(
            "format",
            "unsupported_format",
            "Formats disponibles : csv, csv-wide, json, xlsx, document, attachments, attachments-json, bundle.",
        )
    })?;
    if let Some(rendering) = query.rendering.as_deref() {
        let rendering = Rendering::parse(rendering).ok_or_else(|| {
            AppError::invalid(
                "as",
                "invalid_rendering",
                "Valeur attendue : html ou markdown.",
            )
        })?;
        // Read by the document alone; the other formats have one rendering each.
        if let Format::Document(_) = format {
            format = Format::Document(rendering);
        }
    }
    Ok((format, include, dialect))
}

#[utoipa::path(tag = "exports", params(("slug" = String, Path), ExportQuery), responses(
    (status = 200, description = "The export, streamed as an attachment (CSV, JSON, XLSX, HTML or Markdown)", content(
        (String = "text/csv"),
        (Object = "application/json"),
        (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (String = "text/html"),
        (String = "text/markdown"),
        (Vec<u8> = "application/zip"),
    )),
    (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
    (status = 403, description = "Not a coordinator, or two-factor sign-in off", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "Unknown format, include, dialect or as", body = Problem, content_type = "application/problem+json"),
))]
#[get("/api/v1/rounds/{slug}/export")]
pub async fn export(
    req: HttpRequest,
    state: web::Data<AppState>,
    As(coordinator): As<SecuredCoordinator>,
    slug: web::Path<String>,
    query: web::Query<ExportQuery>,
) -> Result<HttpResponse, AppError> {
    let origin = origin_of(&req);
    let (format, include, dialect) = parse_options(&query)?;
    let masked = query.masked.unwrap_or(false);
    let slug = slug.into_inner();
    let now = state.clock.now();
    let lookup = slug.clone();
    let detail = state
        .db
        .run(move |conn| {
            let requester = exports::Requester::Coordinator {
                coordinator: &coordinator,
                origin: &origin,
            };
            exports::begin(conn, requester, &lookup, format, (include, masked))
        })
        .await?;
    let options = (format, include, dialect, masked);
    let receiver = match format {
        Format::Bundle => exports::attachments::bundle(&state, detail, include, masked, now),
        _ => exports::stream(
            state.db.clone(),
            detail,
            options,
            (now, state.settings.base_url().to_owned()),
        ),
    };
    let name = file_name(&slug, &variant(format, dialect), now, format.extension());
    Ok(HttpResponse::Ok()
        .insert_header((CONTENT_TYPE, format.content_type()))
        .insert_header(super::attachment(&name))
        .insert_header((CACHE_CONTROL, "no-store"))
        .streaming(streamed(&state, receiver).await?))
}

/// A streamed file's body, counted as a running export until the client has the last
/// chunk or leaves. The first chunk is awaited before the status is sent: a writer that
/// fails before writing anything (an XLSX is built whole before its first byte) is
/// answered with its own problem, not a 200 whose body breaks off; a failure after
/// that ends the body with an error, so the download visibly fails.
pub(crate) async fn streamed(
    state: &AppState,
    mut receiver: Chunks,
) -> Result<impl futures_util::Stream<Item = Result<Bytes, actix_web::Error>> + 'static, AppError> {
    use futures_util::StreamExt;
    let running = state.metrics.export_started();
    let first = receiver.recv().await.transpose()?;
    let rest =
        futures_util::stream::unfold((receiver, running), |(mut receiver, running)| async move {
            let item = receiver.recv().await?;
            Some((
                item.map(Bytes::from).map_err(actix_web::Error::from),
                (receiver, running),
            ))
        });
    Ok(futures_util::stream::iter(first.map(|chunk| Ok(Bytes::from(chunk)))).chain(rest))
}
