import Foundation
import HTTPServer

/// `GET /healthz` (liveness: the process can still serve keyed requests), `GET /readyz` (database, migrations and
/// matching index ready), `GET /metrics`.
struct HealthRoutes {
    let metrics: Metrics
    let readiness: Readiness
    /// Why the server can no longer serve requests that need a worker thread, or nil while it can.
    let stalled: @Sendable () -> String?

    func register(on router: inout Router) {
        let healthy = Data(#"{"status":"ok"}"#.utf8)
        router.get("/healthz", options: .eventLoop) { [stalled] _ in
            // Served on the event loop, so it answers even when every worker is held: it must say so rather than
            // report a server that answers nothing else as healthy.
            if let reason = stalled() {
                return try JSON.response(["status": "stalled", "reason": reason], status: .serviceUnavailable)
            }
            return .data(healthy, contentType: JSON.contentType)
        }
        router.get("/readyz", options: .eventLoop) { [readiness] _ in
            let snapshot = readiness.snapshot
            return try JSON.response(ReadyBody(status: snapshot.ready ? "ready" : "not ready", reason: snapshot.reason, checks: snapshot.checks),
                                     status: snapshot.ready ? .ok : .serviceUnavailable)
        }
        router.get("/metrics", options: .eventLoop) { [metrics] _ in
            .text(metrics.render() + ProcessFigures.render(), contentType: "text/plain; version=0.0.4; charset=utf-8")
        }
    }

    struct ReadyBody: Codable {
        var status: String
        var reason: String?
        var checks: [String: String]
    }
}
