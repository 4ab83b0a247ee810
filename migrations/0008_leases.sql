-- Leases: background work that one process at a time must do (list sync, re-screens), held by whichever process
-- took it last and renewed while it works; an expired lease (its holder died) is free to take.
CREATE TABLE leases (
    name        TEXT PRIMARY KEY,
    holder      TEXT NOT NULL,              -- the process: host, pid and a random suffix
    expires_at  REAL NOT NULL               -- Unix seconds
);
