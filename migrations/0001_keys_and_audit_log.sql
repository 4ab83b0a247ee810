-- API keys: only the SHA-256 of each key is stored; the key itself is shown once at creation.
CREATE TABLE api_keys (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    roles       TEXT NOT NULL,              -- comma-separated: screen, admin, audit, review
    key_hash    TEXT NOT NULL UNIQUE,       -- lowercase hex SHA-256 of the key
    created_at  TEXT NOT NULL,
    created_by  TEXT,                       -- key id of the admin, or 'cli' / 'bootstrap'
    revoked_at  TEXT
);

-- The audit trail: every decision and admin action, append-only and hash-chained.
-- hash = SHA-256 of the record's canonical bytes, which include prev_hash (see AuditRecord.canonicalBytes).
CREATE TABLE audit_log (
    seq          INTEGER PRIMARY KEY,       -- chain position, 1, 2, 3, ... without gaps
    id           TEXT NOT NULL UNIQUE,      -- time-ordered record id
    kind         TEXT NOT NULL CHECK (kind IN ('decision', 'admin')),
    action       TEXT NOT NULL,             -- screen, key.create, list.upload, ...
    recorded_at  TEXT NOT NULL,
    actor_key_id TEXT,
    body         TEXT NOT NULL,             -- canonical JSON of the record
    prev_hash    TEXT NOT NULL,
    hash         TEXT NOT NULL
);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
