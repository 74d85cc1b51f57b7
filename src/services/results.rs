//! What coordinators read before exporting: per question, the distribution of choices
//! and scales (counted by the database) and the text answers with their organisation,
//! filtered by chapter and by kind of organisation. Only submitted responses count; on
//! request each campaign (near-identical answers marked as one) counts once.

use crate::domain::answers::{AnswerValue, Contribution, Proposal, contribution};
use crate::domain::organisations::OrganisationKind;
use crate::domain::rounds::{Chapter, Question, QuestionSpec, RoundDetail};
use crate::domain::statistics::QuestionStats;
use crate::error::AppError;
use crate::services::authority::SecuredCoordinator;
use crate::state::AppState;
use crate::store::exports::Counted;
use crate::store::{self, DbConnection};

/// Text answers shown per question in the overview, and per page for one question.
pub const OVERVIEW_ANSWERS: usize = 10;
pub const PAGE_ANSWERS: usize = 50;

#[derive(Debug, Clone, Default)]
pub struct Filters {
    /// Only this chapter (its code).
    pub chapter: Option<String>,
    /// Only organisations of this kind.
    pub kind: Option<OrganisationKind>,
    /// Only this question, its text answers paged after response `after`.
    pub question: Option<String>,
    pub after: i64,
    /// Each campaign counted once: its first response only (the others set aside).
    pub campaigns_once: bool,
}

#[derive(Debug)]
pub struct TextAnswer {
    pub response_id: i64,
    pub organisation: String,
    pub kind: String,
    pub text: String,
    /// The proposals, for a proposals question.
    pub proposals: Vec<Proposal>,
}

#[derive(Debug)]
pub struct QuestionResults {
    pub question: Question,
    pub stats: QuestionStats,
    pub answers: Vec<TextAnswer>,
    /// Where the next page of text answers starts, when there is one.
    pub more_after: Option<i64>,
}

#[derive(Debug)]
pub struct ChapterResults {
    pub chapter: Chapter,
    /// Proposals gathered across the chapter's proposals questions.
    pub proposals: u64,
    pub questions: Vec<QuestionResults>,
}

#[derive(Debug)]
pub struct Results {
    pub detail: RoundDetail,
    pub submitted: i64,
    pub chapters: Vec<ChapterResults>,
}

/// An answer worth showing, or None when it is empty.
fn text_answer(spec: &QuestionSpec, answer: store::exports::SignedAnswer) -> Option<TextAnswer> {
    let (text, proposals) = match contribution(spec, answer.value.as_ref())? {
        Contribution::Text(text) => (text.to_owned(), Vec::new()),
        Contribution::Proposals(items) => (String::new(), items.to_vec()),
    };
    Some(TextAnswer {
        response_id: answer.response_id,
        organisation: answer.organisation_name,
        kind: answer.organisation_kind,
        text,
        proposals,
    })
}

/// Up to `limit` non-empty text answers after response `after`, and where the next page
/// starts if there are more.
fn text_answers(
    conn: &mut DbConnection,
    question_id: i64,
    spec: &QuestionSpec,
    counted: Counted<'_>,
    after: i64,
    limit: usize,
) -> Result<(Vec<TextAnswer>, Option<i64>), AppError> {
    let mut found: Vec<TextAnswer> = Vec::new();
    let mut more = None;
    store::exports::walk_question(conn, question_id, counted, after, &mut |answer| {
        let Some(shown) = text_answer(spec, answer) else {
            return true;
        };
        if found.len() == limit {
            more = found.last().map(|a| a.response_id);
            return false;
        }
        found.push(shown);
        true
    })?;
    Ok((found, more))
}

/// How many proposals one question gathered (walked: an array's length is not portable
/// SQL).
fn proposals_count(
    conn: &mut DbConnection,
    question_id: i64,
    counted: Counted<'_>,
) -> Result<u64, AppError> {
    let mut total = 0;
    store::exports::walk_question(conn, question_id, counted, 0, &mut |answer| {
        if let Some(AnswerValue::Proposals(items)) = &answer.value {
            total += items.len() as u64;
        }
        true
    })?;
    Ok(total)
}

fn question_results(
    conn: &mut DbConnection,
    question_id: i64,
    question: &Question,
    filters: &Filters,
    counted: Counted<'_>,
) -> Result<QuestionResults, AppError> {
    let mut stats = QuestionStats::new(&question.spec);
    let (mut answers, mut more_after) = (Vec::new(), None);
    if question.spec.is_textual() {
        stats.respondents = store::exports::answered_count(conn, question_id, counted)? as u64;
        let (after, limit) = if filters.question.as_deref() == Some(question.code.as_str()) {
            (filters.after, PAGE_ANSWERS)
        } else {
            (0, OVERVIEW_ANSWERS)
        };
        (answers, more_after) =
            text_answers(conn, question_id, &question.spec, counted, after, limit)?;
    } else {
        for (value, times) in store::exports::value_counts(conn, question_id, counted)? {
            if let Some(value) = value {
                stats.add_times(&question.spec, &value, times as u64);
            }
        }
    }
    Ok(QuestionResults {
        question: question.clone(),
        stats,
        answers,
        more_after,
    })
}

/// The responses of each campaign but its first: set aside when campaigns count once.
fn campaign_copies(conn: &mut DbConnection, round_id: i64) -> Result<Vec<i64>, AppError> {
    let mut copies = Vec::new();
    let mut last_campaign = None;
    for (campaign, response) in store::campaigns::responses_of_campaigns(conn, round_id)? {
        if last_campaign == Some(campaign) {
            copies.push(response);
        }
        last_campaign = Some(campaign);
    }
    Ok(copies)
}

pub async fn results(
    state: &AppState,
    _: &SecuredCoordinator,
    slug: String,
    filters: Filters,
) -> Result<Results, AppError> {
    state
        .db
        .run(move |conn| {
            let detail = store::rounds::find_by_slug(conn, &slug)?.ok_or(AppError::NotFound)?;
            let set_aside = if filters.campaigns_once {
                campaign_copies(conn, detail.round.id)?
            } else {
                Vec::new()
            };
            let counted = Counted {
                kind: filters.kind.map(|k| k.as_str()),
                set_aside: &set_aside,
            };
            let submitted = store::exports::submitted_count(conn, detail.round.id, counted)?;
            let ids = store::exports::question_ids(conn, detail.round.id)?;
            let mut chapters = Vec::new();
            for part in &detail.chapters {
                if filters
                    .chapter
                    .as_ref()
                    .is_some_and(|c| *c != part.chapter.code)
                {
                    continue;
                }
                let mut questions = Vec::new();
                let mut proposals = 0;
                for q in &part.questions {
                    if filters.question.as_ref().is_some_and(|c| *c != q.code) {
                        continue;
                    }
                    let Some(&id) = ids.get(&q.code) else {
                        continue;
                    };
                    if matches!(q.spec, QuestionSpec::Proposals { .. }) {
                        proposals += proposals_count(conn, id, counted)?;
                    }
                    questions.push(question_results(conn, id, q, &filters, counted)?);
                }
                if !questions.is_empty() {
                    chapters.push(ChapterResults {
                        chapter: part.chapter.clone(),
                        proposals,
                        questions,
                    });
                }
            }
            Ok(Results {
                detail,
                submitted,
                chapters,
            })
        })
        .await
}
