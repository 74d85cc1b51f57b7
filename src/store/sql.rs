//! The statements diesel's query builder cannot say, kept in `sql/*.sql` (crates.io's
//! pattern) and built once. Their `{placeholders}` are filled here from the domain's
//! definitions (statuses, the right to write: `write_rules`), so the SQL never spells a
//! rule of its own. SQLite numbers its parameters `?N`: its statements are the same text
//! with `$` turned into `?` (a `$N` there would be a name, numbered by appearance).

use std::sync::LazyLock;

use super::outbox::EmailState;
use super::search::Shape;
use super::write_rules::{member_may_write, version_after, version_is_current, version_is_first};
use crate::domain::answers::FIRST_VERSION;
use crate::domain::responses::ResponseStatus;

/// `template` with each `{name}` replaced; a placeholder left unfilled is a bug, found by
/// the first use (and by `tests::every_statement_is_whole`).
fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut sql = template.to_owned();
    for (name, value) in values {
        sql = sql.replace(&format!("{{{name}}}"), value);
    }
    assert!(!sql.contains('{'), "a placeholder left unfilled in:\n{sql}");
    sql
}

fn for_sqlite(sql: &str) -> String {
    sql.replace('$', "?")
}

/// The round open and the response a draft at the statement's moment (parameters named
/// by `now`, `round` and `response`); on PostgreSQL the response's row held until the
/// transaction ends.
fn still_open(postgres: bool, now: &str, round: &str, response: &str) -> String {
    let hold = if postgres { " FOR SHARE" } else { "" };
    fill(
        include_str!("sql/still_open.sql"),
        &[
            ("now", now),
            ("round", round),
            ("response", response),
            ("draft_status", ResponseStatus::Draft.as_str()),
            ("hold", hold),
        ],
    )
}

/// One answer's write (`store::responses::write_if_current`): a first version, or a new
/// one, each with its history row on PostgreSQL (SQLite adds the history row after).
pub struct AnswerWrite {
    pub insert: String,
    pub update: String,
}

/// The version rule's fragments for one answer's statements: the answer is the table
/// `answers` itself, the version seen `$7`.
fn one_answer(change: &str, still_open: &str) -> String {
    fill(
        change,
        &[
            ("still_open", still_open),
            ("version_is_current", &version_is_current("answers", "$7")),
            ("next_version", &version_after("answers")),
            ("first_version", &FIRST_VERSION.to_string()),
        ],
    )
}

pub static ANSWER_POSTGRES: LazyLock<AnswerWrite> = LazyLock::new(|| {
    let open = still_open(true, "$3", "$6", "$4");
    let with_history = |change: &str| {
        let change = one_answer(change, &open);
        fill(include_str!("sql/with_history.sql"), &[("change", &change)])
    };
    AnswerWrite {
        insert: with_history(include_str!("sql/answer_insert.sql")),
        update: with_history(include_str!("sql/answer_update.sql")),
    }
});

pub static ANSWER_SQLITE: LazyLock<AnswerWrite> = LazyLock::new(|| {
    let open = still_open(false, "$3", "$6", "$4");
    let statement = |change: &str| for_sqlite(&one_answer(change, &open));
    AnswerWrite {
        insert: statement(include_str!("sql/answer_insert.sql")),
        update: statement(include_str!("sql/answer_update.sql")),
    }
});

/// Several answers of one response at once (PostgreSQL).
pub static ANSWERS_IF_CURRENT: LazyLock<String> = LazyLock::new(|| {
    fill(
        include_str!("sql/answers_if_current.sql"),
        &[
            ("still_open", &still_open(true, "$6", "$7", "$4")),
            ("version_is_current", &version_is_current("a", "i.expected")),
            ("next_version", &version_after("a")),
            ("version_is_first", &version_is_first("i.expected")),
            ("first_version", &FIRST_VERSION.to_string()),
        ],
    )
});

fn member_write(input: &str, update: &str, check: &str) -> String {
    fill(
        include_str!("sql/member_write.sql"),
        &[
            ("input", input),
            ("update", update),
            ("check", check),
            ("may_write", &member_may_write("o", "m")),
            ("draft_status", ResponseStatus::Draft.as_str()),
            ("next_version", &version_after("a")),
        ],
    )
}

/// The autosave of one answer by a member, in one statement (PostgreSQL): its own
/// statement, which finds the answer by its key (the arrays' join reads all of the
/// response's answers to find one).
pub static MEMBER_WRITE_ONE: LazyLock<String> = LazyLock::new(|| {
    member_write(
        "input AS (SELECT $1::bigint AS question_id, $2::text AS value, $3::integer AS expected), ",
        &format!("a.question_id = $1 AND {}", version_is_current("a", "$3")),
        "",
    )
});

/// The same for several answers, all or none (`concerto_all_written` undoes a statement
/// that wrote only some).
pub static MEMBER_WRITE_MANY: LazyLock<String> = LazyLock::new(|| {
    member_write(
        "input AS (SELECT * FROM unnest($1::bigint[], $2::text[], $3::integer[]) \
         AS i(question_id, value, expected)), ",
        &format!(
            "a.question_id = i.question_id AND {}",
            version_is_current("a", "i.expected")
        ),
        " WHERE concerto_all_written((SELECT count(*) FROM written), $8)",
    )
});

fn member_transition(from: ResponseStatus, change: &str) -> String {
    fill(
        include_str!("sql/member_transition.sql"),
        &[
            ("may_write", &member_may_write("o", "m")),
            ("from", from.as_str()),
            ("change", change),
        ],
    )
}

/// A member's submission of the draft ($10: the publication consent).
pub static MEMBER_SUBMIT: LazyLock<String> = LazyLock::new(|| {
    member_transition(
        ResponseStatus::Draft,
        &format!(
            "status = '{}', submitted_at = $4, submitted_by = $3, publication_consent = $10, \
             updated_at = $4",
            ResponseStatus::Submitted.as_str()
        ),
    )
});

/// A member's reopening of the submitted response.
pub static MEMBER_REOPEN: LazyLock<String> = LazyLock::new(|| {
    member_transition(
        ResponseStatus::Submitted,
        &format!(
            "status = '{}', updated_at = $4",
            ResponseStatus::Draft.as_str()
        ),
    )
});

/// The outbox's claim of due emails, per backend.
pub static OUTBOX_CLAIM_POSTGRES: LazyLock<String> = LazyLock::new(|| {
    fill(
        include_str!("sql/outbox_claim.postgres.sql"),
        &[("pending_state", EmailState::Pending.as_str())],
    )
});

pub static OUTBOX_CLAIM_SQLITE: LazyLock<String> = LazyLock::new(|| {
    fill(
        include_str!("sql/outbox_claim.sqlite.sql"),
        &[("pending_state", EmailState::Pending.as_str())],
    )
});

static SEARCHED_KINDS: LazyLock<String> = LazyLock::new(|| {
    let quoted: Vec<String> = crate::domain::search::SEARCHED_KINDS
        .iter()
        .map(|k| format!("'{k}'"))
        .collect();
    quoted.join(", ")
});

/// A batch of SQLite's noted answers folded into its search index (`store::search`).
pub static SEARCH_CATCH_UP_SQLITE: LazyLock<String> = LazyLock::new(|| {
    let batch = super::search::CATCH_UP_BATCH.to_string();
    fill(
        include_str!("sql/search_catch_up.sqlite.sql"),
        &[("batch", &batch)],
    )
});

/// The search of a round's answers, per backend, one text per shape of its filters
/// (`store::search::Shape`, indexed by `Shape::index`).
pub static SEARCH_POSTGRES: LazyLock<Vec<String>> =
    LazyLock::new(|| search_texts(include_str!("sql/search.postgres.sql"), true));

pub static SEARCH_SQLITE: LazyLock<Vec<String>> =
    LazyLock::new(|| search_texts(include_str!("sql/search.sqlite.sql"), false));

fn search_texts(template: &str, postgres: bool) -> Vec<String> {
    (0..Shape::COUNT)
        .map(|index| {
            let shape = Shape::from_index(index);
            // On PostgreSQL, the index is read per question asked (the SQL says why).
            let matched = if shape.asks_questions() {
                "NOT MATERIALIZED"
            } else {
                "MATERIALIZED"
            };
            fill(
                template,
                &[
                    ("searched_kinds", &SEARCHED_KINDS),
                    ("filters", &shape.clauses(postgres)),
                    ("matched", matched),
                ],
            )
        })
        .collect()
}

/// The search of a round's documents (their extracted texts), per backend, one text per
/// shape of the same filters (`store::search::Shape::document_clauses`).
pub static SEARCH_DOCUMENTS_POSTGRES: LazyLock<Vec<String>> = LazyLock::new(|| {
    document_search_texts(include_str!("sql/search_documents.postgres.sql"), true)
});

pub static SEARCH_DOCUMENTS_SQLITE: LazyLock<Vec<String>> =
    LazyLock::new(|| document_search_texts(include_str!("sql/search_documents.sqlite.sql"), false));

fn document_search_texts(template: &str, postgres: bool) -> Vec<String> {
    (0..Shape::COUNT)
        .map(|index| {
            let shape = Shape::from_index(index);
            fill(template, &[("filters", &shape.document_clauses(postgres))])
        })
        .collect()
}

/// Answers tagged per theme, question and organisation kind (`store::themes::cells`).
pub static THEME_CELLS_POSTGRES: &str = include_str!("sql/theme_cells.sql");
pub static THEME_CELLS_SQLITE: LazyLock<String> =
    LazyLock::new(|| for_sqlite(THEME_CELLS_POSTGRES));

#[cfg(test)]
mod tests {
    use super::*;

    /// Every statement builds with each placeholder filled (`fill` panics otherwise).
    #[test]
    fn every_statement_is_whole() {
        let mut statements: Vec<&str> = vec![
            &ANSWER_POSTGRES.insert,
            &ANSWER_POSTGRES.update,
            &SEARCH_CATCH_UP_SQLITE,
            &ANSWER_SQLITE.insert,
            &ANSWER_SQLITE.update,
            &ANSWERS_IF_CURRENT,
            &MEMBER_WRITE_ONE,
            &MEMBER_WRITE_MANY,
            &MEMBER_SUBMIT,
            &MEMBER_REOPEN,
            &OUTBOX_CLAIM_POSTGRES,
            &OUTBOX_CLAIM_SQLITE,
        ];
        // Every shape of the search's filters.
        statements.extend(SEARCH_POSTGRES.iter().map(String::as_str));
        statements.extend(SEARCH_SQLITE.iter().map(String::as_str));
        statements.extend(SEARCH_DOCUMENTS_POSTGRES.iter().map(String::as_str));
        statements.extend(SEARCH_DOCUMENTS_SQLITE.iter().map(String::as_str));
        for sql in statements {
            assert!(sql.len() > 80, "{sql}");
        }
        assert!(!ANSWER_SQLITE.update.contains('$'));
        // Each shape numbers its values from 1 without a gap (PostgreSQL refuses a
        // parameter it is given and does not use), as `store::search::search` binds them.
        let shapes = SEARCH_POSTGRES.iter().zip(SEARCH_SQLITE.iter()).chain(
            SEARCH_DOCUMENTS_POSTGRES
                .iter()
                .zip(SEARCH_DOCUMENTS_SQLITE.iter()),
        );
        for (index, (sql, sqlite)) in shapes.enumerate() {
            let index = index % Shape::COUNT;
            let code: String = sql
                .lines()
                .filter(|line| !line.trim_start().starts_with("--"))
                .collect();
            let used: std::collections::BTreeSet<usize> = code
                .split('$')
                .skip(1)
                .filter_map(|after| {
                    let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
                    digits.parse().ok()
                })
                .collect();
            let valued = (index & 0b1111).count_ones() as usize;
            assert_eq!(used, (1..=4 + valued).collect(), "{sql}");
            assert!(sqlite.contains(&format!("?{}", 4 + valued)), "{sqlite}");
        }
        let editor = crate::domain::organisations::MemberRole::Editor;
        assert!(MEMBER_WRITE_ONE.contains(&format!("'{editor}'")));
    }
}
