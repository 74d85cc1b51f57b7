//! The unit of work of the reading features (themes, tags, redactions, campaigns): the
//! round found by its slug (404 otherwise), then one read, or one change written with
//! its audit event in the same transaction.

use chrono::{DateTime, Utc};

use crate::error::AppError;
use crate::services::accounts::{Origin, audit_on};
use crate::services::authority::SecuredCoordinator;
use crate::state::AppState;
use crate::store::{self, DbConnection};

/// The round's id; 404 for an unknown round.
pub(crate) fn round_id(conn: &mut DbConnection, slug: &str) -> Result<i64, AppError> {
    store::rounds::id_of(conn, slug)?.ok_or(AppError::NotFound)
}

/// Where a change happens, and who makes it when.
#[derive(Debug, Clone, Copy)]
pub(crate) struct InRound {
    pub round: i64,
    pub actor: i64,
    pub now: DateTime<Utc>,
}

/// `work` reading round `slug`, as one unit of work.
pub(crate) async fn read<T, F>(state: &AppState, slug: String, work: F) -> Result<T, AppError>
where
    F: FnOnce(&mut DbConnection, i64) -> Result<T, AppError> + Send + 'static,
    T: Send + 'static,
{
    state
        .db
        .run(move |conn| {
            let round = round_id(conn, &slug)?;
            work(conn, round)
        })
        .await
}

/// A coordinator's change in round `slug`: `work` returns its result and the details
/// of the audit event `action`, recorded in the same write transaction.
pub(crate) async fn change<T, F>(
    state: &AppState,
    coordinator: &SecuredCoordinator,
    slug: String,
    origin: Origin,
    action: &'static str,
    work: F,
) -> Result<T, AppError>
where
    F: FnOnce(&mut DbConnection, InRound) -> Result<(T, serde_json::Value), AppError>
        + Send
        + 'static,
    T: Send + 'static,
{
    let (actor, now) = (coordinator.account.id, state.clock.now());
    state
        .db
        .run(move |conn| {
            store::write_transaction(conn, |conn| {
                let round = round_id(conn, &slug)?;
                let (done, details) = work(conn, InRound { round, actor, now })?;
                let target = Some(format!("round:{slug}"));
                audit_on(conn, Some(actor), action, target, &origin, details)?;
                Ok(done)
            })
        })
        .await
}
