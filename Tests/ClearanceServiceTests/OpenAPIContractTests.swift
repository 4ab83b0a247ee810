import Foundation
import Matching
import Testing

/// `openapi.yaml` is the contract: it must describe exactly the endpoints the server routes.
@Suite struct OpenAPIContractTests {
    /// Method and path pairs from the `paths:` section (two-space path keys, four-space method keys).
    static func documentedEndpoints() throws -> Set<String> {
        let text = try String(contentsOf: ServiceHarness.projectRoot.appendingPathComponent("openapi.yaml"), encoding: .utf8)
        var endpoints: Set<String> = []
        var inPaths = false
        var currentPath: String?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("paths:") { inPaths = true; continue }
            if inPaths, let first = line.first, first != " " { break }
            guard inPaths else { continue }
            if line.hasPrefix("  /") && !line.hasPrefix("   ") {
                currentPath = String(line.dropFirst(2).dropLast())
            } else if line.hasPrefix("    "), !line.hasPrefix("     "), let path = currentPath {
                let key = line.trimmingCharacters(in: .whitespaces).dropLast()
                if ["get", "post", "put", "delete", "patch"].contains(String(key)) { endpoints.insert("\(key.uppercased()) \(path)") }
            }
        }
        return endpoints
    }

    @Test func everyRouteIsDocumentedAndEveryDocumentedRouteExists() throws {
        let service = try ServiceHarness()
        // The console's static files are a web page, not API: the contract leaves them out.
        let routed = Set(service.app.endpoints.filter { !$0.pattern.hasPrefix("/console") }.map { "\($0.method) \($0.pattern)" })
        let documented = try Self.documentedEndpoints()
        #expect(routed.subtracting(documented).isEmpty, "routed but not in openapi.yaml: \(routed.subtracting(documented).sorted())")
        #expect(documented.subtracting(routed).isEmpty, "in openapi.yaml but not routed: \(documented.subtracting(routed).sorted())")
    }

    /// Client generators name their methods after `operationId`: every operation has one, each different.
    @Test func everyOperationHasItsOwnOperationId() throws {
        let text = try String(contentsOf: ServiceHarness.projectRoot.appendingPathComponent("openapi.yaml"), encoding: .utf8)
        let paths = text.components(separatedBy: "\ncomponents:").first ?? text
        let ids = paths.split(separator: "\n").filter { $0.hasPrefix("      operationId: ") }.map { $0.dropFirst(19) }
        #expect(ids.count == (try Self.documentedEndpoints()).count)
        #expect(Set(ids).count == ids.count)
        for required in ["screen", "screenBatch", "listLists", "listDecisions", "getDecision", "recordDispositions"] {
            #expect(ids.contains { $0 == required }, "\(required)")
        }
    }

    @Test func errorsAreProblemDocumentsWithTheDocumentedFields() throws {
        let service = try ServiceHarness()
        for response in [try service.call("GET", "/keys"), try service.call("GET", "/nope"), try service.call("PUT", "/keys")] {
            #expect(response.header("Content-Type") == "application/problem+json")
            let body = try response.json()
            #expect(body["type"] is String && body["title"] is String && body["status"] as? Int == response.status)
        }
    }

    /// The token table's `how` in the contract lists exactly the ways the engine matches a word.
    @Test func everyWayAWordMatchesIsDocumented() throws {
        let text = try String(contentsOf: ServiceHarness.projectRoot.appendingPathComponent("openapi.yaml"), encoding: .utf8)
        let line = try #require(text.split(separator: "\n").first { $0.trimmingCharacters(in: .whitespaces).hasPrefix("how: { type: string, enum: [") })
        let list = try #require(line.split(separator: "[").last?.split(separator: "]").first)
        let documented = Set(list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        #expect(documented == Set(MatchHow.allCases.map(\.rawValue)))
    }
}
