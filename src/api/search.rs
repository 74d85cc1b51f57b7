//! `GET /api/v1/rounds/{slug}/search`: the round's answers that match, for coordinators
//! with the second factor.

use actix_web::{HttpResponse, get, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::caller::As;
use crate::domain::FieldError;
use crate::domain::organisations::OrganisationKind;
use crate::domain::search::SearchQuery;
use crate::error::{AppError, Problem};
use crate::services::authority::SecuredCoordinator;
use crate::services::search::{self as service, DocumentHit, Filters, Hit};
use crate::state::AppState;

#[derive(Debug, Deserialize, IntoParams)]
pub struct SearchParams {
    /// Words (all required; French stemming and accents folded), `"a phrase"`, or a
    /// prefix (`hospit*`). At least one letter or digit (`domain::search::HAS_A_WORD`).
    #[param(max_length = 200, pattern = "[0-9A-Za-zÀ-ÖØ-öø-ſ]")]
    pub q: String,
    /// Only this chapter (its code; one the round lacks finds nothing).
    pub chapter: Option<String>,
    /// Only this question (its code; one the round lacks finds nothing).
    pub question: Option<String>,
    /// Only organisations of this kind.
    #[param(
        pattern = "^(patient_association|user_association|federation|consumer_association|professional_body|public_body|other)$"
    )]
    pub kind: Option<String>,
    /// Only answers tagged with this theme (its id; one of another round finds nothing).
    pub theme: Option<i64>,
    /// `true`: drafts too (by default, submitted responses only).
    pub drafts: Option<bool>,
    /// From 1 (20 answers a page, 50 pages at most).
    #[param(minimum = 1, maximum = 50)]
    pub page: Option<i64>,
}

/// A piece of an excerpt: a match of the search, or the text around it.
#[derive(Debug, Serialize, ToSchema)]
pub struct Piece {
    pub text: String,
    pub matched: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FoundOrganisation {
    pub id: i64,
    pub name: String,
    pub kind: String,
}

/// One answer found.
#[derive(Debug, Serialize, ToSchema)]
pub struct Found {
    pub answer_id: i64,
    pub response_id: i64,
    pub organisation: FoundOrganisation,
    pub chapter: String,
    pub question: String,
    pub prompt: String,
    /// `draft` or `submitted`.
    pub status: String,
    /// Where the answer matches, its matches marked.
    pub excerpt: Vec<Piece>,
    /// The answer among the round's results (submitted responses).
    pub link: String,
}

/// One document found: a current document of a response, whose text matches.
#[derive(Debug, Serialize, ToSchema)]
pub struct FoundDocument {
    pub title: String,
    pub file_name: String,
    pub media_type: String,
    /// Bytes.
    pub size: i64,
    pub response_id: i64,
    pub organisation: FoundOrganisation,
    /// Its question's chapter and code; null for the response's own area.
    pub chapter: Option<String>,
    pub question: Option<String>,
    /// `draft` or `submitted`.
    pub status: String,
    /// Where its text matches, its matches marked.
    pub excerpt: Vec<Piece>,
    /// Its download.
    pub download: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SearchResults {
    /// Answers that match in all.
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
    pub results: Vec<Found>,
    /// Documents attached to the responses whose text (PDF, ODT, DOCX) matches, with the
    /// same filters: the first ten, on the first page only.
    pub documents: Vec<FoundDocument>,
    /// Documents that match in all (0 beyond the first page).
    pub documents_total: i64,
}

/// An excerpt as the API gives it.
pub(super) fn pieces(excerpt: Vec<(String, bool)>) -> Vec<Piece> {
    excerpt
        .into_iter()
        .map(|(text, matched)| Piece { text, matched })
        .collect()
}

fn found(slug: &str, hit: Hit) -> Found {
    let link = service::answer_link(slug, &hit);
    Found {
        answer_id: hit.answer_id,
        response_id: hit.response_id,
        organisation: FoundOrganisation {
            id: hit.organisation_id,
            name: hit.organisation,
            kind: hit.organisation_kind,
        },
        chapter: hit.chapter,
        question: hit.question,
        prompt: hit.prompt,
        status: hit.status,
        excerpt: pieces(hit.excerpt),
        link,
    }
}

fn found_document(hit: DocumentHit) -> FoundDocument {
    FoundDocument {
        download: crate::services::responses::attachments::download_path(&hit.token),
        title: hit.title,
        file_name: hit.file_name,
        media_type: hit.media_type,
        size: hit.size,
        response_id: hit.response_id,
        organisation: FoundOrganisation {
            id: hit.organisation_id,
            name: hit.organisation,
            kind: hit.organisation_kind,
        },
        chapter: hit.chapter,
        question: hit.question,
        status: hit.status,
        excerpt: pieces(hit.excerpt),
    }
}

#[utoipa::path(tag = "analysis", params(("slug" = String, Path), SearchParams), responses(
    (status = 200, description = "The matching answers, best first, and the matching documents", body = SearchResults),
    (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
    (status = 403, description = "Not a coordinator, or two-factor sign-in off", body = Problem, content_type = "application/problem+json"),
    (status = 404, description = "No such round", body = Problem, content_type = "application/problem+json"),
    (status = 422, description = "A query without a word or too long (`q`), an unknown kind, a page out of range", body = Problem, content_type = "application/problem+json"),
))]
#[get("/api/v1/rounds/{slug}/search")]
pub async fn search(
    state: web::Data<AppState>,
    As(coordinator): As<SecuredCoordinator>,
    slug: web::Path<String>,
    params: web::Query<SearchParams>,
) -> Result<HttpResponse, AppError> {
    let params = params.into_inner();
    let query = SearchQuery::parse(&params.q)?;
    let kind = params
        .kind
        .filter(|k| !k.is_empty())
        .map(|k| {
            OrganisationKind::parse(&k).ok_or_else(|| {
                FieldError::new("kind", "invalid_kind", "type d'organisation inconnu")
            })
        })
        .transpose()?;
    let filters = Filters {
        chapter: params.chapter.filter(|c| !c.is_empty()),
        question: params.question.filter(|c| !c.is_empty()),
        kind,
        theme: params.theme,
        drafts: params.drafts.unwrap_or(false),
    };
    let page = params.page.unwrap_or(1);
    let slug = slug.into_inner();
    let found_page =
        service::search(&state, &coordinator, slug.clone(), query, filters, page).await?;
    Ok(HttpResponse::Ok().json(SearchResults {
        total: found_page.total,
        page,
        per_page: service::PAGE,
        results: found_page
            .hits
            .into_iter()
            .map(|hit| found(&slug, hit))
            .collect(),
        documents: found_page
            .documents
            .into_iter()
            .map(found_document)
            .collect(),
        documents_total: found_page.documents_total,
    }))
}

#[cfg(test)]
mod tests {
    /// The document's pattern for `q` is the domain's rule.
    #[test]
    fn the_query_pattern_is_the_domain_s() {
        use utoipa::OpenApi;
        let document = serde_json::to_value(crate::api::ApiDoc::openapi()).unwrap();
        let parameters = &document["paths"]["/api/v1/rounds/{slug}/search"]["get"]["parameters"];
        let q = parameters
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == "q")
            .unwrap();
        assert_eq!(q["schema"]["pattern"], crate::domain::search::HAS_A_WORD);
    }
}
