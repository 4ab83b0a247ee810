import Foundation
import Testing
import TestSupport

/// What a buyer may not buy, over HTTP against a live service on a fresh database: the built-in FCC Covered List and
/// DoD 1260H list installed offline, their consequences under each policy profile, relations across lists, the
/// 2025 to 2026 1260H editions, and owners under the 50 percent rule.
@Suite(.serialized)
struct ProcurementTests {
    /// A service that installs the built-in lists (as `clearance serve` does), beside the small SDN and CSL fixtures.
    static func service(_ backend: DatabaseBackend = .sqlite) throws -> (ServiceHarness, String) {
        let service = try ServiceHarness(backend: backend) { $0.builtInLists = true }
        #expect(try service.upload("ofac-sdn", query: "?format=ofac-csv", files: ScreenFixtures.sdnFiles).status == 201)
        #expect(try service.upload("us-csl", query: "?format=csl-csv", files: [("consolidated.csv", Data(ScreenFixtures.csl.utf8))]).status == 201)
        return (service, try service.createKey(["screen", "audit"]))
    }

    static func screen(_ service: ServiceHarness, _ key: String, _ body: String) throws -> [String: Any] {
        let response = try service.call("POST", "/screen", key: key, json: body)
        #expect(response.status == 200, "\(response.text)")
        return try response.json()
    }

    static func matches(_ decision: [String: Any]) -> [[String: Any]] { decision["matches"] as? [[String: Any]] ?? [] }

    static func setProfile(_ service: ServiceHarness, _ profile: String) throws {
        let response = try service.call("PUT", "/policy", key: service.adminKey, json: "{\"profile\":\"\(profile)\"}")
        #expect(response.status == 200, "\(response.text)")
        #expect((try response.json()["policy"] as? [String: Any])?["profile"] as? String == profile)
    }

    static let section889 = "US federal procurement and contractor use prohibited (NDAA FY2019 s.889; FAR 52.204-25)"

    @Test(arguments: DatabaseBackend.all) func theBuiltInListsAreActiveWithTheirEditionsOnAFreshDatabaseOffline(backend: DatabaseBackend) throws {
        let (service, _) = try Self.service(backend)
        let lists = try service.call("GET", "/lists", key: service.adminKey).json()["lists"] as? [[String: Any]] ?? []
        let byID = Dictionary(uniqueKeysWithValues: lists.map { ($0["id"] as? String ?? "", $0) })
        #expect(byID["us-fcc-covered"]?["edition"] as? String == "2026-07-28")
        #expect(byID["us-dod-1260h"]?["edition"] as? String == "2026-06-08")
        #expect(byID["us-fcc-covered"]?["format"] as? String == "clearance-editions")
        let versions = try service.call("GET", "/lists/us-dod-1260h/versions", key: service.adminKey).json()["versions"] as? [[String: Any]] ?? []
        #expect(versions.compactMap { $0["edition"] as? String } == ["2021-06-03", "2022-10-05", "2024-01-31", "2025-01-07", "2026-06-08"])
        #expect(versions.allSatisfy { $0["source"] as? String == "built-in" })
        // The editions' sizes as the DoD published them (47, 60, 73, 133 and 188), plus the companies each names only
        // as parents (1, 3, 1, 1 and 1).
        #expect(versions.compactMap { $0["entryCount"] as? Int } == [48, 63, 74, 134, 189])
        // Another process starting on the same database (a restart, a replica) installs nothing twice.
        let replica = try ServiceHarness(backend: backend, database: service.database) { $0.builtInLists = true }
        let after = try replica.call("GET", "/lists/us-dod-1260h/versions", key: service.adminKey).json()["versions"] as? [[String: Any]] ?? []
        #expect(after.count == 5)
    }

    @Test func sectionEightEightNineIsNamedAndBlocksOnlyWhereTheProfileSaysSo() throws {
        let (service, key) = try Self.service()
        let covered = ["Zhejiang Dahua Technology Co., Ltd.", "Hytera Communications Corporation Limited", "Hangzhou Hikvision Digital Technology Co., Ltd.",
                       "Huawei Technologies Co., Ltd."]
        for name in covered {
            let decision = try Self.screen(service, key, "{\"name\":\"\(name)\"}")
            #expect(decision["decision"] as? String == "review", "the cautious default: \(name)")
            #expect(decision["policyProfile"] as? String == "commercial")
            #expect(Self.matches(decision).contains { ($0["consequence"] as? String)?.hasPrefix(Self.section889) == true }, "\(name)")
        }
        // The Entity List restricts exports to Hikvision; it does not forbid buying from it, and says so.
        let hikvision = try Self.screen(service, key, #"{"name":"Hangzhou Hikvision Digital Technology Co., Ltd."}"#)
        let entityList = try #require(Self.matches(hikvision).first { ($0["sourceLists"] as? [String])?.contains { $0.contains("Entity List") } == true })
        #expect((entityList["consequence"] as? String)?.contains("buying from the party is not prohibited") == true)
        let dod = try #require(Self.matches(hikvision).first { $0["list"] as? String == "us-dod-1260h" })
        #expect((dod["consequence"] as? String)?.contains("DoD contracting prohibited from 30 June 2026 (NDAA FY2024 s.805") == true)

        try Self.setProfile(service, "us-federal-contractor")
        for name in covered {
            let decision = try Self.screen(service, key, "{\"name\":\"\(name)\"}")
            #expect(decision["decision"] as? String == "block", "\(name)")
            #expect(decision["policyProfile"] as? String == "us-federal-contractor")
        }
        // A federal contractor is not bound by 1260H alone; a DoD supplier is.
        let only1260H = #"{"name":"Alibaba Group Holding Limited"}"#
        #expect(try Self.screen(service, key, only1260H)["decision"] as? String == "review")
        try Self.setProfile(service, "dod-supplier")
        #expect(try Self.screen(service, key, only1260H)["decision"] as? String == "block")
        // An unknown profile is refused, naming the member.
        let refused = try service.call("PUT", "/policy", key: service.adminKey, json: #"{"profile":"everyone"}"#)
        #expect(refused.status == 422 && refused.text.contains("/profile") && refused.text.contains("us-federal-contractor"), "\(refused.text)")
    }

    @Test func aSubsidiaryOfACoveredEntityCarriesTheRelationAndItsConsequence() throws {
        let (service, key) = try Self.service()
        let decision = try Self.screen(service, key, #"{"name":"Chengdu Dahua Wisdom Information Technology Co., Ltd."}"#)
        let match = try #require(Self.matches(decision).first { $0["list"] as? String == "us-dod-1260h" })
        let relations = match["relations"] as? [[String: Any]] ?? []
        let parent = try #require(relations.first { $0["list"] as? String == "us-fcc-covered" })
        #expect(parent["relation"] as? String == "parent" && parent["statedAs"] as? String == "Parent company")
        #expect(parent["summary"] as? String == "a subsidiary of Zhejiang Dahua Technology Co., Ltd. (us-fcc-covered), a section 889 covered entity")
        #expect((match["consequence"] as? String)?.hasPrefix(Self.section889) == true)
        #expect(match["outcome"] as? String == "review")
        try Self.setProfile(service, "us-federal-contractor")
        #expect(try Self.screen(service, key, #"{"name":"Chengdu Dahua Wisdom Information Technology Co., Ltd."}"#)["decision"] as? String == "block")

        // A company the 2026 edition names only as a parent is reported as that, not as listed.
        let parentOnly = try Self.screen(service, key, #"{"name":"Shenzhen DJI Innovation Technology Co., Ltd."}"#)
        let named = try #require(Self.matches(parentOnly).first { ($0["programs"] as? [String]) == ["DoD 1260H parent (not itself listed)"] })
        #expect((named["consequence"] as? String)?.hasPrefix("Not itself on the 1260H list") == true)
        #expect((named["relations"] as? [[String: Any]])?.contains { $0["relation"] as? String == "subsidiary" } == true)
    }

    @Test func theTwentyTwentySixEditionAddsAndRemovesAndAlertsWhoItNames() throws {
        let (service, key) = try Self.service()
        let diff = try service.call("GET", "/lists/us-dod-1260h/versions/5/diff?limit=500", key: service.adminKey).json()
        let changes = diff["changes"] as? [[String: Any]] ?? []
        let added = Set(changes.filter { $0["change"] as? String == "added" }.compactMap { $0["entryId"] as? String })
        let removed = Set(changes.filter { $0["change"] as? String == "removed" }.compactMap { $0["entryId"] as? String })
        #expect(added.contains("1260h-alibaba-group-holding-limited"))
        #expect(removed.contains("1260h-shenzhen-dji-innovation-technology-co-ltd"), "DJI left the list (named as a parent since)")
        // `Addsino Co. Ltd.` (2025) and `Addsino Co., Ltd.` (2026) are one entry, neither removed nor added.
        #expect(!added.union(removed).contains { $0.contains("addsino") })
        #expect(diff["summary"] as? [String: Int] == ["added": 71, "removed": 16, "changed": 0])

        // Back to the 2025 edition: Alibaba screens clear, and the 2026 edition alerts it.
        #expect(try service.call("POST", "/lists/us-dod-1260h/versions/4/activate", key: service.adminKey).status == 200)
        _ = try ContinuousScreeningTests.rescreens(service, "us-dod-1260h", 4)
        let before = try Self.screen(service, key, #"{"name":"Alibaba Group Holding Limited","counterpartyId":"sup-alibaba"}"#)
        #expect(before["decision"] as? String == "clear")
        #expect(try service.call("POST", "/lists/us-dod-1260h/versions/5/activate", key: service.adminKey).status == 200)
        _ = try ContinuousScreeningTests.rescreens(service, "us-dod-1260h", 5)
        let alert = try #require(try ContinuousScreeningTests.alerts(service).first { $0["counterpartyId"] as? String == "sup-alibaba" })
        #expect(alert["previousDecision"] as? String == "clear" && alert["decision"] as? String == "review")
        #expect((alert["newlyMatched"] as? [[String: Any]])?.first?["entryId"] as? String == "1260h-alibaba-group-holding-limited")
    }

    static func owners(_ first: Int, _ second: Int) -> String {
        """
        {"name":"Northwind Components Ltd","type":"organization","owners":[
          {"name":"BANCO NACIONAL DE CUBA","type":"organization","sharePercent":\(first)},
          {"name":"Emiro del Carmen Ropero Suarez","type":"person","dateOfBirth":"1960-01-02","sharePercent":\(second)},
          {"name":"Maria Jensen","type":"person","sharePercent":45}]}
        """
    }

    @Test func ownersAreAddedUpUnderTheFiftyPercentRule() throws {
        let (service, key) = try Self.service()
        let blocked = try Self.screen(service, key, Self.owners(30, 25))
        #expect(blocked["decision"] as? String == "block")
        let ownership = try #require(blocked["ownership"] as? [String: Any])
        #expect(ownership["outcome"] as? String == "block" && ownership["blockedSharePercent"] as? Double == 55)
        let explanation = ownership["explanation"] as? String ?? ""
        #expect(explanation.contains("30% (BANCO NACIONAL DE CUBA) + 25% (Emiro del Carmen Ropero Suarez) = 55%"), "\(explanation)")
        let screened = ownership["owners"] as? [[String: Any]] ?? []
        #expect(screened.map { $0["decision"] as? String } == ["block", "block", "clear"])
        #expect((screened[0]["matches"] as? [[String: Any]])?.first?["entryId"] as? String == "306")

        let minority = try Self.screen(service, key, Self.owners(30, 10))
        #expect(minority["decision"] as? String == "review")
        #expect(((minority["ownership"] as? [String: Any])?["explanation"] as? String)?.contains("= 40% in aggregate, under 50%") == true)

        // Bad owners are refused, naming the member; nothing is recorded.
        for (body, pointer) in [(Self.owners(130, 10), "/owners/0/sharePercent"), (Self.owners(60, 50), "/owners"),
                                (#"{"name":"X","owners":[{"name":" "}]}"#, "/owners/0/name")] {
            let response = try service.call("POST", "/screen", key: key, json: body)
            let problem = try response.json()
            #expect(response.status == 422 && problem["pointer"] as? String == pointer, "\(response.text)")
        }
    }

    @Test func aCounterpartyIsAlertedWhenAnOwnerIsNewlyListed() throws {
        let service = try ServiceHarness()
        #expect(try service.upload("ofac-sdn", query: "?format=ofac-csv", files: ListFixtures.v1).status == 201)
        let key = try service.createKey(["screen"])
        let body = #"{"name":"Harbour Logistics BV","counterpartyId":"cp-harbour","owners":[{"name":"New Shipping Co","sharePercent":60}]}"#
        #expect(try Self.screen(service, key, body)["decision"] as? String == "clear")
        // Version 2 lists NEW SHIPPING CO.
        #expect(try service.upload("ofac-sdn", files: ListFixtures.v2).status == 201)
        _ = try ContinuousScreeningTests.rescreens(service, "ofac-sdn", 2)
        let alert = try #require(try ContinuousScreeningTests.alerts(service).first { $0["counterpartyId"] as? String == "cp-harbour" })
        #expect(alert["previousDecision"] as? String == "clear" && alert["decision"] as? String == "block")
    }

    @Test func anEditionsFileNamingAnUnknownEditionIsRefusedWhole() throws {
        let (service, _) = try Self.service()
        let bad = #"{"list":"x","title":"t","authority":"a","sourceList":"s","editions":[{"edition":"2026-01-01","title":"t"}],"#
            + #""entries":[{"id":"a","name":"Alpha Co","editions":["2026-01-01"]},{"id":"b","name":"Beta Co","editions":["2027-01-01"]}]}"#
        let response = try service.uploadRaw("us-fcc-covered", query: "", data: Data(bad.utf8), contentType: "application/json")
        #expect(response.status == 422 && response.text.contains("/entries/1/editions/0"), "\(response.text)")
        let versions = try service.call("GET", "/lists/us-fcc-covered/versions", key: service.adminKey).json()["versions"] as? [[String: Any]] ?? []
        #expect(versions.count == 8, "no partial version")
    }

    /// An editions file of one own list: `Orion Freight FZE` in the first edition; the second adds its parent,
    /// a section 889 covered entity stating the subsidiary by name.
    static let groupList = #"""
        {"list":"group-watch","title":"Group watch","authority":"Compliance","sourceList":"Group watch",
         "editions":[{"edition":"2026-01-01","title":"first"},{"edition":"2026-02-01","title":"second"}],
         "entries":[
          {"id":"orion","name":"Orion Freight FZE","programs":["Group watch"],"editions":["2026-01-01","2026-02-01"]},
          {"id":"orion-holdings","name":"Orion Holdings Group","programs":["NDAA FY2019 s.889 covered entity"],
           "relations":[{"type":"Subsidiary","name":"Orion Freight FZE"}],"editions":["2026-02-01"]}]}
        """#

    @Test func aParentNewlyListedAlertsTheCounterpartiesMatchingItsSubsidiaries() throws {
        let service = try ServiceHarness()
        let key = try service.createKey(["screen"])
        func upload(_ edition: String) throws -> Int {
            let body = Self.groupList.replacingOccurrences(of: #""entries":["#, with: #""edition":"\#(edition)","entries":["#)
            return try service.uploadRaw("group-watch", query: "?format=clearance-editions", data: Data(body.utf8), contentType: "application/json").status
        }
        #expect(try upload("2026-01-01") == 201)
        let first = try Self.screen(service, key, #"{"name":"Orion Freight FZE","counterpartyId":"cp-orion"}"#)
        #expect(first["decision"] as? String == "review" && Self.matches(first).first?["relations"] == nil)
        #expect(try upload("2026-02-01") == 201)
        _ = try ContinuousScreeningTests.rescreens(service, "group-watch", 2)
        let alert = try #require(try ContinuousScreeningTests.alerts(service).first { $0["counterpartyId"] as? String == "cp-orion" })
        #expect((alert["newlyMatched"] as? [[String: Any]])?.contains { $0["entryId"] as? String == "orion-holdings" } == true, "\(alert)")
        let now = try Self.screen(service, key, #"{"name":"Orion Freight FZE"}"#)
        let match = try #require(Self.matches(now).first { $0["entryId"] as? String == "orion" })
        #expect((match["consequence"] as? String)?.hasPrefix(Self.section889) == true)
        #expect((match["relations"] as? [[String: Any]])?.first?["summary"] as? String
            == "a subsidiary of Orion Holdings Group (group-watch), a section 889 covered entity")
    }
}
