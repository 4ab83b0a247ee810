import ArgumentParser
import ClearanceService
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `clearance healthcheck`: exits 0 when the server's liveness check answers 200, 1 otherwise. The container image's
/// HEALTHCHECK runs it, so the runtime image needs no curl, and a server whose workers are all held (which
/// `/healthz` reports as 503) is seen as unhealthy.
struct HealthCheck: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "healthcheck", abstract: "Exit 0 when GET /healthz answers 200.")

    @Option(help: "The liveness URL (env CLEARANCE_HEALTHCHECK_URL); GET /healthz on CLEARANCE_PORT of this machine by default.")
    var url: String?

    @Option(help: "Seconds to wait for the answer.")
    var timeout: Double = 3

    func run() throws {
        var port = ServiceConfiguration().server.port
        try Environment.apply(nil, "CLEARANCE_PORT", to: &port)
        var url = "http://127.0.0.1:\(port)/healthz"
        try Environment.apply(self.url, "CLEARANCE_HEALTHCHECK_URL", to: &url)
        guard let address = URL(string: url) else { throw ValidationError("invalid URL \(url)") }
        let done = DispatchSemaphore(value: 0)
        let status = StatusBox()
        var request = URLRequest(url: address, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout)
        request.httpMethod = "GET"
        URLSession.shared.dataTask(with: request) { _, response, _ in
            status.set((response as? HTTPURLResponse)?.statusCode ?? 0)
            done.signal()
        }.resume()
        guard done.wait(timeout: .now() + timeout + 1) == .success, status.get() == 200 else {
            FileHandle.standardError.write(Data("unhealthy: \(url) answered \(status.get())\n".utf8))
            throw ExitCode.failure
        }
    }

    private final class StatusBox: @unchecked Sendable {
        private let lock = NSLock()
        private var value = 0
        func set(_ code: Int) { lock.withLock { value = code } }
        func get() -> Int { lock.withLock { value } }
    }
}
