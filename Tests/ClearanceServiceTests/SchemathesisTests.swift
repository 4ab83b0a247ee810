import Foundation
import Testing
import TestSupport

enum Schemathesis {
    /// The `schemathesis` command, when installed (`.ci/run` installs it with pip).
    static let command: String? = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
        .map { "\($0)/schemathesis" }.first { FileManager.default.isExecutableFile(atPath: $0) }
}

/// schemathesis drives a real `clearance serve` from openapi.yaml with a key of each role and every check on
/// (`scripts/fuzz/schemathesis.sh`): no server error, every answer as documented, nothing the contract allows
/// refused. A short run with a fixed seed; the script takes more examples for a long one.
@Suite(.serialized, .enabled(if: Schemathesis.command != nil, "schemathesis is not installed (pip install schemathesis)"))
struct SchemathesisTests {
    let cli = CommandLineTests()

    @Test func theServerHoldsToItsContractForEveryRole() throws {
        let db = cli.tempDatabase()
        var keys: [String] = []
        for role in ["screen", "admin", "audit", "review"] {
            keys.append(try cli.run(["keys", "create", "--role", role, "--database", db]).stdout
                .trimmingCharacters(in: .whitespacesAndNewlines))
        }
        let server = try ServeProcess(database: db)
        let uploaded = try RawHTTPClient(port: server.port).request(
            "POST", "/lists/us-csl/versions?format=csl-csv", headers: ["Authorization": "Bearer \(keys[1])"], data: Data(ScreenFixtures.csl.utf8))
        #expect(uploaded.status == 201)
        let process = Process()
        process.executableURL = ServiceHarness.projectRoot.appendingPathComponent("scripts/fuzz/schemathesis.sh")
        process.arguments = ["http://127.0.0.1:\(server.port)"] + keys + ["10"]
        let output = TestFolder.make("schemathesis")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        let handle = try FileHandle(forWritingTo: output)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        process.waitUntilExit()
        try handle.close()
        let report = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        #expect(process.terminationStatus == 0, "schemathesis found failures (full report in \(output.path)):\n\(report.suffix(6000))")
        #expect(!server.log.contains("\"level\":\"error\"") && !server.log.contains("\"level\":\"critical\""), "no error logged")
        #expect(server.terminate() == 0)
    }
}
