@testable import ClearanceService
import Foundation
import Testing
import TestSupport

/// Dispositions, the review queue, four eyes and false-positive memory, over HTTP against a live service.
@Suite(.serialized)
struct ReviewTests {
    /// An organisation's own list: its matches are reviews under the default policy.
    static func ownList(_ entries: String) -> Data { Data("{\"entries\": [\(entries)]}".utf8) }
    static let acme = #"{"id": "V-1", "name": "Acme Shell Trading LLC", "countries": ["PA"]}"#
    static let zenith = #"{"id": "V-2", "name": "Zenith Metals Trading", "countries": ["AE"]}"#

    struct Reviewers {
        let service: ServiceHarness
        let screen: String
        let reviewer: String
        let second: String
        let auditor: String

        init(_ backend: DatabaseBackend, configure: (inout ServiceConfiguration) -> Void = { _ in }) throws {
            service = try ServiceHarness(backend: backend, configure: configure)
            let upload = try service.uploadRaw("acme-denied", query: "?format=clearance-json", data: ReviewTests.ownList("\(acme),\(zenith)"),
                                               contentType: "application/json")
            #expect(upload.status == 201, "\(upload.text)")
            screen = try service.createKey(["screen"])
            reviewer = try service.createKey(["review"])
            second = try service.createKey(["review"])
            auditor = try service.createKey(["audit"])
        }

        func screen(_ body: String) throws -> [String: Any] {
            let response = try service.call("POST", "/screen", key: screen, json: body)
            #expect(response.status == 200, "\(response.text)")
            return try response.json()
        }

        /// The owner of the first reviewer's key, as `GET /keys` names it.
        func ownerOfReviewer() throws -> String? {
            let current = try service.call("GET", "/keys/current", key: reviewer).json()["keyId"] as? String
            let keys = try service.call("GET", "/keys", key: service.adminKey).json()["keys"] as? [[String: Any]] ?? []
            return keys.first { $0["id"] as? String == current }?["owner"] as? String
        }

        func dispose(_ decisionID: String, key: String? = nil, _ matches: String) throws -> RawResponse {
            try service.call("POST", "/decisions/\(decisionID)/dispositions", key: key ?? reviewer, json: "{\"matches\": [\(matches)]}")
        }

        func queue(_ query: String = "") throws -> [String: Any] {
            let response = try service.call("GET", "/reviews\(query)", key: reviewer)
            #expect(response.status == 200, "\(response.text)")
            return try response.json()
        }

        func chainLength() throws -> Int {
            try service.call("GET", "/audit/verify", key: auditor).json()["checked"] as? Int ?? -1
        }

        func replay(_ decisionID: String) throws -> [String: Any] {
            try service.call("POST", "/decisions/\(decisionID)/replay", key: auditor).json()
        }
    }

    static func matches(_ decision: [String: Any]) -> [[String: Any]] { decision["matches"] as? [[String: Any]] ?? [] }
    static func falsePositive(_ entry: String, reason: String = "different_country", note: String = "Panama shell; our supplier is in Ohio") -> String {
        #"{"list": "acme-denied", "entryId": "\#(entry)", "disposition": "false_positive", "reason": "\#(reason)", "note": "\#(note)"}"#
    }

    @Test(arguments: DatabaseBackend.all) func aFalsePositiveResolvesTheReviewAndEmptiesTheQueue(backend: DatabaseBackend) throws {
        let setup = try Reviewers(backend)
        let decision = try setup.screen(#"{"name": "Acme Shell Trading LLC", "counterpartyId": "cp-1"}"#)
        #expect(decision["decision"] as? String == "review")
        let id = try #require(decision["decisionId"] as? String)
        let queued = try setup.queue()
        let items = queued["reviews"] as? [[String: Any]] ?? []
        #expect(items.map { $0["decisionId"] as? String } == [id])
        #expect(items.first?["sourceLists"] as? [String] != nil && items.first?["counterpartyId"] as? String == "cp-1")
        #expect((queued["counts"] as? [String: Any])?["open"] as? Int == 1)
        #expect((try setup.queue("?list=acme-denied")["reviews"] as? [[String: Any]])?.count == 1)
        #expect((try setup.queue("?list=ofac-sdn")["reviews"] as? [[String: Any]])?.count == 0)
        #expect((try setup.queue("?counterpartyId=cp-2")["reviews"] as? [[String: Any]])?.count == 0)

        // Bad bodies name the field at fault and change nothing.
        let before = try setup.chainLength()
        let bad: [(String, String)] = [
            (#"{"list": "acme-denied", "entryId": "V-1", "disposition": "false_positive", "reason": "different_country"}"#, "/matches/0/note"),
            (#"{"list": "acme-denied", "entryId": "V-1", "disposition": "false_positive", "note": "n"}"#, "/matches/0/reason"),
            (#"{"list": "acme-denied", "entryId": "V-1", "disposition": "false_positive", "reason": "looks_fine", "note": "n"}"#, "/matches/0/reason"),
            (#"{"list": "acme-denied", "entryId": "V-1", "disposition": "maybe", "note": "n"}"#, "/matches/0/disposition"),
            (#"{"list": "acme-denied", "entryId": "V-9", "disposition": "true_match", "note": "n"}"#, "/matches/0/entryId"),
            (#"{"list": "acme-denied", "entryId": "V-1", "disposition": "true_match", "reason": "other", "note": "n"}"#, "/matches/0/reason"),
            (Self.falsePositive("V-1") + "," + Self.falsePositive("V-1"), "/matches/1"),
        ]
        for (body, pointer) in bad {
            let response = try setup.dispose(id, body)
            #expect(response.status == 422, "\(body): \(response.text)")
            #expect(response.header("content-type")?.hasPrefix("application/problem+json") == true)
            #expect(response.text.contains(pointer), "\(body) names \(pointer): \(response.text)")
        }
        #expect(try setup.dispose(id, key: setup.screen, Self.falsePositive("V-1")).status == 403, "dispositions need the review role")
        #expect(try setup.service.call("POST", "/decisions/dec_missing/dispositions", key: setup.reviewer,
                                       json: "{\"matches\": [\(Self.falsePositive("V-1"))]}").status == 404)
        #expect(try setup.chainLength() == before)
        #expect((try setup.service.call("GET", "/decisions/\(id)/dispositions", key: setup.auditor).json()["dispositions"] as? [Any])?.isEmpty == true)

        let resolved = try setup.dispose(id, Self.falsePositive("V-1"))
        #expect(resolved.status == 201, "\(resolved.text)")
        let review = try resolved.json()
        #expect(review["state"] as? String == "resolved")
        #expect((review["resolution"] as? [String: Any])?["outcome"] as? String == "clear")
        #expect((review["dispositions"] as? [[String: Any]])?.first?["reason"] as? String == "different_country")
        #expect(try setup.chainLength() == before + 2, "the disposition and the resolution are each a record in the chain")
        let verify = try setup.service.call("GET", "/audit/verify", key: setup.auditor).json()
        #expect(verify["valid"] as? Bool == true)
        #expect((try setup.queue()["reviews"] as? [[String: Any]])?.isEmpty == true)
        #expect((try setup.queue()["counts"] as? [String: Any])?["resolved"] as? Int == 1)
        #expect((try setup.queue("?state=resolved")["reviews"] as? [[String: Any]])?.count == 1)
        let again = try setup.dispose(id, Self.falsePositive("V-1"))
        #expect(again.status == 409, "a resolved decision takes no more dispositions: \(again.text)")
    }

    @Test(arguments: DatabaseBackend.all) func aTrueMatchResolvesToBlockAndSuppressesNothing(backend: DatabaseBackend) throws {
        let setup = try Reviewers(backend)
        let decision = try setup.screen(#"{"name": "Zenith Metals Trading", "counterpartyId": "cp-z"}"#)
        let id = try #require(decision["decisionId"] as? String)
        let response = try setup.dispose(id, #"{"list": "acme-denied", "entryId": "V-2", "disposition": "true_match", "note": "Same Dubai address"}"#)
        #expect(response.status == 201, "\(response.text)")
        #expect((try response.json()["resolution"] as? [String: Any])?["outcome"] as? String == "block")
        let next = try setup.screen(#"{"name": "Zenith Metals Trading", "counterpartyId": "cp-z"}"#)
        #expect(next["decision"] as? String == "review")
        #expect(Self.matches(next).allSatisfy { $0["suppressedBy"] == nil })
    }

    @Test(arguments: DatabaseBackend.all) func aFalsePositiveSuppressesTheSameSubjectUntilTheSubjectOrTheEntryChanges(backend: DatabaseBackend) throws {
        let setup = try Reviewers(backend)
        let first = try setup.screen(#"{"name": "Acme Shell Trading LLC", "counterpartyId": "cp-1", "country": "US"}"#)
        let disposed = try setup.dispose(try #require(first["decisionId"] as? String), Self.falsePositive("V-1"))
        let dispositionID = try #require((try disposed.json()["dispositions"] as? [[String: Any]])?.first?["dispositionId"] as? String)

        // The same counterparty again: the match is shown, suppressed, and the decision is clear.
        let again = try setup.screen(#"{"name": "Acme Shell Trading LLC", "counterpartyId": "cp-1", "country": "US", "reference": "PO-2"}"#)
        #expect(again["decision"] as? String == "clear", "\(again)")
        #expect(Self.matches(again).first?["suppressedBy"] as? String == dispositionID)
        #expect((try setup.queue()["reviews"] as? [[String: Any]])?.isEmpty == true, "a suppressed match is not queued again")
        // Replay reproduces the suppression.
        let replayed = try setup.replay(try #require(again["decisionId"] as? String))
        #expect(replayed["identical"] as? Bool == true, "\(replayed)")
        #expect(((replayed["replayed"] as? [String: Any])?["matches"] as? [[String: Any]])?.first?["suppressedBy"] as? String == dispositionID)

        // A changed subject (a new identifier, another country, an address) brings the match back; so does another subject.
        for changed in [
            #"{"name": "Acme Shell Trading LLC", "counterpartyId": "cp-1", "country": "US", "identifiers": [{"value": "EIN 12-3456789"}]}"#,
            #"{"name": "Acme Shell Trading LLC", "counterpartyId": "cp-1", "country": "PA"}"#,
            #"{"name": "Acme Shell Trading LLC", "counterpartyId": "cp-1", "country": "US", "address": "Calle 50, Panama City, Panama"}"#,
            #"{"name": "Acme Shell Trading LLC", "counterpartyId": "cp-other", "country": "US"}"#,
        ] {
            let decision = try setup.screen(changed)
            #expect(decision["decision"] as? String == "review", "\(changed)")
            #expect(Self.matches(decision).allSatisfy { $0["suppressedBy"] == nil })
        }

        // A changed entry (a new alias) brings it back too; the earlier suppressed decision still replays identically.
        let acmeWithAlias = #"{"id": "V-1", "name": "Acme Shell Trading LLC", "aliases": ["Acme Offshore"], "countries": ["PA"]}"#
        #expect(try setup.service.uploadRaw("acme-denied", query: "?format=clearance-json", data: Self.ownList("\(acmeWithAlias),\(Self.zenith)"),
                                            contentType: "application/json").status == 201)
        let afterChange = try setup.screen(#"{"name": "Acme Shell Trading LLC", "counterpartyId": "cp-1", "country": "US"}"#)
        #expect(afterChange["decision"] as? String == "review", "\(afterChange)")
        #expect(Self.matches(afterChange).allSatisfy { $0["suppressedBy"] == nil })
        #expect(try setup.replay(try #require(again["decisionId"] as? String))["identical"] as? Bool == true)
    }

    @Test(arguments: DatabaseBackend.all) func withoutACounterpartyTheNormalisedNameIsTheSubject(backend: DatabaseBackend) throws {
        let setup = try Reviewers(backend)
        let first = try setup.screen(#"{"name": "Zenith Metals Trading"}"#)
        #expect(try setup.dispose(try #require(first["decisionId"] as? String), Self.falsePositive("V-2", reason: "other", note: "Known domestic firm")).status == 201)
        let same = try setup.screen(#"{"name": "ZENITH  metals trading"}"#)
        #expect(same["decision"] as? String == "clear", "\(same)")
        let other = try setup.screen(#"{"name": "Zenith Metals Trading Co"}"#)
        #expect(other["decision"] as? String == "review", "another name is another subject: \(other)")
    }

    @Test(arguments: DatabaseBackend.all) func fourEyesHoldsAClearOfABlockingSourceUntilASecondPersonAgrees(backend: DatabaseBackend) throws {
        let setup = try Reviewers(backend)
        #expect(try setup.service.upload("ofac-sdn", query: "?format=ofac-csv", files: ScreenFixtures.sdnFiles).status == 201)
        var policy = try setup.service.call("GET", "/policy", key: setup.service.adminKey).json()["policy"] as? [String: Any] ?? [:]
        policy["fourEyesClearing"] = true
        let put = try setup.service.call("PUT", "/policy", key: setup.service.adminKey,
                                         json: String(decoding: try JSONSerialization.data(withJSONObject: policy), as: UTF8.self))
        #expect(put.status == 200, "\(put.text)")

        let decision = try setup.screen(#"{"name": "Banco Nacional de Cuba", "counterpartyId": "cp-bnc"}"#)
        #expect(decision["decision"] as? String == "block")
        let id = try #require(decision["decisionId"] as? String)
        let fp = #"{"list": "ofac-sdn", "entryId": "306", "disposition": "false_positive", "reason": "different_identifier", "note": "Different SWIFT code"}"#
        let first = try setup.dispose(id, fp)
        #expect(first.status == 201, "\(first.text)")
        #expect(try first.json()["state"] as? String == "awaiting_second_review")
        // Not yet a false positive: the next screen still blocks.
        #expect(try setup.screen(#"{"name": "Banco Nacional de Cuba", "counterpartyId": "cp-bnc"}"#)["decision"] as? String == "block")
        let same = try setup.dispose(id, fp)
        #expect(same.status == 409, "the same key cannot be its own second reviewer: \(same.text)")
        // Nor can the same person with another key (review and screen roles both).
        let firstOwner = try #require(try setup.ownerOfReviewer())
        let otherKeyOfFirst = try setup.service.createKey(["review", "screen"], owner: firstOwner)
        let sameHolder = try setup.dispose(id, key: otherKeyOfFirst, fp)
        #expect(sameHolder.status == 409, "one person's second key is not a second pair of eyes: \(sameHolder.text)")
        // And nobody reviews a decision they screened.
        let own = try setup.service.call("POST", "/screen", key: otherKeyOfFirst, json: #"{"name": "Banco Nacional de Cuba"}"#).json()
        let ownReview = try setup.dispose(try #require(own["decisionId"] as? String), key: otherKeyOfFirst, fp)
        #expect(ownReview.status == 403, "\(ownReview.text)")
        let second = try setup.dispose(id, key: setup.second, fp)
        #expect(second.status == 201, "\(second.text)")
        let review = try second.json()
        #expect(review["state"] as? String == "resolved" && (review["resolution"] as? [String: Any])?["outcome"] as? String == "clear")
        let states = (review["dispositions"] as? [[String: Any]])?.compactMap { $0["state"] as? String }
        #expect(states == ["confirmed", "final"])
        let after = try setup.screen(#"{"name": "Banco Nacional de Cuba", "counterpartyId": "cp-bnc"}"#)
        #expect(after["decision"] as? String == "clear", "\(after)")
    }

    @Test(arguments: DatabaseBackend.all) func aFalsePositiveExpiresAfterThePolicysDays(backend: DatabaseBackend) throws {
        let setup = try Reviewers(backend)
        var policy = try setup.service.call("GET", "/policy", key: setup.service.adminKey).json()["policy"] as? [String: Any] ?? [:]
        policy["falsePositiveExpiryDays"] = 0
        let refused = try setup.service.call("PUT", "/policy", key: setup.service.adminKey,
                                             json: String(decoding: try JSONSerialization.data(withJSONObject: policy), as: UTF8.self))
        #expect(refused.status == 422 && refused.text.contains("/falsePositiveExpiryDays"), "\(refused.text)")
        policy["falsePositiveExpiryDays"] = 30
        #expect(try setup.service.call("PUT", "/policy", key: setup.service.adminKey,
                                       json: String(decoding: try JSONSerialization.data(withJSONObject: policy), as: UTF8.self)).status == 200)
        let first = try setup.screen(#"{"name": "Zenith Metals Trading", "counterpartyId": "cp-z"}"#)
        #expect(try setup.dispose(try #require(first["decisionId"] as? String), Self.falsePositive("V-2")).status == 201)
        let later = try setup.screen(#"{"name": "Zenith Metals Trading", "counterpartyId": "cp-z"}"#)
        #expect(later["decision"] as? String == "clear")

        // The memory read as of 29 and 31 days on (no test waits a month).
        let matches = try JSONDecoder().decode([ScreenMatch].self, from: try JSONSerialization.data(withJSONObject: Self.matches(first)))
        let record = try JSONDecoder().decode(DecisionRecord.self, from: try JSONSerialization.data(withJSONObject: first))
        let current = try setup.service.app.policies.current().policy
        let request = ScreenRequest(name: "Zenith Metals Trading", counterpartyId: "cp-z")
        func suppressed(after days: Double) throws -> Bool {
            try setup.service.app.memory.apply(matches, subject: ScreenedSubject(request), listVersions: record.listVersions, policy: current,
                                               at: Date().addingTimeInterval(days * 86_400)).first?.suppressedBy != nil
        }
        #expect(try suppressed(after: 29))
        #expect(try !suppressed(after: 31))
    }
}
