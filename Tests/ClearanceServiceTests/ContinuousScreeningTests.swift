import ClearanceService
import Foundation
import OpenSSLCrypto
import Testing
import TestSupport

/// Counterparties, re-screening on list change, alerts and webhooks, over HTTP against a live service.
@Suite(.serialized)
struct ContinuousScreeningTests {
    static let secret = "a-webhook-secret-of-32-characters"

    /// Screens `name` as counterparty `id`; the decision.
    @discardableResult
    static func screen(_ service: ServiceHarness, _ key: String, id: String, name: String, type: String? = nil) throws -> [String: Any] {
        let typeField = type.map { ",\"type\":\"\($0)\"" } ?? ""
        let response = try service.call("POST", "/screen", key: key, json: "{\"name\":\"\(name)\",\"counterpartyId\":\"\(id)\"\(typeField)}")
        #expect(response.status == 200, "\(response.text)")
        return try response.json()
    }

    /// Waits until the re-screens `version` of `list` started are finished (done, or superseded by a later one), one
    /// at least done, and returns them.
    static func rescreens(_ service: ServiceHarness, _ list: String, _ version: Int, timeout: Double = 30) throws -> [[String: Any]] {
        var jobs: [[String: Any]] = []
        _ = try eventually(timeout: timeout) {
            jobs = try service.call("GET", "/lists/\(list)/versions/\(version)", key: service.adminKey).json()["rescreens"] as? [[String: Any]] ?? []
            let states = jobs.compactMap { $0["state"] as? String }
            return states.contains("done") && states.allSatisfy { $0 == "done" || $0 == "superseded" }
        }
        return jobs
    }

    static func alerts(_ service: ServiceHarness, query: String = "") throws -> [[String: Any]] {
        try service.call("GET", "/alerts?order=oldest\(query)", key: service.adminKey).json()["alerts"] as? [[String: Any]] ?? []
    }

    @Test(arguments: DatabaseBackend.all) func aListChangeAlertsExactlyTheCounterpartiesItConcernsAndRollbackReversesIt(backend: DatabaseBackend) throws {
        let receiver = try WebhookReceiver()
        let service = try ServiceHarness(backend: backend)
        #expect(try service.upload("ofac-sdn", query: "?format=ofac-csv", files: ListFixtures.v1).status == 201)
        let key = try service.createKey(["screen", "audit"])
        let hook = try service.call("POST", "/webhooks", key: service.adminKey, json: "{\"url\":\"\(receiver.url)\",\"secret\":\"\(Self.secret)\"}")
        #expect(hook.status == 201)
        #expect(!hook.text.contains(Self.secret), "the secret is never returned")

        #expect(try Self.screen(service, key, id: "cp-new", name: "New Shipping Co")["decision"] as? String == "clear")
        #expect(try Self.screen(service, key, id: "cp-old", name: "Old Trading Ltd")["decision"] as? String == "block")
        let clean = try Self.screen(service, key, id: "cp-clean", name: "Acme Widgets")
        #expect(clean["decision"] as? String == "clear")

        // Version 2 adds NEW SHIPPING CO. and removes OLD TRADING LTD.
        #expect(try service.upload("ofac-sdn", files: ListFixtures.v2).status == 201)
        let jobs = try Self.rescreens(service, "ofac-sdn", 2)
        #expect(jobs.count == 1 && jobs[0]["fromVersion"] as? Int == 1 && jobs[0]["alerts"] as? Int == 2, "\(jobs)")
        let raised = try Self.alerts(service)
        #expect(Set(raised.compactMap { $0["counterpartyId"] as? String }) == ["cp-new", "cp-old"])
        let newAlert = try #require(raised.first { $0["counterpartyId"] as? String == "cp-new" })
        #expect(newAlert["previousDecision"] as? String == "clear" && newAlert["decision"] as? String == "block")
        #expect(newAlert["list"] as? String == "ofac-sdn" && newAlert["listVersion"] as? Int == 2 && newAlert["state"] as? String == "open")
        #expect((newAlert["matches"] as? [[String: Any]])?.first?["entryId"] as? String == "3000")
        let oldAlert = try #require(raised.first { $0["counterpartyId"] as? String == "cp-old" })
        #expect(oldAlert["previousDecision"] as? String == "block" && oldAlert["decision"] as? String == "clear")

        // The decision behind the alert is in the trail: made by the system, naming the activation.
        let decision = try service.call("GET", "/decisions/\(try #require(newAlert["decisionId"] as? String))", key: key).json()
        let record = try #require(decision["record"] as? [String: Any])
        #expect((record["caller"] as? [String: Any])?["keyId"] as? String == "system")
        let trigger = try #require(record["trigger"] as? [String: Any])
        #expect(trigger["list"] as? String == "ofac-sdn" && trigger["version"] as? Int == 2 && trigger["previousVersion"] as? Int == 1)
        #expect(record["counterpartyId"] as? String == "cp-new")
        // An auditor can replay it like any decision.
        let replayed = try service.call("POST", "/decisions/\(try #require(newAlert["decisionId"] as? String))/replay", key: key).json()
        #expect(replayed["identical"] as? Bool == true, "\(replayed)")
        let detail = try service.call("GET", "/counterparties/cp-new", key: key).json()
        #expect((detail["counterparty"] as? [String: Any])?["decision"] as? String == "block")
        #expect((detail["history"] as? [[String: Any]])?.count == 2)
        // An unconcerned counterparty keeps its decision: no new record.
        #expect((try service.call("GET", "/counterparties/cp-clean", key: key).json()["history"] as? [[String: Any]])?.count == 1)

        // Each alert reaches the receiver once, signed.
        #expect(try eventually { try receiver.alerts().count == 2 })
        for delivery in receiver.deliveries {
            let signature = try #require(delivery.signature)
            let id = delivery.deliveryID ?? ""
            #expect(WebhookSignature.verify(header: signature, body: delivery.body, deliveryID: id, secret: Self.secret, now: Int(Date().timeIntervalSince1970)))
            #expect(!WebhookSignature.verify(header: signature, body: delivery.body + " ", deliveryID: id, secret: Self.secret, now: Int(Date().timeIntervalSince1970)))
        }

        // Rolling back to version 1 gives the reverse alerts.
        #expect(try service.call("POST", "/lists/ofac-sdn/versions/1/activate", key: service.adminKey, json: "{\"reason\":\"rollback\"}").status == 200)
        _ = try Self.rescreens(service, "ofac-sdn", 1)
        let reversed = try Self.alerts(service, query: "&list=ofac-sdn&since=\(try #require(newAlert["createdAt"] as? String))").filter {
            $0["listVersion"] as? Int == 1
        }
        #expect(Set(reversed.map { "\($0["counterpartyId"] ?? ""):\($0["previousDecision"] ?? "")>\($0["decision"] ?? "")" })
                == ["cp-new:block>clear", "cp-old:clear>block"])
        #expect(try eventually { try receiver.alerts().count == 4 })
    }

    @Test(arguments: DatabaseBackend.all) func reviewersAcknowledgeAlertsOnceAndTheTrailRecordsIt(backend: DatabaseBackend) throws {
        let service = try ServiceHarness(backend: backend)
        _ = try service.upload("ofac-sdn", query: "?format=ofac-csv", files: ListFixtures.v1)
        let key = try service.createKey(["screen"])
        let reviewer = try service.createKey(["review"])
        try Self.screen(service, key, id: "cp-new", name: "New Shipping Co")
        _ = try service.upload("ofac-sdn", files: ListFixtures.v2)
        _ = try Self.rescreens(service, "ofac-sdn", 2)
        let alert = try #require(try Self.alerts(service, query: "&state=open").first)
        let id = try #require(alert["alertId"] as? String)

        #expect(try service.call("POST", "/alerts/\(id)/acknowledge", key: key, json: "{}").status == 403)
        let acknowledged = try service.call("POST", "/alerts/\(id)/acknowledge", key: reviewer, json: "{\"note\":\"supplier suspended\"}")
        #expect(acknowledged.status == 200)
        #expect(try acknowledged.json()["state"] as? String == "acknowledged" && acknowledged.json()["note"] as? String == "supplier suspended")
        #expect(try service.call("POST", "/alerts/\(id)/acknowledge", key: reviewer, json: "{}").status == 409)
        #expect(try service.call("POST", "/alerts/alt_missing/acknowledge", key: reviewer, json: "{}").status == 404)
        #expect(try Self.alerts(service, query: "&state=open").isEmpty)
        let last = try #require(try service.app.audit.store.head().flatMap { try service.app.audit.store.record(seq: $0.seq) })
        #expect(last.entry.action == "alert.acknowledge" && last.entry.body.contains(id) && last.entry.body.contains("supplier suspended"))
    }

    @Test(arguments: DatabaseBackend.all) func counterpartiesAreListedFilteredPagedAndDeleted(backend: DatabaseBackend) throws {
        let service = try ServiceHarness(backend: backend)
        _ = try service.upload("ofac-sdn", query: "?format=ofac-csv", files: ListFixtures.v1)
        let key = try service.createKey(["screen", "audit"])
        for index in 0..<5 { try Self.screen(service, key, id: "clean-\(index)", name: "Acme Widgets \(index)") }
        try Self.screen(service, key, id: "blocked", name: "Banco Nacional de Cuba")

        let blocked = try service.call("GET", "/counterparties?decision=block", key: key).json()["counterparties"] as? [[String: Any]]
        #expect(blocked?.map { $0["counterpartyId"] as? String } == ["blocked"])
        #expect((try service.call("GET", "/counterparties?list=ofac-sdn", key: key).json()["counterparties"] as? [[String: Any]])?.count == 1)
        var seen: [String] = []
        var cursor: String?
        repeat {
            let page = try service.call("GET", "/counterparties?limit=2" + (cursor.map { "&cursor=\($0)" } ?? ""), key: key).json()
            seen += (page["counterparties"] as? [[String: Any]] ?? []).compactMap { $0["counterpartyId"] as? String }
            cursor = page["nextCursor"] as? String
        } while cursor != nil
        #expect(seen == ["blocked", "clean-0", "clean-1", "clean-2", "clean-3", "clean-4"])
        #expect((try service.call("GET", "/counterparties?changedSince=2999-01-01T00:00:00Z", key: key).json()["counterparties"] as? [[String: Any]])?.isEmpty == true)
        #expect(try service.call("GET", "/counterparties?decision=maybe", key: key).status == 422)

        #expect(try service.call("DELETE", "/counterparties/clean-0", key: key).status == 204)
        #expect(try service.call("GET", "/counterparties/clean-0", key: key).status == 404)
        #expect(try service.call("DELETE", "/counterparties/clean-0", key: key).status == 404)
        // Its past stays searchable.
        #expect(try service.call("GET", "/decisions?text=Acme", key: key).text.contains("clean-0"))

        let bad = try service.call("POST", "/screen", key: key, json: "{\"name\":\"x\",\"counterpartyId\":\"\"}")
        #expect(bad.status == 422 && bad.text.contains("/counterpartyId"))
    }

    @Test(arguments: DatabaseBackend.all) func anImportScreensEachRowAndReportsBadRowsByLine(backend: DatabaseBackend) throws {
        let service = try ServiceHarness(backend: backend)
        _ = try service.upload("ofac-sdn", query: "?format=ofac-csv", files: ListFixtures.v1)
        let key = try service.createKey(["screen", "audit"])
        let csv = """
            counterpartyId,name,type,country,aliases
            s-1,Acme Widgets,organization,DE,Acme GmbH;Acme AG
            s-2,"Banco Nacional de Cuba",organization,CH,
            s-3,,organization,,
            s-4,Acme Tools,ship,,

            """
        let response = try service.client().request("POST", "/counterparties/import",
                                                     headers: ["Authorization": "Bearer \(key)", "Content-Type": "text/csv"], body: csv)
        #expect(response.status == 200)
        let lines = try response.text.split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] ?? [:] }
        let byLine = Dictionary(lines.compactMap { line in (line["line"] as? Int).map { ($0, line) } }, uniquingKeysWith: { a, _ in a })
        #expect(byLine[2]?["decision"] as? String == "clear")
        #expect(byLine[3]?["decision"] as? String == "block")
        #expect((byLine[4]?["error"] as? [String: Any])?["pointer"] as? String == "/name")
        #expect((byLine[5]?["error"] as? [String: Any])?["pointer"] as? String == "/type")
        let summary = try #require(lines.last?["summary"] as? [String: Any])
        #expect(summary["rows"] as? Int == 4 && summary["screened"] as? Int == 2 && summary["failed"] as? Int == 2)
        let stored = try service.call("GET", "/counterparties/s-1", key: key).json()["counterparty"] as? [String: Any]
        #expect((stored?["identity"] as? [String: Any])?["aliases"] as? [String] == ["Acme GmbH", "Acme AG"])

        let ndjson = "{\"counterpartyId\":\"n-1\",\"name\":\"Acme Widgets\"}\n{\"name\":\"no id\"}\n{broken\n"
        let second = try service.client().request("POST", "/counterparties/import",
                                                   headers: ["Authorization": "Bearer \(key)", "Content-Type": "application/x-ndjson"], body: ndjson)
        #expect(second.status == 200 && second.text.contains("\"line\":2") && second.text.contains("\"line\":3"))
        #expect(second.text.contains("\"screened\":1"))

        let unknown = try service.client().request("POST", "/counterparties/import",
                                                    headers: ["Authorization": "Bearer \(key)", "Content-Type": "text/csv"], body: "counterpartyId,name,colour\n")
        #expect(unknown.status == 422 && unknown.text.contains("colour"))
        #expect(try service.call("GET", "/counterparties", key: key).json()["counterparties"] as? [[String: Any]] != nil)
    }

    @Test(arguments: DatabaseBackend.all) func importWithoutActiveListsIsRefusedWhole(backend: DatabaseBackend) throws {
        let service = try ServiceHarness(backend: backend)
        let key = try service.createKey(["screen"])
        let response = try service.client().request("POST", "/counterparties/import", headers: ["Authorization": "Bearer \(key)", "Content-Type": "text/csv"],
                                                     body: "counterpartyId,name\nx,Acme\n")
        #expect(response.status == 503 && response.text.contains("no-active-lists"))
        #expect((try service.call("GET", "/counterparties", key: key).json()["counterparties"] as? [[String: Any]])?.isEmpty == true)
    }

    @Test func signaturesAreHMACSHA256OverTimestampDeliveryIdAndBody() {
        // RFC 4231, test case 2.
        #expect(HMACSHA256.hex(key: "Jefe", message: "what do ya want for nothing?") == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        let secret = "s3cret-s3cret-s3cret"
        let header = WebhookSignature.sign(body: "{\"a\":1}", deliveryID: "dlv_1", secret: secret, at: 1_764_673_200)
        #expect(header == "t=1764673200,v2=" + HMACSHA256.hex(key: secret, message: "1764673200.dlv_1.{\"a\":1}"))
        #expect(WebhookSignature.verify(header: header, body: "{\"a\":1}", deliveryID: "dlv_1", secret: secret, now: 1_764_673_260))
        #expect(!WebhookSignature.verify(header: header, body: "{\"a\":2}", deliveryID: "dlv_1", secret: secret, now: 1_764_673_260))
        #expect(!WebhookSignature.verify(header: header, body: "{\"a\":1}", deliveryID: "dlv_1", secret: "another-secret-here", now: 1_764_673_260))
        // Replayed under another delivery id (to pass a receiver's de-duplication): refused.
        #expect(!WebhookSignature.verify(header: header, body: "{\"a\":1}", deliveryID: "dlv_2", secret: secret, now: 1_764_673_260))
        // Too old: a captured delivery replayed later is refused.
        #expect(!WebhookSignature.verify(header: header, body: "{\"a\":1}", deliveryID: "dlv_1", secret: secret, now: 1_764_673_200 + 301))
    }

    @Test(arguments: DatabaseBackend.all) func webhookRegistrationIsValidatedAndRecorded(backend: DatabaseBackend) throws {
        let service = try ServiceHarness(backend: backend)
        let admin = service.adminKey
        #expect(try service.call("POST", "/webhooks", key: admin, json: "{\"url\":\"http://example.com/hook\",\"secret\":\"\(Self.secret)\"}").status == 422)
        #expect(try service.call("POST", "/webhooks", key: admin, json: "{\"url\":\"ftp://example.com\",\"secret\":\"\(Self.secret)\"}").status == 422)
        #expect(try service.call("POST", "/webhooks", key: admin, json: "{\"url\":\"https://example.com/hook\",\"secret\":\"short\"}").status == 422)
        let created = try service.call("POST", "/webhooks", key: admin, json: "{\"url\":\"https://example.com/hook\",\"secret\":\"\(Self.secret)\"}")
        #expect(created.status == 201)
        let id = try #require(try created.json()["id"] as? String)
        #expect(created.header("Location") == "/webhooks/\(id)")
        #expect(try service.call("GET", "/webhooks", key: admin).text.contains(id))
        #expect(!(try service.call("GET", "/webhooks", key: admin).text.contains(Self.secret)))
        #expect(try service.call("DELETE", "/webhooks/\(id)", key: admin).status == 204)
        #expect(try service.call("DELETE", "/webhooks/\(id)", key: admin).status == 404)
        #expect(!(try service.call("GET", "/webhooks", key: admin).text.contains(id)))
        // Neither record in the trail holds the secret.
        let verification = try service.app.audit.verify(from: nil, to: nil)
        #expect(verification.isValid)
        for seq in 1...(verification.lastSeq ?? 0) {
            #expect(!(try service.app.audit.store.record(seq: seq)?.entry.body.contains(Self.secret) ?? false))
        }
    }
}
