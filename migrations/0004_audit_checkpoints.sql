-- Signed checkpoints of the audit chain's head. The signing key lives outside the database (a file beside it by
-- default), so whoever can edit the database cannot forge a checkpoint.
CREATE TABLE audit_checkpoints (
    id          INTEGER PRIMARY KEY,
    seq         INTEGER NOT NULL,          -- chain position signed
    head_hash   TEXT NOT NULL,             -- hash of the record at seq
    created_at  TEXT NOT NULL,
    public_key  TEXT NOT NULL,             -- hex Ed25519 public key
    signature   TEXT NOT NULL              -- hex Ed25519 signature of CheckpointSigner.message
);
CREATE TRIGGER audit_checkpoints_append_only BEFORE UPDATE ON audit_checkpoints
BEGIN SELECT RAISE(ABORT, 'checkpoints are append-only'); END;
CREATE TRIGGER audit_checkpoints_kept BEFORE DELETE ON audit_checkpoints
BEGIN SELECT RAISE(ABORT, 'checkpoints are append-only'); END;
