//! An answer's past versions.

use super::*;

/// One past version of an answer: value, version, author's name, when.
pub type Version = (Option<AnswerValue>, i32, Option<String>, NaiveDateTime);

/// Versions of an answer, newest first (at most `limit`).
pub fn history(
    conn: &mut DbConnection,
    response_id: i64,
    question_id: i64,
    limit: i64,
) -> QueryResult<Vec<Version>> {
    answer_history::table
        .inner_join(answers::table)
        .left_join(users::table.on(users::id.nullable().eq(answer_history::changed_by)))
        .filter(answers::response_id.eq(response_id))
        .filter(answers::question_id.eq(question_id))
        .order(answer_history::version.desc())
        .limit(limit)
        .select((
            answer_history::value,
            answer_history::version,
            users::display_name.nullable(),
            answer_history::changed_at,
        ))
        .load(conn)
}
