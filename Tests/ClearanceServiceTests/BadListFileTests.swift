import Foundation
import Testing
import TestSupport

/// Damaged copies of the real list files (truncated, corrupted, declared as another format, empty): each is refused
/// with a 422 that names the file, and the active version stays what it was.
@Suite(.enabled(if: SharedListFiles.available, "../shared/lists is not present beside the project"), .serialized)
struct BadListFileTests {
    /// A service with the real CSL and UN files active, and their versions.
    func service() throws -> (ServiceHarness, csl: Data, un: Data) {
        let service = try ServiceHarness()
        let csl = try Data(contentsOf: SharedListFiles.root.appendingPathComponent("us-csl/consolidated.csv"))
        let un = try Data(contentsOf: SharedListFiles.root.appendingPathComponent("un/consolidated.xml"))
        #expect(try upload(service, "us-csl", "csl-csv", csl).status == 201)
        #expect(try upload(service, "un", "un-xml", un).status == 201)
        return (service, csl, un)
    }

    /// Uploads with a generous timeout: the real files take seconds to parse in a debug build on a busy machine.
    func upload(_ service: ServiceHarness, _ list: String, _ format: String, _ data: Data) throws -> RawResponse {
        try RawHTTPClient(port: service.port, timeout: 120).request(
            "POST", "/lists/\(list)/versions?format=\(format)",
            headers: ["Authorization": "Bearer \(service.adminKey)", "Content-Type": "application/octet-stream"], data: data)
    }

    func activeVersions(_ service: ServiceHarness) throws -> [String: Int] {
        Dictionary(uniqueKeysWithValues: try service.app.lists.overview().map(\.list).map { ($0.id, $0.activeVersion ?? 0) })
    }

    @Test func damagedCopiesAreRefusedAndChangeNothing() throws {
        let (service, csl, un) = try service()
        let before = try activeVersions(service)
        var corrupted = un
        // Bytes that cannot be XML (NUL and an unmatched end tag) in the middle of the file.
        corrupted.replaceSubrange(un.count / 2..<(un.count / 2 + 16), with: Data("\u{0}</NOT-OPEN>\u{0}\u{0}\u{0}".utf8))
        let cases: [(list: String, format: String, data: Data, why: String)] = [
            ("un", "un-xml", un.prefix(un.count / 2), "truncated XML"),
            ("un", "un-xml", corrupted, "corrupted XML"),
            ("un", "un-xml", Data(), "empty"),
            ("un", "un-xml", csl, "a CSV declared as UN XML"),
            ("us-csl", "csl-csv", un, "XML declared as a CSL CSV"),
            ("us-csl", "csl-csv", Data(csl.prefix(200)), "a CSL cut inside its first row"),
            ("us-csl", "csl-csv", Data(repeating: 0xFF, count: 4096), "bytes that are not UTF-8"),
        ]
        for (list, format, data, why) in cases {
            let response = try upload(service, list, format, data)
            #expect(response.status == 422, "\(why): \(response.status) \(response.text.prefix(300))")
            #expect(response.header("Content-Type")?.hasPrefix("application/problem+json") == true, "\(why)")
            #expect(!((try? response.json())?["detail"] as? String ?? "").isEmpty, "\(why): the problem says what is wrong")
        }
        #expect(try activeVersions(service) == before, "the active versions are unchanged")
        #expect(try (service.app.lists.overview().first { $0.list.id == "un" }?.versionCount ?? 0) == 1 && (service.app.lists.overview().first { $0.list.id == "us-csl" }?.versionCount ?? 0) == 1,
                "no version was stored")
        let verified = try service.call("GET", "/audit/verify", key: try service.createKey(["audit"])).json()
        #expect(verified["valid"] as? Bool == true)
    }
}
