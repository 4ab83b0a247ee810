import ArgumentParser
import ClearanceService
import Foundation
import Store

struct Migrate: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply pending migrations and exit.")

    @OptionGroup var db: DatabaseOptions

    func run() throws {
        let pool = try DatabasePool(path: try db.path(), readerCount: 1)
        let runner = try MigrationRunner.embedded()
        let applied = try runner.migrate(pool)
        print(applied.isEmpty ? "database is up to date (\(runner.migrations.count) migrations)" : "applied: \(applied.joined(separator: ", "))")
    }
}
