import ClearanceService
import Foundation
import HTTPServer
import Synchronization
import TestSupport

/// A webhook receiver on an ephemeral loopback port (our own HTTP server, over real sockets): it keeps every
/// delivery it is sent and answers as `behaviour` says for the n-th request (0-based).
final class WebhookReceiver: Sendable {
    enum Answer: Sendable {
        case status(Int)
        /// Waits this long before answering 200 (longer than the sender's timeout, it is a timeout).
        case slow(Double)
        /// Answers 200 with a body that never ends (until the client goes away).
        case endless
    }

    struct Received: Sendable {
        var body: String
        var signature: String?
        var deliveryID: String?
        var event: String?
        var at: Date
    }

    private let server: HTTPServer
    private final class Log: Sendable {
        let items = Mutex<[Received]>([])
    }

    private let received = Log()
    var port: Int { server.port }
    var url: String { "http://127.0.0.1:\(port)/hook" }

    init(port: Int = 0, behaviour: @escaping @Sendable (Int) -> Answer = { _ in .status(200) }) throws {
        let received = self.received
        server = try startTestServer(configure: { $0.port = port }) { router in
            router.add("POST", "/hook") { request in
                let item = Received(body: String(decoding: try request.body.data(), as: UTF8.self),
                                    signature: request.headers["X-Clearance-Signature"], deliveryID: request.headers["X-Clearance-Delivery"],
                                    event: request.headers["X-Clearance-Event"], at: Date())
                let count = received.items.withLock { list in
                    list.append(item)
                    return list.count - 1
                }
                switch behaviour(count) {
                case .status(let code): return HTTPResponse(status: HTTPStatus(code))
                case .slow(let seconds):
                    Thread.sleep(forTimeInterval: seconds)
                    return HTTPResponse(status: .ok)
                case .endless:
                    return .stream(contentType: "application/octet-stream") { writer in
                        let chunk = String(repeating: "x", count: 64 * 1024)
                        while true { try writer.write(chunk) }
                    }
                }
            }
        }
    }

    var deliveries: [Received] { received.items.withLock { $0 } }

    /// The alerts received, one per delivery id (a delivery retried after it landed counts once).
    func alerts() throws -> [[String: Any]] { try events("counterparty.outcome_changed") }

    /// The bodies of the deliveries of `event` received, one per delivery id.
    func events(_ event: String) throws -> [[String: Any]] {
        var seen: Set<String> = []
        return try deliveries.filter { $0.event == event && seen.insert($0.deliveryID ?? UUID().uuidString).inserted }.map {
            try JSONSerialization.jsonObject(with: Data($0.body.utf8)) as? [String: Any] ?? [:]
        }
    }

    func stop() { server.shutdown(gracePeriod: 0) }

    deinit { server.shutdown(gracePeriod: 0) }
}

/// Polls `condition` every 20 ms until it holds or `timeout` passes; whether it held.
func eventually(timeout: Double = 20, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if try condition() { return true }
        Thread.sleep(forTimeInterval: 0.02)
    }
    return try condition()
}
