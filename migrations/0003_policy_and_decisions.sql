-- Screening policy: immutable versions; the highest is in force.
CREATE TABLE policies (
    version     INTEGER PRIMARY KEY,
    body        TEXT NOT NULL,             -- the policy as JSON
    created_at  TEXT NOT NULL,
    created_by  TEXT
);
CREATE TRIGGER policies_immutable BEFORE UPDATE ON policies
BEGIN SELECT RAISE(ABORT, 'policy versions are immutable'); END;
CREATE TRIGGER policies_kept BEFORE DELETE ON policies
BEGIN SELECT RAISE(ABORT, 'policy versions are kept for replay'); END;

-- Screening decisions: the searchable columns of each decision record. The record itself (request, versions,
-- matches, explanations) is the audit_log row at `seq`, written in the same transaction.
CREATE TABLE decisions (
    seq              INTEGER PRIMARY KEY REFERENCES audit_log(seq),
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

-- Which list versions each decision used, and which entries it matched.
CREATE TABLE decision_lists (
    seq      INTEGER NOT NULL REFERENCES decisions(seq),
    list_id  TEXT NOT NULL,
    version  INTEGER NOT NULL,
    PRIMARY KEY (list_id, version, seq)
) WITHOUT ROWID;

CREATE TABLE decision_matches (
    seq       INTEGER NOT NULL REFERENCES decisions(seq),
    list_id   TEXT NOT NULL,
    entry_id  TEXT NOT NULL,
    PRIMARY KEY (list_id, entry_id, seq)
) WITHOUT ROWID;

-- Full-text search over screened names (`hikvision` finds every screening of it); rowid is the decision's seq.
CREATE VIRTUAL TABLE decisions_fts USING fts5 (subject, content = '', tokenize = 'unicode61 remove_diacritics 2');

CREATE TRIGGER decisions_append_only BEFORE UPDATE ON decisions
BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END;
CREATE TRIGGER decisions_kept BEFORE DELETE ON decisions
BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END;
