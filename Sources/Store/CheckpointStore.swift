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
    /// Stores a checkpoint and, in the same transaction, queues `publish(checkpoint)` to every webhook when given.
    func insert(seq: Int, headHash: String, createdAt: String, publicKey: String, signature: String,
                publish: ((CheckpointRecord) throws -> WebhookEvent)?) throws -> CheckpointRecord
    func all() throws -> [CheckpointRecord]
}

public final class SQLCheckpointStore: CheckpointStore {
    private let database: any SQLDatabase

    public init(database: any SQLDatabase) { self.database = database }

    private static func record(_ row: any SQLRow) -> CheckpointRecord {
        CheckpointRecord(id: row.int(0), seq: row.int(1), headHash: row.string(2), createdAt: row.string(3), publicKey: row.string(4), signature: row.string(5))
    }

    public func insert(seq: Int, headHash: String, createdAt: String, publicKey: String, signature: String,
                       publish: ((CheckpointRecord) throws -> WebhookEvent)?) throws -> CheckpointRecord {
        try database.writeTransaction { db in
            let id = try db.first("INSERT INTO audit_checkpoints (seq, head_hash, created_at, public_key, signature) VALUES (?, ?, ?, ?, ?) RETURNING id",
                                  [seq, headHash, createdAt, publicKey, signature]) { $0.int(0) } ?? 0
            let checkpoint = CheckpointRecord(id: id, seq: seq, headHash: headHash, createdAt: createdAt, publicKey: publicKey, signature: signature)
            if let publish { try SQLWebhookStore.queue(try publish(checkpoint), db) }
            return checkpoint
        }
    }


    public func all() throws -> [CheckpointRecord] {
        try database.read { try $0.query("SELECT id, seq, head_hash, created_at, public_key, signature FROM audit_checkpoints ORDER BY id", map: Self.record) }
    }
}
