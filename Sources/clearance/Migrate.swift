import ArgumentParser
import ClearanceService
import Foundation
import Store

struct Migrate: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply pending migrations and exit.")

    @OptionGroup var db: DatabaseOptions

    func run() throws {
        let database = try DatabaseLocation(try db.path()).open(readerCount: 1)
        let runner = try MigrationRunner.embedded(for: database.dialect)
        let applied = try runner.migrate(database)
        print(applied.isEmpty ? "database is up to date (\(runner.migrations.count) migrations)" : "applied: \(applied.joined(separator: ", "))")
    }
}
