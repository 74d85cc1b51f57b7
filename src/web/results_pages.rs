//! The coordinators' results page: bar charts drawn here as SVG images (with a text
//! alternative and the numbers in a table beside them), and the text answers with their
//! organisation, filtered by chapter and kind of organisation.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, web};
use askama::Template;
use serde::Deserialize;

use super::extract::SecuredCoordinatorPage;
use super::pages::{Page, render_with_status};
use crate::domain::organisations::OrganisationKind;
use crate::error::AppError;
use crate::services::results::{self, ChapterResults, Filters};
use crate::state::AppState;

#[derive(Deserialize)]
pub struct ResultsQuery {
    #[serde(default)]
    chapitre: String,
    #[serde(default, rename = "type")]
    kind: String,
    #[serde(default)]
    question: String,
    #[serde(default)]
    apres: Option<i64>,
    #[serde(default)]
    campagnes: String,
}

/// One question's chart, ready for the template.
pub struct Chart {
    pub svg: String,
    pub bars: Vec<(String, u64, String)>,
    pub mean_median: Option<(String, String)>,
}

#[derive(Template)]
#[template(path = "coordination/results.html")]
struct ResultsPage {
    page: Page,
    slug: String,
    round_title: String,
    submitted: i64,
    chapter_codes: Vec<(String, String)>,
    chapter: String,
    kind: String,
    question: String,
    /// Each campaign counted once.
    campaigns_once: bool,
    chapters: Vec<ChapterResults>,
    charts: Vec<Vec<Option<Chart>>>,
}

impl ResultsPage {
    /// The page's own address with these filters and `extra` parameters.
    fn link(&self, extra: &str) -> String {
        let mut query: Vec<String> = Vec::new();
        if !self.chapter.is_empty() {
            query.push(format!("chapitre={}", encode(&self.chapter)));
        }
        if !self.kind.is_empty() {
            query.push(format!("type={}", encode(&self.kind)));
        }
        if self.campaigns_once {
            query.push("campagnes=une".to_owned());
        }
        if !extra.is_empty() {
            query.push(extra.to_owned());
        }
        format!(
            "/coordination/consultations/{}/resultats{}{}",
            self.slug,
            if query.is_empty() { "" } else { "?" },
            query.join("&")
        )
    }

    fn question_link(&self, code: &str, after: Option<i64>) -> String {
        let mut extra = format!("question={}", encode(code));
        if let Some(after) = after {
            extra.push_str(&format!("&apres={after}"));
        }
        self.link(&extra)
    }

    fn kinds(&self) -> &'static [OrganisationKind] {
        OrganisationKind::ALL
    }
}

fn encode(value: &str) -> String {
    serde_urlencoded::to_string([("", value)])
        .map(|s| s.trim_start_matches('=').to_owned())
        .unwrap_or_default()
}

fn percent(share: f64, page: &Page) -> String {
    let text = format!("{:.1} %", share * 100.0);
    if page.t.lang == crate::i18n::Lang::Fr {
        text.replace('.', ",")
    } else {
        text.replace(' ', "")
    }
}

fn chart_of(q: &results::QuestionResults, page: &Page) -> Option<Chart> {
    let bars = q.stats.bars(&q.question.spec);
    if bars.is_empty() {
        return None;
    }
    let summary = format!(
        "{} : {}",
        q.question.prompt,
        bars.iter()
            .map(|b| format!("{} {} ({})", b.label, b.count, percent(b.share, page)))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let number = |v: f64| {
        let text = format!("{v:.2}");
        if page.t.lang == crate::i18n::Lang::Fr {
            text.replace('.', ",")
        } else {
            text
        }
    };
    let drawn: Vec<super::charts::Bar<'_>> = bars
        .iter()
        .map(|b| super::charts::Bar {
            label: &b.label,
            count: usize::try_from(b.count).unwrap_or(usize::MAX),
            value: format!("{} ({})", b.count, percent(b.share, page)),
        })
        .collect();
    Some(Chart {
        svg: super::charts::horizontal(&drawn, &summary),
        bars: bars
            .iter()
            .map(|b| (b.label.clone(), b.count, percent(b.share, page)))
            .collect(),
        mean_median: q
            .stats
            .mean(&q.question.spec)
            .zip(q.stats.median(&q.question.spec))
            .map(|(mean, median)| (number(mean), number(median))),
    })
}

#[get("/coordination/consultations/{slug}/resultats")]
pub async fn results_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    SecuredCoordinatorPage(coordinator): SecuredCoordinatorPage,
    slug: web::Path<String>,
    query: web::Query<ResultsQuery>,
) -> Result<HttpResponse, AppError> {
    let slug = slug.into_inner();
    // An unknown kind or chapter is no filter at all rather than an error page: these
    // come from links and select boxes, and showing everything loses nothing.
    let kind = OrganisationKind::parse(&query.kind);
    let filters = Filters {
        chapter: (!query.chapitre.is_empty()).then(|| query.chapitre.clone()),
        kind,
        question: (!query.question.is_empty()).then(|| query.question.clone()),
        after: query.apres.unwrap_or(0).max(0),
        campaigns_once: query.campagnes == "une",
    };
    let results = results::results(&state, &coordinator, slug.clone(), filters).await?;
    let page = Page::new(&req);
    let charts = results
        .chapters
        .iter()
        .map(|c| c.questions.iter().map(|q| chart_of(q, &page)).collect())
        .collect();
    let template = ResultsPage {
        slug,
        round_title: results.detail.round.title.clone(),
        submitted: results.submitted,
        chapter_codes: results
            .detail
            .chapters
            .iter()
            .map(|c| (c.chapter.code.clone(), c.chapter.title.clone()))
            .collect(),
        chapter: query.chapitre.clone(),
        campaigns_once: query.campagnes == "une",
        kind: kind.map(|k| k.as_str().to_owned()).unwrap_or_default(),
        question: query.question.clone(),
        chapters: results.chapters,
        charts,
        page,
    };
    render_with_status(&template, StatusCode::OK)
}
