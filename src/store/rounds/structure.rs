//! A round's chapters and questions: added, reworded, moved, deleted, counted.

use super::*;

pub(super) fn next_position<T>(positions: Vec<T>) -> i32
where
    T: Into<i32>,
{
    positions.into_iter().map(Into::into).max().unwrap_or(0) + 1
}

pub fn add_chapter(conn: &mut DbConnection, round_id: i64, chapter: &Chapter) -> QueryResult<i64> {
    note(Change::Round(round_id));
    let positions: Vec<i32> = chapters::table
        .filter(chapters::round_id.eq(round_id))
        .select(chapters::position)
        .load(conn)?;
    diesel::insert_into(chapters::table)
        .values(NewChapterRow {
            round_id,
            code: &chapter.code,
            position: next_position(positions),
            title: &chapter.title,
            description: &chapter.description,
        })
        .returning(chapters::id)
        .get_result(conn)
}

pub fn chapter_id(conn: &mut DbConnection, round_id: i64, code: &str) -> QueryResult<Option<i64>> {
    chapters::table
        .filter(chapters::round_id.eq(round_id))
        .filter(chapters::code.eq(code))
        .select(chapters::id)
        .first(conn)
        .optional()
}

pub fn question_code_taken(
    conn: &mut DbConnection,
    round_id: i64,
    code: &str,
) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        questions::table
            .filter(questions::round_id.eq(round_id))
            .filter(questions::code.eq(code)),
    ))
    .get_result(conn)
}

pub fn add_question(
    conn: &mut DbConnection,
    round_id: i64,
    chapter_id: i64,
    question: &Question,
) -> QueryResult<i64> {
    note(Change::Round(round_id));
    let positions: Vec<i32> = questions::table
        .filter(questions::chapter_id.eq(chapter_id))
        .select(questions::position)
        .load(conn)?;
    diesel::insert_into(questions::table)
        .values(NewQuestionRow {
            round_id,
            chapter_id,
            code: &question.code,
            position: next_position(positions),
            kind: question.spec.kind(),
            prompt: &question.prompt,
            help: &question.help,
            required: question.required,
            settings: serde_json::to_string(&question.spec).expect("question settings serialise"),
        })
        .returning(questions::id)
        .get_result(conn)
}

/// Rewrites a question in place (its code and position stay).
pub fn update_question(
    conn: &mut DbConnection,
    round_id: i64,
    question: &Question,
) -> QueryResult<bool> {
    note(Change::Round(round_id));
    diesel::update(
        questions::table
            .filter(questions::round_id.eq(round_id))
            .filter(questions::code.eq(&question.code)),
    )
    .set((
        questions::kind.eq(question.spec.kind()),
        questions::prompt.eq(&question.prompt),
        questions::help.eq(&question.help),
        questions::required.eq(question.required),
        questions::settings
            .eq(serde_json::to_string(&question.spec).expect("question settings serialise")),
    ))
    .execute(conn)
    .map(|n| n == 1)
}

/// The ids in their new order after moving the one with `code` by `step`, or `None`
/// at either end.
pub(super) fn swapped(rows: &[(i64, String)], code: &str, step: i32) -> Option<Vec<i64>> {
    let index = rows.iter().position(|r| r.1 == code)?;
    let other = index
        .checked_add_signed(step as isize)
        .filter(|i| *i < rows.len())?;
    let mut order: Vec<i64> = rows.iter().map(|r| r.0).collect();
    order.swap(index, other);
    Some(order)
}

/// Swaps a chapter with its neighbour (`-1` up, `+1` down); false at either end.
/// Positions are rewritten as 1..n so that equal or sparse positions never stall a move.
pub fn move_chapter(
    conn: &mut DbConnection,
    round_id: i64,
    code: &str,
    step: i32,
) -> QueryResult<bool> {
    note(Change::Round(round_id));
    let rows: Vec<(i64, String)> = chapters::table
        .filter(chapters::round_id.eq(round_id))
        .order((chapters::position, chapters::id))
        .select((chapters::id, chapters::code))
        .load(conn)?;
    let Some(order) = swapped(&rows, code, step) else {
        return Ok(false);
    };
    for (i, id) in order.iter().enumerate() {
        diesel::update(chapters::table.find(id))
            .set(chapters::position.eq(i as i32 + 1))
            .execute(conn)?;
    }
    Ok(true)
}

/// Swaps a question with its neighbour in its chapter.
pub fn move_question(
    conn: &mut DbConnection,
    round_id: i64,
    code: &str,
    step: i32,
) -> QueryResult<bool> {
    note(Change::Round(round_id));
    let Some(chapter) = questions::table
        .filter(questions::round_id.eq(round_id))
        .filter(questions::code.eq(code))
        .select(questions::chapter_id)
        .first::<i64>(conn)
        .optional()?
    else {
        return Ok(false);
    };
    let rows: Vec<(i64, String)> = questions::table
        .filter(questions::chapter_id.eq(chapter))
        .order((questions::position, questions::id))
        .select((questions::id, questions::code))
        .load(conn)?;
    let Some(order) = swapped(&rows, code, step) else {
        return Ok(false);
    };
    for (i, id) in order.iter().enumerate() {
        diesel::update(questions::table.find(id))
            .set(questions::position.eq(i as i32 + 1))
            .execute(conn)?;
    }
    Ok(true)
}

/// Deletes a chapter and, by the foreign key's cascade, its questions; false when the
/// round has no such chapter. (The service allows it in a draft only: no answers yet.)
pub fn delete_chapter(conn: &mut DbConnection, round_id: i64, code: &str) -> QueryResult<bool> {
    note(Change::Round(round_id));
    let chapter = chapters::table
        .filter(chapters::round_id.eq(round_id))
        .filter(chapters::code.eq(code));
    Ok(diesel::delete(chapter).execute(conn)? > 0)
}

/// Deletes a question; false when the round has no such question.
pub fn delete_question(conn: &mut DbConnection, round_id: i64, code: &str) -> QueryResult<bool> {
    note(Change::Round(round_id));
    let question = questions::table
        .filter(questions::round_id.eq(round_id))
        .filter(questions::code.eq(code));
    Ok(diesel::delete(question).execute(conn)? > 0)
}

pub fn question_count(conn: &mut DbConnection, round_id: i64) -> QueryResult<i64> {
    questions::table
        .filter(questions::round_id.eq(round_id))
        .count()
        .get_result(conn)
}

/// How many questions each round has (rounds without any are absent).
pub fn question_counts(
    conn: &mut DbConnection,
    round_ids: &[i64],
) -> QueryResult<std::collections::HashMap<i64, i64>> {
    let rows: Vec<(i64, i64)> = questions::table
        .filter(questions::round_id.eq_any(round_ids))
        .group_by(questions::round_id)
        .select((questions::round_id, diesel::dsl::count_star()))
        .load(conn)?;
    Ok(rows.into_iter().collect())
}
