-- The publisher's edition a list version holds, where its format says (the built-in procurement lists: `2026-06-08`);
-- NULL for the formats that do not.
ALTER TABLE list_versions ADD COLUMN edition TEXT;
