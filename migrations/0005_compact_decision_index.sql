-- The decision index, rewritten so a group commit touches few pages.
--
-- Each decision wrote one decision_lists row per list in force and one decision_matches row per matched entry into
-- b-trees ordered by list and entry, so every commit dirtied a page per distinct entry and list: 52 of the 115 pages
-- an average commit wrote to the WAL (measured by mapping WAL frames to b-trees with dbstat). Now the set of list
-- versions in force is stored once and each decision names it (`decisions.list_set`), and matched entries are terms
-- of the full-text index, which writes one compact segment per commit. The audit_log (the record itself) is unchanged.

-- A set of list versions in force, stored once; `signature` is the sorted `list␟version` pairs joined by ␞.
CREATE TABLE list_sets (
    id         INTEGER PRIMARY KEY,
    signature  TEXT NOT NULL UNIQUE
);
CREATE TABLE list_set_members (
    set_id   INTEGER NOT NULL REFERENCES list_sets(id),
    list_id  TEXT NOT NULL,
    version  INTEGER NOT NULL,
    PRIMARY KEY (list_id, version, set_id)
) WITHOUT ROWID;
CREATE TRIGGER list_sets_immutable BEFORE UPDATE ON list_sets
BEGIN SELECT RAISE(ABORT, 'list sets are immutable'); END;
CREATE TRIGGER list_sets_kept BEFORE DELETE ON list_sets
BEGIN SELECT RAISE(ABORT, 'list sets are kept'); END;
CREATE TRIGGER list_set_members_immutable BEFORE UPDATE ON list_set_members
BEGIN SELECT RAISE(ABORT, 'list sets are immutable'); END;
CREATE TRIGGER list_set_members_kept BEFORE DELETE ON list_set_members
BEGIN SELECT RAISE(ABORT, 'list sets are kept'); END;

-- Existing decisions: one set per distinct combination, numbered in order of first use.
CREATE TEMP TABLE decision_signatures AS
    SELECT seq, group_concat(list_id || char(31) || version, char(30)) AS signature
    FROM (SELECT seq, list_id, version FROM decision_lists ORDER BY seq, list_id)
    GROUP BY seq;
INSERT INTO list_sets (id, signature)
    SELECT row_number() OVER (ORDER BY min(seq)), signature FROM decision_signatures GROUP BY signature;
INSERT INTO list_set_members (set_id, list_id, version)
    SELECT DISTINCT s.id, l.list_id, l.version
    FROM decision_lists l JOIN decision_signatures d ON d.seq = l.seq JOIN list_sets s ON s.signature = d.signature;

-- The column is filled for existing rows with the append-only trigger lifted for this migration only.
ALTER TABLE decisions ADD COLUMN list_set INTEGER REFERENCES list_sets(id);
DROP TRIGGER decisions_append_only;
UPDATE decisions SET list_set = (
    SELECT s.id FROM decision_signatures d JOIN list_sets s ON s.signature = d.signature WHERE d.seq = decisions.seq);
CREATE TRIGGER decisions_append_only BEFORE UPDATE ON decisions
BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END;
CREATE INDEX decisions_list_set ON decisions (list_set, seq);
DROP TABLE decision_signatures;

-- One full-text index for names and matched entries; rowid is the decision's seq. Entries are hex terms, so any
-- list or entry id is one token: `m<hex(list␟entry)>` (an entry within its list) and `e<hex(entry)>` (in any list).
CREATE VIRTUAL TABLE decision_search USING fts5 (subject, entries, content = '', tokenize = 'unicode61 remove_diacritics 2');
INSERT INTO decision_search (rowid, subject, entries)
    SELECT d.seq, d.subject, (
        SELECT group_concat('m' || lower(hex(m.list_id || char(31) || m.entry_id)) || ' e' || lower(hex(m.entry_id)), ' ')
        FROM decision_matches m WHERE m.seq = d.seq)
    FROM decisions d;

DROP TABLE decisions_fts;
DROP TABLE decision_matches;
DROP TABLE decision_lists;
