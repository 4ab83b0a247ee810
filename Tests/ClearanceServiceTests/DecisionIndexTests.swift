import Foundation
import ClearanceService
import Store
import Testing
import TestSupport

/// The decision search index is written behind the chain (see `AuditTrail`): these tests hold it to what readers
/// need, that an answered decision is found at once, and that a backlog a process never indexed is recovered.
@Suite struct DecisionIndexTests {
    /// An index that would otherwise wait an hour, so only a reader's sync or a restart can fill it.
    static func lazyIndex(_ configuration: inout ServiceConfiguration) {
        configuration.decisionIndexBatch = 1_000_000
        configuration.decisionIndexDelay = 3600
    }

    /// A service with a list to screen against.
    func service(_ configure: (inout ServiceConfiguration) -> Void) throws -> ServiceHarness {
        let service = try ServiceHarness(configure: configure)
        _ = try service.upload("us-csl", query: "?format=csl-csv", files: [("consolidated.csv", Data(ScreenFixtures.csl.utf8))])
        service.app.waitUntilReady(timeout: 10)
        return service
    }

    func indexed(_ service: ServiceHarness) throws -> Int {
        try SQLDecisionStore(database: service.app.database).count()
    }

    func screen(_ service: ServiceHarness, _ key: String, _ reference: String) throws -> String {
        let body = try service.call("POST", "/screen", key: key, json: #"{"name": "Hikvision", "reference": "\#(reference)"}"#).json()
        return body["decisionId"] as? String ?? ""
    }

    @Test func answeredDecisionsAreFoundAtOnceThoughTheIndexTrailsTheChain() throws {
        let service = try service(Self.lazyIndex)
        let key = try service.createKey(["screen", "audit"])
        let ids = try (0..<5).map { try screen(service, key, "PO-\($0)") }
        #expect(try indexed(service) == 0, "nothing indexed yet: the decisions are only in the chain")
        let page = try service.call("GET", "/decisions?reference=PO-3", key: key).json()
        #expect((page["decisions"] as? [[String: Any]])?.compactMap { $0["decisionId"] as? String } == [ids[3]])
        #expect(try indexed(service) == 5)
        #expect(try service.call("GET", "/decisions/\(try screen(service, key, "PO-5"))", key: key).status == 200)
    }

    @Test func withoutReadersTheIndexFollowsWithinItsDelay() throws {
        let service = try service { $0.decisionIndexDelay = 0.05 }
        let key = try service.createKey(["screen"])
        for i in 0..<3 { _ = try screen(service, key, "LATE-\(i)") }
        let deadline = Date().addingTimeInterval(10)
        while try indexed(service) < 3, Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        #expect(try indexed(service) == 3)
    }

    @Test func aFailingIndexStopsNoDecisionAndIsRebuiltFromTheChain() throws {
        let service = try service { $0.decisionIndexBatch = 1 }
        let key = try service.createKey(["screen", "audit"])
        let raw = try SQLiteConnection(path: service.app.configuration.databasePath)
        try raw.execute("CREATE TRIGGER fail_index BEFORE INSERT ON decisions BEGIN SELECT RAISE(ABORT, 'index disk on fire'); END;")
        let ids = try (0..<4).map { try screen(service, key, "FAIL-\($0)") }
        #expect(ids.allSatisfy { !$0.isEmpty }, "screening answers while the index cannot be written")
        #expect(try raw.first("SELECT count(*) FROM audit_log WHERE kind = 'decision'") { $0.int(0) } == 4)
        let behind = try service.call("GET", "/decisions", key: key)
        #expect(behind.status == 503, "a reader is told the index is behind rather than shown a partial history")
        try raw.execute("DROP TRIGGER fail_index")
        let page = try service.call("GET", "/decisions?order=oldest", key: key).json()
        #expect((page["decisions"] as? [[String: Any]])?.compactMap { $0["decisionId"] as? String } == ids)
    }

    @Test func decisionsCommittedWhileTheIndexFailedAreIndexedOnceItRecovers() throws {
        let service = try service { $0.decisionIndexBatch = 1 }
        let key = try service.createKey(["screen", "audit"])
        let raw = try SQLiteConnection(path: service.app.configuration.databasePath)
        try raw.execute("CREATE TRIGGER fail_index BEFORE INSERT ON decisions BEGIN SELECT RAISE(ABORT, 'index disk on fire'); END;")
        var ids = try (0..<2).map { try screen(service, key, "GAP-\($0)") }
        try raw.execute("DROP TRIGGER fail_index")
        // The index recovers before any reader asks; the decisions from the failure must not be left out below it.
        ids += try (2..<5).map { try screen(service, key, "GAP-\($0)") }
        let page = try service.call("GET", "/decisions?order=oldest", key: key).json()
        #expect((page["decisions"] as? [[String: Any]])?.compactMap { $0["decisionId"] as? String } == ids)
    }

    @Test func aBacklogLostWithItsProcessIsIndexedFromTheChain() throws {
        let first = try service(Self.lazyIndex)
        let key = try first.createKey(["screen", "audit"])
        let ids = try (0..<7).map { try screen(first, key, "INV-\($0)") }
        #expect(try indexed(first) == 0)
        // A second service over the same file stands in for the restart after a crash: the first never indexes.
        let second = try ServiceHarness(directory: first.directory)
        let everything = try second.call("GET", "/decisions?limit=100&order=oldest", key: key).json()
        #expect((everything["decisions"] as? [[String: Any]])?.compactMap { $0["decisionId"] as? String } == ids)
        let search = try second.call("GET", "/decisions?q=hikvision&reference=INV-6", key: key).json()
        #expect((search["decisions"] as? [[String: Any]])?.count == 1)
        // The first process's own sync later finds them indexed and does not add them twice.
        #expect(try first.call("GET", "/decisions?limit=100", key: key).json()["decisions"].map { ($0 as? [Any])?.count } == 7)
        #expect(try indexed(first) == 7)
        #expect(try second.call("GET", "/audit/verify", key: key).json()["valid"] as? Bool == true)
    }
}
