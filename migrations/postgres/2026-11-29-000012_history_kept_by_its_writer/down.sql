DROP TRIGGER answer_history_forgets_authors ON users;
DROP FUNCTION concerto_authors_removed();
DROP TRIGGER answer_history_follows_answers ON answers;
DROP FUNCTION concerto_answers_removed();
-- The rows the triggers allowed but the keys refuse, settled as the keys' ON DELETE
-- would have settled them: the history of an answer that is gone goes with it, and an
-- author who is gone (deleted while a write was in flight) is forgotten.
DELETE FROM answer_history h WHERE NOT EXISTS (SELECT 1 FROM answers a WHERE a.id = h.answer_id);
UPDATE answer_history h SET changed_by = NULL
    WHERE changed_by IS NOT NULL AND NOT EXISTS (SELECT 1 FROM users u WHERE u.id = h.changed_by);
ALTER TABLE answer_history ADD CONSTRAINT answer_history_changed_by_fkey
    FOREIGN KEY (changed_by) REFERENCES users (id) ON DELETE SET NULL;
ALTER TABLE answer_history ADD CONSTRAINT answer_history_answer_id_fkey
    FOREIGN KEY (answer_id) REFERENCES answers (id) ON DELETE CASCADE;
