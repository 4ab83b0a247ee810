@testable import ClearanceService
import Foundation
import OpenSSLCrypto
import Store
import Testing
import TestSupport
import ZIPFoundation

/// What an attacker found and what must stay fixed: each test drives the live service over real sockets.
@Suite struct HardeningTests {
    func screen(_ service: ServiceHarness, _ key: String, _ body: String, headers: [String: String] = [:], path: String = "/screen") throws -> RawResponse {
        try service.call("POST", path, key: key, json: body, headers: headers)
    }

    @Test func deeplyNestedJSONIsRefusedWithoutHarm() throws {
        let (service, key) = try ScreenFixtures.service()
        let deep = String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000)
        for (path, body) in [("/screen", #"{"name": "x", "aliases": \#(deep)}"#), ("/screen/batch", #"[{"name": \#(deep)}]"#)] {
            let response = try screen(service, key, body, path: path)
            #expect(response.status == 422, "\(path): \(response.text)")
            #expect(response.text.contains("nested deeper"))
        }
        #expect(try service.call("GET", "/healthz").status == 200, "the process survived")
        #expect(try screen(service, key, #"{"name": "Hikvision"}"#).status == 200)
    }

    @Test func duplicateMemberNamesAreRefused() throws {
        let (service, key) = try ScreenFixtures.service()
        let response = try screen(service, key, #"{"name": "x", "\u006eame": "Hikvision"}"#)
        #expect(response.status == 422)
        #expect(try response.json()["pointer"] as? String == "/name")
        let batch = try screen(service, key, #"[{"name": "a"}, {"name": "b", "country": "CN", "country": "US"}]"#, path: "/screen/batch")
        #expect(batch.status == 422)
        #expect(try batch.json()["pointer"] as? String == "/1/country")
    }

    /// The same holds for list files and counterparty imports: a name given twice is refused whole, never stored
    /// as one of its values; and an empty list filter, which would screen against nothing, is refused.
    @Test func duplicateMembersAndColumnsAndEmptyFiltersAreRefusedEverywhere() throws {
        let (service, key) = try ScreenFixtures.service()
        let list = #"{"entries": [{"id": "1", "name": "Visible Name Corp", "name": "Hidden Name Ltd"}]}"#
        let upload = try service.uploadRaw("own", query: "?format=clearance-json", data: Data(list.utf8), contentType: "application/json")
        #expect(upload.status == 422, "\(upload.text)")
        #expect(upload.text.contains("/entries/0/name"), "\(upload.text)")
        #expect(try service.call("GET", "/lists/own", key: service.adminKey).status == 404, "no version was stored")
        let csv = "counterpartyId,name,name\ncp-1,Visible Name Corp,Hidden Name Ltd\n"
        let imported = try service.client().request("POST", "/counterparties/import",
                                                     headers: ["Authorization": "Bearer \(key)", "Content-Type": "text/csv"], body: csv)
        #expect(imported.status == 422 && imported.text.contains("column 3"), "\(imported.text)")
        #expect(try service.call("GET", "/counterparties/cp-1", key: key).status == 404)
        let empty = try screen(service, key, #"{"name": "Hikvision", "lists": []}"#)
        #expect(empty.status == 422)
        #expect(try empty.json()["pointer"] as? String == "/lists")
    }

    /// Bodies are never read before the key is checked: a client with no key announcing a body gets 401 at once.
    @Test func keyIsCheckedFromTheHeadBeforeAnyBody() throws {
        let (service, key) = try ScreenFixtures.service()
        var stalled: [RawHTTPClient] = []
        for _ in 0..<100 {
            let client = try service.client()
            try client.send("POST /screen/batch HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n")
            stalled.append(client)
        }
        let started = Date()
        for client in stalled {
            let response = try client.readResponse()
            #expect(response.status == 401)
        }
        #expect(Date().timeIntervalSince(started) < 5, "answered without waiting for the bodies")
        let upload = try service.client()
        try upload.send("POST /lists/any/versions?format=csl-csv HTTP/1.1\r\nHost: x\r\nContent-Length: 300000000\r\n\r\n")
        #expect(try upload.readResponse().status == 401, "no key, no spooled upload")
        let wrongRole = try service.client()
        try wrongRole.send("POST /lists/any/versions?format=csl-csv HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(key)\r\nContent-Length: 300000000\r\n\r\n")
        #expect(try wrongRole.readResponse().status == 403)
        #expect(try screen(service, key, #"{"name": "Hikvision"}"#).status == 200)
    }

    @Test func aCheckpointReSignedWithAnotherKeyDoesNotVerify() throws {
        let (service, key) = try ScreenFixtures.service()
        _ = try screen(service, key, #"{"name": "Supplier"}"#)
        var checkpoint = try service.call("POST", "/audit/checkpoints", key: key).json()
        let genuine = try service.call("POST", "/audit/checkpoints/verify", key: key,
                                       json: String(decoding: try JSONSerialization.data(withJSONObject: checkpoint), as: UTF8.self)).json()
        #expect(genuine["valid"] as? Bool == true)
        #expect(genuine["signingKey"] as? String == "current")
        // A forger rewrites the head hash and signs it with a key of their own, which they put in the checkpoint.
        let forger = try Ed25519SigningKey.generate()
        let seq = checkpoint["seq"] as? Int ?? 0, createdAt = checkpoint["createdAt"] as? String ?? ""
        let forgedHash = String(repeating: "a", count: 64)
        let message = Array("clearance-audit-checkpoint\n\(seq)\n\(forgedHash)\n\(createdAt)".utf8)
        checkpoint["headHash"] = forgedHash
        checkpoint["publicKey"] = Hex.encode(forger.publicKey)
        checkpoint["signature"] = Hex.encode(try forger.sign(message))
        let forged = try service.call("POST", "/audit/checkpoints/verify", key: key,
                                      json: String(decoding: try JSONSerialization.data(withJSONObject: checkpoint), as: UTF8.self)).json()
        #expect(forged["valid"] as? Bool == false)
        #expect(forged["signatureValid"] as? Bool == false)
    }

    /// With the audit insert failing, no admin change takes effect: key, list version and policy stay as they were.
    @Test func anAdminChangeNeverCommitsWithoutItsAuditRecord() throws {
        let (service, _) = try ScreenFixtures.service()
        let keysBefore = try service.app.keys.list().count
        let versionsBefore = try (service.app.lists.overview().first { $0.list.id == "us-csl" }?.versionCount ?? 0)
        let policyBefore = try service.app.policies.current().version
        let raw = try SQLiteConnection(path: service.app.configuration.databasePath)
        try raw.execute("CREATE TRIGGER fail_admin BEFORE INSERT ON audit_log WHEN NEW.kind = 'admin' BEGIN SELECT RAISE(ABORT, 'disk on fire'); END;")
        let created = try service.call("POST", "/keys", key: service.adminKey, json: #"{"name": "k", "roles": ["screen"]}"#)
        #expect(created.status >= 500)
        let csl = ScreenFixtures.csl + "\nnew1,Entity List (EL) - Bureau of Industry and Security,,,,\"Another Co\",,,,,,,,"
        let uploaded = try service.upload("us-csl", files: [("consolidated.csv", Data(csl.utf8))])
        #expect(uploaded.status >= 500)
        var policy = try #require(try service.call("GET", "/policy", key: service.adminKey).json()["policy"] as? [String: Any])
        policy["reviewThreshold"] = 0.7
        let put = try service.call("PUT", "/policy", key: service.adminKey, json: String(decoding: try JSONSerialization.data(withJSONObject: policy), as: UTF8.self))
        #expect(put.status >= 500)
        #expect(try service.app.keys.list().count == keysBefore)
        #expect(try (service.app.lists.overview().first { $0.list.id == "us-csl" }?.versionCount ?? 0) == versionsBefore)
        #expect(try SQLPolicyStore(database: service.app.database).latest()?.version == policyBefore)
    }

    @Test func anIdempotencyKeyIsBoundToTheWholeRequest() throws {
        let (service, key) = try ScreenFixtures.service()
        let batch = try screen(service, key, #"[{"name": "A Co"}, {"name": "B Co"}]"#, headers: ["Idempotency-Key": "K"], path: "/screen/batch")
        #expect(batch.status == 200)
        let again = try screen(service, key, #"[{"name": "A Co"}, {"name": "B Co"}]"#, headers: ["Idempotency-Key": "K"], path: "/screen/batch")
        #expect(again.header("Idempotent-Replayed") == "true" && again.body == batch.body)
        #expect(try screen(service, key, #"[{"name": "A Co"}]"#, headers: ["Idempotency-Key": "K"], path: "/screen/batch").status == 422,
                "a shorter batch under the same key")
        #expect(try screen(service, key, #"{"name": "A Co"}"#, headers: ["Idempotency-Key": "K"]).status == 422, "a single screen under a batch's key")
        let single = try screen(service, key, #"{"name": "B Co"}"#, headers: ["Idempotency-Key": "K#1"])
        #expect(single.status == 200 && single.header("Idempotent-Replayed") == nil, "K#1 is its own key, not item 1 of batch K")
    }

    /// An item of a JSON-array batch is hashed as canonical JSON, so its hash does not depend on the process: a retry
    /// heard after a restart, or by another replica, is the same request.
    @Test func aBatchItemIsHashedAsCanonicalJSON() throws {
        let (service, key) = try ScreenFixtures.service()
        let item = #"{"reference": "R-1", "type": "organization", "name": "A Co", "country": "CN", "aliases": ["B Co"], "counterpartyId": "cp-1"}"#
        let response = try screen(service, key, "[\(item)]", path: "/screen/batch")
        #expect(response.status == 200)
        let records = try #require(try response.json()["decisions"] as? [[String: Any]])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let canonical = try encoder.encode(try JSONDecoder().decode(JSONValue.self, from: Data(item.utf8)))
        #expect(records.first?["requestSha256"] as? String == SHA256.hex(canonical))
    }

    @Test func csvExportNeutralisesFormulas() throws {
        let (service, key) = try ScreenFixtures.service()
        _ = try screen(service, key, #"{"name": "=HYPERLINK(\"http://x\",\"y\")", "reference": "@SUM(A1)"}"#)
        _ = try screen(service, key, #"{"name": "+1+2", "reference": "-3"}"#)
        let csv = try service.call("GET", "/decisions/export?format=csv", key: key).text
        #expect(csv.contains("\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""))
        #expect(csv.contains(",'@SUM(A1),") && csv.contains(",'+1+2,") && csv.contains(",'-3,"))
        for line in csv.split(separator: "\r\n").dropFirst() {
            for cell in line.split(separator: ",") { #expect(!"=+@".contains(cell.first ?? " ")) }
        }
    }

    @Test func aVerifyRangeThatChecksNothingIsRefused() throws {
        let (service, key) = try ScreenFixtures.service()
        _ = try screen(service, key, #"{"name": "Supplier"}"#)
        #expect(try service.call("GET", "/audit/verify?from=5&to=2", key: key).status == 422)
        #expect(try service.call("GET", "/audit/verify?from=999", key: key).status == 422)
        #expect(try service.call("GET", "/audit/verify?from=1&to=2", key: key).json()["valid"] as? Bool == true)
    }

    @Test func aZIPBombIsStoppedWhileDecompressing() throws {
        let service = try ServiceHarness()
        let archive = try Archive(accessMode: .create)
        let size = ListUploadFiles.maxMemberBytes + 1
        let chunk = Data(count: 1 << 20)
        try archive.addEntry(with: "consolidated.csv", type: .file, uncompressedSize: Int64(size), compressionMethod: .deflate) { position, count in
            position + Int64(count) <= Int64(size) ? chunk.prefix(count) : Data(count: count)
        }
        let data = try #require(archive.data)
        #expect(data.count < 2_000_000)
        let response = try service.uploadRaw("us-csl", query: "?format=csl-csv", data: data)
        #expect(response.status == 422)
        #expect(response.text.contains("unpacks to more than"))
        #expect(try service.app.lists.overview().map(\.list).isEmpty, "nothing stored")
    }

    @Test func multipartPartsAreCappedAndParsedInLinearTime() throws {
        let service = try ServiceHarness()
        let many = (0..<50_000).map { (name: "f\($0).csv", data: Data("x".utf8)) }
        let (contentType, body) = MultipartBody.make(many)
        let started = Date()
        let response = try service.client().request("POST", "/lists/us-csl/versions?format=csl-csv",
                                                    headers: ["Authorization": "Bearer \(service.adminKey)", "Content-Type": contentType], data: body)
        #expect(response.status == 422)
        #expect(response.text.contains("more than 100 parts"))
        #expect(Date().timeIntervalSince(started) < 5)
    }

    @Test func oversizedListFieldsAndDeepXMLAreRefusedPrecisely() throws {
        let service = try ServiceHarness()
        let header = "_id,source,entity_number,type,programs,name,title,addresses,alt_names,citizenships,dates_of_birth,nationalities,ids,remarks"
        let long = String(repeating: "A", count: 5_000)
        let csl = header + "\nbig1,Entity List (EL) - Bureau of Industry and Security,,,,\"\(long)\",,,,,,,,"
        let refused = try service.uploadRaw("us-csl", query: "?format=csl-csv", data: Data(csl.utf8))
        #expect(refused.status == 422)
        #expect(refused.text.contains("entry big1") && refused.text.contains("name"))
        let deep = "<CONSOLIDATED_LIST>" + String(repeating: "<A>", count: 5_000) + String(repeating: "</A>", count: 5_000) + "</CONSOLIDATED_LIST>"
        let xml = try service.uploadRaw("un", query: "?format=un-xml", data: Data(deep.utf8))
        #expect(xml.status == 422)
        #expect(xml.text.contains("nested deeper"))
        #expect(try service.call("GET", "/healthz").status == 200)
        #expect(try service.app.lists.overview().map(\.list).isEmpty)
    }

    @Test func oneRequestCannotBuyMinutesOfCPU() throws {
        let (service, key) = try ScreenFixtures.service()
        // 1,000 subjects of 20 aliases of 500 characters: refused from its length, before a byte of it is decoded.
        let alias = "\"" + String(repeating: "Zq", count: 250) + "\""
        let subject = #"{"name": "x", "aliases": [\#(Array(repeating: alias, count: 20).joined(separator: ","))]}"#
        let huge = "[" + Array(repeating: subject, count: 1000).joined(separator: ",") + "]"
        #expect(try screen(service, key, huge, path: "/screen/batch").status == 413)
        // Within the byte limit but over the batch's name budget: 422, pointing at the subject where it is passed.
        let long = #"{"name": "\#(String(repeating: "Zq", count: 250))"}"#
        let response = try screen(service, key, "[" + Array(repeating: long, count: 450).joined(separator: ",") + "]", path: "/screen/batch")
        #expect(response.status == 422)
        let pointer = try response.json()["pointer"] as? String
        #expect(response.text.contains("split it") && pointer == "/400")
        let tooMany = #"{"name": "x", "aliases": [\#(Array(repeating: "\"y\"", count: 21).joined(separator: ","))]}"#
        #expect(try screen(service, key, tooMany).status == 422)
    }

    @Test func headsOverTheLimitAre431OnEveryRoute() throws {
        let service = try ServiceHarness()
        let filler = String(repeating: "a", count: 60_000)
        let client = try service.client()
        try client.send("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Filler: \(filler)\r\n\r\n")
        #expect(try client.readResponse().status == 431)
    }

    @Test func rateLimitPerKeyAnswers429WithRetryAfter() throws {
        let service = try ServiceHarness { $0.rateLimitPerKey = 2; $0.rateLimitBurst = 3 }
        let statuses = try (0..<6).map { _ in try service.call("GET", "/keys", key: service.adminKey) }
        #expect(statuses.prefix(3).allSatisfy { $0.status == 200 })
        let limited = try #require(statuses.last)
        #expect(limited.status == 429)
        #expect(Int(limited.header("Retry-After") ?? "") ?? 0 >= 1)
    }

    /// One key's requests in flight are bounded: two slow bodies hold its two slots, a third request gets 429 at once,
    /// another key is served, and the slots come back when the requests end.
    @Test func aKeyCannotHoldMoreThanItsRequestsInFlight() throws {
        let service = try ServiceHarness { $0.maxInFlightPerKey = 2 }
        _ = try service.upload("us-csl", query: "?format=csl-csv", files: [("consolidated.csv", Data(ScreenFixtures.csl.utf8))])
        let key = try service.createKey(["screen"]), other = try service.createKey(["screen"])
        let body = #"{"name": "Hikvision"}"#
        let slow = try (0..<2).map { _ in try service.client() }
        for client in slow {
            try client.send("POST /screen HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(key)\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n{")
        }
        // Once the server holds both (on a loaded machine it may take a moment to read their heads), a third is refused.
        let keyID = try #require(try service.app.keys.authenticate(key)?.keyID)
        let deadline = Date().addingTimeInterval(10)
        while service.app.auth.concurrency.held(by: keyID) < 2 && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        let refused = try service.call("POST", "/screen", key: key, json: body)
        #expect(refused.status == 429)
        #expect(refused.header("Retry-After") == "1")
        #expect(try service.call("POST", "/screen", key: other, json: body).status == 200, "another key is not held up")
        for client in slow {
            try client.send(String(body.dropFirst()))
            let answer = try client.readResponse()
            #expect(answer.status == 200, "\(answer.text)")
        }
        #expect(try service.call("POST", "/screen", key: key, json: body).status == 200, "the slots came back")
    }

    @Test func spooledUploadsLeftByACrashAreRemovedAtStart() throws {
        let directory = TestFolder.make("spool")
        let spool = directory.appendingPathComponent("spool")
        try FileManager.default.createDirectory(at: spool, withIntermediateDirectories: true)
        let leftover = spool.appendingPathComponent("clearance-upload-left-by-a-crash")
        try Data("partial".utf8).write(to: leftover)
        let service = try ServiceHarness(directory: directory)
        #expect(!FileManager.default.fileExists(atPath: leftover.path))
        _ = service
    }

    @Test func plainHTTPSyncSourcesAreRefusedUnlessAllowed() throws {
        let service = try ServiceHarness()
        let syncer = ListSyncer(lists: service.app.lists, sources: [ListSyncSource(list: "un", format: "un-xml", urls: ["http://127.0.0.1:9/x.xml"])],
                                logger: .init(label: "test"))
        let result = try #require(syncer.syncAll().first)
        #expect(result.result == "failed")
        #expect(result.error?.contains("plain http is refused") == true)
    }

    @Test func readinessFollowsUploads() throws {
        let service = try ServiceHarness()
        let before = try service.call("GET", "/readyz").json()["checks"] as? [String: String]
        #expect(before?["matching_index"]?.contains("0 entries") == true)
        _ = try service.upload("us-csl", query: "?format=csl-csv", files: [("consolidated.csv", Data(ScreenFixtures.csl.utf8))])
        let after = try service.call("GET", "/readyz").json()["checks"] as? [String: String]
        #expect(after?["matching_index"]?.contains("2 entries") == true, "\(after ?? [:])")
        #expect(try service.call("GET", "/metrics").text.contains(#"clearance_list_entries{list="us-csl"} 2"#), "the gauge follows the index")
    }

    /// An activation commits; if the index cannot be rebuilt right then (here its entries cannot be read), the answer
    /// still says what happened, /readyz says the index is behind, and a retry catches up once it can.
    @Test func aFailedRebuildAfterACommittedChangeIsRetriedNotReported() throws {
        let service = try ServiceHarness()
        let header = "_id,source,entity_number,type,programs,name,title,addresses,alt_names,citizenships,dates_of_birth,nationalities,ids,remarks"
        let first = header + "\n1,Entity List (EL) - Bureau of Industry and Security,,,,\"Alpha Trading Co\",,,,,,,,"
        let second = first + "\n2,Entity List (EL) - Bureau of Industry and Security,,,,\"Zephyrine Nautical Holdings\",,,,,,,,"
        #expect(try service.uploadRaw("us-csl", query: "?format=csl-csv", data: Data(first.utf8)).status == 201)
        #expect(try service.uploadRaw("us-csl", query: "?format=csl-csv&activate=false", data: Data(second.utf8)).status == 201)
        let key = try service.createKey(["screen"])
        func hits() throws -> Int {
            let answer = try service.call("POST", "/screen", key: key, json: #"{"name": "Zephyrine Nautical Holdings"}"#).json()
            return (answer["matches"] as? [Any])?.count ?? -1
        }
        #expect(try hits() == 0)
        let raw = try SQLiteConnection(path: service.app.configuration.databasePath)
        try raw.execute("ALTER TABLE entry_bodies RENAME TO entry_bodies_hidden")
        let activated = try service.call("POST", "/lists/us-csl/versions/2/activate", key: service.adminKey)
        #expect(activated.status == 200, "the activation committed: \(activated.text)")
        let checks = try service.call("GET", "/readyz").json()["checks"] as? [String: String]
        #expect(checks?["matching_index"]?.contains("behind the active versions") == true, "\(checks ?? [:])")
        try raw.execute("ALTER TABLE entry_bodies_hidden RENAME TO entry_bodies")
        var found = false
        for _ in 0..<50 where !found {
            Thread.sleep(forTimeInterval: 0.1)
            found = try hits() > 0
        }
        #expect(found, "the retry rebuilt the index")
        let after = try service.call("GET", "/readyz").json()["checks"] as? [String: String]
        #expect(after?["matching_index"]?.contains("behind") == false)
    }

    @Test func benchmarkModeSaysSoEverywhere() throws {
        let (service, key) = try ScreenFixtures.service()
        _ = key
        let unrecorded = try ServiceHarness(directory: service.directory) { $0.unsafeDisableAuditForBenchmark = true }
        let answer = try unrecorded.call("GET", "/healthz")
        #expect(answer.header("Clearance-Audit") == "disabled")
        let checks = try unrecorded.call("GET", "/readyz").json()["checks"] as? [String: String]
        #expect(checks?["audit"]?.hasPrefix("DISABLED") == true)
        let head = try #require(try unrecorded.app.audit.store.head())
        #expect(try unrecorded.app.audit.store.record(seq: head.seq)?.entry.action == "audit.disabled")
    }
}
