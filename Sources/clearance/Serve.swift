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

    @Option(help: "Address to listen on (env CLEARANCE_HOST).")
    var host: String = Environment.string("CLEARANCE_HOST") ?? "127.0.0.1"

    @Option(help: "Port to listen on, 0 for any free port (env CLEARANCE_PORT).")
    var port: Int = Environment.int("CLEARANCE_PORT") ?? 8080

    @OptionGroup var db: DatabaseOptions

    @Option(help: "Most open connections; more get 503 (env CLEARANCE_MAX_CONNECTIONS).")
    var maxConnections: Int = Environment.int("CLEARANCE_MAX_CONNECTIONS") ?? 10_000

    @Option(help: "Most open connections from one client address, 0 for no limit (behind a proxy); more get 503 (env CLEARANCE_MAX_CONNECTIONS_PER_ADDRESS).")
    var maxConnectionsPerAddress: Int = Environment.int("CLEARANCE_MAX_CONNECTIONS_PER_ADDRESS") ?? 1_000

    @Option(help: "Largest request head in bytes; larger gets 431 (env CLEARANCE_MAX_HEADER_BYTES).")
    var maxHeaderBytes: Int = Environment.int("CLEARANCE_MAX_HEADER_BYTES") ?? 32 * 1024

    @Option(help: "Default largest request body in bytes; larger gets 413 (env CLEARANCE_MAX_BODY_BYTES).")
    var maxBodyBytes: Int = Environment.int("CLEARANCE_MAX_BODY_BYTES") ?? 1024 * 1024

    @Option(help: "Seconds to receive a request head (env CLEARANCE_HEADER_TIMEOUT).")
    var headerTimeout: Double = Environment.double("CLEARANCE_HEADER_TIMEOUT") ?? 10

    @Option(help: "Seconds to receive a request body, on top of its size at --min-body-rate (env CLEARANCE_BODY_TIMEOUT).")
    var bodyTimeout: Double = Environment.double("CLEARANCE_BODY_TIMEOUT") ?? 10

    @Option(help: "Slowest accepted body transfer rate, bytes a second (env CLEARANCE_MIN_BODY_RATE).")
    var minBodyRate: Double = Environment.double("CLEARANCE_MIN_BODY_RATE") ?? 32 * 1024

    @Option(help: "Requests a second each API key may make on average; 0 turns the limit off (env CLEARANCE_RATE_LIMIT).")
    var rateLimit: Double = Environment.double("CLEARANCE_RATE_LIMIT") ?? 0

    @Option(help: "Requests a key may make at once before the rate applies; twice the rate by default (env CLEARANCE_RATE_LIMIT_BURST).")
    var rateLimitBurst: Double?

    @Option(help: "Requests one API key may have in flight at once; more get 429; 0 turns it off (env CLEARANCE_MAX_IN_FLIGHT_PER_KEY).")
    var maxInFlightPerKey: Int = Environment.int("CLEARANCE_MAX_IN_FLIGHT_PER_KEY") ?? 128

    @Option(help: "Seconds a request may wait for a worker thread before /healthz answers 503 (env CLEARANCE_LIVENESS_QUEUE_DELAY).")
    var livenessQueueDelay: Double = Environment.double("CLEARANCE_LIVENESS_QUEUE_DELAY") ?? 10

    @Option(help: "PEM certificate chain: serve HTTPS (TLS 1.2 and 1.3) instead of HTTP; reloaded on SIGHUP (env CLEARANCE_TLS_CERTIFICATE).")
    var tlsCertificate: String?

    @Option(help: "PEM private key of --tls-certificate; reloaded on SIGHUP (env CLEARANCE_TLS_KEY).")
    var tlsKey: String?

    @Option(help: "File the first start's admin key is written to, readable by its owner only (env CLEARANCE_BOOTSTRAP_KEY_FILE); beside the database by default.")
    var bootstrapKeyFile: String?

    @Option(help: "Seconds an idle keep-alive connection stays open (env CLEARANCE_IDLE_TIMEOUT).")
    var idleTimeout: Double = Environment.double("CLEARANCE_IDLE_TIMEOUT") ?? 75

    @Option(help: "Seconds in-flight requests get on shutdown (env CLEARANCE_SHUTDOWN_GRACE).")
    var shutdownGrace: Double = Environment.double("CLEARANCE_SHUTDOWN_GRACE") ?? 10

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical (env CLEARANCE_LOG_LEVEL).")
    var logLevel: String = Environment.string("CLEARANCE_LOG_LEVEL") ?? "info"

    @Option(help: "Seconds between list syncs from their sources; 0 turns it off (env CLEARANCE_SYNC_INTERVAL).")
    var syncInterval: Double = Environment.double("CLEARANCE_SYNC_INTERVAL") ?? 0

    @Option(help: "List sync configuration file (env CLEARANCE_SYNC_CONFIG); the official sources by default.")
    var syncConfig: String?

    @Option(help: "Largest list upload in bytes (env CLEARANCE_MAX_UPLOAD_BYTES).")
    var maxUploadBytes: Int = Environment.int("CLEARANCE_MAX_UPLOAD_BYTES") ?? 512 * 1024 * 1024

    @Option(help: "Ed25519 seed file that signs audit checkpoints (env CLEARANCE_CHECKPOINT_KEY); beside the database by default.")
    var checkpointKey: String?

    @Option(help: "Seconds between signed audit checkpoints; 0 turns it off (env CLEARANCE_CHECKPOINT_INTERVAL).")
    var checkpointInterval: Double = Environment.double("CLEARANCE_CHECKPOINT_INTERVAL") ?? 3600

    @Option(help: "Seconds routine log lines may wait in a buffer before they are written; 0 writes each at once (env CLEARANCE_LOG_FLUSH_INTERVAL).")
    var logFlushInterval: Double = Environment.double("CLEARANCE_LOG_FLUSH_INTERVAL") ?? 0.1

    @Option(help: "Niceness of the threads that run handlers, 0-19, so the audit writer and event loops preempt them (env CLEARANCE_WORKER_NICENESS).")
    var workerNiceness: Int32 = Environment.int("CLEARANCE_WORKER_NICENESS").map { Int32(clamping: $0) } ?? ServiceConfiguration.defaultWorkerNiceness

    @Option(help: "Event loop threads; the number of cores by default (env CLEARANCE_EVENT_LOOPS).")
    var eventLoops: Int?

    @Flag(help: .hidden)
    var unsafeDisableAuditForBenchmark = false

    var tlsFiles: (certificate: String, key: String)? {
        let certificate = tlsCertificate ?? Environment.string("CLEARANCE_TLS_CERTIFICATE")
        let key = tlsKey ?? Environment.string("CLEARANCE_TLS_KEY")
        guard let certificate, let key else { return nil }
        return (certificate, key)
    }

    func validate() throws {
        let certificate = tlsCertificate ?? Environment.string("CLEARANCE_TLS_CERTIFICATE")
        let key = tlsKey ?? Environment.string("CLEARANCE_TLS_KEY")
        guard (certificate == nil) == (key == nil) else {
            throw ValidationError("--tls-certificate and --tls-key go together")
        }
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical; got \(logLevel)")
        }
    }

    func run() throws {
        signal(SIGPIPE, SIG_IGN)
        let level = Logger.Level(rawValue: logLevel) ?? .info
        let logOutput = LogOutput(descriptor: 2, flushInterval: logFlushInterval)
        defer { logOutput.flush() }
        LoggingSystem.bootstrap { JSONLogHandler(label: $0, level: level, output: logOutput) }
        let logger = Logger(label: "clearance")

        var configuration = ServiceConfiguration()
        configuration.server.host = host
        configuration.server.port = port
        configuration.server.maxConnections = maxConnections
        configuration.server.maxConnectionsPerAddress = max(0, maxConnectionsPerAddress)
        configuration.server.maxHeaderBytes = maxHeaderBytes
        configuration.server.maxBodyBytes = maxBodyBytes
        configuration.server.headerReadTimeout = headerTimeout
        configuration.server.bodyReadTimeout = bodyTimeout
        configuration.server.minBodyBytesPerSecond = minBodyRate
        configuration.rateLimitPerKey = rateLimit
        configuration.rateLimitBurst = rateLimitBurst ?? Environment.double("CLEARANCE_RATE_LIMIT_BURST")
        configuration.livenessQueueDelay = livenessQueueDelay
        configuration.maxInFlightPerKey = max(0, maxInFlightPerKey)
        if let files = tlsFiles {
            do {
                configuration.server.tls = try TLSContext(certificatePath: files.certificate, privateKeyPath: files.key)
            } catch {
                logger.critical("cannot start", metadata: ["error": "\(error)"])
                throw ExitCode.failure
            }
        }
        let tls = configuration.server.tls
        configuration.server.idleTimeout = idleTimeout
        configuration.server.shutdownGracePeriod = shutdownGrace
        configuration.server.eventLoopCount = (eventLoops ?? Environment.int("CLEARANCE_EVENT_LOOPS")).map { max(1, $0) }
        configuration.server.workerNiceness = min(19, max(0, workerNiceness))
        configuration.databasePath = db.database
        configuration.migrationsDirectory = db.migrationsPath
        configuration.unsafeDisableAuditForBenchmark = unsafeDisableAuditForBenchmark
        configuration.syncInterval = syncInterval
        configuration.checkpointKeyPath = checkpointKey ?? Environment.string("CLEARANCE_CHECKPOINT_KEY")
        configuration.checkpointInterval = checkpointInterval
        configuration.maxUploadBytes = maxUploadBytes
        if let path = syncConfig ?? Environment.string("CLEARANCE_SYNC_CONFIG") { configuration.syncSources = try ListSyncSource.load(path) }

        let app: ClearanceApp
        do {
            app = try ClearanceApp(configuration: configuration, logger: logger)
        } catch {
            logger.critical("cannot start", metadata: ["error": "\(error)"])
            throw ExitCode.failure
        }
        if let key = try app.bootstrapAdminKeyIfNeeded() {
            try BootstrapKeyNotice.deliver(key, file: bootstrapKeyFile ?? Environment.string("CLEARANCE_BOOTSTRAP_KEY_FILE")
                ?? ClearanceApp.bootstrapKeyPath(db.database), logger: logger)
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
