import Foundation
import Testing
import TestSupport

/// What a decision rests on, against the real OFAC SDN list (2021): identifiers that find an entry by themselves,
/// no block on a common name alone, the caller's type as evidence.
@Suite(.enabled(if: SharedListFiles.available, "../shared/lists is not present beside the project"), .serialized)
struct EvidenceTests {
    /// One service for the suite (the tests only screen): the SDN upload is its slow part.
    nonisolated(unsafe) static let shared = Result { () throws -> (ServiceHarness, String) in
        let service = try ServiceHarness()
        guard try service.upload("ofac-sdn", query: "?format=ofac-csv", files: try SharedListFiles.files("ofac-sdn-2021")).status == 201 else {
            throw ServeProcessError("the SDN upload failed")
        }
        return (service, try service.createKey(["screen"]))
    }

    static func service() throws -> (ServiceHarness, String) { try shared.get() }

    static func screen(_ service: ServiceHarness, _ key: String, _ json: String) throws -> [String: Any] {
        let response = try service.call("POST", "/screen", key: key, json: json)
        #expect(response.status == 200, "\(response.text)")
        return try response.json()
    }

    static func top(_ record: [String: Any]) -> [String: Any] { (record["matches"] as? [[String: Any]])?.first ?? [:] }

    static func evidence(_ match: [String: Any]) -> [[String: Any]] {
        (match["explanation"] as? [String: Any])?["evidence"] as? [[String: Any]] ?? []
    }

    @Test func aRenamedVesselIsFoundByItsIMONumber() throws {
        let (service, key) = try Self.service()
        // 9187655 is the SDN tanker ARK; OFAC writes it in remarks as "Vessel Registration Identification IMO 9187655".
        let renamed = try Self.screen(service, key, #"{"name": "MV Blue Star", "type": "vessel", "identifiers": [{"type": "IMO", "value": "9187655"}]}"#)
        #expect(renamed["decision"] as? String == "block")
        let match = Self.top(renamed)
        #expect(match["name"] as? String == "ARK")
        #expect(Self.evidence(match).contains { ($0["detail"] as? String)?.contains("under another name") == true })
        // The same number with a wrong check digit is nobody's.
        let typo = try Self.screen(service, key, #"{"name": "MV Blue Star", "type": "vessel", "identifiers": [{"type": "IMO", "value": "9187656"}]}"#)
        #expect(typo["decision"] as? String == "clear")
    }

    @Test func aCommonNameAloneIsReviewedAndBlockedOnceADateOfBirthMatches() throws {
        let (service, key) = try Self.service()
        for name in ["Mohammed Ali", "Ali Hassan", "Abdul Rahman", "Zhang Wei", "Sergei Ivanov"] {
            let record = try Self.screen(service, key, "{\"name\": \"\(name)\"}")
            #expect(record["decision"] as? String != "block", "\(name) is not blocked on its name alone")
            let reasons = (record["matches"] as? [[String: Any]] ?? []).compactMap { $0["blockWithheld"] as? String }
            #expect(reasons.contains { $0.contains("common name") || $0.contains("weak alias") }, "\(name): the review says why")
        }
        // A listed person with a common name, screened with the listed date of birth, is blocked.
        let named = try Self.screen(service, key, #"{"name": "Sergei Ivanov", "type": "person"}"#)
        let entry = try #require((named["matches"] as? [[String: Any]])?.first { $0["score"] as? Double == 1 })
        let listed = try service.call("GET", "/lists/ofac-sdn/entries/\(try #require(entry["entryId"] as? String))", key: service.adminKey).json()
        let born = try #require(((listed["entry"] as? [String: Any])?["datesOfBirth"] as? [String])?.first)
        let date = try #require(Self.isoDate(born))
        let corroborated = try Self.screen(service, key, "{\"name\": \"Sergei Ivanov\", \"type\": \"person\", \"dateOfBirth\": \"\(date)\"}")
        #expect(corroborated["decision"] as? String == "block", "born \(born)")
        #expect(Self.top(corroborated)["blockWithheld"] == nil)
        // A distinctive name blocks on its own.
        #expect(try Self.screen(service, key, #"{"name": "Emiro del Carmen Ropero Suarez"}"#)["decision"] as? String == "block")
    }

    /// A block needs positive evidence and nothing against it: each of these innocent suppliers matches an SDN entry
    /// by name well enough to be reviewed, and none is blocked.
    @Test(arguments: [
        (#"{"name": "Carvana Co.", "type": "organization", "country": "US"}"#, "CARVANA COMPANY", "evidence against"),
        (#"{"name": "GLG Corp Ltd", "type": "organization", "country": "SG"}"#, "G.L.G. S.A.", "evidence against"),
        (#"{"name": "GLG Corp Ltd", "type": "organization"}"#, "G.L.G. S.A.", "legal forms are of different legal systems"),
        (#"{"name": "Guoping Wang", "type": "person"}"#, "WANG, Guoying", "not the listed name exactly"),
    ])
    func aBlockNeedsPositiveEvidenceAndNothingAgainstIt(body: String, listed: String, reason: String) throws {
        let (service, key) = try Self.service()
        let record = try Self.screen(service, key, body)
        #expect(record["decision"] as? String != "block")
        let matches = record["matches"] as? [[String: Any]] ?? []
        if let match = matches.first(where: { $0["name"] as? String == listed }) {
            #expect((match["blockWithheld"] as? String)?.contains(reason) == true, "\(match["blockWithheld"] ?? "none")")
        }
    }

    @Test func aWrongTypeLowersAnExactMatchInsteadOfHidingIt() throws {
        let (service, key) = try Self.service()
        let record = try Self.screen(service, key, #"{"name": "Banco Nacional de Cuba", "type": "person"}"#)
        #expect(record["decision"] as? String == "review")
        let match = Self.top(record)
        #expect(match["entryId"] as? String == "306")
        #expect(Self.evidence(match).contains { $0["kind"] as? String == "type" && $0["effect"] as? Double == -0.12 })
        #expect(try Self.screen(service, key, #"{"name": "Banco Nacional de Cuba", "type": "organization"}"#)["decision"] as? String == "block")
    }

    @Test func anAddressIsEvidenceByItsPlacesAndItsCountry() throws {
        let (service, key) = try Self.service()
        // BANCO NACIONAL DE CUBA's listed address: Zweierstrasse 35, Zurich CH-8022, Switzerland.
        let there = Self.top(try Self.screen(service, key, #"{"name": "Banco Nacional de Cuba", "address": "Zweierstrasse 35, 8022 Zurich, Switzerland"}"#))
        #expect(Self.evidence(there).contains { $0["kind"] as? String == "address" && ($0["detail"] as? String)?.contains("zurich") == true })
        #expect(Self.evidence(there).contains { $0["kind"] as? String == "country" && ($0["effect"] as? Double ?? 0) > 0 }, "Switzerland read as the country")
        let elsewhere = Self.top(try Self.screen(service, key, #"{"name": "Banco Nacional de Cuba", "address": "1 Harbour Road, Wellington, New Zealand"}"#))
        #expect(!Self.evidence(elsewhere).contains { $0["kind"] as? String == "address" })
        #expect(Self.evidence(elsewhere).contains { $0["kind"] as? String == "country" && ($0["effect"] as? Double ?? 0) < 0 })
    }

    /// OFAC's `12 Jan 1958`, `1958` or `circa 1958` as the API's `YYYY-MM-DD` or `YYYY`.
    static func isoDate(_ text: String) -> String? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "dd MMM yyyy"
        if let date = formatter.date(from: text) {
            formatter.dateFormat = "yyyy-MM-dd"
            return formatter.string(from: date)
        }
        return text.split(separator: " ").last.map(String.init).flatMap { $0.count == 4 && Int($0) != nil ? $0 : nil }
    }
}
