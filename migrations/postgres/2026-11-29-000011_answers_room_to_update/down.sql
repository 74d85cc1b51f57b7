ALTER TABLE answers RESET (fillfactor);
