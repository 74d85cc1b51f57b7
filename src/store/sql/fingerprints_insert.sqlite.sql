-- Fingerprints from a JSON array of {answer_id, version, signature}: one statement for a
-- whole batch (diesel's batch insert is not said on both backends at once), replacing
-- those of older versions.
INSERT OR REPLACE INTO answer_fingerprints (answer_id, version, signature)
SELECT json_extract(value, '$.answer_id'), json_extract(value, '$.version'),
       json_extract(value, '$.signature')
FROM json_each(?1)
