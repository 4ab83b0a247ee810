import ArgumentParser
import ClearanceService
import Foundation
import Logging
import Store

struct MigrateData: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate-data",
        abstract: "Copy an SQLite deployment into an empty PostgreSQL database: lists and versions, keys, policy, the audit trail.",
        discussion: """
            Stop the service first. The target is migrated to this build's schema, must be empty, and is checked afterwards: \
            the chain must verify and end at the source's head. The decision search index is rebuilt from the trail. The \
            checkpoint signing key is a file: give the replicas the same one with --checkpoint-key.
            """)

    @Option(help: "The SQLite database file to copy.")
    var from: String

    @Option(help: "The PostgreSQL database to copy into (postgres://user@host:port/database).")
    var to: String

    func run() throws {
        guard case .sqlite(let path) = DatabaseLocation(from), FileManager.default.fileExists(atPath: path) else {
            throw ValidationError("--from must be an existing SQLite file")
        }
        let target = DatabaseLocation(to)
        guard case .postgres = target else { throw ValidationError("--to must be a postgres:// URL") }
        let source = try DatabaseLocation(from).open(readerCount: 1)
        let destination = try target.open(readerCount: 2)
        // Both at this build's schema: the same migrations, so the same tables and columns.
        try MigrationRunner.embedded(for: .sqlite).migrate(source)
        try MigrationRunner.embedded(for: .postgres).migrate(destination)
        let sourceTrail = AuditTrail(store: SQLAuditLogStore(database: source), logger: Logger(label: "clearance-cli"))
        let expected = try sourceTrail.store.head()
        let started = Date()
        try DatabaseCopy(from: source, to: destination).run { table, rows in print("copied \(table): \(rows) rows") }
        let trail = AuditTrail(store: SQLAuditLogStore(database: destination), logger: Logger(label: "clearance-cli"), indexInCommit: true)
        try trail.syncIndex()
        let verification = try trail.verify(from: nil, to: nil)
        guard verification.isValid, verification.lastSeq == expected?.seq, verification.headHash == expected?.hash else {
            print("FAILED: the copied chain does not match the source (\(verification.firstBreak?.reason ?? "head differs"))")
            throw ExitCode.failure
        }
        print("""
            OK: \(verification.checked) audit records copied and verified, head \(verification.headHash ?? "none") \
            (\(Int(Date().timeIntervalSince(started))) s); decision index rebuilt: \(try SQLDecisionStore(database: destination).count()) decisions
            """)
    }
}
