import Foundation

/// The databases a test can run against: the SQLite file every build has, and PostgreSQL when the build has the
/// `PostgreSQL` trait and the run's cluster is up. Tests that take `DatabaseBackend.all` as arguments are one suite
/// run against both.
public enum DatabaseBackend: String, Sendable, CaseIterable, CustomStringConvertible {
    case sqlite
    case postgres

    public var description: String { rawValue }

    /// SQLite always; PostgreSQL when it can run here, or when `CLEARANCE_REQUIRE_POSTGRES` says it must (then a
    /// cluster that does not start fails the tests that use it, with the reason).
    public static let all: [DatabaseBackend] = {
        #if PostgreSQL
        if case .failure(let error) = PostgresCluster.shared, !PostgresCluster.required {
            print("PostgreSQL tests skipped: \(error.description)")
            return [.sqlite]
        }
        return [.sqlite, .postgres]
        #else
        print("PostgreSQL tests skipped: this build has no PostgreSQL support (swift test --traits PostgreSQL)")
        return [.sqlite]
        #endif
    }()

    /// A fresh, empty database: a file path in `folder`, or a new database in the run's cluster (its URL).
    public func newDatabase(in folder: URL) throws -> String {
        switch self {
        case .sqlite: return folder.appendingPathComponent("clearance.sqlite").path
        case .postgres: return try PostgresCluster.shared.get().createDatabase()
        }
    }
}
