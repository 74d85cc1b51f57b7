//! Rounds' questions, kept in memory once a round has left its draft: from then on its
//! structure is frozen (only wording may change, never what an answer must be), so every
//! write need not read it again. What does change (status, deadline, audience) is read
//! afresh by each write, inside its transaction.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::domain::rounds::{RoundDetail, RoundStatus};
use crate::error::AppError;
use crate::store::{self, DbConnection};

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
pub struct RoundCache(Mutex<HashMap<String, Arc<Shape>>>);

impl RoundCache {
    /// The round's shape, from memory when it is frozen; None for an unknown round.
    pub fn shape(
        &self,
        conn: &mut DbConnection,
        slug: &str,
    ) -> Result<Option<Arc<Shape>>, AppError> {
        if let Some(shape) = self.0.lock().expect("round cache").get(slug) {
            return Ok(Some(shape.clone()));
        }
        let Some(detail) = store::rounds::find_by_slug(conn, slug)? else {
            return Ok(None);
        };
        let question_ids = store::exports::question_ids(conn, detail.round.id)?;
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
        if frozen {
            self.0
                .lock()
                .expect("round cache")
                .insert(slug.to_owned(), shape.clone());
        }
        Ok(Some(shape))
    }
}
