-- Answers tagged per theme of round $1, by question (with its chapter) and organisation
-- kind: each answer is in one cell, so a theme's cells add up to its answers. The tags
-- carry their answer's response and question: the answers themselves are not read.
SELECT t.theme_id, c.code AS chapter, q.code AS question, o.kind,
       COUNT(DISTINCT t.answer_id) AS answers
FROM tags t
JOIN themes th ON th.id = t.theme_id
JOIN questions q ON q.id = t.question_id
JOIN chapters c ON c.id = q.chapter_id
JOIN responses r ON r.id = t.response_id
JOIN organisations o ON o.id = r.organisation_id
WHERE th.round_id = $1
GROUP BY t.theme_id, c.code, q.code, o.kind
