ALTER INDEX answers_search RESET (gin_pending_list_limit);
