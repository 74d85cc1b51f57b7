-- The answers of round ?1 that match ?2 (said for FTS5 by domain::search), best first,
-- each with its text (domain::search::excerpt makes its excerpt) and how many match in
-- all; a page of ?3 after the first ?4. The filters asked follow the kinds, their
-- values from the fifth on (`store::search::Shape`).
-- FTS5's ranking functions (here `concerto_rank`, store::fts_rank) work only in a
-- query of the index itself: the matches are ranked first, then filtered and paged; the
-- texts are read for the page alone. SQLite joins in the order written here: a match's
-- question (filtered by chapter or question) is read before its response (a phrase in
-- one question: 5.2 ms → 4.8, 1,888 matches).
WITH matched AS (
    SELECT rowid AS id, concerto_rank(answer_search) AS rank
    FROM answer_search WHERE answer_search MATCH ?2
), page AS MATERIALIZED (
    SELECT a.id AS answer_id, r.id AS response_id, r.organisation_id,
           o.name AS organisation, o.kind AS organisation_kind,
           c.code AS chapter, q.code AS question, q.prompt, r.status, m.rank,
           COUNT(*) OVER () AS total
    FROM matched m
    JOIN answers a ON a.id = m.id
    JOIN questions q ON q.id = a.question_id
    JOIN chapters c ON c.id = q.chapter_id
    JOIN responses r ON r.id = a.response_id
    JOIN organisations o ON o.id = r.organisation_id
    WHERE r.round_id = ?1
      AND q.kind IN ({searched_kinds}){filters}
    ORDER BY m.rank DESC, a.id
    LIMIT ?3 OFFSET ?4
)
SELECT page.*, json_extract(a.value, '$') AS text, '' AS said
FROM page JOIN answers a ON a.id = page.answer_id
ORDER BY page.rank DESC, page.answer_id
