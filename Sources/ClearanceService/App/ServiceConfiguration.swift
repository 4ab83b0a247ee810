import Foundation
import HTTPServer
import Store

/// Everything `clearance serve` can be told, with the defaults: this type is their one owner (the command line
/// shows them in its help and falls back to them). Each field has a flag and a `CLEARANCE_*` environment variable.
public struct ServiceConfiguration: Sendable {
    /// Worker threads run at niceness 5: screening is bulk CPU work, and the audit writer's group commit, which every
    /// answer waits for, then gets a core as soon as it wakes (the measurements are in docs/audit-trail.md, "On disk").
    public static let defaultWorkerNiceness: Int32 = 5
    public var server: ServerConfiguration = {
        var server = ServerConfiguration()
        server.workerNiceness = defaultWorkerNiceness
        return server
    }()
    /// An SQLite file path, or a `postgres://` URL (see `DatabaseLocation`).
    public var databasePath = "./data/clearance.sqlite"
    public var database: DatabaseLocation { DatabaseLocation(databasePath) }
    public var readerConnections = 4
    /// Largest list upload; uploads are spooled to disk, never held in memory whole.
    public var maxUploadBytes = 512 * 1024 * 1024
    /// Where `lists sync` and the sync schedule fetch lists; the official sources by default.
    public var syncSources: [ListSyncSource] = ListSyncSource.official
    /// Seconds between scheduled syncs in `serve` (sources never synced are fetched at start); 0 turns sync off.
    public var syncInterval: Double = 6 * 3600
    /// `/readyz` reports a synced list whose last successful sync is older than this (seconds).
    public var syncStaleAfter: Double = 36 * 3600
    /// Seconds between reads of what other processes sharing the database changed (list activations, the policy):
    /// how soon a replica serves a version activated through another; 0 turns it off.
    public var sharedStateInterval: Double = 2
    /// The Ed25519 seed file that signs audit checkpoints; beside the database by default, created on first use.
    public var checkpointKeyPath: String?
    /// A file of further public keys checkpoints may be signed with (keys rotated out, see `CheckpointTrust`); the
    /// signing key's own public half is always trusted. Nil: `checkpoint-trusted-keys` beside the signing key, if present.
    public var checkpointTrustedKeysPath: String?
    /// Seconds between scheduled checkpoints; 0 turns the schedule off.
    public var checkpointInterval: Double = 3600
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
    /// Counterparties re-screened and committed together after a list change.
    public var rescreenBatch = 200
    /// Webhook deliveries: the seconds an attempt may take, the first retry's delay (doubling on each further one,
    /// up to `webhookRetryMax`, with jitter), and the seconds after an alert when its delivery is given up.
    public var webhookTimeout: Double = 10
    public var webhookRetryBase: Double = 5
    public var webhookRetryMax: Double = 3600
    public var webhookGiveUpAfter: Double = 24 * 3600
    /// Plain-http webhook URLs beyond loopback (https otherwise).
    public var webhookAllowHTTP = false
    /// Deliver webhooks to loopback, private, link-local and metadata addresses too (only public ones otherwise).
    public var webhookAllowPrivateAddresses = false
    /// Install the procurement lists Clearance ships (`BuiltInLists`) on start: every edition on an empty database,
    /// the newer ones after an upgrade.
    public var builtInLists = true

    public init() {}

    /// Refuses settings outside their range, naming the setting.
    public func validate() throws {
        func require(_ ok: Bool, _ message: String) throws {
            if !ok { throw ConfigurationError(description: message) }
        }
        try require((0...65_535).contains(server.port), "port must be from 0 to 65535")
        try require(server.maxConnections >= 1, "max-connections must be at least 1")
        try require(server.maxConnectionsPerAddress >= 0, "max-connections-per-address must be 0 (no limit) or more")
        try require(server.maxHeaderBytes >= 1024 && server.maxBodyBytes >= 0 && maxUploadBytes >= 0, "size limits must not be negative (heads at least 1024 bytes)")
        try require(server.headerReadTimeout > 0 && server.bodyReadTimeout > 0 && server.idleTimeout > 0 && server.minBodyBytesPerSecond > 0,
                    "timeouts and the minimum body rate must be positive")
        try require(server.shutdownGracePeriod >= 0, "shutdown-grace must not be negative")
        try require((server.eventLoopCount ?? 1) >= 1, "event-loops must be at least 1")
        try require((0...19).contains(server.workerNiceness), "worker-niceness must be from 0 to 19")
        try require(rateLimitPerKey >= 0 && (rateLimitBurst ?? 1) >= 1, "rate-limit must not be negative and rate-limit-burst must be at least 1")
        try require(maxInFlightPerKey >= 0, "max-in-flight-per-key must be 0 (no bound) or more")
        try require(livenessQueueDelay > 0, "liveness-queue-delay must be positive")
        try require(syncInterval >= 0 && checkpointInterval >= 0, "sync-interval and checkpoint-interval must be 0 (off) or more")
        try require(syncStaleAfter > 0, "sync-stale-after must be positive")
        try require(sharedStateInterval >= 0, "shared-state-interval must not be negative")
        try require(rescreenBatch >= 1, "rescreen-batch must be at least 1")
        // Foundation's URLSession on Linux fails every request at once when given a timeout under a second.
        try require(webhookTimeout >= 1, "webhook-timeout must be at least 1 second")
        try require(webhookRetryBase > 0 && webhookRetryMax >= webhookRetryBase && webhookGiveUpAfter > 0,
                    "webhook-retry-base and webhook-give-up-after must be positive, webhook-retry-max at least the base")
    }
}

/// A setting outside its range.
public struct ConfigurationError: Error, CustomStringConvertible {
    public let description: String
}
