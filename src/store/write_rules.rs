//! The write rules as the database's statements check them where they write, from the
//! domain's own definitions:
//!
//! - the deadline (`domain::rounds::accepts_answers`) is the SQL function
//!   `concerto_round_accepts`: on SQLite the Rust rule itself, registered on each
//!   connection (`register`); on PostgreSQL a copy in SQL (migration 000018), which the
//!   suite compares with the Rust rule on every combination (`tests/api/write_rules.rs`);
//! - who may write (`MemberRole::can_write`, `OrganisationStatus::may_answer`) is a
//!   predicate generated here for the one-statement PostgreSQL paths: a change of the
//!   rule reaches them by itself;
//! - the version check (`domain::answers::version_after`) is the fragments below, which
//!   every statement writing answers is built with (`store::sql`); the suite evaluates
//!   them on both backends against the Rust rule.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Nullable, Text, Timestamp};

use super::DbConnection;
use crate::domain::answers::{FIRST_VERSION, NONE_SEEN};
use crate::domain::organisations::{MemberRole, OrganisationStatus};
use crate::domain::rounds::{RoundStatus, accepts_answers};

#[diesel::declare_sql_function]
extern "SQL" {
    /// Whether a round with these stored fields takes answers at `at`.
    fn concerto_round_accepts(
        status: Text,
        opens_at: Nullable<Timestamp>,
        closes_at: Timestamp,
        at: Timestamp,
    ) -> Bool;
}

/// Makes `concerto_round_accepts` the Rust rule on an SQLite connection.
pub fn register(conn: &mut diesel::SqliteConnection) -> QueryResult<()> {
    concerto_round_accepts_utils::register_impl(
        conn,
        |status: String,
         opens_at: Option<NaiveDateTime>,
         closes_at: NaiveDateTime,
         at: NaiveDateTime| {
            RoundStatus::parse(&status).is_some_and(|stored| {
                accepts_answers(
                    stored,
                    opens_at.map(|t| t.and_utc()),
                    closes_at.and_utc(),
                    at.and_utc(),
                )
            })
        },
    )
}

/// What the database's `concerto_round_accepts` says of these fields (for the test that
/// holds the backends to the Rust rule).
pub fn round_accepts_in_database(
    conn: &mut DbConnection,
    stored: RoundStatus,
    opens_at: Option<DateTime<Utc>>,
    closes_at: DateTime<Utc>,
    at: DateTime<Utc>,
) -> QueryResult<bool> {
    diesel::select(concerto_round_accepts(
        stored.as_str(),
        opens_at.map(|t| t.naive_utc()),
        closes_at.naive_utc(),
        at.naive_utc(),
    ))
    .get_result(conn)
}

/// `'a', 'b'`: the codes of `all` that `keep` keeps, quoted for SQL (codes are
/// lower-case letters and underscores: nothing to escape).
fn quoted<T: Copy>(
    all: &[T],
    keep: impl Fn(T) -> bool,
    code: impl Fn(T) -> &'static str,
) -> String {
    all.iter()
        .copied()
        .filter(|t| keep(*t))
        .map(|t| format!("'{}'", code(t)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The organisation (table alias `org`) may answer, and its member (alias `member`, a
/// `memberships` row) may write its response.
pub fn member_may_write(org: &str, member: &str) -> String {
    format!(
        "{org}.status IN ({statuses}) AND {member}.role IN ({roles})",
        statuses = quoted(
            OrganisationStatus::ALL,
            OrganisationStatus::may_answer,
            OrganisationStatus::as_str
        ),
        roles = quoted(MemberRole::ALL, MemberRole::can_write, MemberRole::as_str),
    )
}

/// A write from version `seen` (an SQL expression) lands on the answer row `answer` (a
/// table alias): the version it saw is still the current one.
pub fn version_is_current(answer: &str, seen: &str) -> String {
    format!("{answer}.version = {seen}")
}

/// The version that write makes.
pub fn version_after(answer: &str) -> String {
    format!("{answer}.version + 1")
}

/// A write from version `seen` makes the first answer (there was none).
pub fn version_is_first(seen: &str) -> String {
    format!("{seen} = {NONE_SEEN}")
}

/// What the fragments above make of a write from version `seen` to an answer at
/// version `current` (`None`: none yet) on this connection's backend: the version
/// written, or `None` (for the test that holds them to `domain::answers::version_after`).
pub fn version_after_in_database(
    conn: &mut DbConnection,
    current: Option<i32>,
    seen: i32,
) -> QueryResult<Option<i32>> {
    #[derive(QueryableByName)]
    struct Written {
        #[diesel(sql_type = Nullable<diesel::sql_types::Integer>)]
        version: Option<i32>,
    }
    let sql = match current {
        None => format!(
            "SELECT CASE WHEN {} THEN {FIRST_VERSION} END AS version",
            version_is_first(&seen.to_string())
        ),
        Some(current) => format!(
            "SELECT CASE WHEN {} THEN {} END AS version FROM (SELECT {current} AS version) a",
            version_is_current("a", &seen.to_string()),
            version_after("a")
        ),
    };
    Ok(diesel::sql_query(sql).get_result::<Written>(conn)?.version)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_predicate_names_exactly_the_writers() {
        let sql = member_may_write("o", "m");
        for role in MemberRole::ALL {
            assert_eq!(
                sql.contains(&format!("'{}'", role.as_str())),
                role.can_write(),
                "{sql}"
            );
        }
        for status in OrganisationStatus::ALL {
            assert_eq!(
                sql.contains(&format!("'{}'", status.as_str())),
                status.may_answer(),
                "{sql}"
            );
        }
    }
}
