DROP TRIGGER questions_announce_change ON questions;
DROP TRIGGER chapters_announce_change ON chapters;
DROP TRIGGER rounds_announce_change ON rounds;
DROP FUNCTION concerto_announce_round_change();
