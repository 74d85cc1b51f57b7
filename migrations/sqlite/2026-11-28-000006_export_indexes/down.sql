DROP INDEX answers_question_response_idx;
DROP INDEX responses_round_id_idx;
