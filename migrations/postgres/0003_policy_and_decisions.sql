-- PostgreSQL: the same schema change as ../0003_policy_and_decisions.sql.
CREATE TABLE policies (
    version     INTEGER PRIMARY KEY,
    body        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    created_by  TEXT
);

CREATE TRIGGER policies_immutable BEFORE UPDATE OR DELETE ON policies
    FOR EACH ROW EXECUTE FUNCTION clearance_refuse_change('policy versions are immutable and kept for replay');

-- The search index of screening decisions: the columns auditors filter by; the record itself is in audit_log.
CREATE TABLE decisions (
    seq              BIGINT PRIMARY KEY REFERENCES audit_log(seq),
    id               TEXT NOT NULL UNIQUE,
    screened_at      TEXT NOT NULL,
    key_id           TEXT,
    decision         TEXT NOT NULL CHECK (decision IN ('clear', 'review', 'block')),
    reference        TEXT,
    subject          TEXT NOT NULL,
    policy_version   INTEGER NOT NULL,
    engine_version   TEXT NOT NULL,
    idempotency_key  TEXT,
    request_hash     TEXT NOT NULL
);

CREATE UNIQUE INDEX decisions_idempotency ON decisions (key_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX decisions_time ON decisions (screened_at, seq);
CREATE INDEX decisions_decision ON decisions (decision, seq);
CREATE INDEX decisions_key ON decisions (key_id, seq);
CREATE INDEX decisions_reference ON decisions (reference, seq);
CREATE INDEX decisions_policy ON decisions (policy_version, seq);

CREATE TRIGGER decisions_append_only BEFORE UPDATE OR DELETE ON decisions
    FOR EACH ROW EXECUTE FUNCTION clearance_refuse_change('decisions are append-only');
