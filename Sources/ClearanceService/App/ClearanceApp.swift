import Foundation
import HTTPServer
import Logging
import Store
import Synchronization

/// The service: opens the database, applies migrations, builds the routes and runs the HTTP server.
public final class ClearanceApp: Sendable {
    public let configuration: ServiceConfiguration
    public let database: any SQLDatabase
    public let metrics = Metrics()
    public let readiness = Readiness()
    public let audit: AuditTrail
    public let keys: APIKeyService
    public let lists: ListService
    public let activeLists: ActiveLists
    public let syncer: ListSyncer
    public let policies: PolicyService
    public let screening: ScreeningService
    public let decisions: any DecisionStore
    public let checkpoints: Checkpoints
    public let replay: ReplayService
    public let counterparties: CounterpartyService
    public let alerts: AlertService
    public let webhooks: WebhookService
    public let reviews: ReviewService
    let memory: FalsePositiveMemory
    let rescreener: Rescreener
    let rescreenJobs: any RescreenJobStore
    let leases: any LeaseStore
    let webhookSender: WebhookSender
    /// Background work: the first index build, list sync, audit checkpoints, re-screens, the monitoring gauges.
    public let scheduler: Scheduler
    let logger: Logger
    let auth: Authenticator
    private let server: HTTPServer
    /// Every endpoint the server routes (method, pattern).
    /// Every route, with the roles that may call it (nil: open to anyone).
    public let endpoints: [(method: String, pattern: String, access: [String]?)]
    /// The routes the server serves; `router.respond(to:)` serves a request in process (tests).
    public let router: Router

    public init(configuration: ServiceConfiguration, logger: Logger) throws {
        self.configuration = configuration
        self.logger = logger
        do {
            database = try configuration.database.open(readerCount: configuration.readerConnections, backgroundCheckpoints: true)
        } catch {
            throw StartupError(description: "cannot open the database \(configuration.database.redacted): \(Self.reason(error))"
                                            + Self.writabilityHint(configuration.database))
        }
        readiness.set(check: "database", database.dialect == .postgres ? "open (PostgreSQL)" : "open (SQLite)")
        let runner = try MigrationRunner.embedded(for: database.dialect)
        let applied = try runner.migrate(database)
        if !applied.isEmpty { logger.notice("migrations applied", metadata: ["migrations": "\(applied.joined(separator: ","))"]) }
        readiness.set(check: "migrations", "applied (\(runner.migrations.count))")
        audit = AuditTrail(store: SQLAuditLogStore(database: database), logger: logger,
                           indexBatch: configuration.decisionIndexBatch, indexDelay: configuration.decisionIndexDelay,
                           indexInCommit: database.dialect == .postgres, metrics: metrics)
        keys = APIKeyService(store: SQLAPIKeyStore(database: database))
        auth = Authenticator(keys: keys, limiter: RateLimiter(rate: configuration.rateLimitPerKey,
                                                              burst: configuration.rateLimitBurst ?? max(1, configuration.rateLimitPerKey * 2)),
                             concurrency: KeyConcurrency(limit: configuration.maxInFlightPerKey))
        let listStore = SQLListStore(database: database)
        activeLists = ActiveLists(store: listStore) { [metrics] corpus in
            for (id, list) in corpus.lists {
                metrics.setGauge("clearance_list_entries", ["list", id], Double(list.entries.count))
                metrics.setGauge("clearance_list_active_version", ["list", id], Double(list.version.version))
            }
        }
        lists = ListService(store: listStore, active: activeLists)
        readiness.set(check: "matching_index", "not built")
        policies = PolicyService(store: SQLPolicyStore(database: database))
        _ = try policies.current()
        decisions = SyncedDecisionStore(index: SQLDecisionStore(database: database), audit: audit)
        let reviewStore = SQLReviewStore(database: database)
        memory = FalsePositiveMemory(reviews: reviewStore, lists: listStore)
        reviews = ReviewService(store: reviewStore, decisions: decisions, lists: listStore, policies: policies, keys: keys)
        leases = SQLLeaseStore(database: database)
        if configuration.builtInLists {
            // Before the first index build: that build then holds them (no index is rebuilt per edition).
            try BuiltInLists.install(into: ListService(store: listStore, active: nil), leases: leases, logger: logger)
        }
        screening = ScreeningService(lists: activeLists, policies: policies, audit: audit, decisions: decisions, memory: memory, metrics: metrics,
                                     recordDecisions: !configuration.unsafeDisableAuditForBenchmark,
                                     sharedClaims: database.dialect == .postgres ? IdempotencyClaims(leases: leases) : nil)
        let checkpointKey = URL(fileURLWithPath: configuration.checkpointKeyPath ?? Self.defaultKeyPath(configuration.databasePath))
        checkpoints = try Checkpoints(store: SQLCheckpointStore(database: database), audit: audit.store, keyFile: checkpointKey,
                                      trustedKeysFile: Self.trustedKeysFile(configuration.checkpointTrustedKeysPath, besides: checkpointKey),
                                      logger: logger, webhookGiveUpAfter: configuration.webhookGiveUpAfter)
        readiness.set(check: "checkpoint_keys", checkpoints.verifier.trust.summary)
        replay = ReplayService(lists: listStore, policies: policies, decisions: decisions, memory: memory)
        alerts = AlertService(store: SQLAlertStore(database: database))
        counterparties = CounterpartyService(store: SQLCounterpartyStore(database: database), decisions: decisions, alerts: alerts.store)
        webhooks = WebhookService(store: SQLWebhookStore(database: database), allowHTTP: configuration.webhookAllowHTTP)
        webhookSender = WebhookSender(store: webhooks.store, settings: .init(timeout: configuration.webhookTimeout, retryBase: configuration.webhookRetryBase,
                                                                             maxDelay: configuration.webhookRetryMax, concurrency: 64,
                                                                             allowPrivateAddresses: configuration.webhookAllowPrivateAddresses),
                                      metrics: metrics, logger: logger)
        rescreenJobs = SQLRescreenJobStore(database: database)
        rescreener = Rescreener(jobs: rescreenJobs, counterparties: counterparties.store, listStore: listStore, lists: activeLists, policies: policies,
                                memory: memory, audit: audit, metrics: metrics, logger: logger, batchSize: configuration.rescreenBatch,
                                deliveryGiveUpAfter: configuration.webhookGiveUpAfter) { [webhookSender] in webhookSender.wake() }
        syncer = ListSyncer(lists: lists, sources: configuration.syncSources, logger: logger, metrics: metrics, readiness: readiness,
                            staleAfter: configuration.syncInterval > 0 ? configuration.syncStaleAfter : nil)
        var router = Router()
        // A server whose workers are all held serves nothing beyond its event-loop routes, whatever those answer.
        let workerQueue = WorkerQueueProbe()
        let queueLimit = configuration.livenessQueueDelay
        HealthRoutes(metrics: metrics, readiness: readiness) {
            let delay = workerQueue.delay
            guard delay > queueLimit else { return nil }
            return "a request has waited \(Int(delay)) s for a worker thread (limit \(Int(queueLimit)) s)"
        }.register(on: &router)
        KeyRoutes(keys: keys, auth: auth).register(on: &router)
        ListRoutes(lists: lists, rescreens: rescreenJobs, auth: auth, maxUploadBytes: configuration.maxUploadBytes).register(on: &router)
        ScreenRoutes(screening: screening, auth: auth).register(on: &router)
        PolicyRoutes(policies: policies, auth: auth).register(on: &router)
        DecisionRoutes(decisions: decisions, replay: replay, auth: auth, exports: ExportSlots()).register(on: &router)
        AuditRoutes(audit: audit, checkpoints: checkpoints, auth: auth).register(on: &router)
        CounterpartyRoutes(counterparties: counterparties, importer: CounterpartyImporter(screening: screening, metrics: metrics), screening: screening,
                           auth: auth).register(on: &router)
        AlertRoutes(alerts: alerts, auth: auth).register(on: &router)
        WebhookRoutes(webhooks: webhooks, auth: auth).register(on: &router)
        ReviewRoutes(reviews: reviews, auth: auth).register(on: &router)
        ConsoleRoutes().register(on: &router)
        endpoints = router.endpoints
        self.router = router
        var serverConfiguration = configuration.server
        if configuration.unsafeDisableAuditForBenchmark {
            // An auditor must be able to tell: every answer, /readyz and the trail itself say so.
            serverConfiguration.responseHeaders.append(("Clearance-Audit", "disabled"))
            readiness.set(check: "audit", "DISABLED: decisions are answered without being recorded (benchmark mode)")
            try audit.recordAdminAction("audit.disabled", actor: nil, details: [
                "reason": "serve --unsafe-disable-audit-for-benchmark: decisions are not recorded until the server restarts without it",
            ])
        } else {
            readiness.set(check: "audit", "recording")
        }
        serverConfiguration.spoolDirectory = configuration.spoolDirectory ?? Self.besideDatabase(configuration.databasePath, "spool")
        server = try HTTPServer(configuration: serverConfiguration, router: router, logger: logger, observer: metrics, workerQueue: workerQueue)
        scheduler = Scheduler(logger: logger, metrics: metrics, readiness: readiness)
        readiness.markNotReady("the matching index is not built yet")
        readiness.require { [activeLists] in
            activeLists.isBuilt && activeLists.snapshot.lists.isEmpty
                ? "no active list: screening is refused until a list is uploaded (POST /lists/{list}/versions, clearance lists import) or synced"
                : nil
        }
        scheduleJobs()
    }

    private func scheduleJobs() {
        scheduler.add("index-build", .once) { [self] in buildIndex() }
        if configuration.syncInterval > 0 {
            // One job, so two syncs never overlap: at start it fetches the lists never synced (a fresh install has
            // none), then all of them every interval.
            let atStart = Atomic<Bool>(true)
            // Replicas sharing a database take turns: the one holding the lease syncs, the others skip the round.
            let lease = WorkLease("list-sync", store: leases, duration: 600)
            scheduler.add("list-sync", .every(configuration.syncInterval, immediately: true)) { [syncer, logger] in
                let first = atStart.exchange(false, ordering: .relaxed)
                let due = first ? syncer.neverSynced() : syncer.sources
                guard !due.isEmpty, try lease.hold() else { return }
                if first { logger.notice("fetching lists never synced", metadata: ["lists": .string(due.map(\.list).joined(separator: ","))]) }
                let failed = due.filter { _ in lease.stillHeld() }.map(syncer.sync).filter { $0.result == "failed" }
                guard failed.isEmpty else {
                    if first {
                        logger.notice("some lists could not be fetched; offline, import the official files instead",
                                      metadata: ["how": "clearance lists import --list ID --format FORMAT FILE...",
                                                 "lists": .string(failed.map(\.list).joined(separator: ","))])
                    }
                    throw ListSyncError(failed: failed)
                }
            }
        }
        // Polled each second (an indexed read of the open jobs); a job in progress keeps its thread until done or
        // stopped, or until another replica has taken the lease over (this one could not renew it in time).
        let rescreenLease = WorkLease("rescreen", store: leases, duration: 60)
        scheduler.add("rescreen", .every(1, immediately: true)) { [rescreener, scheduler] in
            guard try rescreenLease.hold() else { return }
            try rescreener.runPending { scheduler.isStopped || !rescreenLease.stillHeld() }
        }
        // What another replica changed in the shared database: list activations and the policy in force.
        if configuration.sharedStateInterval > 0 {
            scheduler.add("follow-shared-state", .every(configuration.sharedStateInterval, immediately: false)) { [activeLists, policies] in
                try activeLists.followStore()
                try policies.refresh()
            }
        }
        scheduler.add("monitoring-gauges", .every(5, immediately: true)) { [self] in try refreshMonitoringGauges() }
        if configuration.checkpointInterval > 0 {
            scheduler.add("audit-checkpoints", .every(configuration.checkpointInterval, immediately: false)) { [checkpoints] in
                _ = try checkpoints.create()
            }
        }
    }

    /// The counts `/metrics` shows of continuous screening, read from the database every few seconds (not when
    /// scraped: `/metrics` answers on the event loop, which never waits for the database).
    private func refreshMonitoringGauges() throws {
        metrics.setGauge("clearance_counterparties_monitored", [], Double(try counterparties.store.count()))
        for (state, count) in try alerts.store.countsByState() { metrics.setGauge("clearance_alerts", ["state", state], Double(count)) }
        for (state, count) in try rescreenJobs.countsByState() { metrics.setGauge("clearance_rescreen_jobs", ["state", state], Double(count)) }
        metrics.setGauge("clearance_webhook_outbox_depth", [], Double(try webhooks.store.pendingCount()))
        for (state, count) in try reviews.store.countsByState() { metrics.setGauge("clearance_reviews", ["state", state], Double(count)) }
    }

    /// Starts listening at once (so `/healthz` and `/readyz` answer) and builds the matching index for the active
    /// list versions in the background; `/readyz` turns 200 when it is built.
    @discardableResult
    public func start() throws -> Int {
        let port = try server.start()
        logger.notice("listening", metadata: ["host": .string(configuration.server.host), "port": .stringConvertible(port),
                                              "scheme": .string(configuration.server.tls == nil ? "http" : "https"),
                                      "event_loops": .stringConvertible(server.eventLoopCount)])
        scheduler.start()
        webhookSender.start()
        return port
    }

    private func buildIndex() {
        readiness.set(check: "matching_index", "building")
        let started = Date()
        do {
            let snapshot = try activeLists.rebuild()
            readiness.set(check: "matching_index") { [activeLists] in
                let current = activeLists.snapshot
                let versions = current.lists.keys.sorted().compactMap { id in current.lists[id].map { "\(id) v\($0.version.version)" } }
                let built = "built (\(current.lists.count) active lists, \(current.entryCount) entries\(versions.isEmpty ? "" : ": " + versions.joined(separator: ", ")))"
                return activeLists.lagReason.map { "\(built); behind the active versions, rebuild retrying: \($0)" } ?? built
            }
            readiness.markReady()
            logger.info("matching index built", metadata: [
                "lists": .stringConvertible(snapshot.lists.count), "entries": .stringConvertible(snapshot.entryCount),
                "seconds": .stringConvertible((Date().timeIntervalSince(started) * 1000).rounded() / 1000),
            ])
        } catch {
            readiness.set(check: "matching_index", "failed: \(error)")
            readiness.markNotReady("the matching index could not be built: \(error)")
            logger.error("matching index build failed", metadata: ["error": "\(error)"])
        }
    }

    /// Blocks until `/readyz` would answer 200, or the timeout passes; returns whether ready.
    @discardableResult
    public func waitUntilReady(timeout: Double = 60) -> Bool {
        waitUntil(timeout: timeout) { readiness.snapshot.ready }
    }

    /// Blocks until the first matching index is built (with no active list the service is then still not ready).
    @discardableResult
    public func waitUntilIndexBuilt(timeout: Double = 60) -> Bool {
        waitUntil(timeout: timeout) { activeLists.isBuilt }
    }

    private func waitUntil(timeout: Double, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while !condition() {
            if Date() > deadline { return false }
            Thread.sleep(forTimeInterval: 0.01)
        }
        return true
    }

    public var port: Int { server.port }

    /// Graceful stop: no new connections, in-flight requests finish within the grace period.
    public func shutdown() {
        logger.notice("shutting down", metadata: ["grace_seconds": "\(configuration.server.shutdownGracePeriod)"])
        readiness.markNotReady("shutting down")
        scheduler.stop()
        webhookSender.stop()
        server.shutdown()
        // Leave the decision index complete for other processes; after a crash the next start does this instead.
        do { try audit.syncIndex() } catch { logger.error("the decision index could not be completed", metadata: ["error": "\(error)"]) }
    }

    public func waitUntilStopped() { server.waitUntilStopped() }

    /// A failure to start, said in terms an operator can act on.
    public struct StartupError: Error, CustomStringConvertible {
        public let description: String
    }

    /// SQLite says only "unable to open database file" when WAL mode cannot create its files beside the database.
    private static func writabilityHint(_ location: DatabaseLocation) -> String {
        guard case .sqlite(let path) = location else { return "" }
        let fm = FileManager.default
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        let writable = fm.fileExists(atPath: path) ? fm.isWritableFile(atPath: path) && fm.isWritableFile(atPath: folder)
            : !fm.fileExists(atPath: folder) || fm.isWritableFile(atPath: folder)
        return writable ? "" : " (the file or its folder is not writable: a read-only file system or missing permissions)"
    }

    private static func reason(_ error: any Error) -> String {
        if let error = error as? SQLiteError { return error.message }
        if let error = error as? PostgresError { return error.message }
        return (error as NSError).localizedFailureReason ?? (error as NSError).localizedDescription
    }

    /// The checkpoint signing key's default place: beside the database, not in it.
    public static func defaultKeyPath(_ databasePath: String) -> String {
        besideDatabase(databasePath, "checkpoint-signing.key")
    }

    /// The trusted-keys file: the one configured (which must exist), or `checkpoint-trusted-keys` beside the signing
    /// key when there is one.
    public static func trustedKeysFile(_ configured: String?, besides signingKey: URL) -> URL? {
        if let configured { return URL(fileURLWithPath: configured) }
        let beside = signingKey.deletingLastPathComponent().appendingPathComponent("checkpoint-trusted-keys")
        return FileManager.default.fileExists(atPath: beside.path) ? beside : nil
    }

    /// Where `serve` writes the admin key it creates on a first start: beside the database.
    public static func bootstrapKeyPath(_ databasePath: String) -> String {
        besideDatabase(databasePath, "bootstrap-admin.key")
    }

    /// Beside an SQLite file; for a PostgreSQL database, which has no folder here, in `./data` (replicas that
    /// should sign checkpoints with one key are given it with `--checkpoint-key`).
    static func besideDatabase(_ databasePath: String, _ name: String) -> String {
        switch DatabaseLocation(databasePath) {
        case .sqlite(let path): URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent(name).path
        case .postgres: URL(fileURLWithPath: "data").appendingPathComponent(name).path
        }
    }

    /// On first start with no keys at all, creates an admin key so the service can be administered.
    public func bootstrapAdminKeyIfNeeded() throws -> String? {
        guard try keys.count() == 0 else { return nil }
        return try keys.createFirst(name: "bootstrap-admin", roles: [.admin], createdBy: "bootstrap")?.key
    }
}
