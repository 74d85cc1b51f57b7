-- The current documents of round ?1's responses whose text matches ?2 (said for FTS5 by
-- domain::search), best first, each with its text and how many match in all; the first
-- ?3 after ?4. The filters asked follow (`store::search::Shape::document_clauses`),
-- their values from the fifth on. A document's question and chapter are absent for the
-- response's own area. FTS5 ranks only in a query of its own table: the contents are
-- matched and ranked first, then kept when a current document of the round names them.
WITH matched AS (
    SELECT sha256, concerto_rank(document_search) AS rank
    FROM document_search WHERE document_search MATCH ?2
), page AS MATERIALIZED (
    SELECT d.id, d.sha256, d.token, d.title, d.file_name, d.media_type, d.size,
           r.id AS response_id, r.organisation_id,
           o.name AS organisation, o.kind AS organisation_kind,
           c.code AS chapter, q.code AS question, r.status, m.rank,
           COUNT(*) OVER () AS total
    FROM matched m
    JOIN attachments d ON d.sha256 = m.sha256
    JOIN responses r ON r.id = d.response_id
    JOIN organisations o ON o.id = r.organisation_id
    LEFT JOIN questions q ON q.id = d.question_id
    LEFT JOIN chapters c ON c.id = q.chapter_id
    WHERE r.round_id = ?1
      AND d.replaced_at IS NULL AND d.deleted_at IS NULL{filters}
    ORDER BY m.rank DESC, d.id
    LIMIT ?3 OFFSET ?4
)
SELECT page.*, f.extracted_text AS text, '' AS said
FROM page JOIN stored_files f ON f.sha256 = page.sha256
ORDER BY page.rank DESC, page.id
