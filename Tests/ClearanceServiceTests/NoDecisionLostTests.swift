import Foundation
import Synchronization
import Testing
import TestSupport

/// Screens under concurrent load, kills the server with SIGKILL at a random moment, restarts it, and checks that
/// every decision a client received is in the trail and the chain verifies. Three rounds on one database.
@Suite(.serialized) struct NoDecisionLostTests {
    @Test func everyAnsweredDecisionSurvivesSIGKILL() throws {
        let (folder, db) = try Self.freshDatabase("kill")
        let paths = try ScreenFixtures.sdnFiles.map { file -> String in
            let url = folder.appendingPathComponent(file.name)
            try file.data.write(to: url)
            return url.path
        }
        #expect(try cli.run(["lists", "import", "--list", "ofac-sdn", "--format", "ofac-csv", "--database", db] + paths).status == 0)
        let key = try cli.run(["keys", "create", "--role", "screen", "--role", "audit", "--database", db]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let received = Mutex<[String]>([])
        for round in 0..<3 {
            let server = try ServeProcess(database: db)
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
        let server = try ServeProcess(database: db)
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

    /// Batches and activations under SIGKILL: a batch is recorded whole or not at all (every decision of an
    /// answered batch is there; a batch in flight left all of its decisions or none), and the active version after
    /// the restart is the one the last recorded activation names.
    @Test func batchesAndActivationsAreAllOrNothingUnderSIGKILL() throws {
        let (_, db) = try Self.freshDatabase("kill-batch")
        let key = try cli.run(["keys", "create", "--role", "screen", "--role", "audit", "--role", "admin", "--database", db]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let server = try ServeProcess(database: db)
        try waitReady(server.port, orWithoutLists: true)
        let auth = ["Authorization": "Bearer \(key)"]
        let header = "_id,source,entity_number,type,programs,name,title,addresses,alt_names,citizenships,dates_of_birth,nationalities,ids,remarks"
        for edition in 1...2 {
            let csl = header + "\n\(edition),Entity List (EL) - Bureau of Industry and Security,,,,\"Edition \(edition) Co\",,,,,,,,"
            #expect(try RawHTTPClient(port: server.port).request("POST", "/lists/us-csl/versions?format=csl-csv", headers: auth, data: Data(csl.utf8)).status == 201)
        }
        let stop = Atomic<Bool>(false)
        let answered = Mutex<[(reference: String, ids: [String])]>([])
        let port = server.port
        var threads = (0..<4).map { client in
            Thread {
                var n = 0
                while !stop.load(ordering: .relaxed) {
                    n += 1
                    let reference = "b\(client)-\(n)"
                    let batch = "[" + (0..<25).map { #"{"name": "Supplier \#($0) of \#(reference)", "reference": "\#(reference)"}"# }.joined(separator: ",") + "]"
                    guard let response = try? RawHTTPClient(port: port, timeout: 2).request("POST", "/screen/batch", headers: auth, body: batch),
                          response.status == 200, let decisions = try? response.json()["decisions"] as? [[String: Any]] else { continue }
                    answered.withLock { $0.append((reference, decisions.compactMap { $0["decisionId"] as? String })) }
                }
            }
        }
        threads.append(Thread {
            var version = 1
            while !stop.load(ordering: .relaxed) {
                version = 3 - version
                _ = try? RawHTTPClient(port: port, timeout: 2).request("POST", "/lists/us-csl/versions/\(version)/activate", headers: auth)
            }
        })
        threads.forEach { $0.start() }
        Thread.sleep(forTimeInterval: Double.random(in: 0.8...1.5))
        server.kill()
        stop.store(true, ordering: .relaxed)
        Thread.sleep(forTimeInterval: 0.3)

        let restarted = try ServeProcess(database: db)
        try waitReady(restarted.port)
        let client = try RawHTTPClient(port: restarted.port)
        let batches = answered.withLock { $0 }
        #expect(batches.count > 3, "the load produced answers (\(batches.count))")
        for batch in batches {
            for id in batch.ids { #expect(try client.request("GET", "/decisions/\(id)", headers: auth).status == 200, "\(batch.reference): \(id)") }
        }
        // Every reference in the trail has all 25 of its decisions: no batch was cut in half.
        let export = try client.request("GET", "/decisions/export?format=ndjson", headers: auth).text
        var perReference: [String: Int] = [:]
        for line in export.split(separator: "\n") {
            if let record = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], let reference = record["reference"] as? String {
                perReference[reference, default: 0] += 1
            }
        }
        #expect(perReference.values.allSatisfy { $0 == 25 }, "partial batches: \(perReference.filter { $0.value != 25 })")
        // The active version is the one the last recorded activation names.
        let versions = try client.request("GET", "/lists/us-csl/versions", headers: auth).json()
        let activations = versions["activations"] as? [[String: Any]] ?? []
        #expect(versions["activeVersion"] as? Int == activations.last?["version"] as? Int)
        let verified = try client.request("GET", "/audit/verify", headers: auth).json()
        #expect(verified["valid"] as? Bool == true)
        _ = restarted.terminate()
    }

    let cli = CommandLineTests()

    /// A new folder, and the path of a database file in it.
    static func freshDatabase(_ prefix: String) throws -> (folder: URL, db: String) {
        let folder = TestFolder.make(prefix)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return (folder, folder.appendingPathComponent("db.sqlite").path)
    }

    /// Until the server is ready, or (`orWithoutLists`) has started and waits only for a list.
    func waitReady(_ port: Int, orWithoutLists: Bool = false) throws {
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if let response = try? RawHTTPClient(port: port, timeout: 1).request("GET", "/readyz") {
                if response.status == 200 || (orWithoutLists && response.text.contains("no active list")) { return }
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw ServeProcessError("the server did not become ready")
    }
}
