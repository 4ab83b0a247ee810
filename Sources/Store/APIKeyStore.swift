/// A stored API key (never the key itself: only its SHA-256).
public struct APIKeyRecord: Sendable, Equatable {
    public var id: String
    public var name: String
    public var roles: [String]
    public var keyHash: String
    public var createdAt: String
    public var createdBy: String?
    public var revokedAt: String?
    /// The person or system the key belongs to; nil for keys created before owners were recorded.
    public var owner: String?

    /// Who holds the key, for four eyes: its owner, or its name when it has none.
    public var holder: String { owner ?? name }

    public init(id: String, name: String, roles: [String], keyHash: String, createdAt: String, createdBy: String?, revokedAt: String? = nil,
                owner: String? = nil) {
        self.id = id
        self.name = name
        self.roles = roles
        self.keyHash = keyHash
        self.createdAt = createdAt
        self.createdBy = createdBy
        self.revokedAt = revokedAt
        self.owner = owner
    }
}

/// Where API keys live; the SQLite implementation is the embedded default. Every change commits together with the
/// audit record that describes it, or not at all.
public protocol APIKeyStore: Sendable {
    func insert(_ key: APIKeyRecord, audit: AuditEntry) throws
    /// Inserts the key only when there is no key at all, deciding inside the write transaction (replicas starting
    /// together on a new database create one bootstrap key, not one each); whether it was inserted.
    func insertFirst(_ key: APIKeyRecord, audit: AuditEntry) throws -> Bool
    func find(hash: String) throws -> APIKeyRecord?
    func find(id: String) throws -> APIKeyRecord?
    func all() throws -> [APIKeyRecord]
    /// Marks a key revoked; returns false (and records nothing) when no active key has that id.
    func revoke(id: String, at: String, audit: AuditEntry) throws -> Bool
    func count() throws -> Int
}

public final class SQLAPIKeyStore: APIKeyStore {
    private let database: any SQLDatabase
    private static let columns = "id, name, roles, key_hash, created_at, created_by, revoked_at, owner"

    public init(database: any SQLDatabase) { self.database = database }

    public func insert(_ key: APIKeyRecord, audit: AuditEntry) throws {
        try database.writeTransaction { db in try Self.insert(key, audit: audit, db) }
    }

    public func insertFirst(_ key: APIKeyRecord, audit: AuditEntry) throws -> Bool {
        try database.writeTransaction { db in
            guard try db.first("SELECT count(*) FROM api_keys", map: { $0.int(0) }) == 0 else { return false }
            try Self.insert(key, audit: audit, db)
            return true
        }
    }

    private static func insert(_ key: APIKeyRecord, audit: AuditEntry, _ db: any SQLConnection) throws {
        _ = try SQLAuditLogStore.append([audit], db)
        try db.run("INSERT INTO api_keys (\(Self.columns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                   [key.id, key.name, key.roles.joined(separator: ","), key.keyHash, key.createdAt, key.createdBy, key.revokedAt, key.owner])
    }

    public func find(hash: String) throws -> APIKeyRecord? {
        try database.lookup { db in try db.first("SELECT \(Self.columns) FROM api_keys WHERE key_hash = ?", [hash], map: Self.record) }
    }

    public func find(id: String) throws -> APIKeyRecord? {
        try database.read { db in try db.first("SELECT \(Self.columns) FROM api_keys WHERE id = ?", [id], map: Self.record) }
    }

    public func all() throws -> [APIKeyRecord] {
        try database.read { db in try db.query("SELECT \(Self.columns) FROM api_keys ORDER BY created_at, id", map: Self.record) }
    }

    public func revoke(id: String, at: String, audit: AuditEntry) throws -> Bool {
        try database.writeTransaction { db in
            guard try db.run("UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", [at, id]) == 1 else { return false }
            _ = try SQLAuditLogStore.append([audit], db)
            return true
        }
    }

    public func count() throws -> Int {
        try database.read { db in try db.first("SELECT count(*) FROM api_keys") { $0.int(0) } ?? 0 }
    }

    private static func record(_ row: any SQLRow) -> APIKeyRecord {
        APIKeyRecord(
            id: row.string(0), name: row.string(1), roles: row.string(2).split(separator: ",").map(String.init),
            keyHash: row.string(3), createdAt: row.string(4), createdBy: row.optionalString(5), revokedAt: row.optionalString(6),
            owner: row.optionalString(7))
    }
}
