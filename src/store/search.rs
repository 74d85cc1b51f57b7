//! The search of a round's answers (`domain::search` says what each backend does). The
//! index is the database's: on PostgreSQL a generated column, always whole; on SQLite an
//! FTS5 table into which the answers the triggers noted are folded before each search
//! (`catch_up`, migration 000020).

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Double, Nullable, Text};

use super::DbConnection;
use super::prepared::Prepared;
use crate::domain::organisations::OrganisationKind;
use crate::domain::search::SearchQuery;
use crate::domain::search::excerpt::{Marker, Piece};

/// What narrows a search.
#[derive(Debug, Clone, Default)]
pub struct Filters {
    pub chapter: Option<String>,
    pub question: Option<String>,
    pub kind: Option<OrganisationKind>,
    /// Only answers tagged with this theme (by anyone).
    pub theme: Option<i64>,
    /// Drafts too (by default, submitted responses only).
    pub drafts: bool,
}

/// One answer found.
#[derive(Debug)]
pub struct Hit {
    pub answer_id: i64,
    pub response_id: i64,
    pub organisation_id: i64,
    pub organisation: String,
    pub organisation_kind: String,
    pub chapter: String,
    pub question: String,
    pub prompt: String,
    pub status: String,
    pub rank: f64,
    /// Where the answer matches, its matches marked (`domain::search::excerpt`).
    pub excerpt: Vec<Piece>,
    /// How many answers match in all.
    pub total: i64,
}

/// A row of the search: a `Hit` with its whole text instead of its excerpt.
#[derive(QueryableByName)]
struct Found {
    #[diesel(sql_type = BigInt)]
    answer_id: i64,
    #[diesel(sql_type = BigInt)]
    response_id: i64,
    #[diesel(sql_type = BigInt)]
    organisation_id: i64,
    #[diesel(sql_type = Text)]
    organisation: String,
    #[diesel(sql_type = Text)]
    organisation_kind: String,
    #[diesel(sql_type = Text)]
    chapter: String,
    #[diesel(sql_type = Text)]
    question: String,
    #[diesel(sql_type = Text)]
    prompt: String,
    #[diesel(sql_type = Text)]
    status: String,
    #[diesel(sql_type = Double)]
    rank: f64,
    #[diesel(sql_type = Text)]
    text: String,
    /// The query as the engine read it (PostgreSQL: its lexemes; SQLite: empty).
    #[diesel(sql_type = Text)]
    said: String,
    #[diesel(sql_type = BigInt)]
    total: i64,
}

/// Which filters a search was asked with. Each combination has its own SQL text, fixed,
/// so it is kept prepared: PostgreSQL plans it once per connection instead of at every
/// search (1 to 4 ms of the 5 to 8 a search took), SQLite compiles it once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Shape(usize);

impl Shape {
    const CHAPTER: usize = 1;
    const QUESTION: usize = 2;
    const KIND: usize = 4;
    const THEME: usize = 8;
    const SUBMITTED_ONLY: usize = 16;
    /// How many shapes there are (their texts: `store::sql::SEARCH_*`).
    pub(super) const COUNT: usize = 32;

    fn of(filters: &Filters) -> Self {
        let mut bits = 0;
        for (asked, bit) in [
            (filters.chapter.is_some(), Self::CHAPTER),
            (filters.question.is_some(), Self::QUESTION),
            (filters.kind.is_some(), Self::KIND),
            (filters.theme.is_some(), Self::THEME),
            (!filters.drafts, Self::SUBMITTED_ONLY),
        ] {
            if asked {
                bits |= bit;
            }
        }
        Self(bits)
    }

    pub(super) fn from_index(index: usize) -> Self {
        Self(index % Self::COUNT)
    }

    pub(super) fn index(self) -> usize {
        self.0
    }

    /// Whether a chapter or a question is asked (PostgreSQL then reads its index for
    /// their questions alone).
    pub(super) fn asks_questions(self) -> bool {
        self.0 & (Self::CHAPTER | Self::QUESTION) != 0
    }

    /// The filters' clauses over the answers matched (`m`), each after an `AND`, their
    /// values numbered from 5 on in the order `search` binds them (`$n` on PostgreSQL,
    /// `?n` on SQLite).
    pub(super) fn clauses(self, postgres: bool) -> String {
        // On PostgreSQL the chapter's questions are also named to the matches, so that
        // its index is read for them alone (one word in a chapter: 2.9 ms instead of
        // 4.8, pgbench).
        let chapter = if postgres {
            "c.code = {} AND m.question_id IN (SELECT cq.id FROM questions cq \
             JOIN chapters cc ON cc.id = cq.chapter_id WHERE cc.round_id = $1 AND cc.code = {})"
        } else {
            "c.code = {}"
        };
        self.filled(
            postgres,
            [
                chapter,
                "q.code = {}",
                "o.kind = {}",
                "EXISTS (SELECT 1 FROM tags t WHERE t.answer_id = m.id AND t.theme_id = {})",
            ],
        )
    }

    /// The same filters over the documents matched (`d`, of question `q` in chapter `c`,
    /// both absent for the response's own area): a theme keeps the documents of an
    /// answer tagged with it.
    pub(super) fn document_clauses(self, postgres: bool) -> String {
        self.filled(
            postgres,
            [
                "c.code = {}",
                "q.code = {}",
                "o.kind = {}",
                "EXISTS (SELECT 1 FROM answers ta JOIN tags t ON t.answer_id = ta.id \
                 WHERE ta.response_id = r.id AND ta.question_id = d.question_id \
                 AND t.theme_id = {})",
            ],
        )
    }

    /// The clauses of the filters asked, from their templates (chapter, question, kind,
    /// theme; `{}` for the value), then the status's.
    fn filled(self, postgres: bool, templates: [&str; 4]) -> String {
        let sign = if postgres { '$' } else { '?' };
        let mut next = 5;
        let mut value = || {
            next += 1;
            format!("{sign}{}", next - 1)
        };
        let mut said = String::new();
        for (bit, clause) in [Self::CHAPTER, Self::QUESTION, Self::KIND, Self::THEME]
            .into_iter()
            .zip(templates)
        {
            if self.0 & bit != 0 {
                said.push_str("\n      AND ");
                said.push_str(&clause.replace("{}", &value()));
            }
        }
        if self.0 & Self::SUBMITTED_ONLY != 0 {
            said.push_str(&format!(
                "\n      AND r.status = '{}'",
                crate::domain::responses::ResponseStatus::Submitted.as_str()
            ));
        }
        said
    }
}

/// A row that carries the query as the engine read it (PostgreSQL's lexemes).
trait SaysQuery {
    fn said(&self) -> &str;
}

impl SaysQuery for Found {
    fn said(&self) -> &str {
        &self.said
    }
}

impl SaysQuery for FoundDocument {
    fn said(&self) -> &str {
        &self.said
    }
}

/// A page of the rows one of `texts` (per shape: PostgreSQL's, SQLite's) finds in round
/// `round` for `query` and `filters`, and what marks their matches (None: no row).
fn found_page<R>(
    conn: &mut DbConnection,
    texts: (&[String], &[String]),
    round: i64,
    query: &SearchQuery,
    filters: &Filters,
    (limit, offset): (i64, i64),
) -> QueryResult<(Vec<R>, Option<Marker>)>
where
    R: SaysQuery
        + QueryableByName<diesel::pg::Pg>
        + QueryableByName<diesel::sqlite::Sqlite>
        + 'static,
{
    let shape = Shape::of(filters).index();
    // The values in the order of `Shape::clauses`.
    macro_rules! run {
        ($conn:expr, $backend:ty, $sql:expr, $said:expr) => {{
            let mut asked = diesel::sql_query($sql)
                .into_boxed::<$backend>()
                .bind::<BigInt, _>(round)
                .bind::<Text, _>($said)
                .bind::<BigInt, _>(limit)
                .bind::<BigInt, _>(offset);
            for text in [
                filters.chapter.clone(),
                filters.question.clone(),
                filters.kind.map(|k| k.as_str().to_owned()),
            ]
            .into_iter()
            .flatten()
            {
                asked = asked.bind::<Text, _>(text);
            }
            if let Some(theme) = filters.theme {
                asked = asked.bind::<BigInt, _>(theme);
            }
            Prepared(asked).load::<R>($conn)?
        }};
    }
    let (found, marker) = match conn {
        DbConnection::Postgres(c) => {
            let found = run!(c, diesel::pg::Pg, &texts.0[shape], query.tsquery());
            let marker = found.first().map(|f| Marker::postgres(f.said()));
            (found, marker)
        }
        DbConnection::Sqlite(c) => {
            let found = run!(c, diesel::sqlite::Sqlite, &texts.1[shape], query.fts5());
            (found, Some(Marker::sqlite(query)))
        }
    };
    let marker = marker.filter(|_| !found.is_empty());
    Ok((found, marker))
}

/// A page of `limit` answers of round `round` matching `query`, after the first `offset`.
pub fn search(
    conn: &mut DbConnection,
    round: i64,
    query: &SearchQuery,
    filters: &Filters,
    limit: i64,
    offset: i64,
) -> QueryResult<Vec<Hit>> {
    let texts = (
        super::sql::SEARCH_POSTGRES.as_slice(),
        super::sql::SEARCH_SQLITE.as_slice(),
    );
    let (found, marker) = found_page::<Found>(conn, texts, round, query, filters, (limit, offset))?;
    let Some(marker) = marker else {
        return Ok(Vec::new());
    };
    Ok(found
        .into_iter()
        .map(|f| Hit {
            excerpt: marker.excerpt(&f.text),
            answer_id: f.answer_id,
            response_id: f.response_id,
            organisation_id: f.organisation_id,
            organisation: f.organisation,
            organisation_kind: f.organisation_kind,
            chapter: f.chapter,
            question: f.question,
            prompt: f.prompt,
            status: f.status,
            rank: f.rank,
            total: f.total,
        })
        .collect())
}

/// One document found: a current document of a response, whose text matches.
#[derive(Debug)]
pub struct DocumentHit {
    /// Its download's name.
    pub token: String,
    pub title: String,
    pub file_name: String,
    pub media_type: String,
    pub size: i64,
    pub response_id: i64,
    pub organisation_id: i64,
    pub organisation: String,
    pub organisation_kind: String,
    /// Its question's chapter and code; none for the response's own area.
    pub chapter: Option<String>,
    pub question: Option<String>,
    pub status: String,
    pub rank: f64,
    /// Where its text matches, its matches marked.
    pub excerpt: Vec<Piece>,
    /// How many documents match in all.
    pub total: i64,
}

#[derive(QueryableByName)]
struct FoundDocument {
    #[diesel(sql_type = Text)]
    token: String,
    #[diesel(sql_type = Text)]
    title: String,
    #[diesel(sql_type = Text)]
    file_name: String,
    #[diesel(sql_type = Text)]
    media_type: String,
    #[diesel(sql_type = BigInt)]
    size: i64,
    #[diesel(sql_type = BigInt)]
    response_id: i64,
    #[diesel(sql_type = BigInt)]
    organisation_id: i64,
    #[diesel(sql_type = Text)]
    organisation: String,
    #[diesel(sql_type = Text)]
    organisation_kind: String,
    #[diesel(sql_type = Nullable<Text>)]
    chapter: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    question: Option<String>,
    #[diesel(sql_type = Text)]
    status: String,
    #[diesel(sql_type = Double)]
    rank: f64,
    #[diesel(sql_type = Text)]
    text: String,
    #[diesel(sql_type = Text)]
    said: String,
    #[diesel(sql_type = BigInt)]
    total: i64,
}

/// The first `limit` documents of round `round` whose text matches `query`, best first,
/// with the answers' filters (`Shape::document_clauses`).
pub fn documents(
    conn: &mut DbConnection,
    round: i64,
    query: &SearchQuery,
    filters: &Filters,
    limit: i64,
) -> QueryResult<Vec<DocumentHit>> {
    let texts = (
        super::sql::SEARCH_DOCUMENTS_POSTGRES.as_slice(),
        super::sql::SEARCH_DOCUMENTS_SQLITE.as_slice(),
    );
    let (found, marker) =
        found_page::<FoundDocument>(conn, texts, round, query, filters, (limit, 0))?;
    let Some(marker) = marker else {
        return Ok(Vec::new());
    };
    Ok(found
        .into_iter()
        .map(|f| DocumentHit {
            excerpt: marker.excerpt(&f.text),
            token: f.token,
            title: f.title,
            file_name: f.file_name,
            media_type: f.media_type,
            size: f.size,
            response_id: f.response_id,
            organisation_id: f.organisation_id,
            organisation: f.organisation,
            organisation_kind: f.organisation_kind,
            chapter: f.chapter,
            question: f.question,
            status: f.status,
            rank: f.rank,
            total: f.total,
        })
        .collect())
}

#[derive(QueryableByName)]
struct Noted {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// Noted answers folded into SQLite's index per write transaction: small enough that the
/// writers queued behind one wait a few milliseconds, not the whole backlog's time.
pub(super) const CATCH_UP_BATCH: i64 = 100;

/// Folds every answer written since the last time into SQLite's index, a batch per write
/// transaction; PostgreSQL's index is always whole. Returns how many were folded.
pub fn catch_up(conn: &mut DbConnection) -> QueryResult<usize> {
    catch_up_while(conn, || true)
}

/// `catch_up`, asking `go_on` before each batch: the scheduled jobs fold only while no
/// one else writes, so that indexing (FTS5 merges its segments as it grows) never
/// lengthens the respondents' saves; a search folds what is left first.
pub fn catch_up_while(
    conn: &mut DbConnection,
    mut go_on: impl FnMut() -> bool,
) -> QueryResult<usize> {
    if !matches!(conn, DbConnection::Sqlite(_)) {
        return Ok(0);
    }
    // Most searches find nothing noted: a read says so, without queueing for the writer.
    let noted: i64 = diesel::sql_query("SELECT EXISTS (SELECT 1 FROM answer_search_pending) AS n")
        .get_result::<Noted>(conn)?
        .n;
    if noted == 0 {
        return Ok(0);
    }
    let mut folded = 0;
    loop {
        if !go_on() {
            return Ok(folded);
        }
        let batch = super::write_transaction(conn, |conn| {
            conn.batch_execute(&super::sql::SEARCH_CATCH_UP_SQLITE)?;
            diesel::sql_query(
                "DELETE FROM answer_search_pending WHERE answer_id IN \
                 (SELECT answer_id FROM answer_search_pending ORDER BY answer_id LIMIT ?)",
            )
            .bind::<BigInt, _>(CATCH_UP_BATCH)
            .execute(conn)
        })?;
        folded += batch;
        if (batch as i64) < CATCH_UP_BATCH {
            return Ok(folded);
        }
    }
}
