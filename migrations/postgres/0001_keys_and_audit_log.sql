-- PostgreSQL: the same schema change as ../0001_keys_and_audit_log.sql, in PostgreSQL's terms (see docs/postgresql.md).

-- Refuses a change to a table whose rows are kept as they are: TG_ARGV[0] says why.
CREATE FUNCTION clearance_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'restrict_violation';
END;
$$;

-- API keys: only the SHA-256 of each key is stored; the key itself is shown once at creation.
CREATE TABLE api_keys (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    roles       TEXT NOT NULL,              -- comma-separated: screen, admin, audit, review
    key_hash    TEXT NOT NULL UNIQUE,       -- lowercase hex SHA-256 of the key
    created_at  TEXT NOT NULL,
    created_by  TEXT,
    revoked_at  TEXT
);

-- The audit trail: every decision and admin action, append-only and hash-chained. One chain, whichever replica
-- appends: appends run in write transactions serialised by an advisory lock (PostgresDatabase).
CREATE TABLE audit_log (
    seq          BIGINT PRIMARY KEY,        -- chain position, 1, 2, 3, ... without gaps
    id           TEXT NOT NULL UNIQUE,
    kind         TEXT NOT NULL CHECK (kind IN ('decision', 'admin')),
    action       TEXT NOT NULL,
    recorded_at  TEXT NOT NULL,
    actor_key_id TEXT,
    body         TEXT NOT NULL,
    prev_hash    TEXT NOT NULL,
    hash         TEXT NOT NULL
);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION clearance_refuse_change('audit_log is append-only');
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION clearance_refuse_change('audit_log is append-only');
