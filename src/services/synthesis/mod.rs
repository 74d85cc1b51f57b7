//! The collective contribution of a round, for coordinators with the second factor:
//! its draft (header and chapters, each written from the version its writer saw, so
//! that two coordinators never overwrite each other silently, every version kept), its
//! live preview with what was left out, and its published versions, frozen. Every change
//! is audited.

use chrono::{DateTime, NaiveDateTime, Utc};
use serde_json::json;

use crate::domain::FieldError;
use crate::domain::synthesis::document::Document;
use crate::domain::synthesis::{Header, Section, texts};
use crate::error::AppError;
use crate::services::accounts::Origin;
use crate::services::authority::SecuredCoordinator;
use crate::services::round_work;
use crate::state::AppState;
use crate::store::synthesis::{PublicationRow, RevisionRow, SectionRow, SynthesisRow};
use crate::store::{self, DbConnection};

pub mod docx;
pub mod pdf;
pub mod print;
pub mod public;
pub mod reading;
pub mod relay;
pub mod render;

pub use public::{OpenData, PUBLIC_PAGE, PublicPage, PublicResponse, public_responses};
pub use reading::{Candidate, LeftOut};

/// Most versions shown in a history.
pub const HISTORY: i64 = 20;

/// A chapter of the draft: the round's chapter, what was written for it, and what it
/// leaves out.
pub struct DraftChapter {
    pub code: String,
    pub title: String,
    pub section: Section,
    /// 0 while nothing was written.
    pub version: i32,
    pub updated_by: Option<String>,
    pub updated_at: Option<NaiveDateTime>,
    /// What each selected contribution is, in the section's order: (organisation,
    /// question, the answer's text), for the editor (empty when the answer is gone).
    pub selected: Vec<reading::Described>,
    /// Each consolidated proposal's originals: « organisation : title ».
    pub originals: Vec<Vec<String>>,
    pub left_out: LeftOut,
}

/// The synthesis as its coordinators edit it.
pub struct Draft {
    pub header: Header,
    /// 0 while nothing was written.
    pub version: i32,
    pub chapters: Vec<DraftChapter>,
    /// References that no longer hold, left out of the document until someone looks.
    pub to_review: Vec<FieldError>,
    pub publications: Vec<PublicationRow>,
    /// Where published versions were sent, newest first.
    pub relays: Vec<store::synthesis::SentRow>,
}

/// The round's title and its synthesis (made, version 0, on first reading).
fn synthesis_of(
    conn: &mut DbConnection,
    round: i64,
    now: DateTime<Utc>,
) -> Result<(String, SynthesisRow), AppError> {
    let title = store::synthesis::round_title(conn, round)?.ok_or(AppError::NotFound)?;
    let row = store::synthesis::find_or_create(conn, round, &Header::new(&title), now)?;
    Ok((title, row))
}

/// A chapter of the round (id, code, title), with its row if written and its section.
type ChapterSection = (i64, String, String, Option<SectionRow>, Section);

/// The round's chapters with their written sections.
fn chapters_with_sections(
    conn: &mut DbConnection,
    round: i64,
    synthesis: i64,
) -> Result<Vec<ChapterSection>, AppError> {
    let mut written = store::synthesis::sections(conn, synthesis)?;
    store::synthesis::chapters_of(conn, round)?
        .into_iter()
        .map(|(id, code, title)| {
            let row = written
                .iter()
                .position(|s| s.chapter_id == id)
                .map(|at| written.swap_remove(at));
            let section = match &row {
                Some(row) => serde_json::from_str(&row.body).map_err(|e| {
                    AppError::Internal(anyhow::anyhow!("synthesis section {id} unreadable: {e}"))
                })?,
                None => Section::default(),
            };
            Ok((id, code, title, row, section))
        })
        .collect()
}

/// The document the draft reads as now, and what to review.
fn read_document(
    conn: &mut DbConnection,
    round: i64,
    now: DateTime<Utc>,
) -> Result<(Document, Vec<FieldError>), AppError> {
    let (round_title, synthesis) = synthesis_of(conn, round, now)?;
    let chapters = chapters_with_sections(conn, round, synthesis.id)?;
    document_of(conn, round, &round_title, &synthesis, &chapters)
}

/// The document of `synthesis` whose chapters were read already.
fn document_of(
    conn: &mut DbConnection,
    round: i64,
    round_title: &str,
    synthesis: &SynthesisRow,
    chapters: &[ChapterSection],
) -> Result<(Document, Vec<FieldError>), AppError> {
    let written: Vec<reading::Written<'_>> = chapters
        .iter()
        .map(|(id, code, title, _, section)| reading::Written {
            id: *id,
            code,
            title,
            section,
        })
        .collect();
    reading::document(conn, round, round_title, &synthesis.header(), &written)
}

pub async fn draft(
    state: &AppState,
    _coordinator: &SecuredCoordinator,
    slug: String,
) -> Result<Draft, AppError> {
    let now = state.clock.now();
    round_work::read(state, slug, move |conn, round| {
        let (round_title, synthesis) = synthesis_of(conn, round, now)?;
        let written = chapters_with_sections(conn, round, synthesis.id)?;
        let (_, to_review) = document_of(conn, round, &round_title, &synthesis, &written)?;
        let mut chapters = Vec::new();
        for (id, code, title, row, section) in written {
            let left_out = reading::left_out(conn, round, id, &section)?;
            let (selected, originals) = reading::described(conn, round, &section)?;
            chapters.push(DraftChapter {
                selected,
                originals,
                code,
                title,
                version: row.as_ref().map_or(0, |r| r.version),
                updated_by: row.as_ref().and_then(|r| r.updated_by.clone()),
                updated_at: row.as_ref().map(|r| r.updated_at),
                section,
                left_out,
            });
        }
        Ok(Draft {
            header: synthesis.header(),
            version: synthesis.version,
            chapters,
            to_review,
            publications: store::synthesis::publications(conn, synthesis.id)?,
            relays: store::synthesis::relays_from(conn, synthesis.id)?,
        })
    })
    .await
}

/// The organisations that may introduce a chapter: those that submitted a response.
pub async fn organisations(
    state: &AppState,
    _coordinator: &SecuredCoordinator,
    slug: String,
) -> Result<Vec<(i64, String)>, AppError> {
    round_work::read(state, slug, move |conn, round| {
        Ok(store::synthesis::organisations_of_round(conn, round)?)
    })
    .await
}

/// The refusal of a write made from a version that is no longer the current one.
fn stale(field: &str, current: i32) -> AppError {
    AppError::clash(
        field,
        "stale",
        format!(
            "modifié entre-temps par une autre personne (version actuelle : {current}) : \
             rechargez pour voir ses changements avant d'enregistrer les vôtres"
        ),
    )
}

/// Writes the header from version `expected` (unconditionally without one): the new
/// version.
pub async fn write_header(
    state: &AppState,
    coordinator: &SecuredCoordinator,
    slug: String,
    header: Header,
    expected: Option<i32>,
    origin: Origin,
) -> Result<i32, AppError> {
    round_work::change(
        state,
        coordinator,
        slug,
        origin,
        "synthesis_updated",
        move |conn, at| {
            let (_, synthesis) = synthesis_of(conn, at.round, at.now)?;
            let version = store::synthesis::write_header(
                conn,
                synthesis.id,
                &header,
                expected,
                at.actor,
                at.now,
            )?
            .ok_or_else(|| stale("version", synthesis.version))?;
            let body = serde_json::to_string(&header).map_err(anyhow::Error::from)?;
            store::synthesis::keep_revision(
                conn,
                synthesis.id,
                None,
                version,
                &body,
                at.actor,
                at.now,
            )?;
            Ok((version, json!({"part": "header", "version": version})))
        },
    )
    .await
}

/// Writes a chapter (by its code) from version `expected`: the new version. The section
/// is checked against the round first (`reading::checked_section`).
pub async fn write_chapter(
    state: &AppState,
    coordinator: &SecuredCoordinator,
    slug: String,
    chapter: String,
    section: Section,
    expected: Option<i32>,
    origin: Origin,
) -> Result<i32, AppError> {
    change_chapter(
        state,
        coordinator,
        slug,
        chapter,
        expected,
        origin,
        move |_| Ok(section),
    )
    .await
}

/// Changes a chapter from what is written, read in the same transaction: `change` gets
/// the current section and gives the new one (the pages' single actions: select, move,
/// merge…). Refused as stale when the chapter is no longer at version `expected`.
pub async fn change_chapter(
    state: &AppState,
    coordinator: &SecuredCoordinator,
    slug: String,
    chapter: String,
    expected: Option<i32>,
    origin: Origin,
    change: impl FnOnce(Section) -> Result<Section, AppError> + Send + 'static,
) -> Result<i32, AppError> {
    round_work::change(
        state,
        coordinator,
        slug,
        origin,
        "synthesis_chapter_updated",
        move |conn, at| {
            let (_, synthesis) = synthesis_of(conn, at.round, at.now)?;
            let (id, _, _, row, current) = chapters_with_sections(conn, at.round, synthesis.id)?
                .into_iter()
                .find(|(_, code, _, _, _)| *code == chapter)
                .ok_or(AppError::NotFound)?;
            let version = row.as_ref().map_or(0, |r| r.version);
            if expected.is_some_and(|e| e != version) {
                return Err(stale("version", version));
            }
            let section = change(current)?.parse().map_err(AppError::Validation)?;
            let section = reading::checked_section(conn, at.round, id, section)?;
            let body = serde_json::to_string(&section).map_err(anyhow::Error::from)?;
            let written = store::synthesis::write_section(
                conn,
                synthesis.id,
                id,
                &body,
                Some(version),
                at.actor,
                at.now,
            )?
            .ok_or_else(|| stale("version", version + 1))?;
            store::synthesis::keep_revision(
                conn,
                synthesis.id,
                Some(id),
                written,
                &body,
                at.actor,
                at.now,
            )?;
            Ok((
                written,
                json!({
                    "part": "chapter",
                    "chapter": chapter,
                    "version": written,
                    "contributions": section.contributions.len(),
                    "proposals": section.proposals.len(),
                }),
            ))
        },
    )
    .await
}

/// The versions written of the header (`chapter` `None`) or of a chapter, newest first.
pub async fn history(
    state: &AppState,
    _coordinator: &SecuredCoordinator,
    slug: String,
    chapter: Option<String>,
) -> Result<Vec<RevisionRow>, AppError> {
    let now = state.clock.now();
    round_work::read(state, slug, move |conn, round| {
        let (_, synthesis) = synthesis_of(conn, round, now)?;
        let chapter = match chapter {
            None => None,
            Some(code) => Some(
                store::synthesis::chapters_of(conn, round)?
                    .into_iter()
                    .find(|(_, c, _)| *c == code)
                    .ok_or(AppError::NotFound)?
                    .0,
            ),
        };
        Ok(store::synthesis::revisions(
            conn,
            synthesis.id,
            chapter,
            HISTORY,
        )?)
    })
    .await
}

/// The document as the draft reads now, with what to review.
pub async fn preview(
    state: &AppState,
    _coordinator: &SecuredCoordinator,
    slug: String,
) -> Result<(Document, Vec<FieldError>), AppError> {
    let now = state.clock.now();
    round_work::read(state, slug, move |conn, round| {
        read_document(conn, round, now)
    })
    .await
}

/// Publishes the draft as it reads now: the new version's number. `changes` says what
/// changed since the previous one (required from the second version on).
pub async fn publish(
    state: &AppState,
    coordinator: &SecuredCoordinator,
    slug: String,
    changes: String,
    origin: Origin,
) -> Result<i32, AppError> {
    if let Some(refused) = texts::CHANGES.check("changes", &changes) {
        return Err(AppError::Validation(vec![refused]));
    }
    round_work::change(
        state,
        coordinator,
        slug,
        origin,
        "synthesis_published",
        move |conn, at| {
            let (document, _) = read_document(conn, at.round, at.now)?;
            let (_, synthesis) = synthesis_of(conn, at.round, at.now)?;
            let earlier = store::synthesis::publications(conn, synthesis.id)?;
            if !earlier.is_empty() && changes.trim().is_empty() {
                return Err(AppError::invalid(
                    "changes",
                    "required",
                    "dites ce qui a changé depuis la version précédente",
                ));
            }
            if document.chapters.iter().all(|c| {
                c.contributions.is_empty() && c.proposals.is_empty() && c.introduction.is_empty()
            }) && document.introduction.is_empty()
            {
                return Err(AppError::Clash(vec![FieldError::new(
                    "synthesis",
                    "empty",
                    "la synthèse est vide : écrivez une introduction ou retenez des contributions avant de la publier",
                )]));
            }
            let stored = serde_json::to_string(&document).map_err(anyhow::Error::from)?;
            let number = store::synthesis::publish(
                conn,
                synthesis.id,
                changes.trim(),
                &stored,
                at.actor,
                at.now,
            )?;
            Ok((number, json!({"number": number})))
        },
    )
    .await
}

/// A published version as it was published, and when.
pub struct Published {
    pub number: i32,
    pub published_at: NaiveDateTime,
    pub document: Document,
}

pub async fn published(
    state: &AppState,
    _coordinator: &SecuredCoordinator,
    slug: String,
    number: i32,
) -> Result<Published, AppError> {
    version(state, slug, Some(number), false)
        .await
        .map(|(p, _)| p)
}

/// What everyone may read: a published version (the latest when `number` is `None`)
/// with every published version listed, newest first; 404 before the first
/// publication, and for a round still in draft.
pub async fn public_version(
    state: &AppState,
    slug: String,
    number: Option<i32>,
) -> Result<(Published, Vec<PublicationRow>), AppError> {
    version(state, slug, number, true).await
}

/// The rounds everyone may read (their slugs), and whether each has a published
/// synthesis: what the sitemap lists.
pub async fn public_rounds(state: &AppState) -> Result<Vec<(String, bool)>, AppError> {
    state
        .db
        .run(|conn| Ok(store::synthesis::public_rounds(conn)?))
        .await
}

/// The round's synthesis and its published versions, newest first: 404 before the first
/// publication, and (`public`) for a round still in draft.
fn publications_of(
    conn: &mut DbConnection,
    round: i64,
    public: bool,
) -> Result<(i64, Vec<PublicationRow>), AppError> {
    if public && store::synthesis::round_is_draft(conn, round)? {
        return Err(AppError::NotFound);
    }
    let synthesis = store::synthesis::find(conn, round)?.ok_or(AppError::NotFound)?;
    let versions = store::synthesis::publications(conn, synthesis.id)?;
    if versions.is_empty() {
        return Err(AppError::NotFound);
    }
    Ok((synthesis.id, versions))
}

/// Version `number` of `synthesis` as it was published, read as `T` (the whole
/// `Document`, or the one part a caller needs: serde skips the rest), and when; None
/// when there is no such version.
fn published_as<T: serde::de::DeserializeOwned>(
    conn: &mut DbConnection,
    synthesis: i64,
    number: i32,
) -> Result<Option<(T, NaiveDateTime)>, AppError> {
    let Some((stored, published_at)) = store::synthesis::publication(conn, synthesis, number)?
    else {
        return Ok(None);
    };
    let read = serde_json::from_str(&stored)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("published synthesis unreadable: {e}")))?;
    Ok(Some((read, published_at)))
}

/// A published version and every published version, newest first (`public`: not of a
/// round in draft).
async fn version(
    state: &AppState,
    slug: String,
    number: Option<i32>,
    public: bool,
) -> Result<(Published, Vec<PublicationRow>), AppError> {
    round_work::read(state, slug, move |conn, round| {
        let (synthesis, versions) = publications_of(conn, round, public)?;
        let number = number.unwrap_or(versions[0].number);
        let (document, published_at) =
            published_as(conn, synthesis, number)?.ok_or(AppError::NotFound)?;
        let published = Published {
            number,
            published_at,
            document,
        };
        Ok((published, versions))
    })
    .await
}
