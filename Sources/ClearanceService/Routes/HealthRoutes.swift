import Foundation
import HTTPServer

/// `GET /healthz` (process up), `GET /readyz` (database, migrations and matching index ready), `GET /metrics`.
struct HealthRoutes {
    let metrics: Metrics
    let readiness: Readiness

    func register(on router: inout Router) {
        let healthy = Data(#"{"status":"ok"}"#.utf8)
        router.get("/healthz", options: .eventLoop) { _ in
            .data(healthy, contentType: JSON.contentType)
        }
        router.get("/readyz", options: .eventLoop) { [readiness] _ in
            let snapshot = readiness.snapshot
            return try JSON.response(ReadyBody(status: snapshot.ready ? "ready" : "not ready", reason: snapshot.reason, checks: snapshot.checks),
                                     status: snapshot.ready ? .ok : .serviceUnavailable)
        }
        router.get("/metrics", options: .eventLoop) { [metrics] _ in
            .text(metrics.render(), contentType: "text/plain; version=0.0.4; charset=utf-8")
        }
    }

    struct ReadyBody: Codable {
        var status: String
        var reason: String?
        var checks: [String: String]
    }
}
