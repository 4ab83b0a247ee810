/// Where the data lives, from the `--database` setting: a file path for SQLite (the embedded default), or a
/// `postgres://` (or `postgresql://`) URL for a PostgreSQL database shared by replicas.
public enum DatabaseLocation: Sendable, Equatable {
    case sqlite(path: String)
    case postgres(url: String)

    public init(_ setting: String) {
        self = setting.hasPrefix("postgres://") || setting.hasPrefix("postgresql://") ? .postgres(url: setting) : .sqlite(path: setting)
    }

    /// Whether this build can open PostgreSQL databases (the `PostgreSQL` package trait).
    public static var postgresSupported: Bool {
        #if PostgreSQL
        true
        #else
        false
        #endif
    }

    /// The location for logs and messages: a URL's password is never shown.
    public var redacted: String {
        switch self {
        case .sqlite(let path): path
        case .postgres(let url): Self.redactingPassword(url)
        }
    }

    /// Opens the database. `backgroundCheckpoints` applies to SQLite only (see `DatabasePool`).
    public func open(readerCount: Int, backgroundCheckpoints: Bool = false) throws -> any SQLDatabase {
        switch self {
        case .sqlite(let path):
            return try DatabasePool(path: path, readerCount: readerCount, backgroundCheckpoints: backgroundCheckpoints)
        case .postgres(let url):
            #if PostgreSQL
            return try PostgresDatabase(url: url, readerCount: readerCount)
            #else
            _ = url
            throw PostgresError(sqlState: nil, message:
                "this build has no PostgreSQL support; build it with `swift build --traits PostgreSQL` (needs libpq-dev)", sql: nil)
            #endif
        }
    }

    /// `postgres://user:secret@host/db` → `postgres://user:***@host/db`.
    static func redactingPassword(_ url: String) -> String {
        guard let scheme = url.range(of: "://"), let at = url[scheme.upperBound...].firstIndex(of: "@") else { return url }
        let userInfo = url[scheme.upperBound..<at]
        guard let colon = userInfo.firstIndex(of: ":") else { return url }
        return String(url[..<colon]) + ":***" + String(url[at...])
    }
}
