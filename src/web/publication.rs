//! A round's published synthesis, for everyone (`/consultations/{slug}/contribution`):
//! the latest version in the site's layout, server-rendered for readers and search
//! engines, with its downloads (`…/contribution/v{n}.pdf`, `.docx`, `.md`, `.html`) and
//! the earlier versions. What it shows was frozen at publication, consent and
//! redactions applied.

use actix_web::{HttpRequest, HttpResponse, get, web};
use askama::Template;

use super::pages::{Page, render};
use crate::api::synthesis::{Rendering, rendered};
use crate::domain::synthesis::document::{CONSENT_NOTE, Document};
use crate::error::AppError;
use crate::services::synthesis::render::{self, Edition, HtmlChapter};
use crate::services::synthesis::{self as service, Published};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "publication.html")]
struct PublicationPage<'a> {
    page: Page,
    slug: String,
    doc: &'a Document,
    consent_note: &'static str,
    number: i32,
    state: String,
    introduction: String,
    conclusion: String,
    chapters: Vec<HtmlChapter<'a>>,
    /// (number, date, what changed)
    versions: Vec<(i32, String, String)>,
}

fn edition(published: &Published) -> Edition {
    use chrono::TimeZone;
    Edition::Published {
        number: published.number,
        at: chrono::Utc.from_utc_datetime(&published.published_at),
    }
}

#[get("/consultations/{slug}/contribution")]
pub async fn publication_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let page = Page::new(&req);
    let slug = slug.into_inner();
    let (published, versions) = service::public_version(&state, slug.clone(), None).await?;
    let body = render::body(&published.document);
    let versions = versions
        .into_iter()
        .map(|v| {
            use chrono::TimeZone;
            let at = page
                .t
                .datetime(chrono::Utc.from_utc_datetime(&v.published_at));
            (v.number, at, v.changes)
        })
        .collect();
    render(&PublicationPage {
        state: edition(&published).said(),
        slug,
        doc: &published.document,
        consent_note: CONSENT_NOTE,
        number: published.number,
        introduction: body.introduction,
        conclusion: body.conclusion,
        chapters: body.chapters,
        versions,
        page,
    })
}

/// `reponses.{csv|json}`: the published responses as open data, streamed.
#[get("/consultations/{slug}/contribution/reponses.{format}")]
pub async fn open_data(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (slug, format) = path.into_inner();
    let format = service::OpenData::parse(&format).ok_or(AppError::NotFound)?;
    crate::api::synthesis::open_data(&req, &state, slug, format).await
}

/// `v{n}.{pdf|docx|md|html}`: a published version, downloaded.
#[get("/consultations/{slug}/contribution/{file}")]
pub async fn publication_file(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (slug, file) = path.into_inner();
    let (number, extension) = file
        .strip_prefix('v')
        .and_then(|f| f.split_once('.'))
        .ok_or(AppError::NotFound)?;
    let number: i32 = number.parse().map_err(|_| AppError::NotFound)?;
    let as_ = match extension {
        "pdf" => Rendering::Pdf,
        "docx" => Rendering::Docx,
        "md" => Rendering::Markdown,
        "html" => Rendering::Html,
        _ => return Err(AppError::NotFound),
    };
    // Made on request (a long PDF takes a second): bounded per address and overall.
    let origin = crate::auth::identity::origin_of(&req);
    state.throttles.public_file(&origin.ip)?;
    let (published, _) = service::public_version(&state, slug.clone(), Some(number)).await?;
    let edition = edition(&published);
    rendered(&slug, published.document, Vec::new(), edition, as_).await
}

/// `text` escaped for XML.
fn xml(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The public pages, for search engines: home, each round, each published contribution.
#[get("/sitemap.xml")]
pub async fn sitemap(state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    let base = state.settings.base_url();
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let mut url = |path: &str| {
        out.push_str(&format!(
            "<url><loc>{}</loc></url>\n",
            xml(&format!("{base}{path}"))
        ))
    };
    url("/");
    for (slug, published) in service::public_rounds(&state).await? {
        url(&format!("/consultations/{slug}"));
        if published {
            url(&format!("/consultations/{slug}/contribution"));
        }
    }
    out.push_str("</urlset>\n");
    Ok(HttpResponse::Ok()
        .content_type("application/xml; charset=utf-8")
        .body(out))
}

/// What crawlers may read: everything but the accounts', coordinators' and API's pages.
#[get("/robots.txt")]
pub async fn robots(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .body(format!(
            "User-agent: *\nDisallow: /api/\nDisallow: /coordination/\nDisallow: /compte/\n\
         Disallow: /administration/\nSitemap: {}/sitemap.xml\n",
            state.settings.base_url()
        ))
}

/// A response on the public list: (signature, date, answers: (code, prompt, text)).
type Shown = (String, String, Vec<(String, String, String)>);

#[derive(Template)]
#[template(path = "publication_responses.html")]
struct ResponsesPage {
    page: Page,
    slug: String,
    responses: Vec<Shown>,
    total: i64,
    licence: crate::domain::synthesis::Licence,
    number: usize,
    pages: usize,
}

impl ResponsesPage {
    fn count_line(&self) -> String {
        self.page
            .t
            .count("publication-responses-count", self.total.max(0) as usize)
    }

    fn page_of(&self) -> String {
        let (number, pages) = (self.number.to_string(), self.pages.to_string());
        self.page.t.texts(
            "publication-page-of",
            &[("number", number.as_str()), ("pages", pages.as_str())],
        )
    }
}

#[derive(serde::Deserialize)]
pub struct PageParam {
    page: Option<usize>,
}

/// The consented responses of a round whose synthesis is published: signed as each
/// organisation consented (by name, or by kind), the non-consenting absent, personal
/// data masked; `PUBLIC_PAGE` a page.
#[get("/consultations/{slug}/contribution/reponses")]
pub async fn publication_responses(
    req: HttpRequest,
    state: web::Data<AppState>,
    slug: web::Path<String>,
    params: web::Query<PageParam>,
) -> Result<HttpResponse, AppError> {
    let page = Page::new(&req);
    let slug = slug.into_inner();
    let number = params.page.unwrap_or(1).max(1);
    let service::PublicPage {
        responses,
        total,
        licence,
    } = service::public_responses(&state, slug.clone(), number).await?;
    let pages = (total as usize).div_ceil(service::PUBLIC_PAGE).max(1);
    if number > pages {
        return Err(AppError::NotFound);
    }
    let responses = responses
        .into_iter()
        .map(|r| {
            use chrono::TimeZone;
            let at = r
                .submitted_at
                .map(|t| page.t.datetime(chrono::Utc.from_utc_datetime(&t)))
                .unwrap_or_default();
            (r.by.said(), at, r.answers)
        })
        .collect();
    render(&ResponsesPage {
        page,
        slug,
        responses,
        total,
        licence,
        number,
        pages,
    })
}
