/// Copies a deployment's data from one database into another with the same schema version (`clearance
/// migrate-data`: an SQLite file into PostgreSQL), table by table in an order foreign keys accept, in pages of rows
/// by primary key, each page one write transaction. A copy that fails part way leaves the target partly filled, and
/// a target that holds records is refused: drop and create it again, then rerun. Derived tables are not copied: the decision search index is rebuilt from the audit trail
/// by the target's own code (`AuditTrail.syncIndex`), and leases are per deployment.
public struct DatabaseCopy {
    /// Every table with data of its own, parents before children.
    public static let tables = [
        "api_keys", "audit_log", "lists", "list_versions", "entry_bodies", "list_entries", "list_changes", "list_activations", "policies",
        "audit_checkpoints", "counterparties", "counterparty_matches", "rescreen_jobs", "alerts", "webhooks", "webhook_deliveries",
        "webhook_attempts", "dispositions", "review_items", "resolutions",
    ]

    public let source: any SQLDatabase
    public let target: any SQLDatabase

    public init(from source: any SQLDatabase, to target: any SQLDatabase) {
        self.source = source
        self.target = target
    }

    /// Refuses a target that already holds records: a copy never merges two trails.
    public func checkTargetIsEmpty() throws {
        for table in ["audit_log", "api_keys", "lists"] {
            let count = try target.read { db in try db.first("SELECT count(*) FROM \(table)") { $0.int(0) } ?? 0 }
            guard count == 0 else { throw CopyError(description: "the target database already has \(count) rows in \(table); copy into an empty database") }
        }
    }

    /// Copies every table; `progress` is told each table's name and row count once it is committed.
    public func run(progress: (String, Int) -> Void) throws {
        try checkTargetIsEmpty()
        for table in Self.tables {
            let columns = try target.read { db in try Self.columns(of: table, db) }
            let list = columns.joined(separator: ", ")
            let placeholders = Array(repeating: "?", count: columns.count).joined(separator: ", ")
            let insert = "INSERT INTO \(table) (\(list)) VALUES (\(placeholders))"
            var copied = 0
            var after: [SQLValue]?
            let order = try source.read { db in try Self.primaryKey(of: table, db) }.map { name in
                guard let position = columns.firstIndex(of: name) else { throw CopyError(description: "the target's \(table) has no column \(name)") }
                return (name: name, position: position)
            }
            while true {
                let page = try source.read { db in try Self.page(table, columns, order: order, after: after, db) }
                guard !page.isEmpty else { break }
                try target.writeTransaction { db in
                    for row in page { try db.run(insert, row) }
                }
                copied += page.count
                after = page.last.map { row in order.map { row[$0.position] } }
            }
            try target.writeTransaction { db in try Self.advanceIdentities(of: table, db) }
            progress(table, copied)
        }
    }

    static let pageSize = 5_000

    /// The next page of rows in key order, after the key `after` (nil for the first page).
    private static func page(_ table: String, _ columns: [String], order: [(name: String, position: Int)], after: [SQLValue]?,
                             _ db: any SQLConnection) throws -> [[SQLValue]] {
        let keys = order.map(\.name).joined(separator: ", ")
        let condition = after == nil ? "TRUE" : "(\(keys)) > (\(Array(repeating: "?", count: order.count).joined(separator: ", ")))"
        return try db.query("SELECT \(columns.joined(separator: ", ")) FROM \(table) WHERE \(condition) ORDER BY \(keys) LIMIT \(pageSize)",
                            after ?? []) { row in
            (0..<columns.count).map { row.value(Int32($0)) }
        }
    }

    /// The target's columns of `table`, in their order.
    static func columns(of table: String, _ db: any SQLConnection) throws -> [String] {
        switch db.dialect {
        case .postgres:
            try db.query("SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position",
                         [table]) { $0.string(0) }
        case .sqlite:
            try db.query("SELECT name FROM pragma_table_info(?) ORDER BY cid", [table]) { $0.string(0) }
        }
    }

    /// The source (SQLite) table's primary key columns, in key order: the pages' order.
    static func primaryKey(of table: String, _ db: any SQLConnection) throws -> [String] {
        let key = try db.query("SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk", [table]) { $0.string(0) }
        guard !key.isEmpty else { throw CopyError(description: "table \(table) has no primary key to page by") }
        return key
    }

    /// PostgreSQL identity columns continue after the copied rows rather than from 1.
    private static func advanceIdentities(of table: String, _ db: any SQLConnection) throws {
        guard db.dialect == .postgres else { return }
        let identities = try db.query("""
            SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ? AND is_identity = 'YES'
            """, [table]) { $0.string(0) }
        for column in identities {
            try db.run("SELECT setval(pg_get_serial_sequence(?, ?), coalesce((SELECT max(\(column)) FROM \(table)), 0) + 1, false)", [table, column])
        }
    }

    public struct CopyError: Error, CustomStringConvertible {
        public let description: String
    }
}
