import Foundation
@testable import Store
import TestSupport

/// A real SQLite file in a fresh temporary folder.
struct TempDatabase {
    let directory: URL
    var path: String { directory.appendingPathComponent("test.sqlite").path }

    init() throws {
        directory = TestFolder.make("store")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    static var projectMigrations: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("migrations")
    }

    func migratedPool() throws -> DatabasePool {
        let pool = try DatabasePool(path: path, readerCount: 2)
        try MigrationRunner.embedded().migrate(pool)
        return pool
    }

    /// A fresh database of `backend` at this build's schema, and its location (a path or a URL) for opening it
    /// again as another process would.
    func migrated(_ backend: DatabaseBackend) throws -> (database: any SQLDatabase, location: String) {
        let location = try backend.newDatabase(in: directory)
        let database = try DatabaseLocation(location).open(readerCount: 2)
        try MigrationRunner.embedded(for: database.dialect).migrate(database)
        return (database, location)
    }
}
