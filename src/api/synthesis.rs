//! `…/synthesis`: the round's collective contribution, for coordinators with the second
//! factor: its draft (header and chapters, each written from the version seen), its
//! history, its preview, and its published versions. Each handler reads the request,
//! calls one service, shapes the answer.

use actix_web::http::header::{CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE};
use actix_web::{HttpRequest, HttpResponse, get, post, put, web};
use chrono::{DateTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::body::Json;
use super::caller::As;
use crate::auth::identity::origin_of;
use crate::domain::FieldError;
use crate::domain::responses::PublicationConsent;
use crate::domain::synthesis::document::Document;
use crate::domain::synthesis::relay::Route;
use crate::domain::synthesis::{
    Consolidated, Header, IntroducedBy, Licence, ProposalRef, ProposalsOrder, Section, Selection,
    Span,
};
use crate::error::{AppError, Problem};
use crate::services::authority::SecuredCoordinator;
use crate::services::synthesis::render::{self, Edition};
use crate::services::synthesis::{self as service, Candidate, DraftChapter};
use crate::services::synthesis::{docx, pdf};
use crate::state::AppState;

/// The synthesis's own texts and settings.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct SynthesisHeader {
    pub title: String,
    /// Markdown.
    #[serde(default)]
    pub introduction: String,
    /// Markdown.
    #[serde(default)]
    pub conclusion: String,
    #[serde(default = "chosen")]
    pub proposals_order: ProposalsOrder,
    /// The licence of the published responses' open data.
    #[serde(default = "etalab")]
    pub licence: Licence,
}

fn chosen() -> ProposalsOrder {
    ProposalsOrder::Chosen
}

fn etalab() -> Licence {
    Licence::Etalab
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct HeaderRequest {
    #[serde(flatten)]
    pub header: SynthesisHeader,
    /// The version you saw (0 before the first write); without it the write is
    /// unconditional.
    pub version: Option<i32>,
}

/// A passage of an answer: characters `start..end` (Unicode scalar values, from 0, end
/// excluded). Its text is read from the answer.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct PassageRange {
    pub start: usize,
    pub end: usize,
    /// The passage's text, as it was when selected (in answers; ignored in requests).
    #[serde(default, skip_deserializing)]
    pub text: String,
}

/// A contribution selected: a submitted text answer of the chapter whose organisation
/// consented to publication, whole or a passage of it.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct SelectionBody {
    pub answer: i64,
    pub passage: Option<PassageRange>,
    /// The editorial heading ("Cas d'usage : le tri aux urgences").
    #[serde(default)]
    pub heading: String,
}

/// One organisation's proposal: its proposals answer, and its place in it (from 0).
#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct ProposalSource {
    pub answer: i64,
    pub item: usize,
}

/// Proposals of one or several organisations, merged and reworded.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct ConsolidatedBody {
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[schema(min_items = 1, max_items = 200)]
    pub sources: Vec<ProposalSource>,
}

/// Who signs a chapter's introduction: an organisation (by id) or a person (by name),
/// one of the two.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct IntroducedByBody {
    pub organisation: Option<i64>,
    pub person: Option<String>,
}

/// What the coordinators write for one chapter.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct SectionBody {
    /// Markdown.
    #[serde(default)]
    pub introduction: String,
    pub introduced_by: Option<IntroducedByBody>,
    /// In the order of the document.
    #[serde(default)]
    #[schema(max_items = 500)]
    pub contributions: Vec<SelectionBody>,
    /// In the chosen order (the header may order them by support instead).
    #[serde(default)]
    #[schema(max_items = 500)]
    pub proposals: Vec<ConsolidatedBody>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct SectionRequest {
    #[serde(flatten)]
    pub section: SectionBody,
    /// The chapter's version you saw (0 before its first write); without it the write is
    /// unconditional.
    pub version: Option<i32>,
}

fn section_of(body: SectionBody) -> Result<Section, AppError> {
    let introduced_by = match body.introduced_by {
        None => None,
        Some(IntroducedByBody {
            organisation: Some(id),
            person: None,
        }) => Some(IntroducedBy::Organisation(id)),
        Some(IntroducedByBody {
            organisation: None,
            person: Some(name),
        }) => Some(IntroducedBy::Person(name)),
        Some(IntroducedByBody {
            organisation: None,
            person: None,
        }) => None,
        Some(_) => {
            return Err(AppError::invalid(
                "introduced_by",
                "one_of",
                "une organisation ou une personne, pas les deux",
            ));
        }
    };
    Section {
        introduction: body.introduction,
        introduced_by,
        contributions: body
            .contributions
            .into_iter()
            .map(|s| Selection {
                answer: s.answer,
                passage: s.passage.map(|p| Span {
                    start: p.start,
                    end: p.end,
                    text: String::new(),
                }),
                heading: s.heading,
            })
            .collect(),
        proposals: body
            .proposals
            .into_iter()
            .map(|p| Consolidated {
                title: p.title,
                description: p.description,
                sources: p
                    .sources
                    .into_iter()
                    .map(|s| ProposalRef {
                        answer: s.answer,
                        item: s.item,
                    })
                    .collect(),
            })
            .collect(),
    }
    .parse()
    .map_err(AppError::Validation)
}

fn section_body(section: Section) -> SectionBody {
    SectionBody {
        introduction: section.introduction,
        introduced_by: section.introduced_by.map(|by| match by {
            IntroducedBy::Organisation(id) => IntroducedByBody {
                organisation: Some(id),
                person: None,
            },
            IntroducedBy::Person(name) => IntroducedByBody {
                organisation: None,
                person: Some(name),
            },
        }),
        contributions: section
            .contributions
            .into_iter()
            .map(|s| SelectionBody {
                answer: s.answer,
                passage: s.passage.map(|p| PassageRange {
                    start: p.start,
                    end: p.end,
                    text: p.text,
                }),
                heading: s.heading,
            })
            .collect(),
        proposals: section
            .proposals
            .into_iter()
            .map(|p| ConsolidatedBody {
                title: p.title,
                description: p.description,
                sources: p
                    .sources
                    .into_iter()
                    .map(|s| ProposalSource {
                        answer: s.answer,
                        item: s.item,
                    })
                    .collect(),
            })
            .collect(),
    }
}

/// A contribution the chapter may draw on and does not.
#[derive(Debug, Serialize, ToSchema)]
pub struct CandidateView {
    pub answer: i64,
    /// The proposal's place in its answer; absent for a text answer.
    pub item: Option<usize>,
    pub question: String,
    /// The organisation's name (coordinators see it; the document signs as consented).
    pub organisation: String,
    pub publication_consent: PublicationConsent,
    /// The answer's text, or the proposal's title.
    pub text: String,
    pub description: String,
}

fn candidate(c: Candidate) -> CandidateView {
    CandidateView {
        answer: c.answer,
        item: c.item,
        question: c.question,
        organisation: c.organisation,
        publication_consent: c.consent,
        text: c.text,
        description: c.description,
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ChapterDraft {
    pub code: String,
    pub title: String,
    #[serde(flatten)]
    pub section: SectionBody,
    /// 0 while nothing was written.
    pub version: i32,
    pub updated_by: Option<String>,
    pub updated_at: Option<DateTime<Utc>>,
    /// What the chapter could draw on and does not (the first 200): nothing is dropped
    /// unseen.
    pub left_out: Vec<CandidateView>,
    /// How many in all.
    pub left_out_total: usize,
    /// Answers of the chapter whose organisations did not consent to publication.
    pub not_publishable: usize,
}

fn chapter_draft(c: DraftChapter) -> ChapterDraft {
    ChapterDraft {
        code: c.code,
        title: c.title,
        section: section_body(c.section),
        version: c.version,
        updated_by: c.updated_by,
        updated_at: c.updated_at.map(|t| Utc.from_utc_datetime(&t)),
        left_out_total: c.left_out.total,
        left_out: c.left_out.candidates.into_iter().map(candidate).collect(),
        not_publishable: c.left_out.not_publishable,
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PublicationView {
    pub number: i32,
    pub changes: String,
    pub published_by: Option<String>,
    pub published_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SynthesisDraft {
    #[serde(flatten)]
    pub header: SynthesisHeader,
    /// 0 while nothing was written.
    pub version: i32,
    pub chapters: Vec<ChapterDraft>,
    /// References that no longer hold (consent withdrawn, passage changed…), left out of
    /// the document until someone looks.
    pub to_review: Vec<FieldError>,
    /// Newest first.
    pub publications: Vec<PublicationView>,
    /// Where published versions were sent, newest first.
    pub relays: Vec<RelayView>,
}

/// A published version sent to a round above.
#[derive(Debug, Serialize, ToSchema)]
pub struct RelayView {
    pub round: String,
    pub round_title: String,
    pub organisation: String,
    pub version: i32,
    pub relayed_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct VersionView {
    pub version: i32,
}

#[utoipa::path(tag = "synthesis", params(("slug" = String, Path)), responses(
    (status = 200, description = "The draft, with what each chapter leaves out and the published versions", body = SynthesisDraft),
    (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
    (status = 403, description = "Not a coordinator, or two-factor sign-in off", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "No such round", body = Problem, content_type = "application/problem+json"),
))]
#[get("/api/v1/rounds/{slug}/synthesis")]
pub async fn show_synthesis(
    state: web::Data<AppState>,
    As(coordinator): As<SecuredCoordinator>,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let draft = service::draft(&state, &coordinator, slug.into_inner()).await?;
    Ok(HttpResponse::Ok().json(SynthesisDraft {
        header: SynthesisHeader {
            title: draft.header.title,
            introduction: draft.header.introduction,
            conclusion: draft.header.conclusion,
            proposals_order: draft.header.proposals_order,
            licence: draft.header.licence,
        },
        version: draft.version,
        chapters: draft.chapters.into_iter().map(chapter_draft).collect(),
        to_review: draft.to_review,
        publications: draft
            .publications
            .into_iter()
            .map(|p| PublicationView {
                number: p.number,
                changes: p.changes,
                published_by: p.published_by,
                published_at: Utc.from_utc_datetime(&p.published_at),
            })
            .collect(),
        relays: draft
            .relays
            .into_iter()
            .map(|r| RelayView {
                round: r.round_slug,
                round_title: r.round_title,
                organisation: r.organisation,
                version: r.number,
                relayed_at: Utc.from_utc_datetime(&r.relayed_at),
            })
            .collect(),
    }))
}

#[utoipa::path(tag = "synthesis", params(("slug" = String, Path)), request_body = HeaderRequest, responses(
    (status = 200, description = "Written: the new version", body = VersionView),
    (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
    (status = 403, description = "Not a coordinator, or two-factor sign-in off", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "No such round", body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "Written by someone else since the version sent (`version`)", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "Invalid values, each named", body = Problem, content_type = "application/problem+json"),
))]
#[put("/api/v1/rounds/{slug}/synthesis")]
pub async fn write_synthesis(
    req: HttpRequest,
    state: web::Data<AppState>,
    As(coordinator): As<SecuredCoordinator>,
    slug: web::Path<String>,
    body: Json<HeaderRequest>,
) -> Result<HttpResponse, AppError> {
    let HeaderRequest { header, version } = body.into_inner();
    let header = Header::parse(
        &header.title,
        &header.introduction,
        &header.conclusion,
        header.proposals_order,
        header.licence,
    )
    .map_err(AppError::Validation)?;
    let version = service::write_header(
        &state,
        &coordinator,
        slug.into_inner(),
        header,
        version,
        origin_of(&req),
    )
    .await?;
    Ok(HttpResponse::Ok().json(VersionView { version }))
}

#[utoipa::path(tag = "synthesis", params(("slug" = String, Path), ("code" = String, Path, description = "The chapter's code")), request_body = SectionRequest, responses(
    (status = 200, description = "Written: the chapter's new version", body = VersionView),
    (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
    (status = 403, description = "Not a coordinator, or two-factor sign-in off", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "No such round, or no such chapter in it", body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "Written by someone else since the version sent (`version`), or an answer that cannot be selected here (not the round's or the chapter's, not submitted, no consent to publication, wrong kind), a passage outside its answer, a proposal that does not exist; each named", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "Invalid values, each named", body = Problem, content_type = "application/problem+json"),
))]
#[put("/api/v1/rounds/{slug}/synthesis/chapters/{code}")]
pub async fn write_synthesis_chapter(
    req: HttpRequest,
    state: web::Data<AppState>,
    As(coordinator): As<SecuredCoordinator>,
    path: web::Path<(String, String)>,
    body: Json<SectionRequest>,
) -> Result<HttpResponse, AppError> {
    let (slug, code) = path.into_inner();
    let SectionRequest { section, version } = body.into_inner();
    let section = section_of(section)?;
    let version = service::write_chapter(
        &state,
        &coordinator,
        slug,
        code,
        section,
        version,
        origin_of(&req),
    )
    .await?;
    Ok(HttpResponse::Ok().json(VersionView { version }))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct HistoryParams {
    /// A chapter's code; the header's versions without it.
    pub chapter: Option<String>,
}

/// A version written.
#[derive(Debug, Serialize, ToSchema)]
pub struct RevisionView {
    pub version: i32,
    /// What was written: the header or the chapter, as sent (JSON).
    #[schema(value_type = Object)]
    pub content: serde_json::Value,
    pub changed_by: Option<String>,
    pub changed_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RevisionList {
    /// Newest first, the last 20.
    pub versions: Vec<RevisionView>,
}

#[utoipa::path(tag = "synthesis", params(("slug" = String, Path), HistoryParams), responses(
    (status = 200, description = "The versions written", body = RevisionList),
    (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
    (status = 403, description = "Not a coordinator, or two-factor sign-in off", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "No such round, or no such chapter in it", body = Problem, content_type = "application/problem+json"),
))]
#[get("/api/v1/rounds/{slug}/synthesis/history")]
pub async fn synthesis_history(
    state: web::Data<AppState>,
    As(coordinator): As<SecuredCoordinator>,
    slug: web::Path<String>,
    params: web::Query<HistoryParams>,
) -> Result<HttpResponse, AppError> {
    let rows = service::history(
        &state,
        &coordinator,
        slug.into_inner(),
        params.into_inner().chapter,
    )
    .await?;
    let versions = rows
        .into_iter()
        .map(|r| RevisionView {
            version: r.version,
            content: serde_json::from_str(&r.body).unwrap_or(serde_json::Value::Null),
            changed_by: r.changed_by,
            changed_at: Utc.from_utc_datetime(&r.changed_at),
        })
        .collect();
    Ok(HttpResponse::Ok().json(RevisionList { versions }))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct RenderingParams {
    /// `json` (default: the document's structure), `html` (printable), `markdown`, `pdf`
    /// (tagged, A4) or `docx` (Word).
    #[param(pattern = "^(json|html|markdown|pdf|docx)$")]
    pub format: Option<String>,
}

/// The document's structure: what each output renders.
#[derive(Debug, Serialize, ToSchema)]
pub struct DocumentView {
    #[schema(value_type = Object)]
    pub document: serde_json::Value,
    /// References left out of the draft's document (preview only).
    pub to_review: Vec<FieldError>,
}

/// A synthesis's renderings (also the public page's downloads, `web::publication`).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Rendering {
    Json,
    Html,
    Markdown,
    Pdf,
    Docx,
}

fn rendering(params: &RenderingParams) -> Result<Rendering, AppError> {
    match params.format.as_deref() {
        None | Some("json") => Ok(Rendering::Json),
        Some("html") => Ok(Rendering::Html),
        Some("markdown") => Ok(Rendering::Markdown),
        Some("pdf") => Ok(Rendering::Pdf),
        Some("docx") => Ok(Rendering::Docx),
        Some(_) => Err(AppError::invalid(
            "format",
            "unknown",
            "Valeur attendue : json, html, markdown, pdf ou docx.",
        )),
    }
}

/// The file name of a download: the round, and the version or `apercu`.
pub(crate) fn file_name(slug: &str, edition: Edition, extension: &str) -> String {
    let version = match edition {
        Edition::Preview => "apercu".to_owned(),
        Edition::Published { number, .. } => format!("v{number}"),
    };
    format!("synthese-{slug}-{version}.{extension}")
}

pub(crate) async fn rendered(
    slug: &str,
    document: Document,
    to_review: Vec<FieldError>,
    edition: Edition,
    as_: Rendering,
) -> Result<HttpResponse, AppError> {
    let mut response = HttpResponse::Ok();
    response.insert_header((CACHE_CONTROL, "no-store"));
    // PDF and DOCX are made away from the server's threads (a long synthesis takes
    // a second or more).
    let binary = |made: Result<Result<Vec<u8>, String>, _>| {
        made.map_err(|e| AppError::Internal(anyhow::anyhow!("{e}")))?
            .map_err(|e| AppError::Internal(anyhow::anyhow!("synthesis rendering: {e}")))
    };
    Ok(match as_ {
        Rendering::Json => response.json(DocumentView {
            document: serde_json::to_value(&document).map_err(anyhow::Error::from)?,
            to_review,
        }),
        Rendering::Html => response
            .insert_header((CONTENT_TYPE, "text/html; charset=utf-8"))
            .insert_header((CONTENT_SECURITY_POLICY, render::content_security_policy()))
            .body(render::html(&document, edition)),
        Rendering::Markdown => response
            .insert_header((CONTENT_TYPE, "text/markdown; charset=utf-8"))
            .body(render::markdown(&document, edition)),
        Rendering::Pdf | Rendering::Docx => {
            let pdf = matches!(as_, Rendering::Pdf);
            let (content_type, extension) = if pdf {
                ("application/pdf", "pdf")
            } else {
                (DOCX, "docx")
            };
            let made = web::block(move || {
                if pdf {
                    pdf::pdf(&document, edition)
                } else {
                    docx::docx(&document, edition)
                }
            })
            .await;
            response
                .insert_header((CONTENT_TYPE, content_type))
                .insert_header(super::attachment(&file_name(slug, edition, extension)))
                .body(binary(made)?)
        }
    })
}

const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

#[utoipa::path(tag = "synthesis", params(("slug" = String, Path), RenderingParams), responses(
    (status = 200, description = "The draft as it reads now (consent and redactions applied)", content(
        (DocumentView = "application/json"),
        (String = "text/html"),
        (String = "text/markdown"),
        (Vec<u8> = "application/pdf"),
        (Vec<u8> = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    )),
    (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
    (status = 403, description = "Not a coordinator, or two-factor sign-in off", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "No such round", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "Unknown format", body = Problem, content_type = "application/problem+json"),
))]
#[get("/api/v1/rounds/{slug}/synthesis/preview")]
pub async fn preview_synthesis(
    state: web::Data<AppState>,
    As(coordinator): As<SecuredCoordinator>,
    slug: web::Path<String>,
    params: web::Query<RenderingParams>,
) -> Result<HttpResponse, AppError> {
    let as_ = rendering(&params)?;
    let slug = slug.into_inner();
    let (document, to_review) = service::preview(&state, &coordinator, slug.clone()).await?;
    rendered(&slug, document, to_review, Edition::Preview, as_).await
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct PublishRequest {
    /// What changed since the previous version (required from the second on).
    #[serde(default)]
    pub changes: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PublishedView {
    pub number: i32,
}

#[utoipa::path(tag = "synthesis", params(("slug" = String, Path)), request_body = PublishRequest, responses(
    (status = 201, description = "Published: the version's number", body = PublishedView),
    (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
    (status = 403, description = "Not a coordinator, or two-factor sign-in off", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "No such round", body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "Nothing to publish yet (`synthesis`)", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "Invalid values, each named (`changes` is required from the second version on)", body = Problem, content_type = "application/problem+json"),
))]
#[post("/api/v1/rounds/{slug}/synthesis/publications")]
pub async fn publish_synthesis(
    req: HttpRequest,
    state: web::Data<AppState>,
    As(coordinator): As<SecuredCoordinator>,
    slug: web::Path<String>,
    body: Json<PublishRequest>,
) -> Result<HttpResponse, AppError> {
    let number = service::publish(
        &state,
        &coordinator,
        slug.into_inner(),
        body.into_inner().changes,
        origin_of(&req),
    )
    .await?;
    Ok(HttpResponse::Created().json(PublishedView { number }))
}

#[utoipa::path(tag = "synthesis", params(("slug" = String, Path), ("number" = i32, Path, description = "The version's number, from 1"), RenderingParams), responses(
    (status = 200, description = "The version as it was published", content(
        (DocumentView = "application/json"),
        (String = "text/html"),
        (String = "text/markdown"),
        (Vec<u8> = "application/pdf"),
        (Vec<u8> = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    )),
    (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
    (status = 403, description = "Not a coordinator, or two-factor sign-in off", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "No such round, or no such version", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "Unknown format", body = Problem, content_type = "application/problem+json"),
))]
#[get("/api/v1/rounds/{slug}/synthesis/publications/{number}")]
pub async fn published_synthesis(
    state: web::Data<AppState>,
    As(coordinator): As<SecuredCoordinator>,
    path: web::Path<(String, i32)>,
    params: web::Query<RenderingParams>,
) -> Result<HttpResponse, AppError> {
    let as_ = rendering(&params)?;
    let (slug, number) = path.into_inner();
    let published = service::published(&state, &coordinator, slug.clone(), number).await?;
    let edition = Edition::Published {
        number: published.number,
        at: Utc.from_utc_datetime(&published.published_at),
    };
    rendered(&slug, published.document, Vec::new(), edition, as_).await
}

/// A published version to send to another round: the federation's response there is
/// prefilled as a draft its members review and submit.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RelayRequest {
    /// The target round's slug.
    pub round: String,
    /// The organisation whose response is prefilled: the caller must be allowed to write
    /// it.
    pub organisation: i64,
    /// The published version sent (the latest when absent).
    #[serde(default)]
    pub version: Option<i32>,
    /// Each chapter's text to a long-text question, its consolidated proposals to a
    /// proposals question; several lines to one question join.
    #[schema(min_items = 1, max_items = 200)]
    pub mapping: Vec<Route>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RelayedView {
    /// The published version sent.
    pub version: i32,
    /// Each answer written, with its new version.
    pub answers: std::collections::BTreeMap<String, i32>,
}

#[utoipa::path(tag = "synthesis", params(("slug" = String, Path)), request_body = RelayRequest, responses(
    (status = 201, description = "The response prefilled as a draft, the link kept both ways", body = RelayedView),
    (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
    (status = 403, description = "Not a coordinator, two-factor sign-in off, or not allowed to write the organisation's response", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "No such round, or not a member of that organisation", body = Problem, content_type = "application/problem+json"),
    (status = 409, description = "Nothing published yet, the target response is submitted, or the target round is closed", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "Unknown round or version, or a line of the mapping that does not hold (each named `mapping[i].chapter` or `mapping[i].question`)", body = Problem, content_type = "application/problem+json"),
))]
#[post("/api/v1/rounds/{slug}/synthesis/relays")]
pub async fn relay_synthesis(
    req: HttpRequest,
    state: web::Data<AppState>,
    As(coordinator): As<SecuredCoordinator>,
    slug: web::Path<String>,
    body: Json<RelayRequest>,
) -> Result<HttpResponse, AppError> {
    let body = body.into_inner();
    let request = service::relay::RelayRequest {
        round: body.round,
        organisation: body.organisation,
        version: body.version,
        routes: body.mapping,
    };
    let relayed = service::relay::relay(
        &state,
        &coordinator,
        slug.into_inner(),
        request,
        origin_of(&req),
    )
    .await?;
    Ok(HttpResponse::Created().json(RelayedView {
        version: relayed.version,
        answers: relayed.answers,
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct OpenDataParams {
    /// `csv` (one line per answer) or `json` (the questions, then each response).
    #[param(pattern = "^(csv|json)$")]
    pub format: String,
}

#[utoipa::path(tag = "synthesis", params(("slug" = String, Path), OpenDataParams), responses(
    (status = 200, description = "The published responses as open data, streamed as an attachment: submitted, consenting, signed as consented (an anonymous contribution by its kind alone), personal data masked. The licence is the latest published version's, also in the `Link` header (rel=license).", content(
        (String = "text/csv"),
        (Object = "application/json"),
    )),
    (status = 404, description = "No such round, a round in draft, or no published synthesis yet", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "Unknown format", body = Problem, content_type = "application/problem+json"),
    (status = 429, description = "Too many downloads from this address, or overall: try again after `Retry-After`", body = Problem, content_type = "application/problem+json"),
))]
#[get("/api/v1/rounds/{slug}/synthesis/open-data")]
pub async fn synthesis_open_data(
    req: HttpRequest,
    state: web::Data<AppState>,
    slug: web::Path<String>,
    params: web::Query<OpenDataParams>,
) -> Result<HttpResponse, AppError> {
    let format = service::OpenData::parse(&params.format)
        .ok_or_else(|| AppError::invalid("format", "unknown", "Valeur attendue : csv ou json."))?;
    open_data(&req, &state, slug.into_inner(), format).await
}

/// The published responses as open data, for everyone (also the public page's
/// downloads, `web::publication`).
pub(crate) async fn open_data(
    req: &HttpRequest,
    state: &AppState,
    slug: String,
    format: service::OpenData,
) -> Result<HttpResponse, AppError> {
    state.throttles.public_file(&origin_of(req).ip)?;
    let source = service::public::open_data(state, slug.clone()).await?;
    let now = state.clock.now();
    let licence = format!("<{}>; rel=\"license\"", source.licence.url());
    let name = format!("reponses-{slug}-v{}.{}", source.version, format.extension());
    let receiver = crate::services::exports::stream_with(state.db.clone(), move |conn, emit| {
        service::public::write_open_data(conn, &source, format, now, emit)
    });
    Ok(HttpResponse::Ok()
        .insert_header((CONTENT_TYPE, format.content_type()))
        .insert_header(super::attachment(&name))
        .insert_header((actix_web::http::header::LINK, licence))
        .insert_header((CACHE_CONTROL, "no-cache"))
        .streaming(super::exports::streamed(state, receiver).await?))
}

#[cfg(test)]
mod tests {
    use crate::domain::synthesis::{MAX_SELECTED, MAX_SOURCES};

    /// utoipa's attributes take only literals: the document's item counts are held to
    /// the domain's here.
    #[test]
    fn item_counts_in_the_document_are_the_domains() {
        let doc = serde_json::to_value(<crate::api::ApiDoc as utoipa::OpenApi>::openapi()).unwrap();
        let schemas = &doc["components"]["schemas"];
        let sources = &schemas["ConsolidatedBody"]["properties"]["sources"];
        assert_eq!(
            (&sources["minItems"], &sources["maxItems"]),
            (&1.into(), &MAX_SOURCES.into())
        );
        for list in ["contributions", "proposals"] {
            let items = &schemas["SectionBody"]["properties"][list]["maxItems"];
            assert_eq!(items, &serde_json::json!(MAX_SELECTED), "{list}");
        }
    }
}
