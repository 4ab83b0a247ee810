import Foundation
import Store
import Testing
import TestSupport

/// Runs the built `clearance` executable as a user would.
@Suite(.serialized) struct CommandLineTests {
    static var executable: URL? {
        let candidates = [
            ServiceHarness.projectRoot.appendingPathComponent(".build/debug/clearance"),
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("clearance"),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    func run(_ arguments: [String]) throws -> Run {
        let executable = try #require(Self.executable, "build the clearance executable first (swift build)")
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }

    func tempDatabase() -> String {
        TestFolder.make("cli").appendingPathComponent("db.sqlite").path
    }


    @Test func counterpartiesImportReportsRefusedRowsAndFailsForThem() throws {
        let service = try ServiceHarness()
        _ = try service.upload("ofac-sdn", query: "?format=ofac-csv", files: ListFixtures.v1)
        let key = try service.createKey(["screen"])
        let folder = TestFolder.make("cli-import")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let good = folder.appendingPathComponent("suppliers.csv")
        try "counterpartyId,name\nSUP-1,Acme Widgets\nSUP-2,Banco Nacional de Cuba\n".write(to: good, atomically: true, encoding: .utf8)
        let url = "http://127.0.0.1:\(service.port)"
        let imported = try run(["counterparties", "import", "--url", url, "--key", key, good.path])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("\"screened\":2") && imported.stdout.contains("\"block\":1"))

        let bad = folder.appendingPathComponent("suppliers.ndjson")
        try "{\"counterpartyId\":\"SUP-3\",\"name\":\"Acme Tools\"}\n{\"counterpartyId\":\"SUP-4\"}\n".write(to: bad, atomically: true, encoding: .utf8)
        let partly = try run(["counterparties", "import", "--url", url, "--key", key, bad.path])
        #expect(partly.status == 1)
        #expect(partly.stderr.contains("\"line\":2") && partly.stdout.contains("\"failed\":1"))
        #expect(try run(["counterparties", "import", "--url", url, "--key", "clr_wrong", good.path]).stderr.contains("401"))
        #expect((try service.call("GET", "/counterparties", key: key).json()["counterparties"] as? [[String: Any]])?.count == 3)
    }

    @Test func versionAndMigrate() throws {
        #expect(try run(["version"]).stdout.hasPrefix("clearance "))
        let db = tempDatabase()
        let first = try run(["migrate", "--database", db])
        #expect(first.status == 0 && first.stdout.contains("applied"))
        #expect(try run(["migrate", "--database", db]).stdout.contains("up to date"))
    }

    /// The binary carries its migrations; a database whose applied migration differs from the one compiled in (the
    /// file was edited after release) is refused, and nothing runs against it.
    @Test func migrateRefusesADatabaseWhoseMigrationDiffers() throws {
        let db = tempDatabase()
        #expect(try run(["migrate", "--database", db]).status == 0)
        let pool = try DatabasePool(path: db, readerCount: 1)
        try pool.write { try $0.execute("UPDATE schema_migrations SET checksum = 'edited' WHERE version = 1") }
        let refused = try run(["migrate", "--database", db])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("was changed after it was applied"))
        #expect(try run(["serve", "--port", "0", "--database", db]).status != 0)
    }

    /// cron and CI see a failed sync: the command exits non-zero and says which source failed.
    @Test func listsSyncExitsNonZeroWhenASourceFails() throws {
        let folder = TestFolder.make("sync")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let config = folder.appendingPathComponent("sync.json")
        try #"{"sources": [{"list": "un", "format": "un-xml", "urls": ["http://127.0.0.1:9/consolidated.xml"]}]}"#
            .write(to: config, atomically: true, encoding: .utf8)
        let result = try run(["lists", "sync", "--config", config.path, "--database", tempDatabase()])
        #expect(result.status != 0)
        #expect(result.stdout.contains("un\tfailed"))
    }

    @Test func keysCreateListRevoke() throws {
        let db = tempDatabase()
        let created = try run(["keys", "create", "--role", "screen", "--role", "audit", "--name", "erp", "--database", db])
        #expect(created.status == 0)
        let lines = created.stdout.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].hasPrefix("clr_"), "stdout holds the key and nothing else")
        let listed = try run(["keys", "list", "--database", db])
        #expect(listed.stdout.contains("erp\tscreen,audit"))
        #expect(!listed.stdout.contains(String(lines[0])))
        let id = String(listed.stdout.split(separator: "\t")[0])
        #expect(try run(["keys", "revoke", id, "--database", db]).status == 0)
        #expect(try run(["keys", "revoke", id, "--database", db]).status != 0)
        #expect(try run(["keys", "create", "--role", "root", "--database", db]).status != 0)
        #expect(try run(["verify", "--database", db]).stdout.hasPrefix("OK: 2 records"))
    }

    @Test func keysCreatedByTheCommandWorkWhileServing() throws {
        let db = tempDatabase()
        let server = try ServeProcess(database: db, extra: ["--event-loops", "3"])
        #expect(server.startupLog.contains("admin key was created"))
        #expect(server.startupLog.contains(#""event_loops":3"#), "--event-loops sets the number of loops")
        let key = try run(["keys", "create", "--role", "admin", "--database", db]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let accepted = try RawHTTPClient(port: server.port).request("GET", "/keys", headers: ["Authorization": "Bearer \(key)"])
        #expect(accepted.status == 200)
        let id = try #require((try accepted.json()["keys"] as? [[String: Any]])?.last?["id"] as? String)
        _ = try run(["keys", "revoke", id, "--database", db])
        #expect(try RawHTTPClient(port: server.port).request("GET", "/keys", headers: ["Authorization": "Bearer \(key)"]).status == 401)
        #expect(server.terminate() == 0, "SIGTERM shuts down gracefully")
    }

    /// One JSON line per request with its figures, never the API key; lines still buffered are written at shutdown.
    @Test func accessLogHasOneLinePerRequestAndNoKeys() throws {
        let db = tempDatabase()
        let server = try ServeProcess(database: db, extra: ["--log-flush-interval", "60"])
        let key = try #require(server.bootstrapKey)
        #expect(!server.startupLog.contains(key), "the bootstrap key is written to its file, not to the log")
        let client = try RawHTTPClient(port: server.port)
        for index in 0..<3 {
            let response = try client.request("GET", "/keys?page=\(index)", headers: ["Authorization": "Bearer \(key)", "X-Request-Id": "log-test-\(index)"])
            #expect(response.status == 200)
        }
        #expect(try client.request("GET", "/nowhere").status == 404)
        #expect(server.terminate() == 0)
        Thread.sleep(forTimeInterval: 0.2)
        let lines = server.log.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        let requests = lines.filter { $0["msg"] as? String == "request" }
        #expect(requests.count == 4, "one line per request, flushed at shutdown")
        for (index, line) in requests.prefix(3).enumerated() {
            #expect(line["request_id"] as? String == "log-test-\(index)")
            #expect(line["route"] as? String == "/keys" && line["method"] as? String == "GET" && line["path"] as? String == "/keys")
            #expect(line["status"] as? Int == 200 && line["duration_ms"] is Double && (line["bytes_out"] as? Int ?? 0) > 0)
            #expect(line["level"] as? String == "info" && line["ts"] is String)
        }
        #expect(requests.last?["route"] as? String == "unmatched" && requests.last?["status"] as? Int == 404)
        #expect(!server.log.dropFirst(server.startupLog.count).contains(key), "the API key never reaches the log")
    }

    @Test func listsImportAndShow() throws {
        let db = tempDatabase()
        let folder = TestFolder.make("files")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let paths = try ListFixtures.v1.map { file -> String in
            let url = folder.appendingPathComponent(file.name)
            try file.data.write(to: url)
            return url.path
        }
        let imported = try run(["lists", "import", "--list", "ofac-sdn", "--format", "ofac-csv", "--database", db] + paths)
        #expect(imported.status == 0)
        #expect(imported.stdout.contains("stored version 1, 3 entries"))
        #expect(try run(["lists", "import", "--list", "ofac-sdn", "--database", db] + paths).stdout.contains("unchanged"))
        let bad = try run(["lists", "import", "--list", "ofac-sdn", "--database", db, paths[0]])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("missing companion file alt.csv"))
        #expect(try run(["lists", "show", "--database", db]).stdout.hasPrefix("ofac-sdn\tofac-csv\tactive 1\t3 entries"))
    }
}
