import Foundation
import Testing
@testable import Store
import TestSupport

@Suite struct MigrationRunnerTests {
    func writeMigrations(_ files: [String: String], in directory: URL) throws -> URL {
        let folder = directory.appendingPathComponent("migrations-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (name, sql) in files { try sql.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        return folder
    }

    @Test func appliesInOrderAndRecordsChecksums() throws {
        let db = try TempDatabase()
        let folder = try writeMigrations([
            "0002_b.sql": "ALTER TABLE t ADD COLUMN b TEXT;",
            "0001_a.sql": "CREATE TABLE t (a INTEGER);",
        ], in: db.directory)
        let pool = try DatabasePool(path: db.path)
        #expect(try MigrationRunner(directory: folder).migrate(pool) == ["0001_a", "0002_b"])
        let rows = try pool.read { try $0.query("SELECT version, name, checksum FROM schema_migrations ORDER BY version") { ($0.int(0), $0.string(1), $0.string(2)) } }
        #expect(rows.map(\.0) == [1, 2])
        #expect(rows[0].2.count == 64)
        #expect(try MigrationRunner(directory: folder).migrate(pool).isEmpty, "a second run applies nothing")
    }

    /// The binary's migrations are exactly the files of `migrations/`, byte for byte (the same checksums).
    @Test func theCompiledInMigrationsAreTheFolder() throws {
        let embedded = try MigrationRunner.embedded().migrations
        let folder = try MigrationRunner(directory: TempDatabase.projectMigrations).migrations
        #expect(embedded.map(\.name) == folder.map(\.name))
        #expect(embedded.map(\.checksum) == folder.map(\.checksum))
        #expect(!embedded.isEmpty)
    }

    /// PostgreSQL's migrations are numbered as SQLite's: one version is one schema change on both.
    @Test func thePostgreSQLMigrationsMatchTheSQLiteOnesByVersion() throws {
        let postgres = try MigrationRunner.embedded(for: .postgres).migrations
        let sqlite = try MigrationRunner.embedded(for: .sqlite).migrations
        #expect(postgres.map(\.name) == sqlite.map(\.name))
        let folder = try MigrationRunner(directory: TempDatabase.projectMigrations.appendingPathComponent("postgres")).migrations
        #expect(postgres.map(\.checksum) == folder.map(\.checksum))
    }

    /// Replicas starting together against a new database: each runs the migrations, under the advisory lock, and
    /// every migration is applied exactly once.
    @Test(.enabled(if: DatabaseBackend.all.contains(.postgres), "needs PostgreSQL"))
    func replicasMigratingAtOnceApplyEachMigrationOnce() throws {
        let url = try PostgresCluster.shared.get().createDatabase()
        let runner = try MigrationRunner.embedded(for: .postgres)
        let databases = try (0..<4).map { _ in try DatabaseLocation(url).open(readerCount: 1) }
        let applied = Applied()
        DispatchQueue.concurrentPerform(iterations: databases.count) { index in
            applied.add(Result { try runner.migrate(databases[index]) })
        }
        let results = applied.results
        #expect(results.allSatisfy { (try? $0.get()) != nil }, "\(results)")
        #expect(results.compactMap { try? $0.get() }.flatMap { $0 }.count == runner.migrations.count)
        let recorded = try databases[0].read { try $0.first("SELECT count(*) FROM schema_migrations") { $0.int(0) } }
        #expect(recorded == runner.migrations.count)
    }

    /// A connection the server refuses (here: a database that does not exist) is an error to the caller; the handle
    /// was once freed twice on this path, which crashed the process when a cluster ran out of connections.
    @Test(.enabled(if: DatabaseBackend.all.contains(.postgres), "needs PostgreSQL"))
    func aRefusedConnectionIsAnErrorNotACrash() throws {
        let missing = try PostgresCluster.shared.get().url("no_such_database_\(UInt32.random(in: 0...UInt32.max))")
        for _ in 0..<20 {
            #expect(throws: (any Error).self) { try DatabaseLocation(missing).open(readerCount: 1) }
        }
    }

    final class Applied: @unchecked Sendable {
        private let lock = NSLock()
        private var stored: [Result<[String], any Error>] = []
        func add(_ result: Result<[String], any Error>) { lock.withLock { stored.append(result) } }
        var results: [Result<[String], any Error>] { lock.withLock { stored } }
    }

    @Test func refusesAChangedMigration() throws {
        let db = try TempDatabase()
        let folder = try writeMigrations(["0001_a.sql": "CREATE TABLE t (a INTEGER);"], in: db.directory)
        let pool = try DatabasePool(path: db.path)
        try MigrationRunner(directory: folder).migrate(pool)
        try "CREATE TABLE t (a INTEGER, b INTEGER);".write(to: folder.appendingPathComponent("0001_a.sql"), atomically: true, encoding: .utf8)
        #expect { try MigrationRunner(directory: folder).migrate(pool) } throws: { error in
            "\(error)".contains("0001_a.sql was changed after it was applied")
        }
    }

    @Test func refusesAMissingMigration() throws {
        let db = try TempDatabase()
        let folder = try writeMigrations(["0001_a.sql": "CREATE TABLE t (a INTEGER);", "0002_b.sql": "CREATE TABLE u (a INTEGER);"], in: db.directory)
        let pool = try DatabasePool(path: db.path)
        try MigrationRunner(directory: folder).migrate(pool)
        try FileManager.default.removeItem(at: folder.appendingPathComponent("0002_b.sql"))
        #expect { try MigrationRunner(directory: folder).migrate(pool) } throws: { "\($0)".contains("0002_b (version 2) is not among the migrations of this build") }
    }

    @Test func aFailingMigrationIsRolledBack() throws {
        let db = try TempDatabase()
        let folder = try writeMigrations(["0001_a.sql": "CREATE TABLE t (a INTEGER); CREATE TABLE t (a INTEGER);"], in: db.directory)
        let pool = try DatabasePool(path: db.path)
        #expect(throws: MigrationError.self) { try MigrationRunner(directory: folder).migrate(pool) }
        let tables = try pool.read { try $0.query("SELECT name FROM sqlite_master WHERE name = 't'") { $0.string(0) } }
        #expect(tables.isEmpty)
    }

    @Test func theProjectMigrationsApplyToAFreshDatabase() throws {
        let db = try TempDatabase()
        let pool = try db.migratedPool()
        let mode = try pool.read { try $0.first("PRAGMA journal_mode") { $0.string(0) } }
        #expect(mode == "wal")
        let foreignKeys = try pool.read { try $0.first("PRAGMA foreign_keys") { $0.int(0) } }
        #expect(foreignKeys == 1)
    }
}
