/// A signed checkpoint of the audit chain.
public struct CheckpointRecord: Sendable, Equatable, Codable {
    public var id: Int
    public var seq: Int
    public var headHash: String
    public var createdAt: String
    public var publicKey: String
    public var signature: String
}

public protocol CheckpointStore: Sendable {
    func insert(seq: Int, headHash: String, createdAt: String, publicKey: String, signature: String) throws -> CheckpointRecord
    func all() throws -> [CheckpointRecord]
    /// Every public key the stored checkpoints were signed with, oldest first.
    func publicKeys() throws -> [String]
}

public final class SQLiteCheckpointStore: CheckpointStore {
    private let pool: DatabasePool

    public init(pool: DatabasePool) { self.pool = pool }

    private static func record(_ row: SQLiteRow) -> CheckpointRecord {
        CheckpointRecord(id: row.int(0), seq: row.int(1), headHash: row.string(2), createdAt: row.string(3), publicKey: row.string(4), signature: row.string(5))
    }

    public func insert(seq: Int, headHash: String, createdAt: String, publicKey: String, signature: String) throws -> CheckpointRecord {
        try pool.write { db in
            try db.run("INSERT INTO audit_checkpoints (seq, head_hash, created_at, public_key, signature) VALUES (?, ?, ?, ?, ?)",
                       [seq, headHash, createdAt, publicKey, signature])
            return CheckpointRecord(id: Int(db.lastInsertRowID), seq: seq, headHash: headHash, createdAt: createdAt, publicKey: publicKey, signature: signature)
        }
    }

    public func publicKeys() throws -> [String] {
        try pool.read { try $0.query("SELECT public_key FROM audit_checkpoints GROUP BY public_key ORDER BY min(id)") { $0.string(0) } }
    }

    public func all() throws -> [CheckpointRecord] {
        try pool.read { try $0.query("SELECT id, seq, head_hash, created_at, public_key, signature FROM audit_checkpoints ORDER BY id", map: Self.record) }
    }
}
