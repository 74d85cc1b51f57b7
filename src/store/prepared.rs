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

/// A fixed piece of SQL (with at most one `BIGINT` parameter between its two parts) in a
/// query-builder query. `dsl::sql` marks its whole query as never to keep prepared, so
/// that every run was parsed and planned again (PostgreSQL) or compiled again (SQLite);
/// this text being fixed, the query stays cacheable.
#[derive(Debug, Clone, Copy)]
pub struct Fixed<ST> {
    head: &'static str,
    bind: Option<i64>,
    tail: &'static str,
    _type: std::marker::PhantomData<ST>,
}

/// `sql`, of type `ST`.
pub fn fixed<ST>(sql: &'static str) -> Fixed<ST> {
    Fixed {
        head: sql,
        bind: None,
        tail: "",
        _type: std::marker::PhantomData,
    }
}

/// `head`, then `value` as a parameter, then `tail`, of type `ST`.
pub fn fixed_with<ST>(head: &'static str, value: i64, tail: &'static str) -> Fixed<ST> {
    Fixed {
        head,
        bind: Some(value),
        tail,
        _type: std::marker::PhantomData,
    }
}

impl<ST> QueryId for Fixed<ST> {
    type QueryId = ();
    // Cached by its text, which is fixed.
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<ST> diesel::expression::Expression for Fixed<ST>
where
    ST: diesel::sql_types::SqlType + diesel::expression::TypedExpressionType,
{
    type SqlType = ST;
}

impl<ST, DB> QueryFragment<DB> for Fixed<ST>
where
    DB: Backend + diesel::sql_types::HasSqlType<diesel::sql_types::BigInt>,
    i64: diesel::serialize::ToSql<diesel::sql_types::BigInt, DB>,
{
    fn walk_ast<'b>(&'b self, mut pass: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        pass.push_sql(self.head);
        if let Some(value) = &self.bind {
            pass.push_bind_param::<diesel::sql_types::BigInt, _>(value)?;
        }
        pass.push_sql(self.tail);
        Ok(())
    }
}

impl<ST, QS> diesel::expression::AppearsOnTable<QS> for Fixed<ST> where Self: diesel::Expression {}

impl<ST, QS> diesel::expression::SelectableExpression<QS> for Fixed<ST> where
    Self: diesel::Expression
{
}

impl<ST> diesel::expression::ValidGrouping<()> for Fixed<ST> {
    type IsAggregate = diesel::expression::is_aggregate::Never;
}
