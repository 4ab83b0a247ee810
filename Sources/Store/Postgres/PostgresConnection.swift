#if PostgreSQL
import CLibPQ
import Foundation
import OpenSSLCrypto

/// One libpq connection. Not thread-safe: `PostgresDatabase` hands it to one thread at a time.
///
/// Statements are prepared once per connection (named by their position in the cache) and take their values only
/// as bound parameters, sent as text with their types left to the server to infer from where they stand. A
/// connection that broke (the server restarted, the network dropped) is reset before its next use, so a database
/// that comes back is used again without restarting the service; until then every call fails with a transient
/// `PostgresError`.
public final class PostgresConnection: SQLConnection, @unchecked Sendable {
    public var dialect: SQLDialect { .postgres }
    private let handle: OpaquePointer
    /// SQL text → prepared statement name on this connection (emptied when the connection is reset).
    private var prepared: [String: String] = [:]

    public init(url: String) throws {
        guard let connection = PQconnectdb(url) else { throw PostgresError(sqlState: nil, message: "out of memory", sql: nil) }
        handle = connection
        // Notices (an IF NOT EXISTS that found the table) would be printed to stderr, outside the structured log.
        PQsetNoticeProcessor(handle, { _, _ in }, nil)
        guard PQstatus(handle) == CONNECTION_OK else {
            // Every stored property is set, so throwing runs deinit, which finishes the handle: finishing it here too
            // freed it twice (a refused connection, such as one past the server's limit, crashed the process).
            throw PostgresError(sqlState: nil, message: Self.trimmed(PQerrorMessage(handle)), sql: nil)
        }
    }

    deinit { PQfinish(handle) }

    /// Whether the connection is up as far as libpq knows (it learns of a dropped one when a statement fails).
    var isConnected: Bool { PQstatus(handle) == CONNECTION_OK }
    /// How often it has reconnected: a read that saw it change met a dropped connection.
    private(set) var reconnections = 0

    /// Reconnects a connection that broke; throws while the server cannot be reached.
    private func ensureConnected() throws {
        guard PQstatus(handle) != CONNECTION_OK else { return }
        prepared = [:]
        reconnections += 1
        PQreset(handle)
        guard PQstatus(handle) == CONNECTION_OK else {
            throw PostgresError(sqlState: nil, message: "no connection: " + Self.trimmed(PQerrorMessage(handle)), sql: nil)
        }
    }

    public func execute(_ sql: String) throws {
        try ensureConnected()
        let result = PQexec(handle, sql)
        defer { PQclear(result) }
        try check(result, sql)
    }

    @discardableResult
    public func run(_ sql: String, _ values: [any SQLBindable]) throws -> Int {
        let result = try perform(sql, values)
        defer { PQclear(result) }
        return Int(String(cString: PQcmdTuples(result))) ?? 0
    }

    public func forEach(_ sql: String, _ values: [any SQLBindable], _ body: (any SQLRow) throws -> Bool) throws {
        let result = try perform(sql, values)
        defer { PQclear(result) }
        for row in 0..<PQntuples(result) {
            if try !body(PostgresRow(result: result, row: row)) { return }
        }
    }

    /// Takes the database-wide write lock for the transaction (`PostgresDatabase.writeLockKey`): writes from every
    /// replica are serialised as SQLite's are within a file, so what a store reads in its transaction (the audit
    /// chain's head, a review's state, the next version number) is still true when it commits.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN")
        do {
            try run("SELECT pg_advisory_xact_lock(?)", [PostgresDatabase.writeLockKey])
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            // On a broken connection the server has already rolled back.
            if PQstatus(handle) == CONNECTION_OK { PQclear(PQexec(handle, "ROLLBACK")) }
            throw error
        }
    }

    /// Prepares `sql` the first time this connection runs it, then executes it with `values`.
    private func perform(_ sql: String, _ values: [any SQLBindable]) throws -> OpaquePointer {
        try ensureConnected()
        let name: String
        if let known = prepared[sql] {
            name = known
        } else {
            name = "s\(prepared.count)"
            let result = PQprepare(handle, name, PostgresPlaceholders.rewrite(sql), 0, nil)
            defer { PQclear(result) }
            try check(result, sql)
            prepared[sql] = name
        }
        let texts = values.map { Self.text($0.sqlValue) }
        let result = Self.withCStrings(texts) { pointers in
            PQexecPrepared(handle, name, Int32(texts.count), pointers, nil, nil, 0)
        }
        do {
            try check(result, sql)
        } catch {
            PQclear(result)
            throw error
        }
        guard let result else { throw PostgresError(sqlState: nil, message: "no result", sql: sql) }
        return result
    }

    private func check(_ result: OpaquePointer?, _ sql: String) throws {
        let status = result.map(PQresultStatus) ?? PGRES_FATAL_ERROR
        guard status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK else { return }
        let state = result.flatMap { PQresultErrorField($0, Int32(UInt8(ascii: "C"))) }.map { String(cString: $0) }
        let message = result.flatMap { PQresultErrorField($0, Int32(UInt8(ascii: "M"))) }.map { String(cString: $0) }
            ?? Self.trimmed(PQerrorMessage(handle))
        // A statement the server forgot (it restarted between prepare and use) is prepared again next time.
        if PQstatus(handle) != CONNECTION_OK || state == "26000" { prepared = [:] }
        throw PostgresError(sqlState: PQstatus(handle) == CONNECTION_OK ? state : nil, message: message, sql: sql)
    }

    /// A parameter as PostgreSQL's text input form; nil is SQL NULL.
    private static func text(_ value: SQLValue) -> String? {
        switch value {
        case .null: nil
        case .integer(let v): String(v)
        case .real(let v): "\(v)"
        case .text(let v): v
        case .blob(let v): "\\x" + Hex.encode(Array(v))
        }
    }

    private static func withCStrings<T>(_ texts: [String?], _ body: ([UnsafePointer<CChar>?]) -> T) -> T {
        let copies = texts.map { $0.flatMap { strdup($0) } }
        defer { copies.forEach { free($0) } }
        return body(copies.map { $0.map { UnsafePointer($0) } })
    }

    private static func trimmed(_ message: UnsafePointer<CChar>?) -> String {
        message.map { String(cString: $0).trimmingCharacters(in: .whitespacesAndNewlines) } ?? "unknown error"
    }
}

/// A row of a result, its values in PostgreSQL's text output form.
struct PostgresRow: SQLRow {
    let result: OpaquePointer
    let row: Int32

    func isNull(_ column: Int32) -> Bool { PQgetisnull(result, row, column) == 1 }

    func string(_ column: Int32) -> String {
        guard let value = PQgetvalue(result, row, column) else { return "" }
        let count = Int(PQgetlength(result, row, column))
        return value.withMemoryRebound(to: UInt8.self, capacity: count) { String(decoding: UnsafeBufferPointer(start: $0, count: count), as: UTF8.self) }
    }

    func int64(_ column: Int32) -> Int64 { Int64(string(column)) ?? 0 }
    func int(_ column: Int32) -> Int { Int(int64(column)) }
    func double(_ column: Int32) -> Double { Double(string(column)) ?? 0 }

    /// Text, as PostgreSQL sends every value; the column it goes into gives it its type again.
    func value(_ column: Int32) -> SQLValue { isNull(column) ? .null : .text(string(column)) }

    /// `bytea` arrives as `\x` and hex digits.
    func data(_ column: Int32) -> Data {
        guard let value = PQgetvalue(result, row, column) else { return Data() }
        var length = 0
        guard let bytes = PQunescapeBytea(UnsafeRawPointer(value).assumingMemoryBound(to: UInt8.self), &length) else { return Data() }
        defer { PQfreemem(bytes) }
        return Data(bytes: bytes, count: length)
    }
}
#endif
