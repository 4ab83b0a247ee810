#if PostgreSQL
import Foundation

/// A PostgreSQL database shared by every replica: one write connection per process, and pools of readers and of
/// connections kept for point lookups, as `DatabasePool` has for SQLite.
///
/// Writes are serialised across replicas by a transaction-level advisory lock (`writeLockKey`), taken as each write
/// transaction begins; the audit writer's group commit puts many decisions in one transaction, so the lock is
/// taken once per batch, not per decision (docs/postgresql.md measures it). Reads never take it.
public final class PostgresDatabase: SQLDatabase {
    public var dialect: SQLDialect { .postgres }
    /// The advisory lock every write transaction holds: 'CLRW' as a number.
    static let writeLockKey: Int64 = 0x434C_5257
    /// The advisory lock held while migrations run, so replicas starting together apply them once: 'CLRM'.
    static let migrationLockKey: Int64 = 0x434C_524D

    private let writers: ConnectionSet<PostgresConnection>
    private let readers: ConnectionSet<PostgresConnection>
    private let lookups: ConnectionSet<PostgresConnection>

    /// Connects to `url` (`postgres://user@host:port/database`, any libpq connection URI); fails when the server
    /// cannot be reached now. Later outages are survived: each connection reconnects on its next use.
    public init(url: String, readerCount: Int = 4, readerWait: Double = 5) throws {
        let url = Self.withDefaults(url)
        func open(_ count: Int) throws -> [PostgresConnection] { try (0..<count).map { _ in try PostgresConnection(url: url) } }
        writers = ConnectionSet(try open(1), wait: 30)
        readers = ConnectionSet(try open(max(1, readerCount)), wait: readerWait)
        lookups = ConnectionSet(try open(2), wait: readerWait)
    }

    public func writeTransaction<T>(_ body: (any SQLConnection) throws -> T) throws -> T {
        try writers.use { connection in try connection.transaction { try body(connection) } }
    }

    public func read<T>(_ body: (any SQLConnection) throws -> T) throws -> T {
        try readers.use { connection in try Self.retryingOnce(connection) { try connection.readTransaction { try body(connection) } } }
    }

    public func lookup<T>(_ body: (any SQLConnection) throws -> T) throws -> T {
        try lookups.use { connection in try Self.retryingOnce(connection) { try body(connection) } }
    }

    /// A connection the server dropped (a restart) looks open until its next statement fails; a read changes
    /// nothing, so it runs once more on the connection, which reconnects. Only then: a read that fails on a live
    /// connection, or fails again, throws.
    private static func retryingOnce<T>(_ connection: PostgresConnection, _ read: () throws -> T) throws -> T {
        let reconnections = connection.reconnections
        do {
            return try read()
        } catch let error as PostgresError where error.isTransient && (!connection.isConnected || connection.reconnections != reconnections) {
            return try read()
        }
    }

    public func exclusively<T>(_ body: (any SQLConnection) throws -> T) throws -> T {
        try writers.use { connection in
            try connection.run("SELECT pg_advisory_lock(?)", [Self.migrationLockKey])
            defer { _ = try? connection.run("SELECT pg_advisory_unlock(?)", [Self.migrationLockKey]) }
            return try body(connection)
        }
    }

    /// A connect timeout (a server that does not answer fails a reconnect in seconds, not minutes) and the
    /// application name `pg_stat_activity` shows, unless the URL sets them.
    static func withDefaults(_ url: String) -> String {
        var additions: [String] = []
        if !url.contains("connect_timeout=") { additions.append("connect_timeout=5") }
        if !url.contains("application_name=") { additions.append("application_name=clearance") }
        guard !additions.isEmpty else { return url }
        return url + (url.contains("?") ? "&" : "?") + additions.joined(separator: "&")
    }
}
#endif
