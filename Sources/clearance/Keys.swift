import ArgumentParser
import ClearanceService
import Foundation
import Logging
import Store

struct Keys: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create, list and revoke API keys (works while serve runs on the same database).",
        subcommands: [Create.self, List.self, Revoke.self])

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a key and print it (only the key) on stdout.")

        @Option(name: .customLong("role"), help: "A role. Repeat for several.")
        var roles: [Role]

        @Option(help: "A name to recognise the key by.")
        var name: String = "cli"

        @Option(help: "The person or system the key belongs to; four eyes needs two different owners. The name by default.")
        var owner: String?

        @OptionGroup var db: DatabaseOptions

        func validate() throws {
            guard !roles.isEmpty else { throw ValidationError("give at least one --role") }
        }

        func run() throws {
            let context = try CLIContext(db)
            let created = try context.keys.create(name: name, roles: roles, owner: owner, createdBy: "cli", actor: nil)
            print(created.key)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List keys (ids, names, roles; never the keys).")

        @OptionGroup var db: DatabaseOptions

        func run() throws {
            let context = try CLIContext(db)
            for key in try context.keys.list() {
                let status = key.revokedAt.map { "revoked \($0)" } ?? "active"
                print("\(key.id)\t\(key.name)\t\(key.roles.joined(separator: ","))\t\(key.createdAt)\t\(status)")
            }
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a key by id; it is refused at once.")

        @Argument(help: "The key id (from keys list).")
        var id: String

        @OptionGroup var db: DatabaseOptions

        func run() throws {
            let context = try CLIContext(db)
            guard try context.keys.revoke(id: id, actor: nil) else {
                FileHandle.standardError.write(Data("no active key \(id)\n".utf8))
                throw ExitCode.failure
            }
            print("revoked \(id)")
        }
    }
}

/// The database, migrated, with the services the CLI needs; no HTTP server.
struct CLIContext {
    let database: any SQLDatabase
    let audit: AuditTrail
    let keys: APIKeyService

    init(_ options: DatabaseOptions) throws {
        database = try DatabaseLocation(try options.path()).open(readerCount: 1)
        try MigrationRunner.embedded(for: database.dialect).migrate(database)
        audit = AuditTrail(store: SQLAuditLogStore(database: database), logger: Logger(label: "clearance-cli"))
        keys = APIKeyService(store: SQLAPIKeyStore(database: database))
    }

    func listService() -> ListService {
        ListService(store: SQLListStore(database: database), active: nil)
    }
}

/// `--role screen`: parsed and checked by the argument parser, which lists the roles in help and errors.
extension Role: ExpressibleByArgument {}
