import HTTPServer
import Store

// What the store's failures mean to a caller. A database that is busy, full, read-only or unreachable is a passing
// condition of the service (503, retry), never a 500 and never an answer without its record.

extension DatabaseBusy: HTTPProblemConvertible {
    public var problem: HTTPError? { ServiceError.unavailable("the database is busy: \(description); retry shortly").problem }
}

extension PostgresError: HTTPProblemConvertible {
    /// No connection, a server shutting down or starting, exhausted resources, an aborted transaction: retry.
    public var problem: HTTPError? {
        isTransient ? ServiceError.unavailable("the database cannot be reached or is recovering (\(sqlState ?? "no connection")); retry shortly").problem : nil
    }
}

extension SQLiteError: HTTPProblemConvertible {
    /// SQLITE_BUSY, LOCKED, READONLY, IOERR, FULL and CANTOPEN (primary codes) are conditions of the file, not
    /// of the request.
    public var problem: HTTPError? {
        switch code & 0xFF {
        case 5, 6, 8, 10, 13, 14: ServiceError.unavailable("the database cannot be written or read now (SQLite code \(code)); retry shortly").problem
        default: nil
        }
    }
}
