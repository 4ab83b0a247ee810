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
}
