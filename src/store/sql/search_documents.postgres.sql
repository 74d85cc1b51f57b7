-- The current documents of round $1's responses whose text matches $2 (said for
-- to_tsquery by domain::search), best first, each with its text and how many match in
-- all, and the query as PostgreSQL read it (the excerpts mark its lexemes). The first $3
-- after $4. The filters asked follow (`store::search::Shape::document_clauses`), their
-- values from the fifth on. A document's question and chapter are absent for the
-- response's own area (a chapter or question asked leaves those out).
-- The contents are read through their index first (each is one document or a few), then
-- kept when a current document of the round names them.
WITH wanted AS (SELECT to_tsquery('concerto_fr', $2) AS query),
page AS (
    SELECT d.id, d.sha256, d.token, d.title, d.file_name, d.media_type, d.size,
           r.id AS response_id, r.organisation_id,
           o.name AS organisation, o.kind AS organisation_kind,
           c.code AS chapter, q.code AS question, r.status,
           ts_rank(f.search, wanted.query, 1)::float8 AS rank,
           COUNT(*) OVER () AS total
    FROM wanted, stored_files f
    JOIN attachments d ON d.sha256 = f.sha256
    JOIN responses r ON r.id = d.response_id
    JOIN organisations o ON o.id = r.organisation_id
    LEFT JOIN questions q ON q.id = d.question_id
    LEFT JOIN chapters c ON c.id = q.chapter_id
    WHERE f.search @@ wanted.query
      AND r.round_id = $1
      AND d.replaced_at IS NULL AND d.deleted_at IS NULL{filters}
    ORDER BY rank DESC, d.id
    LIMIT $3 OFFSET $4
)
SELECT page.*, f.extracted_text AS text, wanted.query::text AS said
FROM page JOIN stored_files f ON f.sha256 = page.sha256, wanted
ORDER BY page.rank DESC, page.id
