import Foundation
import Testing
import TestSupport

@Suite struct HealthAndKeysTests {
    @Test func healthReadinessAndMetrics() throws {
        let service = try ServiceHarness()
        #expect(try service.call("GET", "/healthz").status == 200)
        #expect(try service.call("GET", "/readyz").status == 503, "no active list yet")
        _ = try service.upload("us-csl", query: "?format=csl-csv", files: [("consolidated.csv", Data(ScreenFixtures.csl.utf8))])
        service.app.waitUntilReady(timeout: 10)
        let ready = try service.call("GET", "/readyz")
        #expect(ready.status == 200)
        #expect(try ready.json()["status"] as? String == "ready")
        let screener = try service.createKey(["screen"])
        #expect(try service.call("POST", "/screen", key: screener, json: #"{"name": "Hikvision"}"#).status == 200)
        let metrics = try service.call("GET", "/metrics")
        #expect(metrics.header("Content-Type")?.hasPrefix("text/plain; version=0.0.4") == true)
        #expect(metrics.text.contains("clearance_http_requests_total{route=\"/healthz\",method=\"GET\",status=\"200\"} 1"))
        #expect(metrics.text.contains("clearance_http_request_duration_seconds_bucket{route=\"/readyz\",method=\"GET\",le=\"+Inf\"} 2"))
        #expect(metrics.text.contains("clearance_http_open_connections"))
        // The process's own figures, under the names Prometheus clients use.
        func figure(_ name: String) -> Double? {
            metrics.text.split(separator: "\n").first { $0.hasPrefix(name + " ") }.flatMap { Double($0.split(separator: " ")[1]) }
        }
        #expect((figure("process_resident_memory_bytes") ?? 0) > 1_000_000)
        #expect(metrics.text.contains("clearance_audit_commits_total "), "the screening decision was committed by the writer")
        #expect(metrics.text.contains("clearance_audit_commit_seconds_count "))
        #expect((figure("process_open_fds") ?? 0) >= 3)
        #expect(figure("process_cpu_seconds_total") != nil)
        #expect(abs((figure("process_start_time_seconds") ?? 0) - Date().timeIntervalSince1970) < 3600)
    }

    /// The method label is bounded: made-up methods share one series instead of adding one each.
    @Test func madeUpMethodsShareOneMetricsSeries() throws {
        let service = try ServiceHarness()
        for method in ["FOO", "BAR", "ZAP1", "ZAP2"] { #expect(try service.call(method, "/healthz").status == 405) }
        #expect(try service.call("DELETE", "/healthz").status == 405)
        let metrics = try service.call("GET", "/metrics").text
        #expect(metrics.contains("clearance_http_requests_total{route=\"unmatched\",method=\"other\",status=\"405\"} 4"))
        #expect(metrics.contains("clearance_http_requests_total{route=\"unmatched\",method=\"DELETE\",status=\"405\"} 1"))
        #expect(!metrics.contains("FOO") && !metrics.contains("ZAP"))
    }

    @Test func keysNeedTheAdminRole() throws {
        let service = try ServiceHarness()
        let screenKey = try service.createKey(["screen"])
        #expect(screenKey.hasPrefix("clr_"))
        #expect(try service.call("GET", "/keys").status == 401)
        #expect(try service.call("GET", "/keys", key: "clr_unknown").status == 401)
        #expect(try service.call("GET", "/keys", key: screenKey).status == 403)
        #expect(try service.call("POST", "/keys", key: screenKey, json: "{\"roles\":[\"admin\"]}").status == 403)
        #expect(try service.call("DELETE", "/keys/key_x", key: screenKey).status == 403)
        let list = try service.call("GET", "/keys", key: service.adminKey)
        #expect(list.status == 200)
        #expect(!list.text.contains(screenKey), "keys are never shown again")
        #expect(!list.text.contains("keyHash"))
    }

    @Test func createRevokeAndRejectRevokedKeys() throws {
        let service = try ServiceHarness()
        let created = try service.call("POST", "/keys", key: service.adminKey, json: "{\"name\":\"erp\",\"roles\":[\"screen\",\"audit\"]}")
        #expect(created.status == 201)
        let body = try created.json()
        let id = try #require(body["id"] as? String)
        let key = try #require(body["key"] as? String)
        #expect(body["roles"] as? [String] == ["screen", "audit"])
        #expect(created.header("Location") == "/keys/\(id)")
        #expect(try service.call("DELETE", "/keys/\(id)", key: service.adminKey).status == 204)
        #expect(try service.call("DELETE", "/keys/\(id)", key: service.adminKey).status == 404)
        let adminWithRevoked = try service.createKey(["admin"])
        #expect(try service.call("GET", "/keys", key: adminWithRevoked).status == 200)
        _ = key
    }

    @Test func invalidKeyRequestsPointAtTheField() throws {
        let service = try ServiceHarness()
        let badRole = try service.call("POST", "/keys", key: service.adminKey, json: "{\"roles\":[\"screen\",\"root\"]}")
        #expect(badRole.status == 422)
        #expect(badRole.header("Content-Type") == "application/problem+json")
        #expect(try badRole.json()["pointer"] as? String == "/roles/1")
        let wrongType = try service.call("POST", "/keys", key: service.adminKey, json: "{\"roles\":\"screen\"}")
        #expect(try wrongType.json()["pointer"] as? String == "/roles")
        let missing = try service.call("POST", "/keys", key: service.adminKey, json: "{\"name\":\"x\"}")
        #expect(try missing.json()["pointer"] as? String == "/roles")
        let broken = try service.call("POST", "/keys", key: service.adminKey, json: "{\"roles\":")
        #expect(broken.status == 422)
    }

    @Test func keyChangesAreInTheAuditChain() throws {
        let service = try ServiceHarness()
        _ = try service.createKey(["screen"])
        let verification = try service.app.audit.store.verify(from: nil, to: nil)
        #expect(verification.isValid)
        #expect(verification.checked == 2)  // bootstrap admin key + the screen key
        let record = try #require(try service.app.audit.store.record(seq: 2))
        #expect(record.entry.action == "key.create")
        #expect(!record.entry.body.contains("clr_"), "the trail never holds a key")
    }
}
