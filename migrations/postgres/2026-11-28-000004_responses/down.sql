DROP TABLE round_reminders;
DROP TABLE answer_history;
DROP TABLE answers;
DROP TABLE responses;
