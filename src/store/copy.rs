//! Moving a whole installation to another database (`concerto db copy`): from SQLite to
//! PostgreSQL when an installation outgrows one file, or back (a copy to study
//! offline). Every table is copied, parents before children, in one transaction on the
//! target, read from one snapshot of the source; then, before that transaction commits,
//! every table's rows are counted on both sides and every answer compared, so a copy
//! is whole and exact or is not there at all.
//!
//! Rows travel as JSON, which both engines read and write natively (`json_object` and
//! `json_each` on SQLite, `json_build_object` and `json_populate_recordset` on
//! PostgreSQL): one code path for every table and both directions, and the schema (the
//! same portable types on both backends: BIGINT, INTEGER, TEXT, BOOLEAN, TIMESTAMP) is
//! read from the databases themselves. The search index is not copied: each database
//! builds its own from the answers written (a generated column, triggers).

use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use sha2::{Digest, Sha256};

use super::{Backend, DatabaseUrl, DbConnection, StoreError, establish, migrate, schema::answers};

/// Every table, parents before children (the order their foreign keys need). A test
/// checks it against the tables the migrations make, on both backends.
pub const TABLES: [&str; 34] = [
    "users",
    "rounds",
    "chapters",
    "questions",
    "platform_settings",
    "sessions",
    "email_tokens",
    "api_tokens",
    "recovery_codes",
    "outbox",
    "audit_events",
    "organisations",
    "memberships",
    "organisation_invitations",
    "round_invitations",
    "responses",
    "answers",
    "answer_history",
    "round_reminders",
    "kept_drafts",
    "themes",
    "tags",
    "theme_dismissals",
    "redactions",
    "answer_fingerprints",
    "campaigns",
    "campaign_answers",
    "syntheses",
    "synthesis_sections",
    "synthesis_revisions",
    "synthesis_publications",
    "synthesis_relays",
    "stored_files",
    "attachments",
];

/// Columns that name a row of their own table (a theme's parent): a row may name one
/// with a later id (a parent chosen after both were made), so they are written empty,
/// then set once the whole table is in. A test fails on a self-reference not listed.
pub const SELF_REFERENCES: [(&str, &str); 1] = [("themes", "parent_id")];

/// Rows per round trip.
const BATCH: i64 = 2_000;

/// How the copy goes, for a progress bar.
pub enum Step {
    /// The rows to copy in all.
    Total(u64),
    Table(&'static str),
    Rows(u64),
    /// The copy is written; counting and comparing.
    Verifying,
}

/// A copy made and verified.
pub struct Copied {
    /// Rows per table, the same on both sides.
    pub tables: Vec<(&'static str, i64)>,
    pub answers: i64,
    /// SHA-256 of every answer (id, response, question, version, value), on both sides.
    pub answers_digest: String,
    pub took: Duration,
}

impl Copied {
    pub fn rows(&self) -> i64 {
        self.tables.iter().map(|(_, n)| n).sum()
    }
}

fn refused(what: impl std::fmt::Display) -> StoreError {
    StoreError::Io(what.to_string())
}

/// Copies everything in `from` to `to`, which must be empty (it is brought to this
/// version's schema first); `from` must be at this version's schema already.
pub fn copy(
    from: &DatabaseUrl,
    to: &DatabaseUrl,
    timeout: Duration,
    progress: &mut dyn FnMut(Step),
) -> Result<Copied, StoreError> {
    let started = Instant::now();
    if from.redacted() == to.redacted() {
        return Err(refused("la source et la cible sont la même base"));
    }
    let mut source = establish(from, timeout)?;
    if super::pending_migrations(&mut source)? > 0 {
        return Err(refused(format!(
            "la base source ({}) n'est pas au schéma de cette version : lancez d'abord \
             `concerto migrate` sur elle (CONCERTO_DATABASE_URL={})",
            from.redacted(),
            from.redacted()
        )));
    }
    let mut target = establish(to, timeout)?;
    migrate(&mut target)?;
    let mut plans = Vec::with_capacity(TABLES.len());
    for table in TABLES {
        let columns = columns(&mut source, table)?;
        let theirs = columns_of(&mut target, table)?;
        if sorted(&columns) != sorted(&theirs) {
            return Err(refused(format!(
                "la table {table} n'a pas les mêmes colonnes dans la source et la cible"
            )));
        }
        let present = count(&mut target, table)?;
        if present > 0 {
            return Err(refused(format!(
                "la base cible ({}) n'est pas vide (table {table}, lignes : {present}) : \
                 la copie se fait dans une base neuve",
                to.redacted()
            )));
        }
        plans.push((table, columns));
    }

    // One snapshot of the source, whatever writes to it meanwhile.
    source
        .batch_execute(match from.backend {
            Backend::Sqlite => "BEGIN",
            Backend::Postgres => "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
        })
        .map_err(|e| refused(format!("lecture de la source impossible : {e}")))?;
    let copied = super::write_transaction(&mut target, |target| {
        let mut counts = Vec::with_capacity(plans.len());
        for (table, _) in &plans {
            counts.push((*table, count(&mut source, table)?));
        }
        progress(Step::Total(counts.iter().map(|(_, n)| *n as u64).sum()));
        for (table, columns) in &plans {
            progress(Step::Table(table));
            copy_table(&mut source, target, table, columns, progress)?;
        }
        if let DbConnection::Postgres(_) = target {
            for (table, columns) in &plans {
                if columns.iter().any(|(name, _)| name == "id") {
                    target.batch_execute(&format!(
                        "SELECT setval(pg_get_serial_sequence('{table}', 'id'), \
                         COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
                    ))?;
                }
            }
        }
        // SQLite's search index, from the answers written (see `search::catch_up`).
        super::search::catch_up(target)?;
        progress(Step::Verifying);
        for (table, expected) in &counts {
            let written = count(target, table)?;
            if written != *expected {
                return Err(refused(format!(
                    "table {table} : lignes lues {expected}, écrites {written} ; rien n'est gardé"
                )));
            }
        }
        let (answers, digest) = compare_answers(&mut source, target)?;
        Ok::<_, StoreError>(Copied {
            tables: counts,
            answers,
            answers_digest: digest,
            took: Duration::ZERO,
        })
    });
    let _ = source.batch_execute("ROLLBACK");
    let mut copied = copied?;
    copied.took = started.elapsed();
    Ok(copied)
}

impl From<diesel::result::Error> for StoreError {
    fn from(e: diesel::result::Error) -> Self {
        refused(format!("copie interrompue : {e}"))
    }
}

/// A column: its name, and whether it holds a timestamp.
type Column = (String, bool);

fn sorted(columns: &[Column]) -> Vec<&str> {
    let mut names: Vec<&str> = columns.iter().map(|(n, _)| n.as_str()).collect();
    names.sort_unstable();
    names
}

#[derive(QueryableByName)]
struct ColumnRow {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    kind: String,
}

/// The columns of `table` as the database has them.
fn columns_of(conn: &mut DbConnection, table: &str) -> QueryResult<Vec<Column>> {
    let query = match conn {
        DbConnection::Sqlite(_) => {
            "SELECT name, type AS kind FROM pragma_table_info(?) ORDER BY cid".to_owned()
        }
        // (A generated column, the search index, is the target's to compute.)
        DbConnection::Postgres(_) => "SELECT column_name::text AS name, data_type::text AS kind \
             FROM information_schema.columns WHERE table_schema = current_schema() \
             AND table_name = $1 AND is_generated = 'NEVER' ORDER BY ordinal_position"
            .to_owned(),
    };
    let rows: Vec<ColumnRow> = diesel::sql_query(query).bind::<Text, _>(table).load(conn)?;
    Ok(rows
        .into_iter()
        .map(|c| (c.name, c.kind.to_ascii_lowercase().starts_with("timestamp")))
        .collect())
}

/// The source's columns, which must exist (a table the source lacks is a schema that is
/// not this version's).
fn columns(conn: &mut DbConnection, table: &str) -> Result<Vec<Column>, StoreError> {
    let columns = columns_of(conn, table)?;
    if columns.is_empty() {
        return Err(refused(format!("la base source n'a pas de table {table}")));
    }
    Ok(columns)
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

fn count(conn: &mut DbConnection, table: &str) -> QueryResult<i64> {
    diesel::sql_query(format!("SELECT COUNT(*) AS n FROM {table}"))
        .get_result::<Count>(conn)
        .map(|c| c.n)
}

#[derive(QueryableByName)]
struct JsonRow {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Text)]
    row: String,
}

/// Copies one table in batches of `BATCH` rows, in the order of its `id` (or all at once
/// for the small tables keyed otherwise).
fn copy_table(
    source: &mut DbConnection,
    target: &mut DbConnection,
    table: &str,
    columns: &[Column],
    progress: &mut dyn FnMut(Step),
) -> Result<(), StoreError> {
    let keyed = columns.iter().any(|(name, _)| name == "id");
    let deferred = SELF_REFERENCES
        .iter()
        .find(|(t, _)| *t == table)
        .map(|(_, column)| *column);
    let read = read_sql(source, table, columns, keyed);
    let write = write_sql(target, table, columns, deferred);
    let mut after = i64::MIN;
    loop {
        let rows: Vec<JsonRow> = diesel::sql_query(&read)
            .bind::<BigInt, _>(after)
            .load(source)?;
        let Some(last) = rows.last() else { break };
        after = last.id;
        let batch = format!(
            "[{}]",
            rows.iter()
                .map(|r| r.row.as_str())
                .collect::<Vec<_>>()
                .join(",")
        );
        diesel::sql_query(&write)
            .bind::<Text, _>(batch)
            .execute(target)?;
        progress(Step::Rows(rows.len() as u64));
        if !keyed || (rows.len() as i64) < BATCH {
            break;
        }
    }
    if let Some(column) = deferred {
        set_references(source, target, table, column)?;
    }
    Ok(())
}

/// Sets `table.column` on the target as it is on the source, for the rows where it is
/// not empty (written empty by `copy_table`).
fn set_references(
    source: &mut DbConnection,
    target: &mut DbConnection,
    table: &str,
    column: &str,
) -> QueryResult<()> {
    let read = match source {
        DbConnection::Sqlite(_) => format!(
            "SELECT 0 AS id, json_group_array(json_object('id', id, '{column}', {column})) \
             AS row FROM {table} WHERE {column} IS NOT NULL"
        ),
        DbConnection::Postgres(_) => format!(
            "SELECT 0::bigint AS id, COALESCE(json_agg(json_build_object('id', id, \
             '{column}', {column})), '[]')::text AS row FROM {table} WHERE {column} IS NOT NULL"
        ),
    };
    let pairs = diesel::sql_query(read).get_result::<JsonRow>(source)?.row;
    let write = match target {
        DbConnection::Sqlite(_) => format!(
            "UPDATE {table} SET {column} = (SELECT json_extract(value, '$.{column}') \
             FROM json_each(?1) WHERE json_extract(value, '$.id') = {table}.id) \
             WHERE id IN (SELECT json_extract(value, '$.id') FROM json_each(?1))"
        ),
        DbConnection::Postgres(_) => format!(
            "UPDATE {table} t SET {column} = s.{column} \
             FROM json_populate_recordset(NULL::{table}, $1::json) s WHERE t.id = s.id"
        ),
    };
    diesel::sql_query(write)
        .bind::<Text, _>(pairs)
        .execute(target)
        .map(|_| ())
}

/// One batch of `table` as JSON objects, after the `id` bound as the only parameter.
fn read_sql(conn: &DbConnection, table: &str, columns: &[Column], keyed: bool) -> String {
    let (object, parameter) = match conn {
        DbConnection::Sqlite(_) => ("json_object", "?"),
        DbConnection::Postgres(_) => ("json_build_object", "$1"),
    };
    let pairs: Vec<String> = columns
        .iter()
        .map(|(name, _)| format!("'{name}', \"{name}\""))
        .collect();
    let pairs = pairs.join(", ");
    let cast = if matches!(conn, DbConnection::Postgres(_)) {
        "::text"
    } else {
        ""
    };
    if keyed {
        format!(
            "SELECT id, {object}({pairs}){cast} AS row FROM {table} \
             WHERE id > {parameter} ORDER BY id LIMIT {BATCH}"
        )
    } else {
        // The bound parameter is still given, and compared to nothing that matters.
        format!(
            "SELECT CAST({parameter} AS BIGINT) AS id, {object}({pairs}){cast} AS row \
             FROM {table}"
        )
    }
}

/// Inserts the rows of a JSON array (the only parameter) into `table`, with the
/// `deferred` column empty.
fn write_sql(
    conn: &DbConnection,
    table: &str,
    columns: &[Column],
    deferred: Option<&str>,
) -> String {
    let names: Vec<String> = columns.iter().map(|(n, _)| format!("\"{n}\"")).collect();
    let names = names.join(", ");
    match conn {
        DbConnection::Postgres(_) => {
            let values: Vec<String> = columns
                .iter()
                .map(|(n, _)| {
                    if Some(n.as_str()) == deferred {
                        "NULL".to_owned()
                    } else {
                        format!("\"{n}\"")
                    }
                })
                .collect();
            format!(
                "INSERT INTO {table} ({names}) SELECT {} \
                 FROM json_populate_recordset(NULL::{table}, $1::json)",
                values.join(", ")
            )
        }
        DbConnection::Sqlite(_) => {
            // PostgreSQL's JSON writes timestamps with a `T`; SQLite compares them as
            // text, in the form diesel writes (a space).
            let values: Vec<String> = columns
                .iter()
                .map(|(name, timestamp)| {
                    let value = format!("json_extract(value, '$.\"{name}\"')");
                    if Some(name.as_str()) == deferred {
                        "NULL".to_owned()
                    } else if *timestamp {
                        format!("replace({value}, 'T', ' ')")
                    } else {
                        value
                    }
                })
                .collect();
            format!(
                "INSERT INTO {table} ({names}) SELECT {} FROM json_each(?)",
                values.join(", ")
            )
        }
    }
}

type AnswerRow = (i64, i64, i64, i32, Option<String>);

/// Compares every answer on both sides, in order; returns how many and their digest.
fn compare_answers(
    source: &mut DbConnection,
    target: &mut DbConnection,
) -> Result<(i64, String), StoreError> {
    let batch = |conn: &mut DbConnection, after: i64| -> QueryResult<Vec<AnswerRow>> {
        answers::table
            .filter(answers::id.gt(after))
            .order(answers::id)
            .limit(BATCH)
            .select((
                answers::id,
                answers::response_id,
                answers::question_id,
                answers::version,
                answers::value,
            ))
            .load(conn)
    };
    let (mut digest, mut compared, mut after) = (Sha256::new(), 0, i64::MIN);
    loop {
        let (theirs, ours) = (batch(source, after)?, batch(target, after)?);
        if let Some(i) = (0..theirs.len().max(ours.len())).find(|i| theirs.get(*i) != ours.get(*i))
        {
            let id = theirs.get(i).or(ours.get(i)).map_or(0, |a| a.0);
            return Err(refused(format!(
                "la réponse n° {id} diffère entre la source et la cible ; rien n'est gardé"
            )));
        }
        for (id, response, question, version, value) in &theirs {
            digest.update(format!(
                "{id}\t{response}\t{question}\t{version}\t{value:?}\n"
            ));
        }
        compared += theirs.len() as i64;
        match theirs.last() {
            Some(last) if theirs.len() as i64 == BATCH => after = last.0,
            _ => break,
        }
    }
    let digest = crate::hex::hex(&digest.finalize());
    Ok((compared, digest))
}
