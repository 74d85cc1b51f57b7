-- Fingerprints from a JSON array of {answer_id, version, signature}: one statement for a
-- whole batch (diesel's batch insert is not said on both backends at once), replacing
-- those of older versions; two coordinators computing the same answers at once both
-- land, the later one's row kept.
INSERT INTO answer_fingerprints (answer_id, version, signature)
SELECT answer_id, version, signature
FROM json_populate_recordset(NULL::answer_fingerprints, $1::json)
ON CONFLICT (answer_id) DO UPDATE SET version = EXCLUDED.version, signature = EXCLUDED.signature
