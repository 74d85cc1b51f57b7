//! The coordinators' search page: words looked for in a round's written answers, the
//! answers found with their matches marked, each linked to its place among the results;
//! and the attached documents whose text matches, each with its download.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, web};
use askama::Template;
use serde::Deserialize;

use super::extract::SecuredCoordinatorPage;
use super::pages::{Page, render_with_status};
use crate::domain::attachments::type_and_size;
use crate::domain::organisations::OrganisationKind;
use crate::domain::responses::ResponseStatus;
use crate::domain::search::SearchQuery;
use crate::error::AppError;
use crate::services::responses::attachments::download_path;
use crate::services::search::{self, Filters, PAGE};
use crate::services::themes;
use crate::state::AppState;

#[derive(Deserialize)]
pub struct SearchForm {
    #[serde(default)]
    q: String,
    #[serde(default)]
    chapitre: String,
    #[serde(default, rename = "type")]
    kind: String,
    #[serde(default)]
    theme: String,
    #[serde(default)]
    brouillons: Option<String>,
    #[serde(default)]
    page: Option<i64>,
}

/// One answer found, ready for the template.
pub struct Shown {
    pub answer_id: i64,
    pub organisation_id: i64,
    pub organisation: String,
    pub kind: String,
    pub chapter: String,
    pub question: String,
    pub prompt: String,
    pub draft: bool,
    /// The excerpt's pieces: (text, a match).
    pub excerpt: Vec<(String, bool)>,
    pub link: String,
}

/// One document found, ready for the template.
pub struct ShownDocument {
    pub title: String,
    pub file_name: String,
    /// Its type and size ("PDF, 1,2 Mo").
    pub about: String,
    pub download: String,
    pub organisation: String,
    pub kind: String,
    /// Its question's code, or None for the response's own area.
    pub question: Option<String>,
    pub draft: bool,
    pub excerpt: Vec<(String, bool)>,
}

#[derive(Template)]
#[template(path = "coordination/search.html")]
struct SearchPage {
    page: Page,
    slug: String,
    round_title: String,
    chapter_codes: Vec<(String, String)>,
    q: String,
    chapter: String,
    kind: String,
    /// The round's themes, to narrow to one: (id, name, chosen).
    themes: Vec<(i64, String, bool)>,
    theme: Option<i64>,
    drafts: bool,
    /// Why the words were refused, if they were.
    error: Option<String>,
    /// `None` before any search.
    total: Option<i64>,
    results: Vec<Shown>,
    /// The documents found (first page), and how many match in all.
    documents: Vec<ShownDocument>,
    documents_total: i64,
    number: i64,
    per_page: i64,
}

impl SearchPage {
    fn kinds(&self) -> &'static [OrganisationKind] {
        OrganisationKind::ALL
    }

    /// This search's page `number`.
    fn page_link(&self, number: i64) -> String {
        let mut query = vec![("q", self.q.clone())];
        if !self.chapter.is_empty() {
            query.push(("chapitre", self.chapter.clone()));
        }
        if !self.kind.is_empty() {
            query.push(("type", self.kind.clone()));
        }
        if let Some(theme) = self.theme {
            query.push(("theme", theme.to_string()));
        }
        if self.drafts {
            query.push(("brouillons", "1".into()));
        }
        query.push(("page", number.to_string()));
        format!(
            "/coordination/consultations/{}/recherche?{}",
            self.slug,
            serde_urlencoded::to_string(query).unwrap_or_default()
        )
    }

    fn has_next(&self) -> bool {
        self.total
            .is_some_and(|t| self.number * PAGE < t && self.number < search::MAX_PAGE)
    }
}

#[get("/coordination/consultations/{slug}/recherche")]
pub async fn search_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    SecuredCoordinatorPage(coordinator): SecuredCoordinatorPage,
    slug: web::Path<String>,
    form: web::Query<SearchForm>,
) -> Result<HttpResponse, AppError> {
    let slug = slug.into_inner();
    let form = form.into_inner();
    // Select boxes and links give these: an unknown value is no filter.
    let kind = OrganisationKind::parse(&form.kind);
    let themes: Vec<(i64, String)> = themes::codebook(&state, &coordinator, slug.clone())
        .await?
        .into_iter()
        .map(|t| (t.id, t.name))
        .collect();
    let theme = form
        .theme
        .parse::<i64>()
        .ok()
        .filter(|id| themes.iter().any(|(t, _)| t == id));
    let drafts = form.brouillons.is_some();
    let number = form.page.unwrap_or(1).clamp(1, search::MAX_PAGE);
    let searched = match SearchQuery::parse(&form.q) {
        _ if form.q.trim().is_empty() => None,
        Err(refused) => Some(Err(refused.message)),
        Ok(query) => {
            let filters = Filters {
                chapter: (!form.chapitre.is_empty()).then(|| form.chapitre.clone()),
                question: None,
                kind,
                theme,
                drafts,
            };
            let found =
                search::search(&state, &coordinator, slug.clone(), query, filters, number).await?;
            Some(Ok(found))
        }
    };
    let (mut error, mut total, mut results) = (None, None, Vec::new());
    let (mut documents, mut documents_total) = (Vec::new(), 0);
    let page = Page::new(&req);
    let english = page.t.lang == crate::i18n::Lang::En;
    // The round as the search read it; read here only when there was none.
    let detail = match searched {
        Some(Ok(found)) => {
            total = Some(found.total);
            results = found
                .hits
                .into_iter()
                .map(|hit| Shown {
                    link: search::answer_link(&slug, &hit),
                    answer_id: hit.answer_id,
                    organisation_id: hit.organisation_id,
                    excerpt: hit.excerpt,
                    organisation: hit.organisation,
                    kind: hit.organisation_kind,
                    chapter: hit.chapter,
                    question: hit.question,
                    prompt: hit.prompt,
                    draft: hit.status != ResponseStatus::Submitted.as_str(),
                })
                .collect();
            documents_total = found.documents_total;
            documents = found
                .documents
                .into_iter()
                .map(|hit| ShownDocument {
                    about: type_and_size(&hit.media_type, hit.size, english),
                    download: download_path(&hit.token),
                    title: hit.title,
                    file_name: hit.file_name,
                    organisation: hit.organisation,
                    kind: hit.organisation_kind,
                    question: hit.question,
                    draft: hit.status != ResponseStatus::Submitted.as_str(),
                    excerpt: hit.excerpt,
                })
                .collect();
            found.shape.detail.clone()
        }
        refused => {
            error = refused.and_then(Result::err);
            crate::services::rounds::visible_round(&state.db, Some(&coordinator), slug.clone())
                .await?
        }
    };
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let template = SearchPage {
        page,
        slug,
        round_title: detail.round.title.clone(),
        chapter_codes: detail
            .chapters
            .iter()
            .map(|c| (c.chapter.code.clone(), c.chapter.title.clone()))
            .collect(),
        q: form.q,
        chapter: form.chapitre,
        kind: kind.map(|k| k.as_str().to_owned()).unwrap_or_default(),
        themes: themes
            .into_iter()
            .map(|(id, name)| (id, name, theme == Some(id)))
            .collect(),
        theme,
        drafts,
        error,
        total,
        results,
        documents,
        documents_total,
        number,
        per_page: PAGE,
    };
    render_with_status(&template, status)
}
