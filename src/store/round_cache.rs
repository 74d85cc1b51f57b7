//! Rounds' questions, kept in memory once a round has left its draft: from then on its
//! structure is frozen (only wording may change, never what an answer must be), so every
//! write need not read it again. What does change (status, deadline, audience) is read
//! afresh by each write, inside its transaction.
//!
//! Wording does change (a prompt, an option's label), and receipts and error messages
//! quote it: like the session cache, an entry never outlives a change to its round. The
//! store's writers of rounds, chapters and questions note the change (applied when the
//! unit of work returns); on PostgreSQL, other instances' changes arrive through the
//! triggers of migration `000016` on the session cache's channel, and the cache is used
//! only while that listener is known alive (see `session_cache`).

use std::collections::HashMap;
use std::sync::Arc;

use diesel::QueryResult;
use parking_lot::Mutex;

use super::DbConnection;
use super::session_cache::Listening;
use crate::domain::rounds::{RoundDetail, RoundStatus};

/// A round's chapters and questions, each question's id by code, and the ids of the
/// required ones.
#[derive(Debug)]
pub struct Shape {
    pub detail: RoundDetail,
    pub question_ids: HashMap<String, i64>,
    /// The same, by id.
    pub question_codes: HashMap<i64, String>,
    pub required_ids: Vec<i64>,
}

#[derive(Default)]
struct Entries {
    by_slug: HashMap<String, Arc<Shape>>,
    /// Moves at every change: a fill that read the database under an older generation
    /// may hold what the change replaced.
    generation: u64,
}

pub struct RoundCache {
    entries: Mutex<Entries>,
    listening: Arc<Listening>,
}

impl RoundCache {
    pub(super) fn new(listening: Arc<Listening>) -> Self {
        Self {
            entries: Mutex::default(),
            listening,
        }
    }

    /// The round's shape, from memory when it is frozen; None for an unknown round.
    pub fn shape(&self, conn: &mut DbConnection, slug: &str) -> QueryResult<Option<Arc<Shape>>> {
        let trusted = self.listening.in_use();
        let generation = {
            let entries = self.entries.lock();
            if trusted && let Some(shape) = entries.by_slug.get(slug) {
                return Ok(Some(shape.clone()));
            }
            entries.generation
        };
        let Some(detail) = super::rounds::find_by_slug(conn, slug)? else {
            return Ok(None);
        };
        let question_ids = super::exports::question_ids(conn, detail.round.id)?;
        let frozen = detail.round.stored_status != RoundStatus::Draft;
        let required_ids = detail
            .chapters
            .iter()
            .flat_map(|c| &c.questions)
            .filter(|q| q.required)
            .filter_map(|q| question_ids.get(&q.code).copied())
            .collect();
        let question_codes = question_ids
            .iter()
            .map(|(code, id)| (*id, code.clone()))
            .collect();
        let shape = Arc::new(Shape {
            detail,
            question_ids,
            question_codes,
            required_ids,
        });
        if frozen && trusted {
            let mut entries = self.entries.lock();
            if entries.generation == generation {
                entries.by_slug.insert(slug.to_owned(), shape.clone());
            }
        }
        Ok(Some(shape))
    }

    /// Forgets the rounds `ids` (changed by this process or announced by another).
    pub(super) fn forget(&self, ids: &[i64]) {
        if ids.is_empty() {
            return;
        }
        let mut entries = self.entries.lock();
        entries.generation += 1;
        entries
            .by_slug
            .retain(|_, shape| !ids.contains(&shape.detail.round.id));
    }

    /// Forgets everything (a lost listener, or a change made behind the store's back).
    pub fn clear(&self) {
        let mut entries = self.entries.lock();
        entries.generation += 1;
        entries.by_slug.clear();
    }
}
