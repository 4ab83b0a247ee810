import Foundation
import Store
import Testing
import TestSupport

/// A server killed in the middle of a re-screen resumes it after restart: every counterparty is re-screened once,
/// none is alerted twice.
@Suite(.serialized)
struct RescreenRestartTests {
    static func call(_ port: Int, _ method: String, _ path: String, key: String, body: String? = nil, contentType: String = "application/json") throws -> RawResponse {
        var headers = ["Authorization": "Bearer \(key)"]
        if body != nil { headers["Content-Type"] = contentType }
        return try RawHTTPClient(port: port).request(method, path, headers: headers, body: body)
    }

    static func upload(_ port: Int, key: String, query: String, files: [(name: String, data: Data)]) throws -> Int {
        let (contentType, body) = MultipartBody.make(files)
        return try RawHTTPClient(port: port).request("POST", "/lists/ofac-sdn/versions\(query)",
                                                     headers: ["Authorization": "Bearer \(key)", "Content-Type": contentType], data: body).status
    }

    static func rescreen(_ port: Int, key: String) throws -> [String: Any] {
        let jobs = try call(port, "GET", "/lists/ofac-sdn/versions/2", key: key).json()["rescreens"] as? [[String: Any]]
        return jobs?.first ?? [:]
    }

    @Test func aRescreenKilledMidwayResumesWithoutDoublingAnything() throws {
        let folder = TestFolder.make("rescreen-restart")
        defer { try? FileManager.default.removeItem(at: folder) }
        let db = folder.appendingPathComponent("clearance.sqlite").path
        let count = 300
        var server: ServeProcess? = try ServeProcess(database: db, extra: ["--rescreen-batch", "1"])
        let port = try #require(server?.port)
        let admin = try #require(server?.bootstrapKey)
        #expect(try Self.upload(port, key: admin, query: "?format=ofac-csv", files: ListFixtures.v1) == 201)
        let rows = (0..<count).map { "{\"counterpartyId\":\"cp-\(1000 + $0)\",\"name\":\"New Shipping Co\"}" }.joined(separator: "\n")
        let imported = try Self.call(port, "POST", "/counterparties/import", key: admin, body: rows, contentType: "application/x-ndjson")
        #expect(imported.status == 403, "an admin key without the screen role cannot import")
        let key = try #require(try Self.call(port, "POST", "/keys", key: admin, body: "{\"name\":\"erp\",\"roles\":[\"screen\",\"audit\",\"review\"]}")
            .json()["key"] as? String)
        #expect(try Self.call(port, "POST", "/counterparties/import", key: key, body: rows, contentType: "application/x-ndjson")
            .text.contains("\"screened\":\(count)"))

        #expect(try Self.upload(port, key: admin, query: "", files: ListFixtures.v2) == 201)
        // Killed once the re-screen is under way, well before it ends.
        #expect(try eventually(timeout: 30) { try Self.rescreen(port, key: key)["processed"] as? Int ?? 0 >= 10 })
        server?.kill()
        server = nil
        let stored = try #require(try SQLRescreenJobStore(database: DatabasePool(path: db)).jobs(list: "ofac-sdn", version: 2).first)
        #expect(stored.state == "running" && stored.processed < count, "the kill landed mid-way (\(stored.processed) of \(count) done)")

        let restarted = try ServeProcess(database: db)
        var job: [String: Any] = [:]
        #expect(try eventually(timeout: 60) {
            job = try Self.rescreen(restarted.port, key: key)
            return job["state"] as? String == "done"
        })
        let alerts = try Self.call(restarted.port, "GET", "/alerts?limit=1000", key: key).json()["alerts"] as? [[String: Any]] ?? []
        #expect(alerts.count == count)
        #expect(Set(alerts.compactMap { $0["counterpartyId"] as? String }).count == count)
        #expect(job["alerts"] as? Int == count)
        for id in ["cp-1000", "cp-1150", "cp-1299"] {
            let history = try Self.call(restarted.port, "GET", "/counterparties/\(id)", key: key).json()["history"] as? [[String: Any]]
            #expect(history?.count == 2, "\(id): its import screening and one re-screen")
        }
        #expect(try Self.call(restarted.port, "GET", "/audit/verify", key: key).json()["valid"] as? Bool == true)
    }
}
