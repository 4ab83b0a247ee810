import ClearanceService
import Foundation
import ListFormats
import Testing
import TestSupport

/// The story the product was born from, on the real OFAC SDN editions of 2019 and 2021: counterparties screened
/// against 2019, then 2021 activated. Exactly the counterparties whose outcome the new edition changes get a new
/// decision and an alert, delivered to a receiver on loopback; rolling back to 2019 gives the reverse alerts. What
/// "exactly" means is worked out independently, by screening every counterparty afresh against each edition.
@Suite(.enabled(if: SharedListFiles.available, "../shared/lists is not present beside the project"), .serialized)
struct SDNEditionRescreenTests {
    struct Counterparty {
        var id: String
        var name: String
        var type: String?
    }

    /// Primary names of SDN rows, by entry number.
    static func entries(_ edition: String) throws -> [String: (name: String, type: String?)] {
        let data = try Data(contentsOf: SharedListFiles.root.appendingPathComponent("\(edition)/sdn.csv"))
        var reader = CSVReader(Array(data), file: "sdn.csv")
        var entries: [String: (String, String?)] = [:]
        while let (fields, _) = try reader.next() {
            guard fields.count > 3 else { continue }
            let type: String? = switch fields[2].trimmingCharacters(in: .whitespaces) {
            case "individual": "person"
            case "vessel": "vessel"
            case "aircraft": "aircraft"
            default: "organization"
            }
            entries[fields[0]] = (fields[1], type)
        }
        return entries
    }

    /// 150 parties listed only in 2021, 50 on both editions, 100 ordinary suppliers.
    static func counterparties() throws -> [Counterparty] {
        let old = try entries("ofac-sdn-2019"), new = try entries("ofac-sdn-2021")
        let added = new.keys.filter { old[$0] == nil }.sorted().prefix(150)
        let kept = new.keys.filter { old[$0] != nil }.sorted().prefix(50)
        var all = added.compactMap { id in new[id].map { Counterparty(id: "listed-2021-\(id)", name: $0.name, type: $0.type) } }
        all += kept.compactMap { id in new[id].map { Counterparty(id: "on-both-\(id)", name: $0.name, type: $0.type) } }
        let first = ["Brightwater", "Lindqvist", "Harbour", "Meadowvale", "Northgate", "Silverline", "Oakridge", "Bluestone", "Clearwater", "Redfern"]
        let second = ["Office Supplies", "Packaging", "Catering", "Printing", "Cleaning Services", "Furniture", "Stationery", "Courier", "Joinery", "Glazing"]
        for (i, a) in first.enumerated() {
            for (j, b) in second.enumerated() { all.append(Counterparty(id: "supplier-\(i)\(j)", name: "\(a) \(b) Ltd", type: "organization")) }
        }
        return all
    }

    static func body(_ counterparty: Counterparty, withID: Bool) throws -> String {
        var object: [String: String] = ["name": counterparty.name]
        if let type = counterparty.type { object["type"] = type }
        if withID { object["counterpartyId"] = counterparty.id }
        return String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }

    struct Outcome: Equatable {
        var decision: String
        var entries: Set<String>
    }

    /// Each counterparty screened afresh against the lists now active (no counterparty id: nothing monitored changes).
    static func outcomes(_ service: ServiceHarness, _ key: String, _ all: [Counterparty]) throws -> [String: Outcome] {
        var outcomes: [String: Outcome] = [:]
        for counterparty in all {
            let record = try service.call("POST", "/screen", key: key, json: try body(counterparty, withID: false)).json()
            let matches = record["matches"] as? [[String: Any]] ?? []
            outcomes[counterparty.id] = Outcome(decision: record["decision"] as? String ?? "",
                                                entries: Set(matches.compactMap { $0["entryId"] as? String }))
        }
        return outcomes
    }

    /// Who should be alerted going from `before` to `after`: a changed decision, or an entry matched that was not.
    static func expectedAlerts(_ before: [String: Outcome], _ after: [String: Outcome]) -> Set<String> {
        Set(after.compactMap { id, now in
            guard let then = before[id] else { return nil }
            return now.decision != then.decision || !now.entries.subtracting(then.entries).isEmpty ? id : nil
        })
    }

    static func alerts(_ service: ServiceHarness, version: Int) throws -> [[String: Any]] {
        let all = try service.call("GET", "/alerts?limit=1000&list=ofac-sdn", key: service.adminKey).json()["alerts"] as? [[String: Any]] ?? []
        return all.filter { $0["listVersion"] as? Int == version }
    }

    @Test func the2021EditionAlertsExactlyTheNewlyListedAndRollbackReversesIt() throws {
        let receiver = try WebhookReceiver()
        let service = try ServiceHarness()
        #expect(try service.upload("ofac-sdn", query: "?format=ofac-csv", files: try SharedListFiles.files("ofac-sdn-2019")).status == 201)
        #expect(try service.call("POST", "/webhooks", key: service.adminKey,
                                 json: "{\"url\":\"\(receiver.url)\",\"secret\":\"\(ContinuousScreeningTests.secret)\"}").status == 201)
        let key = try service.createKey(["screen", "audit"])
        let all = try Self.counterparties()
        #expect(all.count == 300)
        let rows = try all.map { try Self.body($0, withID: true) }.joined(separator: "\n")
        // Rows are answered as each batch of 100 is screened; a debug build beside the rest of the suite is slow.
        let imported = try RawHTTPClient(port: service.port, timeout: 120).request("POST", "/counterparties/import",
                                                    headers: ["Authorization": "Bearer \(key)", "Content-Type": "application/x-ndjson"], body: rows)
        #expect(imported.text.contains("\"screened\":300"), "\(imported.text.suffix(300))")
        let in2019 = try Self.outcomes(service, key, all)
        // Some of the 2021 names already resembled 2019 entries; none was blocked by its own entry yet.
        #expect(all.filter { $0.id.hasPrefix("listed-2021-") }.allSatisfy { !(in2019[$0.id]?.entries.contains(String($0.id.dropFirst(12))) ?? true) })

        #expect(try service.upload("ofac-sdn", files: try SharedListFiles.files("ofac-sdn-2021")).status == 201)
        let jobs = try ContinuousScreeningTests.rescreens(service, "ofac-sdn", 2, timeout: 120)
        #expect(jobs.last?["state"] as? String == "done")
        let in2021 = try Self.outcomes(service, key, all)
        let expected = Self.expectedAlerts(in2019, in2021)
        let raised = try Self.alerts(service, version: 2)
        #expect(Set(raised.compactMap { $0["counterpartyId"] as? String }) == expected)
        #expect(raised.count == expected.count, "one alert per counterparty")
        let newlyListed = Set(all.map(\.id).filter { $0.hasPrefix("listed-2021-") })
        #expect(newlyListed.isSubset(of: expected), "every party listed in 2021 matches its new entry")
        #expect(expected.filter { $0.hasPrefix("supplier-") }.isEmpty, "ordinary suppliers are left alone")
        // The stored outcome is the fresh one, for every counterparty.
        for counterparty in all {
            let stored = try service.call("GET", "/counterparties/\(counterparty.id)", key: key).json()["counterparty"] as? [String: Any]
            #expect(stored?["decision"] as? String == in2021[counterparty.id]?.decision, "\(counterparty.id)")
        }
        for alert in raised {
            let decision = try service.call("GET", "/decisions/\(alert["decisionId"] as? String ?? "")", key: key).json()["record"] as? [String: Any]
            #expect((decision?["trigger"] as? [String: Any])?["version"] as? Int == 2)
            #expect(decision?["decision"] as? String == alert["decision"] as? String)
        }
        #expect(try eventually(timeout: 30) { try receiver.alerts().count == expected.count })
        let now = Int(Date().timeIntervalSince1970)
        #expect(receiver.deliveries.allSatisfy {
            WebhookSignature.verify(header: $0.signature ?? "", body: $0.body, deliveryID: $0.deliveryID ?? "", secret: ContinuousScreeningTests.secret, now: now)
        })

        // Rollback to 2019: the reverse alerts, back to the 2019 outcomes.
        #expect(try service.call("POST", "/lists/ofac-sdn/versions/1/activate", key: service.adminKey, json: "{\"reason\":\"rollback\"}").status == 200)
        _ = try ContinuousScreeningTests.rescreens(service, "ofac-sdn", 1, timeout: 120)
        let reversed = try Self.alerts(service, version: 1)
        #expect(Set(reversed.compactMap { $0["counterpartyId"] as? String }) == Self.expectedAlerts(in2021, in2019))
        for alert in reversed where (alert["counterpartyId"] as? String ?? "").hasPrefix("listed-2021-") {
            #expect(alert["decision"] as? String == in2019[alert["counterpartyId"] as? String ?? ""]?.decision)
        }
        #expect(try eventually(timeout: 30) { try receiver.alerts().count == expected.count + reversed.count })
    }
}
