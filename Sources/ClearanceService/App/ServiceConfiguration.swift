import Foundation
import HTTPServer

/// Everything `clearance serve` can be told; each field has a `CLEARANCE_*` environment variable in the CLI.
public struct ServiceConfiguration: Sendable {
    /// Worker threads run at niceness 5: screening is bulk CPU work, and the audit writer's group commit, which every
    /// answer waits for, then gets a core as soon as it wakes. Measured with 64 connections on 2 cores: a commit took
    /// 7.5–11 ms of wall time at niceness 0 and 3–3.5 ms at 5; durable/disabled throughput, median of eight pairs,
    /// 0.82 → 0.88 (README, "The audit trail on disk").
    public static let defaultWorkerNiceness: Int32 = 5
    public var server: ServerConfiguration = {
        var server = ServerConfiguration()
        server.workerNiceness = defaultWorkerNiceness
        return server
    }()
    public var databasePath = "./data/clearance.sqlite"
    /// Folder of `NNNN_description.sql` files; nil finds the project's `migrations` folder (see `MigrationsLocator`).
    public var migrationsDirectory: String?
    public var readerConnections = 4
    /// Largest list upload; uploads are spooled to disk, never held in memory whole.
    public var maxUploadBytes = 512 * 1024 * 1024
    /// Where `lists sync` and the sync schedule fetch lists; the official sources by default.
    public var syncSources: [ListSyncSource] = ListSyncSource.official
    /// Seconds between scheduled syncs in `serve`; 0 turns the schedule off.
    public var syncInterval: Double = 0
    /// The Ed25519 seed file that signs audit checkpoints; beside the database by default, created on first use.
    public var checkpointKeyPath: String?
    /// Seconds between scheduled checkpoints; 0 turns the schedule off.
    public var checkpointInterval: Double = 0
    /// The decision search index trails the chain (see `AuditTrail`): it is written once this many decisions wait,
    /// this many seconds after the oldest waiting one was committed, or when a reader needs it.
    public var decisionIndexBatch = 512
    public var decisionIndexDelay = 0.2
    /// Benchmark-only: answer screens without writing the audit trail, to measure what durability costs. A server
    /// running so says it on every answer (`Clearance-Audit: disabled`), in `/readyz` and in the trail itself.
    public var unsafeDisableAuditForBenchmark = false
    /// Requests a second each API key may make on average (token bucket); 0 turns rate limiting off.
    public var rateLimitPerKey: Double = 0
    /// Requests a key may make at once before its rate applies; twice the rate (at least 1) when nil.
    public var rateLimitBurst: Double?
    /// Requests one API key may have in flight at once; more get 429 from the head. 0 turns the bound off. Well
    /// above what a client needs (a benchmark at 64 connections on one key stays under it), well below the worker pool.
    public var maxInFlightPerKey = 128
    /// `/healthz` answers 503 once a request has waited this many seconds for a worker thread.
    public var livenessQueueDelay: Double = 10
    /// Where uploads are spooled while they arrive; `spool` beside the database when nil (emptied at start).
    public var spoolDirectory: String?

    public init() {}
}

/// Finds the migrations folder: explicit setting, `./migrations`, then beside or above the executable
/// (`.build/debug/clearance` in a checkout, `/app/migrations` in the container image).
public enum MigrationsLocator {
    public static func locate(_ explicit: String?) throws -> URL {
        let fm = FileManager.default
        if let explicit {
            guard fm.fileExists(atPath: explicit) else { throw LocatorError(description: "migrations folder \(explicit) does not exist") }
            return URL(fileURLWithPath: explicit)
        }
        var candidates = [URL(fileURLWithPath: fm.currentDirectoryPath).appendingPathComponent("migrations")]
        var directory = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<5 {
            candidates.append(directory.appendingPathComponent("migrations"))
            candidates.append(directory.appendingPathComponent("share/clearance/migrations"))
            directory = directory.deletingLastPathComponent()
        }
        if let found = candidates.first(where: { fm.fileExists(atPath: $0.appendingPathComponent("0001_keys_and_audit_log.sql").path) }) {
            return found
        }
        throw LocatorError(description: "cannot find the migrations folder; pass --migrations or set CLEARANCE_MIGRATIONS")
    }

    struct LocatorError: Error, CustomStringConvertible {
        let description: String
    }
}
