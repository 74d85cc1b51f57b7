-- Each response counts its given answers (value not NULL), all and required ones, so that
-- the progress dashboard of thousands of organisations reads one row per response instead
-- of every answer. Kept by the answer writes that can change them (an answer given for
-- the first time, cleared or given again), in the transaction that writes.
ALTER TABLE responses ADD COLUMN answered INTEGER NOT NULL DEFAULT 0;
ALTER TABLE responses ADD COLUMN required_answered INTEGER NOT NULL DEFAULT 0;
UPDATE responses SET
    answered = (SELECT COUNT(*) FROM answers a
                WHERE a.response_id = responses.id AND a.value IS NOT NULL),
    required_answered = (SELECT COUNT(*) FROM answers a JOIN questions q ON q.id = a.question_id
                         WHERE a.response_id = responses.id AND a.value IS NOT NULL AND q.required);
