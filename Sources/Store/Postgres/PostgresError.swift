/// A PostgreSQL failure: the server's SQLSTATE when it answered, or none when the connection itself failed.
/// Defined in every build, so the service can say what a failure means whether or not the PostgreSQL trait is on.
public struct PostgresError: Error, CustomStringConvertible {
    /// The five-character SQLSTATE, or nil when no server answered (connection refused, lost or reset).
    public let sqlState: String?
    public let message: String
    public let sql: String?

    public init(sqlState: String?, message: String, sql: String?) {
        self.sqlState = sqlState
        self.message = message
        self.sql = sql
    }

    public var description: String {
        let state = sqlState.map { " (SQLSTATE \($0))" } ?? ""
        return "PostgreSQL: \(message)\(state)"
    }

    /// A condition of the database, not of the request, that passes: no connection, the server shutting down or
    /// starting (class 08, 57P01–57P03), out of resources (53), or a transaction the server chose to abort
    /// (40001 serialisation, 40P01 deadlock). The caller should retry.
    public var isTransient: Bool {
        guard let sqlState else { return true }
        return sqlState.hasPrefix("08") || sqlState.hasPrefix("53") || ["57P01", "57P02", "57P03", "40001", "40P01"].contains(sqlState)
    }
}
