-- Exports walk a round's responses by id (keyset pages) and the document walks one
-- question's answers by response: both in index order, without sorting the round.
CREATE INDEX responses_round_id_idx ON responses (round_id, id);
CREATE INDEX answers_question_response_idx ON answers (question_id, response_id);
