import Foundation
import Testing
import TestSupport

@Suite struct ScreenEndpointTests {
    func decisions(_ service: ServiceHarness) throws -> Int { try service.app.decisions.count() }

    @Test func hikvisionGetsReviewWithEachListsConsequence() throws {
        let (service, key) = try ScreenFixtures.service()
        for name in ["Hikvision", "HANGZHOU HIKVISION DIGITAL TECHNOLOGY CO LTD"] {
            let response = try service.call("POST", "/screen", key: key, json: #"{"name": "\#(name)", "type": "organization", "reference": "SUP-1"}"#)
            #expect(response.status == 200)
            let body = try response.json()
            #expect(body["decision"] as? String == "review")
            #expect(body["reference"] as? String == "SUP-1")
            let matches = try #require(body["matches"] as? [[String: Any]])
            let consequences = Set(matches.compactMap { $0["consequence"] as? String })
            #expect(consequences.contains("Securities investment prohibited (NS-CMIC, EO 13959)"), "\(name)")
            #expect(consequences.contains("Export licence required for items subject to the EAR (BIS Entity List, 15 CFR 744.11); buying from the party is not prohibited by this listing"), "\(name)")
            #expect(matches.allSatisfy { ($0["explanation"] as? [String: Any])?["tokens"] is [Any] })
            // The CSL names the agency after its source list's last " - ".
            #expect(Set(matches.compactMap { $0["authority"] as? String }) == ["Treasury Department", "Bureau of Industry and Security"], "\(name)")
            #expect((body["listVersions"] as? [[String: Any]])?.count == 2)
            #expect(body["policyVersion"] as? Int == 1)
            #expect((body["engineVersion"] as? String)?.hasPrefix("clearance-match/") == true)
        }
    }

    /// With no active list, screening is refused (never "clear" for having checked nothing), nothing is recorded and
    /// the service is not ready; one upload later it screens.
    @Test func noActiveListMeans503AndNotReadyNeverClear() throws {
        let service = try ServiceHarness()
        let key = try service.createKey(["screen"])
        #expect(service.app.waitUntilReady(timeout: 2) == false)
        let ready = try service.call("GET", "/readyz")
        #expect(ready.status == 503)
        #expect((try ready.json()["reason"] as? String)?.contains("no active list") == true)
        let single = try service.call("POST", "/screen", key: key, json: #"{"name": "Hikvision"}"#)
        #expect(single.status == 503)
        #expect((try single.json()["type"] as? String)?.hasSuffix("/no-active-lists") == true)
        #expect(try service.call("POST", "/screen/batch", key: key, json: #"[{"name": "Hikvision"}]"#).status == 503)
        #expect(try decisions(service) == 0, "nothing recorded")
        _ = try service.upload("us-csl", query: "?format=csl-csv", files: [("consolidated.csv", Data(ScreenFixtures.csl.utf8))])
        #expect(service.app.waitUntilReady(timeout: 10))
        #expect(try service.call("POST", "/screen", key: key, json: #"{"name": "Hikvision"}"#).status == 200)
        let unknown = try service.call("POST", "/screen", key: key, json: #"{"name": "Hikvision", "lists": ["un"]}"#)
        #expect(unknown.status == 422, "a list with no active version is refused")
    }

    /// `lists` screens against those lists only, and says so in the decision's list versions.
    @Test func aRequestNamingItsListsIsScreenedAgainstThoseOnly() throws {
        let (service, key) = try ScreenFixtures.service()
        let both = try service.call("POST", "/screen", key: key, json: #"{"name": "Banco Nacional de Cuba", "lists": ["ofac-sdn", "us-csl"]}"#).json()
        #expect(both["decision"] as? String == "block")
        let cslOnly = try service.call("POST", "/screen", key: key, json: #"{"name": "Banco Nacional de Cuba", "lists": ["us-csl"]}"#).json()
        #expect(cslOnly["decision"] as? String == "clear" && (cslOnly["matches"] as? [Any])?.isEmpty == true)
        #expect((cslOnly["listVersions"] as? [[String: Any]])?.compactMap { $0["list"] as? String } == ["us-csl"])
        let hikvision = try service.call("POST", "/screen", key: key, json: #"{"name": "Hikvision", "lists": ["us-csl"]}"#).json()
        let matches = hikvision["matches"] as? [[String: Any]] ?? []
        #expect(!matches.isEmpty && matches.allSatisfy { $0["list"] as? String == "us-csl" })
    }

    @Test func sdnMatchesBlockButWeakAliasesAloneDoNot() throws {
        let (service, key) = try ScreenFixtures.service()
        let bank = try service.call("POST", "/screen", key: key, json: #"{"name": "Banco Nacional de Cuba"}"#).json()
        #expect(bank["decision"] as? String == "block")
        let weak = try service.call("POST", "/screen", key: key, json: #"{"name": "BNC"}"#).json()
        #expect(weak["decision"] as? String == "review")
        let match = try #require((weak["matches"] as? [[String: Any]])?.first)
        #expect((match["explanation"] as? [String: Any])?["nameKind"] as? String == "weak")
        let person = try service.call("POST", "/screen", key: key, json: #"{"name": "Emiro Ropero Suarez", "type": "person", "dateOfBirth": "1960-01-02", "country": "CO"}"#).json()
        #expect(person["decision"] as? String != "clear")
        let clear = try service.call("POST", "/screen", key: key, json: #"{"name": "Siemens AG", "type": "organization"}"#).json()
        #expect(clear["decision"] as? String == "clear")
        #expect((clear["matches"] as? [Any])?.isEmpty == true)
        #expect(try decisions(service) == 4)
    }

    @Test func invalidBodiesPointAtTheFieldAndRecordNothing() throws {
        let (service, key) = try ScreenFixtures.service()
        let cases: [(String, String)] = [
            (#"{}"#, "/name"), (#"{"name": ""}"#, "/name"), (#"{"name": 5}"#, "/name"), (#"{"name": "x", "type": "robot"}"#, "/type"),
            (#"{"name": "x", "country": "China"}"#, "/country"), (#"{"name": "x", "dateOfBirth": "yesterday"}"#, "/dateOfBirth"),
            (#"{"name": "x", "aliases": ["ok", ""]}"#, "/aliases/1"), (#"{"name": "x", "lists": ["nope"]}"#, "/lists/0"),
            (#"{"name": "x", "identifiers": [{"value": "--"}]}"#, "/identifiers/0/value"), (#"{"name": "x", "limit": 0}"#, "/limit"),
            (#"["x"]"#, ""), (#"{"name": "x""#, ""),
        ]
        for (body, pointer) in cases {
            let response = try service.call("POST", "/screen", key: key, json: body)
            #expect(response.status == 422, "\(body)")
            #expect(response.header("Content-Type") == "application/problem+json")
            #expect(try response.json()["pointer"] as? String == pointer, "\(body)")
        }
        #expect(try decisions(service) == 0)
    }

    @Test func rolesGuardScreening() throws {
        let (service, _) = try ScreenFixtures.service()
        #expect(try service.call("POST", "/screen", json: #"{"name": "x"}"#).status == 401)
        let audit = try service.createKey(["audit"])
        #expect(try service.call("POST", "/screen", key: audit, json: #"{"name": "x"}"#).status == 403)
        #expect(try decisions(service) == 0)
    }

    @Test(arguments: DatabaseBackend.all) func anIdempotencyKeyReturnsTheSameDecision(backend: DatabaseBackend) throws {
        let (service, key) = try ScreenFixtures.service(backend)
        let body = #"{"name": "Hikvision"}"#
        let first = try service.call("POST", "/screen", key: key, json: body, headers: ["Idempotency-Key": "order-77"])
        let retry = try service.call("POST", "/screen", key: key, json: body, headers: ["Idempotency-Key": "order-77"])
        #expect(try first.json()["decisionId"] as? String == (try retry.json()["decisionId"] as? String))
        #expect(retry.header("Idempotent-Replayed") == "true")
        #expect(try decisions(service) == 1)
        let reused = try service.call("POST", "/screen", key: key, json: #"{"name": "Other"}"#, headers: ["Idempotency-Key": "order-77"])
        #expect(reused.status == 422)
        let other = try service.call("POST", "/screen", key: key, json: body, headers: ["Idempotency-Key": "order-78"])
        #expect(try other.json()["decisionId"] as? String != (try first.json()["decisionId"] as? String))
    }

    @Test(arguments: DatabaseBackend.all) func batchesTakeJSONArraysAndNDJSON(backend: DatabaseBackend) throws {
        let (service, key) = try ScreenFixtures.service(backend)
        let array = try service.call("POST", "/screen/batch", key: key, json: #"[{"name": "Hikvision"}, {"name": "Banco Nacional de Cuba"}, {"name": "Siemens"}]"#)
        #expect(array.status == 200)
        let decisions = try #require(try array.json()["decisions"] as? [[String: Any]])
        #expect(decisions.map { $0["decision"] as? String } == ["review", "block", "clear"])
        let ndjson = try service.client().request("POST", "/screen/batch", headers: [
            "Authorization": "Bearer \(key)", "Content-Type": "application/x-ndjson"], body: "{\"name\": \"Hikvision\"}\n{\"name\": \"BNC\"}\n")
        #expect((try ndjson.json()["decisions"] as? [Any])?.count == 2)
        let invalid = try service.call("POST", "/screen/batch", key: key, json: #"[{"name": "a"}, {"name": "b"}, {"nom": "c"}]"#)
        #expect(invalid.status == 422)
        #expect(try invalid.json()["pointer"] as? String == "/2/name")
        let tooMany = "[" + Array(repeating: #"{"name": "a"}"#, count: 1001).joined(separator: ",") + "]"
        #expect(try service.call("POST", "/screen/batch", key: key, json: tooMany).status == 422)
        #expect(try self.decisions(service) == 5)
    }

    @Test(arguments: DatabaseBackend.all) func everyAnsweredScreenIsInTheChain(backend: DatabaseBackend) throws {
        let (service, key) = try ScreenFixtures.service(backend)
        let response = try service.call("POST", "/screen", key: key, json: #"{"name": "Hikvision", "reference": "SUP-9"}"#).json()
        let id = try #require(response["decisionId"] as? String)
        let record = try #require(try service.app.audit.store.record(id: id))
        #expect(record.entry.kind == "decision")
        #expect(record.entry.body.contains("\"requestSha256\""))
        #expect(record.entry.body.contains("\"latencyMs\""))
        #expect(!record.entry.body.contains(key), "keys never enter the trail")
        #expect(try service.app.audit.store.verify(from: nil, to: nil).isValid)
    }

    @Test(arguments: DatabaseBackend.all) func policyIsVersionedAndChangesDecisions(backend: DatabaseBackend) throws {
        let (service, key) = try ScreenFixtures.service(backend)
        let current = try service.call("GET", "/policy", key: service.adminKey).json()
        #expect(current["version"] as? Int == 1)
        var policy = try #require(current["policy"] as? [String: Any])
        policy["reviewThreshold"] = 0.85
        let updated = try service.call("PUT", "/policy", key: service.adminKey, json: String(decoding: try JSONSerialization.data(withJSONObject: policy), as: UTF8.self))
        #expect(updated.status == 200)
        #expect(try updated.json()["version"] as? Int == 2)
        let screened = try service.call("POST", "/screen", key: key, json: #"{"name": "Hikvision Digital"}"#).json()
        #expect(screened["policyVersion"] as? Int == 2)
        policy["blockThreshold"] = 0.5
        let invalid = try service.call("PUT", "/policy", key: service.adminKey, json: String(decoding: try JSONSerialization.data(withJSONObject: policy), as: UTF8.self))
        #expect(invalid.status == 422)
        #expect(try invalid.json()["pointer"] as? String == "/blockThreshold")
        #expect(try service.call("PUT", "/policy", key: key, json: "{}").status == 403)
        #expect(try service.call("GET", "/policy/versions/1", key: service.adminKey).status == 200)
    }

    /// One party on two lists is judged with the strongest information either gives, and reported once: the CSL
    /// repeats OFAC's entry for Banco Nacional de Cuba without alias strength, and its alias `BNC`, which OFAC calls
    /// weak, blocks through neither.
    @Test func anAliasOFACCallsWeakBlocksThroughNeitherListing() throws {
        let service = try ServiceHarness()
        _ = try service.upload("ofac-sdn", query: "?format=ofac-csv", files: ScreenFixtures.sdnFiles)
        let csl = """
            _id,source,entity_number,type,programs,name,title,addresses,alt_names,citizenships,dates_of_birth,nationalities,ids,remarks
            c306,Specially Designated Nationals (SDN) - Treasury Department,306,Entity,CUBA,"BANCO NACIONAL DE CUBA",,,BNC; NATIONAL BANK OF CUBA,,,,,
            """
        _ = try service.upload("us-csl", query: "?format=csl-csv", files: [("consolidated.csv", Data(csl.utf8))])
        let key = try service.createKey(["screen"])
        // Found through the CSL's copy alone (the SDN list left out), it is judged with OFAC's word on the alias.
        let copyOnly = try service.call("POST", "/screen", key: key, json: #"{"name": "BNC", "lists": ["us-csl"]}"#).json()
        #expect(copyOnly["decision"] as? String == "review")
        let copy = try #require((copyOnly["matches"] as? [[String: Any]])?.first)
        #expect((copy["blockWithheld"] as? String)?.contains("another list's entry for the same party calls weak") == true)
        // Found through both, the party is one match with both listings, and still a review.
        let both = try service.call("POST", "/screen", key: key, json: #"{"name": "BNC"}"#).json()
        let matches = both["matches"] as? [[String: Any]] ?? []
        #expect(both["decision"] as? String == "review")
        #expect(matches.count == 1 && matches.first?["list"] as? String == "ofac-sdn", "\(matches.map { $0["list"] ?? "" })")
        #expect((matches.first?["alsoListed"] as? [[String: Any]])?.first?["entryId"] as? String == "c306")
        // The full name still blocks, reported once.
        let full = try service.call("POST", "/screen", key: key, json: #"{"name": "Banco Nacional de Cuba"}"#).json()
        #expect(full["decision"] as? String == "block")
        #expect((full["matches"] as? [[String: Any]])?.count == 1)
    }
}
