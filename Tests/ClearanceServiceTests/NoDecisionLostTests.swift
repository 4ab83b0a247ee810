import Foundation
import Synchronization
import Testing
import TestSupport

/// Screens under concurrent load, kills the server with SIGKILL at a random moment, restarts it, and checks that
/// every decision a client received is in the trail and the chain verifies. Three rounds on one database.
@Suite(.serialized) struct NoDecisionLostTests {
    @Test func everyAnsweredDecisionSurvivesSIGKILL() throws {
        let folder = TestFolder.make("kill")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let db = folder.appendingPathComponent("db.sqlite").path
        let migrations = ServiceHarness.projectRoot.appendingPathComponent("migrations").path
        let cli = CommandLineTests()
        let paths = try ScreenFixtures.sdnFiles.map { file -> String in
            let url = folder.appendingPathComponent(file.name)
            try file.data.write(to: url)
            return url.path
        }
        #expect(try cli.run(["lists", "import", "--list", "ofac-sdn", "--format", "ofac-csv", "--database", db, "--migrations", migrations] + paths).status == 0)
        let key = try cli.run(["keys", "create", "--role", "screen", "--role", "audit", "--database", db, "--migrations", migrations]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let received = Mutex<[String]>([])
        for round in 0..<3 {
            let server = try ServeProcess(database: db, migrations: migrations)
            try waitReady(server.port)
            let stop = Atomic<Bool>(false)
            let port = server.port
            let clients = (0..<8).map { client in
                Thread {
                    var n = 0
                    while !stop.load(ordering: .relaxed) {
                        n += 1
                        guard let connection = try? RawHTTPClient(port: port, timeout: 2),
                              let response = try? connection.request("POST", "/screen", headers: ["Authorization": "Bearer \(key)"],
                                                                     body: #"{"name": "Banco Nacional de Cuba \#(n)", "reference": "r\#(round)-c\#(client)-\#(n)"}"#),
                              response.status == 200, let id = try? response.json()["decisionId"] as? String
                        else { continue }
                        received.withLock { $0.append(id) }
                    }
                }
            }
            clients.forEach { $0.start() }
            Thread.sleep(forTimeInterval: Double.random(in: 0.4...1.2))
            server.kill()
            stop.store(true, ordering: .relaxed)
            Thread.sleep(forTimeInterval: 0.3)
        }
        let ids = received.withLock { $0 }
        #expect(ids.count > 50, "the load produced answers (\(ids.count))")
        let server = try ServeProcess(database: db, migrations: migrations)
        try waitReady(server.port)
        let client = try RawHTTPClient(port: server.port)
        var missing: [String] = []
        for id in ids where try client.request("GET", "/decisions/\(id)", headers: ["Authorization": "Bearer \(key)"]).status != 200 {
            missing.append(id)
        }
        #expect(missing.isEmpty, "answered but not in the trail: \(missing.prefix(5))")
        let verified = try client.request("GET", "/audit/verify", headers: ["Authorization": "Bearer \(key)"]).json()
        #expect(verified["valid"] as? Bool == true)
        #expect((verified["checked"] as? Int ?? 0) >= ids.count)
        _ = server.terminate()
    }

    func waitReady(_ port: Int) throws {
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if let response = try? RawHTTPClient(port: port, timeout: 1).request("GET", "/readyz"), response.status == 200 { return }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw ServeProcessError("the server did not become ready")
    }
}
