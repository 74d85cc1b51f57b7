DELETE FROM questions WHERE kind = 'documents';
ALTER TABLE questions DROP CONSTRAINT questions_kind_check;
ALTER TABLE questions ADD CONSTRAINT questions_kind_check
    CHECK (kind IN ('short_text', 'long_text', 'single_choice', 'multiple_choice', 'scale', 'proposals'));
