import ArgumentParser
import ClearanceService
import Foundation

/// `--database`, shared by every subcommand that touches data.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: "SQLite database file, created with its folder if missing, or a postgres:// URL (env CLEARANCE_DATABASE; default \(ServiceConfiguration().databasePath)).")
    var database: String?

    /// The flag, else CLEARANCE_DATABASE, else the default.
    func path() throws -> String {
        var path = ServiceConfiguration().databasePath
        try Environment.apply(database, "CLEARANCE_DATABASE", to: &path)
        return path
    }
}

/// The one place `CLEARANCE_*` environment variables are read. A flag wins over its variable, the variable over the
/// default (which `ServiceConfiguration` owns); a value that does not parse stops the command with its name, never
/// silently falls back to the default.
enum Environment {
    static func value<T: ExpressibleByArgument>(_ name: String, as type: T.Type = T.self) throws -> T? {
        guard let text = ProcessInfo.processInfo.environment[name], !text.isEmpty else { return nil }
        guard let value = T(argument: text) else {
            let allowed = T.allValueStrings.isEmpty ? "" : "; one of \(T.allValueStrings.joined(separator: ", "))"
            throw ValidationError("\(name)=\(text) is not a valid value\(allowed)")
        }
        return value
    }

    /// Sets `target` from the flag, else from the variable `name`; leaves the default when neither is given.
    static func apply<T: ExpressibleByArgument>(_ flag: T?, _ name: String, to target: inout T) throws {
        if let value = try flag ?? value(name, as: T.self) { target = value }
    }

    static func apply<T: ExpressibleByArgument>(_ flag: T?, _ name: String, to target: inout T?) throws {
        if let value = try flag ?? value(name, as: T.self) { target = value }
    }
}

enum ClearanceVersion {
    static let current = "0.1.0"
}
