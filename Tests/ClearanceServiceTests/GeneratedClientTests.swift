import Foundation
import Testing
import TestSupport

/// Clients generated from openapi.yaml by the two generators procurement systems use, at pinned versions, drive a
/// real `clearance serve`: a typed screen, then a reviewer's typed disposition (scripts/contract/). Generation
/// must warn of nothing but the bodies a generator cannot type.
@Suite(.serialized)
struct GeneratedClientTests {
    static let pythonGenerator = ["/usr/local/bin", "/usr/bin", "/root/.pyenv/shims"]
        .map { "\($0)/openapi-python-client" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    /// The Swift client builds swift-openapi-generator first: minutes, so it runs where asked (CI sets this).
    static let swiftClientWanted = ProcessInfo.processInfo.environment["CLEARANCE_GENERATED_SWIFT_CLIENT"] == "1"

    /// A server with the Hikvision fixture and a screen key and a review key held by two people.
    static func server() throws -> (ServeProcess, screen: String, review: String) {
        let cli = CommandLineTests()
        let db = cli.tempDatabase()
        let screen = try cli.run(["keys", "create", "--role", "screen", "--owner", "erp", "--database", db]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let review = try cli.run(["keys", "create", "--role", "review", "--owner", "reviewer", "--database", db]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let admin = try cli.run(["keys", "create", "--role", "admin", "--database", db]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let server = try ServeProcess(database: db)
        let uploaded = try RawHTTPClient(port: server.port).request(
            "POST", "/lists/us-csl/versions?format=csl-csv", headers: ["Authorization": "Bearer \(admin)"], data: Data(ScreenFixtures.csl.utf8))
        #expect(uploaded.status == 201)
        return (server, screen, review)
    }

    static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        try ChildProcess.run(arguments, timeout: 1200)
    }

    @Test(.enabled(if: pythonGenerator != nil, "openapi-python-client is not installed (pip install openapi-python-client==0.29.1)"))
    func aGeneratedPythonClientScreensAndDisposes() throws {
        let (server, screen, review) = try Self.server()
        let check = ServiceHarness.projectRoot.appendingPathComponent("scripts/contract/python_client.py").path
        let run = try Self.run(["/usr/bin/env", "python3", check, "http://127.0.0.1:\(server.port)", screen, review])
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains("python client: screened"), "\(run.output)")
        #expect(server.terminate() == 0)
    }

    @Test(.enabled(if: swiftClientWanted, "CLEARANCE_GENERATED_SWIFT_CLIENT=1 builds and runs the generated Swift client (minutes)"))
    func aGeneratedSwiftClientScreensAndDisposes() throws {
        let (server, screen, review) = try Self.server()
        let check = ServiceHarness.projectRoot.appendingPathComponent("scripts/contract/swift-client.sh").path
        let run = try Self.run([check, "http://127.0.0.1:\(server.port)", screen, review])
        #expect(run.status == 0, "\(run.output.suffix(4000))")
        #expect(run.output.contains("swift client: screened"), "\(run.output.suffix(4000))")
        #expect(!run.output.contains("warning:"), "the generator or the generated code warned: \(run.output.suffix(4000))")
        #expect(server.terminate() == 0)
    }
}
