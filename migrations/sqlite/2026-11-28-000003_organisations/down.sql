ALTER TABLE rounds DROP COLUMN created_by;
ALTER TABLE rounds DROP COLUMN open_notified_at;
DROP TABLE round_invitations;
DROP TABLE organisation_invitations;
DROP TABLE memberships;
DROP TABLE organisations;
