-- Lists and their immutable versions. Entry bodies are stored once per distinct content (by SHA-256), so keeping
-- every version for replay costs little when versions differ by a few entries.
CREATE TABLE lists (
    id              TEXT PRIMARY KEY,
    format          TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    created_by      TEXT,
    active_version  INTEGER,
    updated_at      TEXT NOT NULL          -- last upload or activation
);

CREATE TABLE list_versions (
    list_id          TEXT NOT NULL REFERENCES lists(id),
    version          INTEGER NOT NULL,
    format           TEXT NOT NULL,
    sha256           TEXT NOT NULL,        -- of the uploaded file (or, for several files, of their names and digests)
    files            TEXT NOT NULL,        -- JSON: [{"name", "sha256", "bytes"}]
    uploaded_at      TEXT NOT NULL,
    uploaded_by      TEXT,
    source           TEXT NOT NULL,        -- upload, sync, cli
    entry_count      INTEGER NOT NULL,
    name_count       INTEGER NOT NULL,
    previous_version INTEGER,
    added            INTEGER NOT NULL,
    removed          INTEGER NOT NULL,
    changed          INTEGER NOT NULL,
    PRIMARY KEY (list_id, version)
);

CREATE TABLE entry_bodies (
    hash  TEXT PRIMARY KEY,                -- SHA-256 of body
    body  TEXT NOT NULL                    -- the entry as JSON
) WITHOUT ROWID;

CREATE TABLE list_entries (
    list_id     TEXT NOT NULL,
    version     INTEGER NOT NULL,
    position    INTEGER NOT NULL,          -- order in the source file
    entry_id    TEXT NOT NULL,
    hash        TEXT NOT NULL REFERENCES entry_bodies(hash),
    PRIMARY KEY (list_id, version, entry_id),
    FOREIGN KEY (list_id, version) REFERENCES list_versions(list_id, version)
) WITHOUT ROWID;

CREATE TABLE list_changes (
    list_id     TEXT NOT NULL,
    version     INTEGER NOT NULL,
    entry_id    TEXT NOT NULL,
    change      TEXT NOT NULL CHECK (change IN ('added', 'removed', 'changed')),
    old_hash    TEXT,
    new_hash    TEXT,
    PRIMARY KEY (list_id, version, entry_id),
    FOREIGN KEY (list_id, version) REFERENCES list_versions(list_id, version)
) WITHOUT ROWID;

CREATE TABLE list_activations (
    id            INTEGER PRIMARY KEY,
    list_id       TEXT NOT NULL REFERENCES lists(id),
    version       INTEGER NOT NULL,
    activated_at  TEXT NOT NULL,
    activated_by  TEXT,
    reason        TEXT NOT NULL,           -- upload, rollback, sync
    FOREIGN KEY (list_id, version) REFERENCES list_versions(list_id, version)
);

-- Stored versions are immutable: screening decisions are replayed against them.
CREATE TRIGGER list_versions_immutable BEFORE UPDATE ON list_versions
BEGIN SELECT RAISE(ABORT, 'list versions are immutable'); END;
CREATE TRIGGER list_versions_kept BEFORE DELETE ON list_versions
BEGIN SELECT RAISE(ABORT, 'list versions are kept for replay'); END;
CREATE TRIGGER list_entries_immutable BEFORE UPDATE ON list_entries
BEGIN SELECT RAISE(ABORT, 'list entries are immutable'); END;
CREATE TRIGGER list_entries_kept BEFORE DELETE ON list_entries
BEGIN SELECT RAISE(ABORT, 'list entries are kept for replay'); END;
CREATE TRIGGER entry_bodies_immutable BEFORE UPDATE ON entry_bodies
BEGIN SELECT RAISE(ABORT, 'entry bodies are immutable'); END;
