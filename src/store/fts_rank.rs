//! How SQLite ranks full-text matches: `concerto_rank(table)`, an FTS5 auxiliary
//! function registered with every SQLite connection the process opens.
//!
//! It is BM25's term-frequency part (each phrase's count in the row, saturated by
//! `K1`, against the row's length relative to the average by `B`), without BM25's
//! inverse document frequency. FTS5's own `bm25()` counts, before its first row, the rows
//! of the whole index matching each phrase of the query: one more pass over the index per
//! phrase, as long as the search itself (a phrase in a question: 1.0 ms of 3.7; two
//! words: 1.1 of 3.2). The frequency only weighs the phrases of a query against each
//! other, and every row found holds all of them; PostgreSQL's `ts_rank` (the other
//! backend) uses no collection statistics either. For one word or one phrase the order
//! is BM25's (a test compares them).

use std::ffi::{c_char, c_int, c_void};
use std::sync::Once;

use libsqlite3_sys as ffi;

/// The function's name in SQL (the search's SQL files spell it).
const RANK: &std::ffi::CStr = c"concerto_rank";

/// BM25's usual constants (FTS5's `bm25()` has the same).
const K1: f64 = 1.2;
const B: f64 = 0.75;

static INSTALL: Once = Once::new();

/// Makes every SQLite connection opened from now on in this process know
/// `concerto_rank` (SQLite's automatic extensions; idempotent). Called before the first
/// connection is opened (`store::establish`).
pub fn install() {
    INSTALL.call_once(|| {
        // SAFETY: `register` has the signature SQLite calls automatic extensions with,
        // and it stays valid for the life of the process.
        let rc = unsafe { ffi::sqlite3_auto_extension(Some(register)) };
        if rc != ffi::SQLITE_OK {
            tracing::error!(rc, "SQLite's rank function could not be installed");
        }
    });
}

/// Registers `concerto_rank` with connection `db` as it opens. FTS5 is compiled in (the
/// bundled SQLite): an error here makes the opening fail, which says so.
unsafe extern "C" fn register(
    db: *mut ffi::sqlite3,
    _error: *mut *mut c_char,
    _api: *const ffi::sqlite3_api_routines,
) -> c_int {
    // SAFETY: `db` is the connection being opened, valid during this call.
    let api = unsafe { fts5_api(db) };
    if api.is_null() {
        return ffi::SQLITE_ERROR;
    }
    // SAFETY: `api` is FTS5's, valid while `db` is open; the name is a C string; the
    // function has FTS5's signature and keeps no user data.
    unsafe {
        match (*api).xCreateFunction {
            Some(create) => create(api, RANK.as_ptr(), std::ptr::null_mut(), Some(rank), None),
            None => ffi::SQLITE_ERROR,
        }
    }
}

/// FTS5's API object of connection `db` (`SELECT fts5(?)` with a pointer bound), or null.
unsafe fn fts5_api(db: *mut ffi::sqlite3) -> *mut ffi::fts5_api {
    let mut api: *mut ffi::fts5_api = std::ptr::null_mut();
    let mut statement: *mut ffi::sqlite3_stmt = std::ptr::null_mut();
    // SAFETY: `db` is open; the statement is finalised before returning; the pointer
    // bound is to `api`, which outlives the statement, under the type name FTS5 expects.
    unsafe {
        let sql = c"SELECT fts5(?1)";
        if ffi::sqlite3_prepare_v2(db, sql.as_ptr(), -1, &mut statement, std::ptr::null_mut())
            != ffi::SQLITE_OK
        {
            return std::ptr::null_mut();
        }
        ffi::sqlite3_bind_pointer(
            statement,
            1,
            (&raw mut api).cast::<c_void>(),
            c"fts5_api_ptr".as_ptr(),
            None,
        );
        ffi::sqlite3_step(statement);
        ffi::sqlite3_finalize(statement);
    }
    // `xCreateFunction` is in every version of the API object.
    if !api.is_null() && unsafe { (*api).iVersion } < 1 {
        return std::ptr::null_mut();
    }
    api
}

/// What one statement's rows share: the table's average row length, and room for the
/// phrases' counts.
struct Query {
    average_length: f64,
    counts: Vec<f64>,
}

unsafe extern "C" fn free_query(query: *mut c_void) {
    // SAFETY: the pointer is the `Box<Query>` leaked in `query_of`, given back once.
    drop(unsafe { Box::from_raw(query.cast::<Query>()) });
}

/// The statement's `Query`, made at its first row (SQLite keeps it until the statement
/// ends); None on an error of FTS5's, in `rc`.
unsafe fn query_of<'a>(
    api: &ffi::Fts5ExtensionApi,
    fts: *mut ffi::Fts5Context,
    rc: &mut c_int,
) -> Option<&'a mut Query> {
    // SAFETY (whole function): `api` and `fts` are those FTS5 passed to `rank`, valid
    // during the call; the auxiliary data is only ever a `Query` set here.
    unsafe {
        let kept = api.xGetAuxdata?(fts, 0).cast::<Query>();
        if !kept.is_null() {
            return Some(&mut *kept);
        }
        let (mut rows, mut tokens) = (0i64, 0i64);
        *rc = api.xRowCount?(fts, &mut rows);
        if *rc == ffi::SQLITE_OK {
            *rc = api.xColumnTotalSize?(fts, -1, &mut tokens);
        }
        if *rc != ffi::SQLITE_OK {
            return None;
        }
        let phrases = usize::try_from(api.xPhraseCount?(fts)).unwrap_or(0);
        let query = Box::into_raw(Box::new(Query {
            average_length: tokens as f64 / rows.max(1) as f64,
            counts: vec![0.0; phrases],
        }));
        *rc = api.xSetAuxdata?(fts, query.cast::<c_void>(), Some(free_query));
        // On an error SQLite has already freed it.
        (*rc == ffi::SQLITE_OK).then(|| &mut *query)
    }
}

/// The rank of the current row: higher is better.
unsafe extern "C" fn rank(
    api: *const ffi::Fts5ExtensionApi,
    fts: *mut ffi::Fts5Context,
    context: *mut ffi::sqlite3_context,
    _values: c_int,
    _args: *mut *mut ffi::sqlite3_value,
) {
    // SAFETY: FTS5 passes its API object, the current row's context and the result's,
    // valid during the call.
    unsafe {
        let mut rc = ffi::SQLITE_OK;
        match score(&*api, fts, &mut rc) {
            Some(score) => ffi::sqlite3_result_double(context, score),
            None => ffi::sqlite3_result_error_code(
                context,
                if rc == ffi::SQLITE_OK {
                    ffi::SQLITE_ERROR
                } else {
                    rc
                },
            ),
        }
    }
}

unsafe fn score(
    api: &ffi::Fts5ExtensionApi,
    fts: *mut ffi::Fts5Context,
    rc: &mut c_int,
) -> Option<f64> {
    // SAFETY: as in `rank`.
    unsafe {
        let query = query_of(api, fts, rc)?;
        query.counts.iter_mut().for_each(|c| *c = 0.0);
        let mut instances = 0;
        *rc = api.xInstCount?(fts, &mut instances);
        for i in 0..instances {
            if *rc != ffi::SQLITE_OK {
                break;
            }
            let (mut phrase, mut column, mut offset) = (0, 0, 0);
            *rc = api.xInst?(fts, i, &mut phrase, &mut column, &mut offset);
            if let Some(count) = usize::try_from(phrase)
                .ok()
                .and_then(|p| query.counts.get_mut(p))
            {
                *count += 1.0;
            }
        }
        let mut length = 0;
        if *rc == ffi::SQLITE_OK {
            *rc = api.xColumnSize?(fts, -1, &mut length);
        }
        (*rc == ffi::SQLITE_OK).then(|| {
            saturated(
                &query.counts,
                f64::from(length) / query.average_length.max(1.0),
            )
        })
    }
}

/// BM25's term-frequency part: each phrase's count saturated, against the row's length
/// relative to the average.
fn saturated(counts: &[f64], relative_length: f64) -> f64 {
    counts
        .iter()
        .map(|f| f * (K1 + 1.0) / (f + K1 * (1.0 - B + B * relative_length)))
        .sum()
}

#[cfg(test)]
mod tests {
    use diesel::connection::SimpleConnection;
    use diesel::prelude::*;
    use diesel::sql_types::{BigInt, Double, Text};

    use super::*;

    #[derive(QueryableByName)]
    struct Ranked {
        #[diesel(sql_type = BigInt)]
        id: i64,
        #[diesel(sql_type = Double)]
        ours: f64,
        #[diesel(sql_type = Double)]
        bm25: f64,
    }

    fn ranked(conn: &mut SqliteConnection, query: &str) -> Vec<Ranked> {
        diesel::sql_query(
            "SELECT rowid AS id, concerto_rank(t) AS ours, -bm25(t) AS bm25 \
             FROM t WHERE t MATCH ? ORDER BY ours DESC, id",
        )
        .bind::<Text, _>(query)
        .load(conn)
        .unwrap()
    }

    #[test]
    fn ranks_by_saturated_frequency_against_length() {
        install();
        let mut conn = SqliteConnection::establish(":memory:").unwrap();
        conn.batch_execute(
            "CREATE VIRTUAL TABLE t USING fts5(body, tokenize = 'unicode61 remove_diacritics 2');
             INSERT INTO t (rowid, body) VALUES
               (1, 'soins à domicile'),
               (2, 'les soins à domicile et encore des soins à domicile pour tous'),
               (3, 'soins à domicile pour les personnes âgées isolées dans les campagnes'),
               (4, 'des soins ici, un domicile là'),
               (5, 'rien à voir');",
        )
        .unwrap();

        // Hand-computed: 35 tokens in 5 rows (average 7). Row 1: the phrase once in 3
        // tokens, 2.2 / (1 + 1.2 × (0.25 + 0.75 × 3/7)) = 1.305; row 2: twice in 12,
        // 4.4 / (2 + 1.2 × (0.25 + 0.75 × 12/7)) = 1.145; row 3: once in 11, 0.811.
        let found = ranked(&mut conn, "\"soins à domicile\"");
        let expected = 2.2 / (1.0 + 1.2 * (0.25 + 0.75 * 3.0 / 7.0));
        assert_eq!(found.iter().map(|r| r.id).collect::<Vec<_>>(), [1, 2, 3]);
        let first = found.iter().find(|r| r.id == 1).unwrap();
        assert!((first.ours - expected).abs() < 1e-9, "{}", first.ours);

        // One word or one phrase: the order is BM25's.
        for query in ["\"soins à domicile\"", "soins", "domicile", "\"les\"*"] {
            let found = ranked(&mut conn, query);
            let mut by_bm25: Vec<(i64, f64)> = found.iter().map(|r| (r.id, r.bm25)).collect();
            by_bm25.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            let ours: Vec<i64> = found.iter().map(|r| r.id).collect();
            let theirs: Vec<i64> = by_bm25.iter().map(|r| r.0).collect();
            assert_eq!(ours, theirs, "{query}");
            assert!(!ours.is_empty(), "{query}");
        }

        // Outside a full-text query it is an error, not a crash.
        assert!(
            diesel::sql_query("SELECT concerto_rank(1) AS n")
                .execute(&mut conn)
                .is_err()
        );
    }

    #[test]
    fn shorter_rows_rank_higher_at_equal_counts() {
        assert!(saturated(&[1.0], 0.5) > saturated(&[1.0], 2.0));
        assert!(saturated(&[2.0], 1.0) > saturated(&[1.0], 1.0));
        // Saturation: ten times the count is far from ten times the score.
        assert!(saturated(&[10.0], 1.0) < 2.0 * saturated(&[1.0], 1.0));
        assert_eq!(saturated(&[0.0, 0.0], 1.0), 0.0);
    }
}
