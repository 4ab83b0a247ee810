import Foundation
import HTTPServer
import Logging
import Store

/// The service: opens the database, applies migrations, builds the routes and runs the HTTP server.
public final class ClearanceApp: Sendable {
    public let configuration: ServiceConfiguration
    public let pool: DatabasePool
    public let metrics = Metrics()
    public let readiness = Readiness()
    public let audit: AuditTrail
    public let keys: APIKeyService
    let logger: Logger
    let auth: Authenticator
    private let server: HTTPServer
    /// Every endpoint the server routes (method, pattern).
    public let endpoints: [(method: String, pattern: String)]

    public init(configuration: ServiceConfiguration, logger: Logger) throws {
        self.configuration = configuration
        self.logger = logger
        pool = try DatabasePool(path: configuration.databasePath, readerCount: configuration.readerConnections)
        readiness.set(check: "database", "open")
        let runner = try MigrationRunner(directory: try MigrationsLocator.locate(configuration.migrationsDirectory))
        let applied = try runner.migrate(pool)
        if !applied.isEmpty { logger.info("migrations applied", metadata: ["migrations": "\(applied.joined(separator: ","))"]) }
        readiness.set(check: "migrations", "applied (\(runner.migrations.count))")
        audit = AuditTrail(store: SQLiteAuditLogStore(pool: pool), logger: logger)
        keys = APIKeyService(store: SQLiteAPIKeyStore(pool: pool), audit: audit)
        auth = Authenticator(keys: keys)
        var router = Router()
        HealthRoutes(metrics: metrics, readiness: readiness).register(on: &router)
        KeyRoutes(keys: keys, auth: auth).register(on: &router)
        endpoints = router.endpoints
        server = try HTTPServer(configuration: configuration.server, router: router, logger: logger, observer: metrics)
        readiness.set(check: "matching_index", "built (no active lists)")
        readiness.markReady()
    }

    /// Starts listening; returns the bound port.
    @discardableResult
    public func start() throws -> Int {
        let port = try server.start()
        logger.info("listening", metadata: ["host": .string(configuration.server.host), "port": .stringConvertible(port)])
        return port
    }

    public var port: Int { server.port }

    /// Graceful stop: no new connections, in-flight requests finish within the grace period.
    public func shutdown() {
        logger.info("shutting down", metadata: ["grace_seconds": "\(configuration.server.shutdownGracePeriod)"])
        readiness.markNotReady("shutting down")
        server.shutdown()
    }

    public func waitUntilStopped() { server.waitUntilStopped() }

    /// On first start with no keys at all, creates an admin key so the service can be administered.
    public func bootstrapAdminKeyIfNeeded() throws -> String? {
        guard try keys.count() == 0 else { return nil }
        return try keys.create(name: "bootstrap-admin", roles: [.admin], createdBy: "bootstrap", actor: nil).key
    }
}
