import ArgumentParser
import Foundation

/// `--database` and `--migrations`, shared by every subcommand that touches data.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: "SQLite database file (env CLEARANCE_DATABASE); created with its folder if missing.")
    var database: String = Environment.string("CLEARANCE_DATABASE") ?? "./data/clearance.sqlite"

    @Option(name: .long, help: "Folder of migration files (env CLEARANCE_MIGRATIONS); found automatically by default.")
    var migrations: String?

    var migrationsPath: String? { migrations ?? Environment.string("CLEARANCE_MIGRATIONS") }
}

enum Environment {
    static func string(_ name: String) -> String? {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else { return nil }
        return value
    }

    static func int(_ name: String) -> Int? { string(name).flatMap(Int.init) }
    static func double(_ name: String) -> Double? { string(name).flatMap(Double.init) }
}

enum ClearanceVersion {
    static let current = "0.1.0"
}
