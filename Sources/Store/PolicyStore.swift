/// A stored policy version.
public struct PolicyRecord: Sendable, Equatable {
    public var version: Int
    public var body: String
    public var createdAt: String
    public var createdBy: String?
}

public protocol PolicyStore: Sendable {
    func latest() throws -> PolicyRecord?
    func version(_ version: Int) throws -> PolicyRecord?
    /// Stores `body` as the next version and returns it, with the audit record `audit` makes of it in the same
    /// transaction (none for the default policy stored on first use).
    func append(body: String, at: String, by: String?, audit: ((PolicyRecord) throws -> AuditEntry)?) throws -> PolicyRecord
}

public final class SQLPolicyStore: PolicyStore {
    private let database: any SQLDatabase

    public init(database: any SQLDatabase) { self.database = database }

    private static func record(_ row: any SQLRow) -> PolicyRecord {
        PolicyRecord(version: row.int(0), body: row.string(1), createdAt: row.string(2), createdBy: row.optionalString(3))
    }

    public func latest() throws -> PolicyRecord? {
        try database.read { try $0.first("SELECT version, body, created_at, created_by FROM policies ORDER BY version DESC LIMIT 1", map: Self.record) }
    }

    public func version(_ version: Int) throws -> PolicyRecord? {
        try database.read { try $0.first("SELECT version, body, created_at, created_by FROM policies WHERE version = ?", [version], map: Self.record) }
    }

    public func append(body: String, at: String, by: String?, audit: ((PolicyRecord) throws -> AuditEntry)?) throws -> PolicyRecord {
        try database.writeTransaction { db in
            let next = (try db.first("SELECT max(version) FROM policies") { $0.optionalInt(0) } ?? nil).map { $0 + 1 } ?? 1
            try db.run("INSERT INTO policies (version, body, created_at, created_by) VALUES (?, ?, ?, ?)", [next, body, at, by])
            let record = PolicyRecord(version: next, body: body, createdAt: at, createdBy: by)
            if let audit { _ = try SQLAuditLogStore.append([try audit(record)], db) }
            return record
        }
    }
}
