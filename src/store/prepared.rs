//! Hand-written SQL that diesel keeps prepared per connection, as it keeps the statements
//! of its query builder (a `sql_query` never is: its text could be anything). Only for
//! statements whose text is one of a fixed few: each distinct text stays in the cache.
//! The hot writes use it: PostgreSQL then parses and plans them once per connection, not
//! at every autosave, and SQLite compiles them once.

use diesel::backend::Backend;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::query_dsl::RunQueryDsl;
use diesel::result::QueryResult;
use diesel::sql_types::Untyped;

/// A `sql_query(…).bind(…)` chain, to be kept prepared.
#[derive(Debug, Clone)]
pub struct Prepared<Q>(pub Q);

impl<Q> QueryId for Prepared<Q> {
    type QueryId = ();
    // Cached by its text, which is fixed (see the module's note).
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<Q, DB> QueryFragment<DB> for Prepared<Q>
where
    DB: Backend,
    Q: QueryFragment<DB>,
{
    fn walk_ast<'b>(&'b self, pass: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        self.0.walk_ast(pass)
    }

    fn is_safe_to_cache_prepared(&self, _backend: &DB) -> QueryResult<bool> {
        Ok(true)
    }
}

impl<Q> Query for Prepared<Q> {
    type SqlType = Untyped;
}

impl<Q, Conn> RunQueryDsl<Conn> for Prepared<Q> {}
