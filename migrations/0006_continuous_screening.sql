-- Continuous screening: the counterparties a caller screens under a stable id, the re-screens a list activation
-- starts, the alerts they raise and the webhooks those are delivered to.

-- A decision names the counterparty it screened, so a counterparty's history is one index range.
ALTER TABLE decisions ADD COLUMN counterparty_id TEXT;
CREATE INDEX decisions_counterparty ON decisions (counterparty_id, seq) WHERE counterparty_id IS NOT NULL;

-- Each monitored counterparty's latest screened identity and decision, written in the transaction that appends
-- the decision to the audit trail (the trail keeps every earlier one).
CREATE TABLE counterparties (
    id                 TEXT PRIMARY KEY,        -- the caller's id
    identity           TEXT NOT NULL,           -- JSON: the screened request (name, aliases, type, country, ...)
    name               TEXT NOT NULL,
    decision           TEXT NOT NULL CHECK (decision IN ('clear', 'review', 'block')),
    decision_id        TEXT NOT NULL,
    decision_seq       INTEGER NOT NULL,        -- the decision's chain position
    list_versions      TEXT NOT NULL,           -- JSON: [{"list", "version", "sha256"}] the decision used
    matches            TEXT NOT NULL,           -- JSON: [{"list", "entryId"}] the decision matched
    first_screened_at  TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    key_id             TEXT                     -- who screened it last (the system for a re-screen)
) WITHOUT ROWID;
CREATE INDEX counterparties_decision ON counterparties (decision, id);
CREATE INDEX counterparties_updated ON counterparties (updated_at);

-- The entries each counterparty's latest decision matched: which counterparties a removed entry concerns.
CREATE TABLE counterparty_matches (
    list_id          TEXT NOT NULL,
    entry_id         TEXT NOT NULL,
    counterparty_id  TEXT NOT NULL,
    PRIMARY KEY (list_id, entry_id, counterparty_id)
) WITHOUT ROWID;
CREATE INDEX counterparty_matches_counterparty ON counterparty_matches (counterparty_id);

-- One re-screen per list activation, written in the activation's transaction; `cursor` is the last counterparty
-- done, so a restart resumes after it. A job whose version was replaced by a later activation before it ran is
-- `superseded`: the next job's re-screen covers the changes since the version before it.
CREATE TABLE rescreen_jobs (
    id             INTEGER PRIMARY KEY,
    list_id        TEXT NOT NULL,
    from_version   INTEGER,                     -- the version active before (none for a first activation)
    to_version     INTEGER NOT NULL,
    created_at     TEXT NOT NULL,
    state          TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'running', 'done', 'failed', 'superseded')),
    started_at     TEXT,
    finished_at    TEXT,
    candidates     INTEGER,
    processed      INTEGER NOT NULL DEFAULT 0,
    changed        INTEGER NOT NULL DEFAULT 0,
    cursor         TEXT,
    error          TEXT
);
CREATE INDEX rescreen_jobs_open ON rescreen_jobs (id) WHERE state IN ('pending', 'running');
CREATE INDEX rescreen_jobs_version ON rescreen_jobs (list_id, to_version);

-- A counterparty whose outcome a list change altered; written with the decision that says so.
CREATE TABLE alerts (
    seq                INTEGER PRIMARY KEY,
    id                 TEXT NOT NULL UNIQUE,
    counterparty_id    TEXT NOT NULL,
    list_id            TEXT NOT NULL,
    list_version       INTEGER NOT NULL,
    previous_decision  TEXT,
    decision           TEXT NOT NULL,
    decision_id        TEXT NOT NULL,
    job_id             INTEGER REFERENCES rescreen_jobs(id),
    body               TEXT NOT NULL,           -- the alert as delivered (JSON)
    created_at         TEXT NOT NULL,
    state              TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'acknowledged')),
    acknowledged_at    TEXT,
    acknowledged_by    TEXT,
    note               TEXT
);
CREATE INDEX alerts_state ON alerts (state, seq);
CREATE INDEX alerts_counterparty ON alerts (counterparty_id, seq);
CREATE INDEX alerts_list ON alerts (list_id, seq);
CREATE INDEX alerts_job ON alerts (job_id);

CREATE TABLE webhooks (
    id          TEXT PRIMARY KEY,
    url         TEXT NOT NULL,
    secret      TEXT NOT NULL,                  -- signs deliveries; never returned
    created_at  TEXT NOT NULL,
    created_by  TEXT,
    deleted_at  TEXT
);

-- The outbox: one row per alert and webhook, written with the alert; a sender thread delivers what is due.
CREATE TABLE webhook_deliveries (
    seq              INTEGER PRIMARY KEY,
    id               TEXT NOT NULL UNIQUE,
    webhook_id       TEXT NOT NULL REFERENCES webhooks(id),
    alert_id         TEXT NOT NULL,
    state            TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    created_at       TEXT NOT NULL,
    next_attempt_at  REAL NOT NULL,             -- Unix seconds
    give_up_at       REAL NOT NULL,
    finished_at      TEXT,
    last_error       TEXT
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE state = 'pending';
CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries (webhook_id, seq);

CREATE TABLE webhook_attempts (
    delivery_seq  INTEGER NOT NULL REFERENCES webhook_deliveries(seq),
    attempt       INTEGER NOT NULL,
    started_at    TEXT NOT NULL,
    duration_ms   REAL NOT NULL,
    status        INTEGER,                      -- the receiver's HTTP status; null when none came
    error         TEXT,
    PRIMARY KEY (delivery_seq, attempt)
) WITHOUT ROWID;
