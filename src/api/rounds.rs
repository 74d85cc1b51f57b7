//! Reading consultation rounds.

use actix_web::{HttpResponse, get, web};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::identity::MaybeSignedIn;
use crate::domain::rounds::{
    Audience, ChapterWithQuestions, Question, QuestionSpec, Round, RoundStatus,
};
use crate::error::{AppError, Problem};
use crate::services;
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct ChapterSummary {
    /// Short code such as `E1`.
    pub code: String,
    pub position: i32,
    pub title: String,
    pub description: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RoundSummary {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub opens_at: Option<DateTime<Utc>>,
    pub closes_at: DateTime<Utc>,
    pub audience: Audience,
    /// Derived from time: an open round past its deadline reads as `closed`.
    pub status: RoundStatus,
    pub chapters: Vec<ChapterSummary>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RoundList {
    pub rounds: Vec<RoundSummary>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct QuestionView {
    /// Unique in the round, such as `E1.Q3`.
    pub code: String,
    pub position: i32,
    pub prompt: String,
    pub help: String,
    pub required: bool,
    /// `kind` and the kind's own settings.
    #[serde(flatten)]
    pub spec: QuestionSpec,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ChapterView {
    pub code: String,
    pub position: i32,
    pub title: String,
    pub description: String,
    pub questions: Vec<QuestionView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RoundView {
    pub slug: String,
    pub title: String,
    pub summary: String,
    /// Markdown.
    pub body: String,
    pub opens_at: Option<DateTime<Utc>>,
    pub closes_at: DateTime<Utc>,
    pub audience: Audience,
    pub status: RoundStatus,
    pub chapters: Vec<ChapterView>,
}

impl From<Question> for QuestionView {
    fn from(q: Question) -> Self {
        Self {
            code: q.code,
            position: q.position,
            prompt: q.prompt,
            help: q.help,
            required: q.required,
            spec: q.spec,
        }
    }
}

impl From<ChapterWithQuestions> for ChapterView {
    fn from(part: ChapterWithQuestions) -> Self {
        let c = part.chapter;
        Self {
            code: c.code,
            position: c.position,
            title: c.title,
            description: c.description,
            questions: part.questions.into_iter().map(QuestionView::from).collect(),
        }
    }
}

fn summary(
    round: Round,
    chapters: Vec<crate::domain::rounds::Chapter>,
    now: DateTime<Utc>,
) -> RoundSummary {
    RoundSummary {
        status: round.status_at(now),
        slug: round.slug,
        title: round.title,
        summary: round.summary,
        opens_at: round.opens_at,
        closes_at: round.closes_at,
        audience: round.audience,
        chapters: chapters
            .into_iter()
            .map(|c| ChapterSummary {
                code: c.code,
                position: c.position,
                title: c.title,
                description: c.description,
            })
            .collect(),
    }
}

/// Rounds the caller may read (drafts only for coordinators), with their chapters.
#[utoipa::path(
    tag = "rounds",
    responses((status = 200, description = "Public rounds, latest deadline first", body = RoundList))
)]
#[get("/api/v1/rounds")]
pub async fn list_rounds(
    state: web::Data<AppState>,
    reader: MaybeSignedIn,
) -> Result<HttpResponse, AppError> {
    let now = state.clock.now();
    let rows = services::rounds::visible_rounds(&state.db, reader.0.as_ref()).await?;
    let rounds = rows
        .into_iter()
        .map(|(round, chapters)| summary(round, chapters, now))
        .collect();
    Ok(HttpResponse::Ok().json(RoundList { rounds }))
}

/// One round with its chapters and questions.
#[utoipa::path(
    tag = "rounds",
    params(("slug" = String, Path, description = "The round's slug, e.g. `ia-en-sante`")),
    responses(
        (status = 200, description = "The round", body = RoundView),
        (status = 404, description = "No such round, or not visible to the caller", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[get("/api/v1/rounds/{slug}")]
pub async fn get_round(
    state: web::Data<AppState>,
    reader: MaybeSignedIn,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let detail =
        services::rounds::visible_round(&state.db, reader.0.as_ref(), slug.into_inner()).await?;
    Ok(HttpResponse::Ok().json(RoundView::new(detail, state.clock.now())))
}

impl RoundView {
    pub fn new(detail: crate::domain::rounds::RoundDetail, now: DateTime<Utc>) -> Self {
        let round = detail.round;
        Self {
            status: round.status_at(now),
            slug: round.slug,
            title: round.title,
            summary: round.summary,
            body: round.body,
            opens_at: round.opens_at,
            closes_at: round.closes_at,
            audience: round.audience,
            chapters: detail.chapters.into_iter().map(ChapterView::from).collect(),
        }
    }
}
