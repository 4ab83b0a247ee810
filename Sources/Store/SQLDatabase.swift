import Foundation

/// The SQL databases the stores run on. The stores write one SQL text for both wherever the two agree (upserts,
/// `RETURNING`, `?` parameters); where they do not (full-text search, a few functions), a store asks the dialect.
public enum SQLDialect: Sendable, Equatable {
    case sqlite
    case postgres

    /// An SQL condition true when the text expression `text` contains `part` as plain characters (no pattern).
    func contains(_ text: String, _ part: String) -> String {
        switch self {
        case .sqlite: "instr(\(text), \(part)) > 0"
        case .postgres: "strpos(\(text), \(part)) > 0"
        }
    }
}

/// The current row of a query; columns by index from 0.
public protocol SQLRow {
    func int(_ column: Int32) -> Int
    func int64(_ column: Int32) -> Int64
    func double(_ column: Int32) -> Double
    func isNull(_ column: Int32) -> Bool
    func string(_ column: Int32) -> String
    func data(_ column: Int32) -> Data
    /// The column's value as stored, for copying rows between databases without knowing their types.
    func value(_ column: Int32) -> SQLValue
}

extension SQLRow {
    public func optionalString(_ column: Int32) -> String? { isNull(column) ? nil : string(column) }
    public func optionalInt(_ column: Int32) -> Int? { isNull(column) ? nil : int(column) }
}

/// One connection, used by one thread at a time (a database hands it out). Statements take their values only
/// through bound parameters, written `?` (or `?N` for the Nth) whatever the database.
public protocol SQLConnection: AnyObject {
    var dialect: SQLDialect { get }
    /// Runs SQL without parameters (schema, migration files); several statements are allowed.
    func execute(_ sql: String) throws
    /// Executes a statement that returns no rows; returns the number of changed rows.
    @discardableResult
    func run(_ sql: String, _ values: [any SQLBindable]) throws -> Int
    /// Calls `body` for each row without collecting them (streamed exports); return false to stop.
    func forEach(_ sql: String, _ values: [any SQLBindable], _ body: (any SQLRow) throws -> Bool) throws
    /// Runs `body` in a write transaction, serialised with every other writer of the database; rolls back when it
    /// throws.
    func transaction<T>(_ body: () throws -> T) throws -> T
}

extension SQLConnection {
    /// Runs `body` in one read transaction: every statement in it sees the same committed state, whatever commits
    /// meanwhile (SQLite's deferred transaction holds the snapshot of its first read; PostgreSQL's repeatable read
    /// the snapshot of its first statement). Ends with a commit, which for a read only lets the snapshot go.
    func readTransaction<T>(_ body: () throws -> T) throws -> T {
        try inTransaction(begin: dialect == .postgres ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" : "BEGIN", body)
    }

    /// `begin`, then `body`, then a commit; a rollback when it throws.
    func inTransaction<T>(begin: String, _ body: () throws -> T) throws -> T {
        try execute(begin)
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }
}

extension SQLConnection {
    @discardableResult
    public func run(_ sql: String) throws -> Int { try run(sql, []) }

    public func forEach(_ sql: String, _ body: (any SQLRow) throws -> Bool) throws { try forEach(sql, [], body) }

    /// Every row of a query, mapped.
    public func query<T>(_ sql: String, _ values: [any SQLBindable] = [], map: (any SQLRow) throws -> T) throws -> [T] {
        var rows: [T] = []
        try forEach(sql, values) { row in
            rows.append(try map(row))
            return true
        }
        return rows
    }

    /// The first row of a query, mapped, or nil.
    public func first<T>(_ sql: String, _ values: [any SQLBindable] = [], map: (any SQLRow) throws -> T) throws -> T? {
        var found: T?
        try forEach(sql, values) { row in
            found = try map(row)
            return false
        }
        return found
    }

    /// Rows of `table` (a name from the code, never from a request) by their `state`, every `known` state present,
    /// at zero when no row has it: a gauge that drops to zero must say so rather than vanish.
    func countsByState(in table: String, known: [String]) throws -> [String: Int] {
        var counts = Dictionary(uniqueKeysWithValues: known.map { ($0, 0) })
        try forEach("SELECT state, count(*) FROM \(table) GROUP BY state") { row in
            counts[row.string(0)] = row.int(1)
            return true
        }
        return counts
    }
}

/// A database the stores read and write: SQLite (`DatabasePool`, one file, one process) or PostgreSQL
/// (`PostgresDatabase`, shared by replicas).
///
/// The guarantee every store relies on, on both: write transactions are serialised, across every process that
/// shares the database, so a store may read what it is about to change (the audit chain's head, a review's state)
/// inside its transaction and act on it. Reads see committed data and never wait for a writer.
public protocol SQLDatabase: Sendable {
    var dialect: SQLDialect { get }
    /// Runs `body` in one write transaction, serialised with every other; rolls back when it throws.
    func writeTransaction<T>(_ body: (any SQLConnection) throws -> T) throws -> T
    /// Runs `body` with a read connection, in one read transaction, so every statement in it sees one snapshot
    /// (a page and its count, a list and its versions, a review's dispositions and its resolution agree); waits
    /// when all connections are busy, for a bounded time.
    func read<T>(_ body: (any SQLConnection) throws -> T) throws -> T
    /// Runs a short point lookup (one row or a few, by an index) on connections kept for them, so authentication
    /// never waits behind long reads.
    func lookup<T>(_ body: (any SQLConnection) throws -> T) throws -> T
    /// Runs `body` on one connection, outside any transaction, while no other process runs `exclusively` on the
    /// database: migrations, which make their own transactions.
    func exclusively<T>(_ body: (any SQLConnection) throws -> T) throws -> T
}
