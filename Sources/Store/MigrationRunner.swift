import Foundation
import OpenSSLCrypto

/// A migration file: `NNNN_description.sql`.
public struct Migration: Sendable, Equatable {
    public let version: Int
    public let name: String
    public let sql: String
    public let checksum: String

    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
        self.checksum = SHA256.hex(sql)
    }
}

public struct MigrationError: Error, CustomStringConvertible {
    public let description: String
}

/// Applies forward-only migrations in order, each in its own transaction, and refuses to run against a database
/// whose applied migrations were edited or removed since.
public struct MigrationRunner: Sendable {
    public let migrations: [Migration]

    public init(migrations: [Migration]) {
        self.migrations = migrations.sorted { $0.version < $1.version }
    }

    /// Loads every `NNNN_description.sql` in `directory`.
    public init(directory: URL) throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".sql") }
        try self.init(files: try names.map { name in
            (name, try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8))
        })
    }

    /// The migrations compiled into the binary (see `EmbedFilesPlugin`) for a database: `migrations/` for SQLite,
    /// `migrations/postgres/` for PostgreSQL, numbered alike (the same version is the same schema change).
    public static func embedded(for dialect: SQLDialect = .sqlite) throws -> MigrationRunner {
        let files = switch dialect {
        case .sqlite: embeddedFiles
        case .postgres: PostgresMigrations.embeddedFiles
        }
        return try MigrationRunner(files: try files.map { file in
            guard let data = Data(base64Encoded: file.base64) else { throw MigrationError(description: "embedded migration \(file.name) is damaged") }
            return (file.name, String(decoding: data, as: UTF8.self))
        })
    }

    /// Migrations from named files, each named `NNNN_description.sql`, no two with one version.
    init(files: [(name: String, sql: String)]) throws {
        var migrations: [Migration] = []
        for (name, sql) in files {
            let stem = String(name.dropLast(4))
            guard name.hasSuffix(".sql"), let underscore = stem.firstIndex(of: "_"), let version = Int(stem[..<underscore]) else {
                throw MigrationError(description: "migration file \(name) is not named NNNN_description.sql")
            }
            if let clash = migrations.first(where: { $0.version == version }) {
                throw MigrationError(description: "migrations \(clash.name) and \(stem) share version \(version)")
            }
            migrations.append(Migration(version: version, name: stem, sql: sql))
        }
        self.init(migrations: migrations)
    }

    /// Applies what is pending; returns the names applied.
    @discardableResult
    public func migrate(_ database: any SQLDatabase) throws -> [String] {
        try database.exclusively { db in
            try db.execute("""
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version INTEGER PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at TEXT NOT NULL)
                """)
            let applied = try db.query("SELECT version, name, checksum FROM schema_migrations ORDER BY version") {
                (version: $0.int(0), name: $0.string(1), checksum: $0.string(2))
            }
            for record in applied {
                guard let file = migrations.first(where: { $0.version == record.version }) else {
                    throw MigrationError(description:
                        "applied migration \(record.name) (version \(record.version)) is not among the migrations of this build (a database from a newer version?); refusing to start")
                }
                guard file.checksum == record.checksum else {
                    throw MigrationError(description:
                        "migration \(file.name).sql was changed after it was applied (SHA-256 \(file.checksum), applied \(record.checksum)); refusing to start. Add a new migration instead.")
                }
            }
            let appliedVersions = Set(applied.map(\.version))
            var done: [String] = []
            for migration in migrations where !appliedVersions.contains(migration.version) {
                if let latest = applied.last, migration.version < latest.version {
                    throw MigrationError(description:
                        "migration \(migration.name) is older than the applied \(latest.name); migrations are applied in order only")
                }
                do {
                    try db.transaction {
                        try db.execute(migration.sql)
                        try db.run("INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)",
                                   [migration.version, migration.name, migration.checksum, Timestamp.now()])
                    }
                } catch {
                    throw MigrationError(description: "migration \(migration.name) failed and was rolled back: \(error)")
                }
                done.append(migration.name)
            }
            return done
        }
    }
}

/// The PostgreSQL migrations, compiled in as `PostgresMigrations.embeddedFiles`.
enum PostgresMigrations {}
