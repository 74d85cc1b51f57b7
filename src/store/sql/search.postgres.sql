-- The answers of round $1 that match $2 (said for to_tsquery by domain::search), best
-- first, each with its text and how many match in all, and the query as PostgreSQL read
-- it (its lexemes, which the excerpts made by domain::search::excerpt mark).
-- A page of $3 after the first $4. The filters asked follow the kinds, their values
-- from the fifth on (`store::search::Shape`); each combination's text is kept prepared, and
-- planned once for all its searches.
-- With a chapter or a question asked, `matched` is folded into the query (NOT
-- MATERIALIZED), and the index (keyed by question, then by word) is read once per
-- question asked, for that question's matches alone; otherwise it is read once for every
-- match, which are then filtered (MATERIALIZED: read once per question of the round, the
-- lists of common words were read twenty times, 11.7 ms instead of 2 for two words).
-- Ranked by `ts_rank` with the length normalised (1: divided by 1 + log of the length),
-- as SQLite's `concerto_rank` weighs frequency against length; `ts_rank_cd` (cover
-- density) cost 0.9 ms of 3.3 for a phrase in a question, `ts_rank` 0.3 (pgbench).
-- Each match is ranked as it is read (not after the filters: carrying its tsvector
-- through a materialised `matched` cost more, 4.4 ms instead of 3.9 for one word in a
-- chapter, pgbench). The texts are read for the page alone, once it is ranked and cut.
WITH wanted AS (SELECT to_tsquery('concerto_fr', $2) AS query),
matched AS {matched} (
    SELECT a.id, a.question_id, a.response_id,
           ts_rank(a.search, wanted.query, 1)::float8 AS rank
    FROM wanted, answers a
    WHERE a.search @@ wanted.query
),
page AS (
    SELECT m.id AS answer_id, r.id AS response_id, r.organisation_id,
           o.name AS organisation, o.kind AS organisation_kind,
           c.code AS chapter, q.code AS question, q.prompt, r.status,
           m.rank, COUNT(*) OVER () AS total
    FROM matched m
    JOIN responses r ON r.id = m.response_id
    JOIN questions q ON q.id = m.question_id
    JOIN chapters c ON c.id = q.chapter_id
    JOIN organisations o ON o.id = r.organisation_id
    WHERE r.round_id = $1
      AND q.kind IN ({searched_kinds}){filters}
    ORDER BY m.rank DESC, m.id
    LIMIT $3 OFFSET $4
)
SELECT page.*, concerto_answer_text(a.value) AS text, wanted.query::text AS said
FROM page JOIN answers a ON a.id = page.answer_id, wanted
ORDER BY page.rank DESC, page.answer_id
