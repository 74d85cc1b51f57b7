-- The answers of round $1 that match $2 (said for to_tsquery by domain::search), best
-- first, each with its text and how many match in all, and the query as PostgreSQL read
-- it (its lexemes, which the excerpts made by domain::search::excerpt mark). Filters: chapter $3, question $4, organisation
-- kind $5, theme $9 (NULL: any); drafts too when $6. A page of $7 after the first $8.
-- The texts are read for the page alone, once it is ranked and cut.
WITH wanted AS (SELECT to_tsquery('concerto_fr', $2) AS query),
page AS (
    SELECT a.id AS answer_id, r.id AS response_id, r.organisation_id,
           o.name AS organisation, o.kind AS organisation_kind,
           c.code AS chapter, q.code AS question, q.prompt, r.status,
           ts_rank_cd(a.search, wanted.query)::float8 AS rank,
           COUNT(*) OVER () AS total
    FROM wanted, answers a
    JOIN responses r ON r.id = a.response_id
    JOIN questions q ON q.id = a.question_id
    JOIN chapters c ON c.id = q.chapter_id
    JOIN organisations o ON o.id = r.organisation_id
    WHERE a.search @@ wanted.query
      AND r.round_id = $1
      AND q.kind IN ({searched_kinds})
      AND ($3::text IS NULL OR c.code = $3)
      AND ($4::text IS NULL OR q.code = $4)
      AND ($5::text IS NULL OR o.kind = $5)
      AND ($6 OR r.status = '{submitted_status}')
      AND ($9::bigint IS NULL OR EXISTS (SELECT 1 FROM tags t WHERE t.answer_id = a.id AND t.theme_id = $9))
    ORDER BY rank DESC, a.id
    LIMIT $7 OFFSET $8
)
SELECT page.*, concerto_answer_text(a.value) AS text, wanted.query::text AS said
FROM page JOIN answers a ON a.id = page.answer_id, wanted
ORDER BY page.rank DESC, page.answer_id
