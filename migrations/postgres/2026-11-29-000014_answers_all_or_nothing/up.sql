-- Several answers written by one statement outside any transaction
-- (store::responses::write_as_member) are written all together or not at all. The
-- statement returns what it wrote and filters that through this function with how many
-- it meant to write: when some were written and others not (a version changed between
-- the statement's snapshot and its write), the error undoes the whole statement, and the
-- application takes the path that says which answers are stale. The message is matched
-- by the application (store::responses::PARTIAL_WRITE). VOLATILE, so that it is asked
-- only for rows written: a statement that wrote nothing returns nothing, without error.
CREATE FUNCTION concerto_all_written(written bigint, wanted integer) RETURNS boolean
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    IF written <> wanted THEN
        RAISE EXCEPTION 'concerto: partial answer write (% of %), undone', written, wanted;
    END IF;
    RETURN TRUE;
END
$$;
