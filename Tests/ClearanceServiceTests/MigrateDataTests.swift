import Foundation
import Testing
import TestSupport

/// `clearance migrate-data`: an SQLite deployment moved into PostgreSQL keeps its keys, lists, policy and audit
/// trail, and the service on PostgreSQL answers as the one on SQLite did.
struct MigrateDataTests {
    @Test(.enabled(if: ReplicaTests.postgres, "needs PostgreSQL (swift test --traits PostgreSQL, with Debian's postgresql installed)"))
    func anSQLiteDeploymentMovesIntoPostgreSQLWithItsChainIntact() throws {
        let executable = try #require(CommandLineTests.executable, "build the clearance executable first")
        let url = try PostgresCluster.shared.get().createDatabase()
        // The SQLite deployment, in a folder of the test's so that it outlives the service.
        let folder = TestFolder.make("sqlite-deployment")
        let sqlitePath = folder.appendingPathComponent("clearance.sqlite").path
        var adminKey = "", screenKey = ""
        var decisionIDs: [String] = []
        var chainLength = 0
        do {
            let service = try ServiceHarness(directory: folder)
            adminKey = service.adminKey
            screenKey = try service.createKey(["screen", "audit"])
            _ = try service.upload("us-csl", query: "?format=csl-csv", files: [("consolidated.csv", Data(ScreenFixtures.csl.utf8))])
            _ = try service.upload("ofac-sdn", query: "?format=ofac-csv", files: ScreenFixtures.sdnFiles)
            for name in ["Hikvision", "Banco Nacional de Cuba", "Acme Trading"] {
                let decision = try service.call("POST", "/screen", key: screenKey, json: #"{"name": "\#(name)", "reference": "po-\#(name.count)"}"#).json()
                decisionIDs.append(try #require(decision["decisionId"] as? String))
            }
            #expect(try service.call("POST", "/audit/checkpoints", key: adminKey).status == 201)
            chainLength = try service.call("GET", "/audit/verify", key: screenKey).json()["checked"] as? Int ?? 0
        }
        do {
            // The service has stopped: the copy runs against a database nothing writes to.
            let copy = try ChildProcess.run([executable.path, "migrate-data", "--from", sqlitePath, "--to", url], timeout: 120)
            #expect(copy.status == 0, "\(copy.output)")
            #expect(copy.output.contains("OK: \(chainLength) audit records copied and verified"), "\(copy.output)")
            // A second copy into the same database is refused: trails are never merged.
            let again = try ChildProcess.run([executable.path, "migrate-data", "--from", sqlitePath, "--to", url], timeout: 60)
            #expect(again.status != 0 && again.output.contains("copy into an empty database"), "\(again.output)")
        }

        let moved = try ServiceHarness(database: url)
        #expect(try moved.call("GET", "/audit/verify", key: screenKey).json()["checked"] as? Int == chainLength)
        for id in decisionIDs { #expect(try moved.call("GET", "/decisions/\(id)", key: screenKey).status == 200) }
        let found = try moved.call("GET", "/decisions?q=hikvision", key: screenKey).json()["decisions"] as? [[String: Any]]
        #expect(found?.count == 1)
        // Lists and keys came along: the same screen gets the same outcome, under the same keys.
        let screened = try moved.call("POST", "/screen", key: screenKey, json: #"{"name": "Hikvision"}"#).json()
        #expect(screened["decision"] as? String == "review")
        #expect(try moved.call("GET", "/keys", key: adminKey).status == 200)
        // Identities continue after the copied rows: a new checkpoint is numbered after the copied one.
        #expect(try moved.call("POST", "/audit/checkpoints", key: adminKey).json()["id"] as? Int == 2)
    }
}
