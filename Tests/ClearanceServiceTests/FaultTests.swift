import Foundation
import Testing
import TestSupport

/// The process under faults: what it does when it cannot start, and what a crash leaves behind.
@Suite(.serialized) struct FaultTests {
    let cli = CommandLineTests()

    @Test func aDatabaseThatCannotBeOpenedStopsTheStartWithAClearMessage() throws {
        let folder = TestFolder.make("fault")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let garbage = folder.appendingPathComponent("garbage.sqlite")
        try Data("this is not a database".utf8).write(to: garbage)
        let refused = try cli.run(["serve", "--port", "0", "--database", garbage.path])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("cannot open the database \(garbage.path)") && refused.stderr.contains("not a database"))
        let blocked = folder.appendingPathComponent("a-file")
        try Data().write(to: blocked)
        let noFolder = try cli.run(["serve", "--port", "0", "--database", blocked.appendingPathComponent("db.sqlite").path])
        #expect(noFolder.status != 0)
        #expect(noFolder.stderr.contains("cannot open the database"))
        let level = try cli.run(["serve", "--port", "0", "--database", folder.appendingPathComponent("ok.sqlite").path, "--log-level", "verbose"])
        #expect(level.status != 0 && level.stderr.contains("--log-level"), "a mistyped level is refused, not read as info")
    }

    /// A server killed while an upload arrives leaves no version, no spooled file once restarted, and a chain that
    /// verifies; the interrupted upload can be sent again.
    @Test func aKillDuringAnUploadLeavesNoTrace() throws {
        let db = cli.tempDatabase()
        let key = try cli.run(["keys", "create", "--role", "admin", "--role", "audit", "--database", db]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let server = try ServeProcess(database: db)
        let csl = Data(ScreenFixtures.csl.utf8)
        let client = try RawHTTPClient(port: server.port)
        try client.send("POST /lists/us-csl/versions?format=csl-csv HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(key)\r\nContent-Length: \(csl.count * 10)\r\n\r\n")
        try client.send(Array(csl))
        let spool = URL(fileURLWithPath: db).deletingLastPathComponent().appendingPathComponent("spool")
        let deadline = Date().addingTimeInterval(10)
        while ((try? FileManager.default.contentsOfDirectory(atPath: spool.path)) ?? []).isEmpty && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.05)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: spool.path).count == 1, "the upload is being spooled")
        server.kill()

        let restarted = try ServeProcess(database: db)
        #expect(try FileManager.default.contentsOfDirectory(atPath: spool.path).isEmpty, "the spooled half is removed at start")
        let again = try RawHTTPClient(port: restarted.port)
        // Only the built-in lists `serve` installs; nothing of the killed upload.
        let lists = try again.request("GET", "/lists", headers: ["Authorization": "Bearer \(key)"]).json()["lists"] as? [[String: Any]]
        #expect(Set(try #require(lists).compactMap { $0["id"] as? String }) == ["us-fcc-covered", "us-dod-1260h"])
        let uploaded = try again.request("POST", "/lists/us-csl/versions?format=csl-csv", headers: ["Authorization": "Bearer \(key)"], data: csl)
        #expect(uploaded.status == 201)
        let verified = try again.request("GET", "/audit/verify", headers: ["Authorization": "Bearer \(key)"]).json()
        #expect(verified["valid"] as? Bool == true)
        #expect(restarted.terminate() == 0)
    }
}

/// The database's disk fills up: screening answers 503 (never a decision without its record) and recovers by itself
/// once space returns. Runs on a small tmpfs, so it needs the privilege to mount one (root, as in CI).
@Suite(.serialized) struct FullDiskTests {
    /// Runs a mount-family command; whether it succeeded.
    @discardableResult
    static func tool(_ path: String, _ arguments: [String]) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }

    /// Whether this run may mount a tmpfs (root): tried once on a folder of its own.
    static let canMount: Bool = {
        let folder = TestFolder.make("mount-probe")
        guard (try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)) != nil,
              tool("/bin/mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", folder.path]) else { return false }
        tool("/bin/umount", [folder.path])
        return true
    }()

    /// A fresh folder with a 16 MB tmpfs mounted on it.
    static func mountedTmpfs(_ prefix: String) throws -> URL {
        let folder = TestFolder.make(prefix)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        guard tool("/bin/mount", ["-t", "tmpfs", "-o", "size=16m", "tmpfs", folder.path]) else {
            throw TestSupportError(description: "cannot mount a tmpfs on \(folder.path) (needs root)")
        }
        return folder
    }

    /// A database on a file system mounted read-only: the start stops with the path and the reason, exit non-zero.
    @Test(.enabled(if: Requirement.met(canMount), "mounting a tmpfs needs root"))
    func aReadOnlyDatabaseStopsTheStartWithAClearMessage() throws {
        let folder = try Self.mountedTmpfs("read-only")
        defer { Self.tool("/bin/umount", [folder.path]) }
        let cli = CommandLineTests()
        let db = folder.appendingPathComponent("db.sqlite").path
        #expect(try cli.run(["migrate", "--database", db]).status == 0)
        #expect(Self.tool("/bin/mount", ["-o", "remount,ro", folder.path]))
        let refused = try cli.run(["serve", "--port", "0", "--database", db])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("cannot open the database \(db)") && refused.stderr.contains("not writable"), "\(refused.stderr)")
    }

    @Test(.enabled(if: Requirement.met(canMount), "mounting a tmpfs needs root"))
    func aFullDiskGives503AndScreeningRecoversWhenSpaceReturns() throws {
        let folder = try Self.mountedTmpfs("full-disk")
        defer { Self.tool("/bin/umount", [folder.path]) }
        var screened = 0
        do {
            let service = try ServiceHarness(directory: folder)
            _ = try service.upload("us-csl", query: "?format=csl-csv", files: [("consolidated.csv", Data(ScreenFixtures.csl.utf8))])
            let key = try service.createKey(["screen", "audit"])
            #expect(try service.call("POST", "/screen", key: key, json: #"{"name": "Hikvision"}"#).status == 200)
            screened += 1
            // Fill what is left of the disk.
            let filler = folder.appendingPathComponent("filler")
            _ = FileManager.default.createFile(atPath: filler.path, contents: nil)
            let handle = try FileHandle(forWritingTo: filler)
            let block = Data(count: 256 * 1024)
            while (try? handle.write(contentsOf: block)) != nil {}
            try? handle.close()
            var statuses: [Int] = []
            for index in 0..<50 {
                let status = try service.call("POST", "/screen", key: key, json: #"{"name": "Supplier \#(index) with a long name to fill pages"}"#).status
                statuses.append(status)
                if status == 200 { screened += 1 }
            }
            #expect(statuses.contains(503), "a full disk is a 503: \(Set(statuses))")
            #expect(statuses.allSatisfy { $0 == 200 || $0 == 503 }, "nothing but 200 or 503: \(Set(statuses))")
            #expect(try service.call("GET", "/healthz").status == 200)
            try FileManager.default.removeItem(at: filler)
            let recovered = try service.call("POST", "/screen", key: key, json: #"{"name": "Hikvision"}"#)
            #expect(recovered.status == 200, "screening recovers once space returns: \(recovered.text)")
            screened += 1
            let verified = try service.call("GET", "/audit/verify", key: key).json()
            #expect(verified["valid"] as? Bool == true)
            let decisions = try service.app.decisions.count()
            #expect(decisions == screened, "every 200 was recorded, and nothing else")
        }
    }
}
