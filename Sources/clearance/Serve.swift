import ArgumentParser
import ClearanceService
import Dispatch
import Foundation
import HTTPServer
import Logging
#if canImport(Glibc)
import Glibc
#endif

struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the HTTP service.")

    @Option(help: "Address to listen on (env CLEARANCE_HOST; default \(defaults.server.host)).")
    var host: String?

    @Option(help: "Port to listen on, 0 for any free port (env CLEARANCE_PORT; default \(defaults.server.port)).")
    var port: Int?

    @OptionGroup var db: DatabaseOptions

    @Option(help: "Most open connections; more get 503 (env CLEARANCE_MAX_CONNECTIONS; default \(defaults.server.maxConnections)).")
    var maxConnections: Int?

    @Option(help: "Most open connections from one client address, 0 for no limit (behind a proxy); more get 503 (env CLEARANCE_MAX_CONNECTIONS_PER_ADDRESS; default \(defaults.server.maxConnectionsPerAddress)).")
    var maxConnectionsPerAddress: Int?

    @Option(help: "Largest request head in bytes; larger gets 431 (env CLEARANCE_MAX_HEADER_BYTES; default \(defaults.server.maxHeaderBytes)).")
    var maxHeaderBytes: Int?

    @Option(help: "Default largest request body in bytes; larger gets 413 (env CLEARANCE_MAX_BODY_BYTES; default \(defaults.server.maxBodyBytes)).")
    var maxBodyBytes: Int?

    @Option(help: "Seconds to receive a request head (env CLEARANCE_HEADER_TIMEOUT; default \(defaults.server.headerReadTimeout)).")
    var headerTimeout: Double?

    @Option(help: "Seconds to receive a request body, on top of its size at --min-body-rate (env CLEARANCE_BODY_TIMEOUT; default \(defaults.server.bodyReadTimeout)).")
    var bodyTimeout: Double?

    @Option(help: "Slowest accepted body transfer rate, bytes a second (env CLEARANCE_MIN_BODY_RATE; default \(defaults.server.minBodyBytesPerSecond)).")
    var minBodyRate: Double?

    @Option(help: "Requests a second each API key may make on average; 0 turns the limit off (env CLEARANCE_RATE_LIMIT; default \(defaults.rateLimitPerKey)).")
    var rateLimit: Double?

    @Option(help: "Requests a key may make at once before the rate applies; twice the rate by default (env CLEARANCE_RATE_LIMIT_BURST).")
    var rateLimitBurst: Double?

    @Option(help: "Requests one API key may have in flight at once; more get 429; 0 turns it off (env CLEARANCE_MAX_IN_FLIGHT_PER_KEY; default \(defaults.maxInFlightPerKey)).")
    var maxInFlightPerKey: Int?

    @Option(help: "Seconds a request may wait for a worker thread before /healthz answers 503 (env CLEARANCE_LIVENESS_QUEUE_DELAY; default \(defaults.livenessQueueDelay)).")
    var livenessQueueDelay: Double?

    @Option(help: "PEM certificate chain: serve HTTPS (TLS 1.2 and 1.3) instead of HTTP; reloaded on SIGHUP (env CLEARANCE_TLS_CERTIFICATE).")
    var tlsCertificate: String?

    @Option(help: "PEM private key of --tls-certificate; reloaded on SIGHUP (env CLEARANCE_TLS_KEY).")
    var tlsKey: String?

    @Option(help: "File the first start's admin key is written to, readable by its owner only (env CLEARANCE_BOOTSTRAP_KEY_FILE); beside the database by default.")
    var bootstrapKeyFile: String?

    @Option(help: "Seconds an idle keep-alive connection stays open (env CLEARANCE_IDLE_TIMEOUT; default \(defaults.server.idleTimeout)).")
    var idleTimeout: Double?

    @Option(help: "Seconds in-flight requests get on shutdown (env CLEARANCE_SHUTDOWN_GRACE; default \(defaults.server.shutdownGracePeriod)).")
    var shutdownGrace: Double?

    @Option(help: "Log level (env CLEARANCE_LOG_LEVEL; default info).")
    var logLevel: Logger.Level?

    @Option(help: "Seconds between list syncs from their sources; 0 turns it off (env CLEARANCE_SYNC_INTERVAL; default \(defaults.syncInterval)).")
    var syncInterval: Double?

    @Option(help: "Seconds after which /readyz reports a list whose last successful sync is older (env CLEARANCE_SYNC_STALE_AFTER; default \(defaults.syncStaleAfter)).")
    var syncStaleAfter: Double?

    @Option(help: "Seconds between reads of list activations and policy changes made by other replicas; 0 turns it off (env CLEARANCE_SHARED_STATE_INTERVAL; default \(defaults.sharedStateInterval)).")
    var sharedStateInterval: Double?

    @Option(help: "List sync configuration file (env CLEARANCE_SYNC_CONFIG); the official sources by default.")
    var syncConfig: String?

    @Option(help: "Largest list upload in bytes (env CLEARANCE_MAX_UPLOAD_BYTES; default \(defaults.maxUploadBytes)).")
    var maxUploadBytes: Int?

    @Option(help: "Ed25519 seed file that signs audit checkpoints (env CLEARANCE_CHECKPOINT_KEY); beside the database by default.")
    var checkpointKey: String?

    @Option(help: "File of further public keys (hex, one a line, # comments) audit checkpoints may be signed with: keys rotated out (env CLEARANCE_CHECKPOINT_TRUSTED_KEYS); checkpoint-trusted-keys beside the signing key by default, if present.")
    var checkpointTrustedKeys: String?

    @Option(help: "Seconds between signed audit checkpoints; 0 turns it off (env CLEARANCE_CHECKPOINT_INTERVAL; default \(defaults.checkpointInterval)).")
    var checkpointInterval: Double?

    @Option(help: "Seconds routine log lines may wait in a buffer before they are written; 0 writes each at once (env CLEARANCE_LOG_FLUSH_INTERVAL; default 0.1).")
    var logFlushInterval: Double?

    @Option(help: "Niceness of the threads that run handlers, 0-19, so the audit writer and event loops preempt them (env CLEARANCE_WORKER_NICENESS; default \(defaults.server.workerNiceness)).")
    var workerNiceness: Int32?

    @Option(help: "Event loop threads; the number of cores by default (env CLEARANCE_EVENT_LOOPS).")
    var eventLoops: Int?

    @Option(help: "Counterparties re-screened and committed together after a list change (env CLEARANCE_RESCREEN_BATCH; default \(defaults.rescreenBatch)).")
    var rescreenBatch: Int?

    @Option(help: "Seconds a webhook delivery attempt may take (env CLEARANCE_WEBHOOK_TIMEOUT; default \(defaults.webhookTimeout)).")
    var webhookTimeout: Double?

    @Option(help: "Seconds before a failed webhook delivery's first retry, doubling each time (env CLEARANCE_WEBHOOK_RETRY_BASE; default \(defaults.webhookRetryBase)).")
    var webhookRetryBase: Double?

    @Option(help: "Longest wait between webhook retries in seconds (env CLEARANCE_WEBHOOK_RETRY_MAX; default \(defaults.webhookRetryMax)).")
    var webhookRetryMax: Double?

    @Option(help: "Seconds after an alert when its undelivered webhook deliveries are given up (env CLEARANCE_WEBHOOK_GIVE_UP_AFTER; default \(defaults.webhookGiveUpAfter)).")
    var webhookGiveUpAfter: Double?

    @Flag(help: "Allow plain-http webhook URLs beyond loopback (env CLEARANCE_WEBHOOK_ALLOW_HTTP=true).")
    var webhookAllowHTTP = false

    @Flag(help: "Deliver webhooks to loopback, private, link-local and cloud metadata addresses too; only public addresses otherwise (env CLEARANCE_WEBHOOK_ALLOW_PRIVATE_ADDRESSES).")
    var webhookAllowPrivateAddresses = false

    @Flag(help: "Do not install the built-in procurement lists (us-fcc-covered, us-dod-1260h) on start (env CLEARANCE_BUILT_IN_LISTS=false).")
    var withoutBuiltInLists = false

    @Flag(help: .hidden)
    var unsafeDisableAuditForBenchmark = false

    /// The defaults, as `ServiceConfiguration` (their one owner) sets them.
    private static let defaults = ServiceConfiguration()
    private var defaults: ServiceConfiguration { Self.defaults }

    /// The settings: each flag, else its environment variable, else the default. Bad values stop the start.
    func settings() throws -> (configuration: ServiceConfiguration, log: (level: Logger.Level, flushInterval: Double), bootstrapKeyFile: String?) {
        var c = ServiceConfiguration()
        try Environment.apply(host, "CLEARANCE_HOST", to: &c.server.host)
        try Environment.apply(port, "CLEARANCE_PORT", to: &c.server.port)
        try Environment.apply(maxConnections, "CLEARANCE_MAX_CONNECTIONS", to: &c.server.maxConnections)
        try Environment.apply(maxConnectionsPerAddress, "CLEARANCE_MAX_CONNECTIONS_PER_ADDRESS", to: &c.server.maxConnectionsPerAddress)
        try Environment.apply(maxHeaderBytes, "CLEARANCE_MAX_HEADER_BYTES", to: &c.server.maxHeaderBytes)
        try Environment.apply(maxBodyBytes, "CLEARANCE_MAX_BODY_BYTES", to: &c.server.maxBodyBytes)
        try Environment.apply(headerTimeout, "CLEARANCE_HEADER_TIMEOUT", to: &c.server.headerReadTimeout)
        try Environment.apply(bodyTimeout, "CLEARANCE_BODY_TIMEOUT", to: &c.server.bodyReadTimeout)
        try Environment.apply(minBodyRate, "CLEARANCE_MIN_BODY_RATE", to: &c.server.minBodyBytesPerSecond)
        try Environment.apply(idleTimeout, "CLEARANCE_IDLE_TIMEOUT", to: &c.server.idleTimeout)
        try Environment.apply(shutdownGrace, "CLEARANCE_SHUTDOWN_GRACE", to: &c.server.shutdownGracePeriod)
        try Environment.apply(eventLoops, "CLEARANCE_EVENT_LOOPS", to: &c.server.eventLoopCount)
        try Environment.apply(workerNiceness, "CLEARANCE_WORKER_NICENESS", to: &c.server.workerNiceness)
        try Environment.apply(rateLimit, "CLEARANCE_RATE_LIMIT", to: &c.rateLimitPerKey)
        try Environment.apply(rateLimitBurst, "CLEARANCE_RATE_LIMIT_BURST", to: &c.rateLimitBurst)
        try Environment.apply(maxInFlightPerKey, "CLEARANCE_MAX_IN_FLIGHT_PER_KEY", to: &c.maxInFlightPerKey)
        try Environment.apply(livenessQueueDelay, "CLEARANCE_LIVENESS_QUEUE_DELAY", to: &c.livenessQueueDelay)
        try Environment.apply(syncInterval, "CLEARANCE_SYNC_INTERVAL", to: &c.syncInterval)
        try Environment.apply(syncStaleAfter, "CLEARANCE_SYNC_STALE_AFTER", to: &c.syncStaleAfter)
        try Environment.apply(sharedStateInterval, "CLEARANCE_SHARED_STATE_INTERVAL", to: &c.sharedStateInterval)
        try Environment.apply(checkpointKey, "CLEARANCE_CHECKPOINT_KEY", to: &c.checkpointKeyPath)
        try Environment.apply(checkpointTrustedKeys, "CLEARANCE_CHECKPOINT_TRUSTED_KEYS", to: &c.checkpointTrustedKeysPath)
        try Environment.apply(checkpointInterval, "CLEARANCE_CHECKPOINT_INTERVAL", to: &c.checkpointInterval)
        try Environment.apply(maxUploadBytes, "CLEARANCE_MAX_UPLOAD_BYTES", to: &c.maxUploadBytes)
        try Environment.apply(rescreenBatch, "CLEARANCE_RESCREEN_BATCH", to: &c.rescreenBatch)
        try Environment.apply(webhookTimeout, "CLEARANCE_WEBHOOK_TIMEOUT", to: &c.webhookTimeout)
        try Environment.apply(webhookRetryBase, "CLEARANCE_WEBHOOK_RETRY_BASE", to: &c.webhookRetryBase)
        try Environment.apply(webhookRetryMax, "CLEARANCE_WEBHOOK_RETRY_MAX", to: &c.webhookRetryMax)
        try Environment.apply(webhookGiveUpAfter, "CLEARANCE_WEBHOOK_GIVE_UP_AFTER", to: &c.webhookGiveUpAfter)
        try Environment.apply(webhookAllowHTTP ? true : nil, "CLEARANCE_WEBHOOK_ALLOW_HTTP", to: &c.webhookAllowHTTP)
        try Environment.apply(webhookAllowPrivateAddresses ? true : nil, "CLEARANCE_WEBHOOK_ALLOW_PRIVATE_ADDRESSES", to: &c.webhookAllowPrivateAddresses)
        try Environment.apply(withoutBuiltInLists ? false : nil, "CLEARANCE_BUILT_IN_LISTS", to: &c.builtInLists)
        c.databasePath = try db.path()
        c.unsafeDisableAuditForBenchmark = unsafeDisableAuditForBenchmark
        var syncFile: String?
        try Environment.apply(syncConfig, "CLEARANCE_SYNC_CONFIG", to: &syncFile)
        if let syncFile { c.syncSources = try ListSyncSource.load(syncFile) }
        var certificate: String?, key: String?
        try Environment.apply(tlsCertificate, "CLEARANCE_TLS_CERTIFICATE", to: &certificate)
        try Environment.apply(tlsKey, "CLEARANCE_TLS_KEY", to: &key)
        guard (certificate == nil) == (key == nil) else { throw ValidationError("--tls-certificate and --tls-key go together") }
        if let certificate, let key { c.server.tls = try TLSContext(certificatePath: certificate, privateKeyPath: key) }
        try c.validate()
        var level = Logger.Level.info, flushInterval = 0.1
        try Environment.apply(logLevel, "CLEARANCE_LOG_LEVEL", to: &level)
        try Environment.apply(logFlushInterval, "CLEARANCE_LOG_FLUSH_INTERVAL", to: &flushInterval)
        var keyFile: String?
        try Environment.apply(bootstrapKeyFile, "CLEARANCE_BOOTSTRAP_KEY_FILE", to: &keyFile)
        return (c, (level, flushInterval), keyFile)
    }

    func run() throws {
        signal(SIGPIPE, SIG_IGN)
        MallocArenas.limitToCores()
        let settings = try settings()
        let logOutput = LogOutput(descriptor: 2, flushInterval: settings.log.flushInterval)
        defer { logOutput.flush() }
        LoggingSystem.bootstrap { [level = settings.log.level] in JSONLogHandler(label: $0, level: level, output: logOutput) }
        let logger = Logger(label: "clearance")
        let configuration = settings.configuration
        let tls = configuration.server.tls

        let app: ClearanceApp
        do {
            app = try ClearanceApp(configuration: configuration, logger: logger)
        } catch {
            logger.critical("cannot start", metadata: ["error": "\(error)"])
            throw ExitCode.failure
        }
        if let key = try app.bootstrapAdminKeyIfNeeded() {
            try BootstrapKeyNotice.deliver(key, file: settings.bootstrapKeyFile ?? ClearanceApp.bootstrapKeyPath(configuration.databasePath),
                                           logger: logger)
        }
        try app.start()

        let signals = [SIGTERM, SIGINT].map { number -> DispatchSourceSignal in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { app.shutdown() }
            source.resume()
            return source
        } + [SIGHUP].map { number -> DispatchSourceSignal in
            // SIGHUP asks a daemon to reload; it never ends this one. It rereads the TLS certificate and key (a
            // renewed certificate serves new connections; a bad file leaves the running one in place).
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                guard let tls else { return logger.notice("SIGHUP received: nothing to reload (no TLS); restart to apply other settings") }
                do {
                    try tls.reload()
                    logger.notice("SIGHUP: TLS certificate and key reloaded", metadata: ["certificate": .string(tls.certificatePath)])
                } catch {
                    logger.error("SIGHUP: TLS reload failed; the previous certificate stays in use", metadata: ["error": "\(error)"])
                }
            }
            source.resume()
            return source
        }
        // The sources must outlive the wait: an optimised build would otherwise release (and cancel) them early.
        withExtendedLifetime(signals) { app.waitUntilStopped() }
        logger.notice("stopped")
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
