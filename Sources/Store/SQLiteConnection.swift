import CSQLite
import Foundation

private let SQLITE_TRANSIENT = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

/// One SQLite connection. Not thread-safe: the pool hands it to one thread at a time.
/// Statements are prepared once per connection and cached, and take their values only through bound parameters.
public final class SQLiteConnection: SQLConnection {
    public var dialect: SQLDialect { .sqlite }
    let handle: OpaquePointer
    private var cache: [String: OpaquePointer] = [:]

    public init(path: String, readOnly: Bool = false, busyTimeoutMs: Int32 = 5_000) throws {
        var db: OpaquePointer?
        let flags = (readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) | SQLITE_OPEN_NOMUTEX
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            sqlite3_close(db)
            throw SQLiteError(code: rc, message: "\(message): \(path)", sql: nil)
        }
        handle = db
        sqlite3_busy_timeout(db, busyTimeoutMs)
        sqlite3_extended_result_codes(db, 1)
        try execute("PRAGMA foreign_keys = ON")
        if !readOnly {
            try execute("PRAGMA journal_mode = WAL")
            // NORMAL in WAL mode loses no committed transaction on a process crash; FULL also survives power loss.
            try execute("PRAGMA synchronous = FULL")
        }
    }

    deinit {
        for statement in cache.values { sqlite3_finalize(statement) }
        sqlite3_close_v2(handle)
    }

    /// Runs SQL without parameters (schema, pragmas, migration files).
    public func execute(_ sql: String) throws {
        var error: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &error)
        if rc != SQLITE_OK {
            let message = error.map { String(cString: $0) } ?? lastMessage
            sqlite3_free(error)
            throw SQLiteError(code: rc, message: message, sql: sql)
        }
    }

    var lastMessage: String { String(cString: sqlite3_errmsg(handle)) }

    /// A cached prepared statement, reset and bound to `values`.
    public func prepare(_ sql: String, _ values: [any SQLBindable] = []) throws -> SQLiteStatement {
        let statement: OpaquePointer
        if let cached = cache[sql] {
            statement = cached
            sqlite3_reset(statement)
            sqlite3_clear_bindings(statement)
        } else {
            var prepared: OpaquePointer?
            let rc = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &prepared, nil)
            guard rc == SQLITE_OK, let prepared else { throw SQLiteError(code: rc, message: lastMessage, sql: sql) }
            cache[sql] = prepared
            statement = prepared
        }
        let result = SQLiteStatement(connection: self, handle: statement, sql: sql)
        for (index, value) in values.enumerated() { try result.bind(value.sqlValue, at: Int32(index + 1)) }
        return result
    }

    /// Executes a statement that returns no rows; returns the number of changed rows.
    @discardableResult
    public func run(_ sql: String, _ values: [any SQLBindable]) throws -> Int {
        let statement = try prepare(sql, values)
        defer { statement.reset() }
        while try statement.step() {}
        return Int(sqlite3_changes(handle))
    }

    public func forEach(_ sql: String, _ values: [any SQLBindable], _ body: (any SQLRow) throws -> Bool) throws {
        let statement = try prepare(sql, values)
        defer { statement.reset() }
        while try statement.step() {
            if try !body(statement.row) { return }
        }
    }

    /// Runs `body` in a transaction; rolls back when it throws. `IMMEDIATE` takes the write lock up front.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try inTransaction(begin: "BEGIN IMMEDIATE", body)
    }
}

/// A prepared statement bound to its connection; valid until the next `prepare` of the same SQL.
public struct SQLiteStatement {
    let connection: SQLiteConnection
    let handle: OpaquePointer
    let sql: String

    func bind(_ value: SQLValue, at index: Int32) throws {
        let rc: Int32
        switch value {
        case .null: rc = sqlite3_bind_null(handle, index)
        case .integer(let v): rc = sqlite3_bind_int64(handle, index, v)
        case .real(let v): rc = sqlite3_bind_double(handle, index, v)
        case .text(let v): rc = sqlite3_bind_text(handle, index, v, -1, SQLITE_TRANSIENT)
        case .blob(let v):
            rc = v.withUnsafeBytes { sqlite3_bind_blob(handle, index, $0.baseAddress, Int32($0.count), SQLITE_TRANSIENT) }
        }
        guard rc == SQLITE_OK else { throw SQLiteError(code: rc, message: connection.lastMessage, sql: sql) }
    }

    /// Advances; true while a row is available.
    func step() throws -> Bool {
        let rc = sqlite3_step(handle)
        switch rc {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw SQLiteError(code: rc, message: connection.lastMessage, sql: sql)
        }
    }

    func reset() { sqlite3_reset(handle) }

    var row: SQLiteRow { SQLiteRow(handle: handle) }
}

/// The current row of a statement; columns by index.
public struct SQLiteRow: SQLRow {
    let handle: OpaquePointer

    public func int(_ column: Int32) -> Int { Int(sqlite3_column_int64(handle, column)) }
    public func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }
    public func double(_ column: Int32) -> Double { sqlite3_column_double(handle, column) }
    public func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

    public func string(_ column: Int32) -> String {
        guard let text = sqlite3_column_text(handle, column) else { return "" }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)
    }

    public func value(_ column: Int32) -> SQLValue {
        switch sqlite3_column_type(handle, column) {
        case SQLITE_NULL: .null
        case SQLITE_INTEGER: .integer(int64(column))
        case SQLITE_FLOAT: .real(double(column))
        case SQLITE_BLOB: .blob(data(column))
        default: .text(string(column))
        }
    }

    public func data(_ column: Int32) -> Data {
        let count = Int(sqlite3_column_bytes(handle, column))
        guard count > 0, let bytes = sqlite3_column_blob(handle, column) else { return Data() }
        return Data(bytes: bytes, count: count)
    }
}
