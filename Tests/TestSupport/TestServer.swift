import Foundation
import HTTPServer
import Logging

/// Starts an `HTTPServer` on an ephemeral loopback port with the given routes.
public func startTestServer(
    configure: (inout ServerConfiguration) -> Void = { _ in }, routes: (inout Router) -> Void
) throws -> HTTPServer {
    var configuration = ServerConfiguration()
    configuration.port = 0
    configure(&configuration)
    var router = Router()
    routes(&router)
    var logger = Logger(label: "test")
    logger.logLevel = .critical
    let server = try HTTPServer(configuration: configuration, router: router, logger: logger)
    try server.start()
    return server
}
