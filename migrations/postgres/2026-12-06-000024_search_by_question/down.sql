DROP INDEX answers_search;
CREATE INDEX answers_search ON answers USING gin (search) WITH (gin_pending_list_limit = 256);
