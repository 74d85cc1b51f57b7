//! A published synthesis relayed to a round above (a federation answering the
//! ministry's consultation with its collective contribution): the routes turned into
//! answers (`domain::synthesis::relay`), written into the federation's response through
//! the normal path (its members' rights, the round open, the response a draft, every
//! value checked, each answer a new version), then the link kept both ways and audited.

use std::collections::BTreeMap;

use chrono::NaiveDateTime;
use serde_json::json;

use super::{publications_of, published_as};
use crate::domain::FieldError;
use crate::domain::synthesis::document::Document;
use crate::domain::synthesis::relay::{self, Route};
use crate::error::AppError;
use crate::services::accounts::{Origin, audit_on};
use crate::services::authority::SecuredCoordinator;
use crate::services::responses::{AnswerWrite, write_answers};
use crate::services::round_work;
use crate::state::AppState;
use crate::store::{self, DbConnection};

/// What a coordinator asks: the target round and organisation, the published version
/// (the latest when absent), and the routes.
#[derive(Debug, Clone)]
pub struct RelayRequest {
    pub round: String,
    pub organisation: i64,
    pub version: Option<i32>,
    pub routes: Vec<Route>,
}

/// A relay done: the version sent and the answers it wrote, with their new versions.
#[derive(Debug, Clone)]
pub struct Relayed {
    pub version: i32,
    pub answers: BTreeMap<String, i32>,
}

/// The published version relayed and what it writes: (synthesis id, number, title,
/// answers by target question).
type Planned = (i64, i32, String, BTreeMap<String, serde_json::Value>);

/// Reads the published version and the target round, and maps the routes (422 naming
/// `round`, `version` or `mapping[i]…`).
fn plan(
    conn: &mut DbConnection,
    round: i64,
    source: &str,
    request: &RelayRequest,
) -> Result<Planned, AppError> {
    let (synthesis, versions) = publications_of(conn, round, false).map_err(|e| match e {
        AppError::NotFound => AppError::clash(
            "synthesis",
            "unpublished",
            "publiez d'abord la synthèse : c'est une version publiée qui est transmise",
        ),
        other => other,
    })?;
    let number = request.version.unwrap_or(versions[0].number);
    let (document, _): (Document, _) = published_as(conn, synthesis, number)?.ok_or_else(|| {
        AppError::invalid(
            "version",
            "unknown",
            format!("Pas de version {number} publiée."),
        )
    })?;
    let unknown_round = || {
        AppError::invalid(
            "round",
            "unknown",
            "Pas de consultation ouverte à ce nom (son identifiant, tel qu'il figure dans son adresse).",
        )
    };
    if request.round == source {
        return Err(AppError::invalid(
            "round",
            "same_round",
            "Une synthèse se transmet à une autre consultation que la sienne.",
        ));
    }
    let target = store::rounds::find_by_slug(conn, &request.round)?.ok_or_else(unknown_round)?;
    if !target.round.is_public() {
        return Err(unknown_round());
    }
    let questions: Vec<_> = target.chapters.iter().flat_map(|c| &c.questions).collect();
    let answers =
        relay::answers(&document, &request.routes, &questions).map_err(AppError::Validation)?;
    Ok((synthesis, number, document.title, answers))
}

/// A refusal of the written answers named by the routes that gave them
/// (`answers.Q[2].title` → `mapping[i].question`), so the coordinator sees which line.
fn by_route(errors: Vec<FieldError>, routes: &[Route]) -> Vec<FieldError> {
    errors
        .into_iter()
        .flat_map(|error| {
            let code = error.field.strip_prefix("answers.").map(|rest| {
                routes
                    .iter()
                    .enumerate()
                    .filter(|(_, r)| {
                        rest.strip_prefix(r.question.as_str())
                            .is_some_and(|tail| tail.is_empty() || tail.starts_with(['[', '.']))
                    })
                    .map(|(i, _)| i)
                    .collect::<Vec<_>>()
            });
            match code {
                Some(lines) if !lines.is_empty() => lines
                    .into_iter()
                    .map(|i| FieldError {
                        field: format!("mapping[{i}].question"),
                        ..error.clone()
                    })
                    .collect(),
                _ => vec![error],
            }
        })
        .collect()
}

/// Relays the synthesis of round `slug` into `request.organisation`'s response to
/// `request.round`. The caller must be a coordinator with the second factor and a
/// member of that organisation allowed to write its response.
pub async fn relay(
    state: &AppState,
    coordinator: &SecuredCoordinator,
    slug: String,
    request: RelayRequest,
    origin: Origin,
) -> Result<Relayed, AppError> {
    let (source, asked) = (slug.clone(), request.clone());
    let (synthesis, number, title, answers) =
        round_work::read(state, slug.clone(), move |conn, round| {
            plan(conn, round, &source, &asked)
        })
        .await?;
    let writes = answers
        .into_iter()
        .map(|(code, value)| {
            (
                code,
                AnswerWrite {
                    value,
                    version: None,
                },
            )
        })
        .collect();
    let (target, org) = (request.round.clone(), request.organisation);
    let written = write_answers(state, coordinator, target.clone(), org, writes)
        .await
        .map_err(|e| match e {
            AppError::Validation(errors) => AppError::Validation(by_route(errors, &request.routes)),
            other => other,
        })?;
    let mapping = serde_json::to_string(&request.routes).map_err(anyhow::Error::from)?;
    let (actor, now) = (coordinator.account.id, state.clock.now());
    let codes: Vec<String> = written.keys().cloned().collect();
    state
        .db
        .run(move |conn| {
            store::write_transaction(conn, |conn| {
                let round = round_work::round_id(conn, &target)?;
                let response =
                    store::responses::find(conn, round, org)?.ok_or(AppError::NotFound)?;
                store::synthesis::record_relay(
                    conn,
                    &store::synthesis::NewRelay {
                        synthesis_id: synthesis,
                        number,
                        title: &title,
                        response_id: response.id,
                        mapping: &mapping,
                        relayed_by: Some(actor),
                        relayed_at: now.naive_utc(),
                    },
                )?;
                let details = json!({"version": number, "to_round": target, "organisation": org, "answers": codes});
                let target = Some(format!("round:{slug}"));
                audit_on(conn, Some(actor), "synthesis_relayed", target, &origin, details)?;
                Ok::<(), AppError>(())
            })
        })
        .await?;
    Ok(Relayed {
        version: number,
        answers: written,
    })
}

/// Where a response was established from: the published version's title and number,
/// the round whose synthesis it is, and when.
#[derive(Debug, Clone)]
pub struct Source {
    pub title: String,
    pub round: String,
    pub version: i32,
    pub relayed_at: NaiveDateTime,
}

impl Source {
    /// "Établie à partir de la contribution collective « … », version N".
    pub fn said(&self) -> String {
        relay::established_from(&self.title, self.version)
    }
}

pub fn source_of(conn: &mut DbConnection, response: i64) -> Result<Option<Source>, AppError> {
    Ok(
        store::synthesis::relayed_into(conn, response)?.map(|row| Source {
            title: row.title,
            round: row.round_slug,
            version: row.number,
            relayed_at: row.relayed_at,
        }),
    )
}

/// What the relay form offers.
pub struct RelayChoices {
    /// The latest published version.
    pub version: i32,
    /// Its chapters: (code, title, whether it has consolidated proposals).
    pub chapters: Vec<(String, String, bool)>,
    /// The other rounds taking answers now: (slug, title).
    pub rounds: Vec<(String, String)>,
    /// The organisations the coordinator may write a response for: (id, name).
    pub organisations: Vec<(i64, String)>,
    /// The chosen round's questions a part fills: (code, prompt, the part).
    pub questions: Vec<(String, String, relay::Part)>,
}

/// The relay form's choices; `target`, once chosen, gives its questions (an unknown or
/// closed round gives none).
pub async fn choices(
    state: &AppState,
    coordinator: &SecuredCoordinator,
    slug: String,
    target: Option<String>,
) -> Result<RelayChoices, AppError> {
    let (user, now, source) = (coordinator.account.id, state.clock.now(), slug.clone());
    round_work::read(state, slug, move |conn, round| {
        let (synthesis, versions) = publications_of(conn, round, false)?;
        let version = versions[0].number;
        let (document, _): (Document, _) =
            published_as(conn, synthesis, version)?.ok_or(AppError::NotFound)?;
        let chapters = document
            .chapters
            .into_iter()
            .map(|c| (c.code, c.title, !c.proposals.is_empty()))
            .collect();
        let open: Vec<_> = store::rounds::list_public(conn)?
            .into_iter()
            .map(|(r, _)| r)
            .filter(|r| r.slug != source && r.accepts_answers_at(now))
            .collect();
        let rounds = open
            .iter()
            .map(|r| (r.slug.clone(), r.title.clone()))
            .collect();
        let organisations = store::organisations::list_for_user(conn, user)?
            .into_iter()
            .filter(|(org, role)| {
                org.status().may_answer()
                    && crate::domain::organisations::MemberRole::parse(role)
                        .is_some_and(|r| r.can_write())
            })
            .map(|(org, _)| (org.id, org.name))
            .collect();
        let mut questions = Vec::new();
        if let Some(target) = target.filter(|t| open.iter().any(|r| &r.slug == t)) {
            let detail = store::rounds::find_by_slug(conn, &target)?.ok_or(AppError::NotFound)?;
            for q in detail.chapters.iter().flat_map(|c| &c.questions) {
                if let Some(part) = relay::Part::ALL.iter().find(|p| p.fills(&q.spec)) {
                    questions.push((q.code.clone(), q.prompt.clone(), *part));
                }
            }
        }
        Ok(RelayChoices {
            version,
            chapters,
            rounds,
            organisations,
            questions,
        })
    })
    .await
}
