-- Reviews: reviewers' dispositions of the matches behind a decision, the decisions awaiting review, and the
-- resolution a decision reaches once every match is disposed of. The audit trail holds a record of each; these
-- tables are what the queue, the console and false-positive memory read.

-- One reviewer's verdict on one match of one decision. A false positive on a match from a blocking source, under
-- the policy's four-eyes setting, waits (`effective_at` NULL) until a second key agrees. An effective row is also
-- false-positive memory: a later screen of the same subject (`subject_key`) suppresses a match on the same entry
-- while `entry_hash` and `subject_hash` still hold.
CREATE TABLE dispositions (
    seq            INTEGER PRIMARY KEY,
    id             TEXT NOT NULL UNIQUE,
    decision_id    TEXT NOT NULL,
    list_id        TEXT NOT NULL,
    entry_id       TEXT NOT NULL,
    disposition    TEXT NOT NULL CHECK (disposition IN ('true_match', 'false_positive')),
    reason         TEXT,
    note           TEXT NOT NULL,
    key_id         TEXT NOT NULL,
    recorded_at    TEXT NOT NULL,
    state          TEXT NOT NULL CHECK (state IN ('final', 'awaiting_second_review', 'confirmed', 'overruled')),
    confirms       TEXT,                    -- the disposition a second reviewer agreed with
    subject_key    TEXT NOT NULL,           -- 'counterparty:<id>', or 'name:<normalised name>'
    subject_hash   TEXT NOT NULL,           -- SHA-256 of the subject's identity (names, type, country, birth date, identifiers)
    entry_hash     TEXT NOT NULL,           -- the entry's content hash in the list version the decision used
    effective_at   TEXT                     -- when it took effect; NULL while it awaits a second reviewer
);
CREATE INDEX dispositions_decision ON dispositions (decision_id, seq);
CREATE INDEX dispositions_memory ON dispositions (subject_key, list_id, entry_id, effective_at) WHERE effective_at IS NOT NULL;

-- Decisions answered `review`, written with the decision in the audit writer's transaction; `state` follows the
-- dispositions. The queue is the rows not yet resolved, oldest first.
CREATE TABLE review_items (
    seq              INTEGER PRIMARY KEY,   -- the decision's chain position
    decision_id      TEXT NOT NULL UNIQUE,
    screened_at      TEXT NOT NULL,
    name             TEXT NOT NULL,
    counterparty_id  TEXT,
    lists            TEXT NOT NULL,         -- '|list|list|': the lists of the matches to review
    source_lists     TEXT NOT NULL,         -- '|name|name|': their entries' source lists
    match_count      INTEGER NOT NULL,
    state            TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'awaiting_second_review', 'resolved')),
    updated_at       TEXT NOT NULL
);
CREATE INDEX review_items_state ON review_items (state, seq);
CREATE INDEX review_items_counterparty ON review_items (counterparty_id, seq) WHERE counterparty_id IS NOT NULL;

-- The outcome a decision's dispositions reach: `block` when any match is a true match, `clear` when all are false
-- positives. Written with the disposition that completes it, beside its own audit record.
CREATE TABLE resolutions (
    decision_id  TEXT PRIMARY KEY,
    outcome      TEXT NOT NULL CHECK (outcome IN ('clear', 'block')),
    record_id    TEXT NOT NULL,             -- its audit record
    resolved_at  TEXT NOT NULL,
    resolved_by  TEXT NOT NULL              -- the key whose disposition completed it
) WITHOUT ROWID;
