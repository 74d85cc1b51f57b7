-- Each instance keeps open rounds' questions in memory (src/store/round_cache.rs). Their
-- wording may still change (a prompt, an option's label), and receipts and messages
-- quote it: any change to a round, its chapters or its questions, whoever makes it, is
-- announced as `r<round id>` on the channel the instances already listen to
-- (`concerto_auth`, migration 000009). Structure changes are rare: one notice a row.
CREATE FUNCTION concerto_announce_round_change() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    row_round bigint;
BEGIN
    IF TG_TABLE_NAME = 'rounds' THEN
        row_round := COALESCE(OLD.id, NEW.id);
    ELSIF TG_OP = 'DELETE' THEN
        row_round := OLD.round_id;
    ELSE
        row_round := NEW.round_id;
    END IF;
    PERFORM pg_notify('concerto_auth', 'r' || row_round::text);
    RETURN NULL;
END
$$;

CREATE TRIGGER rounds_announce_change
    AFTER UPDATE OR DELETE ON rounds
    FOR EACH ROW EXECUTE FUNCTION concerto_announce_round_change();

CREATE TRIGGER chapters_announce_change
    AFTER INSERT OR UPDATE OR DELETE ON chapters
    FOR EACH ROW EXECUTE FUNCTION concerto_announce_round_change();

CREATE TRIGGER questions_announce_change
    AFTER INSERT OR UPDATE OR DELETE ON questions
    FOR EACH ROW EXECUTE FUNCTION concerto_announce_round_change();
