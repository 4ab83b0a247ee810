import ArgumentParser

/// The `clearance` command: run the service and administer its database.
struct Clearance: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clearance",
        abstract: "Sanctions screening service: lists, screening decisions and a tamper-evident audit trail.",
        version: ClearanceVersion.current,
        subcommands: [Serve.self, HealthCheck.self, Migrate.self, MigrateData.self, Keys.self, Lists.self, Counterparties.self, Verify.self, CheckpointPublicKey.self, Eval.self, Bench.self, Version.self])
}

Clearance.main()
