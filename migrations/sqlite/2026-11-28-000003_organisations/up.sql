-- Organisations, memberships, invitations; round lifecycle bookkeeping (SQLite).
-- Keep in step with migrations/postgres.

CREATE TABLE organisations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    acronym TEXT,
    kind TEXT NOT NULL CHECK (kind IN ('patient_association', 'user_association', 'federation', 'consumer_association', 'professional_body', 'public_body', 'other')),
    -- RNA (W + 9 digits) or SIREN (9 digits), normalised by the domain.
    legal_id TEXT NOT NULL UNIQUE,
    website TEXT,
    contact_email TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected', 'suspended')),
    -- Why it was rejected or suspended, as told to its owners.
    status_reason TEXT,
    created_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX organisations_status_idx ON organisations (status, kind);

CREATE TABLE memberships (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id BIGINT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('owner', 'editor', 'viewer')),
    created_at TIMESTAMP NOT NULL,
    UNIQUE (organisation_id, user_id)
);
CREATE INDEX memberships_user_idx ON memberships (user_id);

-- An owner's invitation to join, by email, single use, stored hashed.
CREATE TABLE organisation_invitations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id BIGINT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('owner', 'editor', 'viewer')),
    token_hash TEXT NOT NULL UNIQUE,
    invited_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    accepted_at TIMESTAMP,
    accepted_by BIGINT REFERENCES users (id) ON DELETE SET NULL
);

-- Organisations invited to a round whose audience is 'invited'.
CREATE TABLE round_invitations (
    round_id BIGINT NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    organisation_id BIGINT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (round_id, organisation_id)
);

-- When the "round open" emails were queued: set once, by whichever instance sees the
-- opening first, so nobody is told twice.
ALTER TABLE rounds ADD COLUMN open_notified_at TIMESTAMP;
ALTER TABLE rounds ADD COLUMN created_by BIGINT REFERENCES users (id) ON DELETE SET NULL;
