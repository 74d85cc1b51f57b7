DROP TRIGGER answer_history_forgets_authors ON users;
DROP FUNCTION concerto_authors_removed();
DROP TRIGGER answer_history_follows_answers ON answers;
DROP FUNCTION concerto_answers_removed();
ALTER TABLE answer_history ADD CONSTRAINT answer_history_changed_by_fkey
    FOREIGN KEY (changed_by) REFERENCES users (id) ON DELETE SET NULL;
ALTER TABLE answer_history ADD CONSTRAINT answer_history_answer_id_fkey
    FOREIGN KEY (answer_id) REFERENCES answers (id) ON DELETE CASCADE;
