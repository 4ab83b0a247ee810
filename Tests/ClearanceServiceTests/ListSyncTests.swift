import ClearanceService
import Foundation
import HTTPServer
import Testing
import TestSupport

/// Sync against a loopback HTTP server that serves the files of `../shared/lists/`.
@Suite(.enabled(if: SharedListFiles.available, "../shared/lists is not present beside the project"), .serialized)
struct ListSyncTests {
    /// Serves `/files/<folder>/<name>` from `../shared/lists`, `/status/<code>/<name>` as that status, `/garbage/<name>` as junk.
    static func fileServer() throws -> HTTPServer {
        try startTestServer { router in
            router.get("/files/{folder}/{name}") { request in
                let url = SharedListFiles.root.appendingPathComponent(request.parameter("folder")).appendingPathComponent(request.parameter("name"))
                guard let data = try? Data(contentsOf: url) else { return .text("missing", status: 404) }
                return .data(data, contentType: "application/octet-stream")
            }
            router.get("/status/{code}/{name}") { request in .text("failing", status: HTTPStatus(Int(request.parameter("code")) ?? 500)) }
            router.get("/garbage/{name}") { _ in .text("<CONSOLIDATED_LIST><INDIVIDUALS>") }
        }
    }

    /// Serves `/files/<folder>/<name>` with an ETag, answering 304 to a matching `If-None-Match`; counts whole downloads.
    final class ConditionalFileServer {
        /// Whole downloads served, counted on the server's threads.
        final class Count: @unchecked Sendable {
            private let lock = NSLock()
            private var value = 0
            func add() { lock.withLock { value += 1 } }
            var current: Int { lock.withLock { value } }
        }
        let server: HTTPServer
        let downloads = Count()
        var base: String { "http://127.0.0.1:\(server.port)" }

        init() throws {
            let downloads = self.downloads
            server = try startTestServer { router in
                router.get("/files/{folder}/{name}") { request in
                    let url = SharedListFiles.root.appendingPathComponent(request.parameter("folder")).appendingPathComponent(request.parameter("name"))
                    let data = request.parameter("folder") == "garbage" ? Data("<CONSOLIDATED_LIST>".utf8) : (try? Data(contentsOf: url)) ?? Data()
                    let etag = "\"\(data.count)-\(request.parameter("name"))\""
                    if request.headers["If-None-Match"] == etag {
                        var response = HTTPResponse(status: .notModified)
                        response.headers["ETag"] = etag
                        return response
                    }
                    downloads.add()
                    var response = HTTPResponse.data(data, contentType: "application/octet-stream")
                    response.headers["ETag"] = etag
                    return response
                }
            }
        }

        deinit { server.shutdown(gracePeriod: 1) }
    }

    @Test func aPublisherThatSupportsETagsIsNotDownloadedAgainUntilItChanges() throws {
        let files = try ConditionalFileServer()
        let service = try ServiceHarness()
        let un = ListSyncSource(list: "un", format: "un-xml", urls: ["\(files.base)/files/un/consolidated.xml"], allowHTTP: true)
        let syncer = ListSyncer(lists: service.app.lists, sources: [un], logger: .init(label: "test"))
        #expect(syncer.syncAll().map(\.result) == ["stored"])
        #expect(syncer.syncAll().map(\.result) == ["unchanged"])
        #expect(files.downloads.current == 1, "the second sync got a 304 and downloaded nothing")

        // A file that failed to parse leaves no validator behind: it is fetched whole again, and fails again.
        let garbage = ListSyncSource(list: "un", format: "un-xml", urls: ["\(files.base)/files/garbage/consolidated.xml"], allowHTTP: true)
        let failing = ListSyncer(lists: service.app.lists, sources: [garbage], logger: .init(label: "test"))
        #expect(failing.syncAll().map(\.result) == ["failed"])
        #expect(failing.syncAll().map(\.result) == ["failed"])
        #expect(files.downloads.current == 3)
    }

    static func ofac(_ base: String, _ folder: String) -> ListSyncSource {
        ListSyncSource(list: "ofac-sdn", format: "ofac-csv", urls: ["sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv"].map { "\(base)/files/\(folder)/\($0)" }, allowHTTP: true)
    }

    @Test func storesOnlyWhenTheContentChangedAndNeverReplacesGoodData() throws {
        let files = try Self.fileServer()
        defer { files.shutdown(gracePeriod: 1) }
        let base = "http://127.0.0.1:\(files.port)"
        let service = try ServiceHarness()
        let app = service.app
        func syncer(_ sources: [ListSyncSource]) -> ListSyncer {
            ListSyncer(lists: app.lists, sources: sources, logger: .init(label: "test"), metrics: app.metrics, readiness: app.readiness)
        }
        let un = ListSyncSource(list: "un", format: "un-xml", urls: ["\(base)/files/un/consolidated.xml"], allowHTTP: true)
        let first = syncer([Self.ofac(base, "ofac-sdn-2019"), un]).syncAll()
        #expect(first.map(\.result) == ["stored", "stored"])
        #expect(syncer([Self.ofac(base, "ofac-sdn-2019"), un]).syncAll().map(\.result) == ["unchanged", "unchanged"])
        let newer = syncer([Self.ofac(base, "ofac-sdn-2021")]).syncAll()
        #expect(newer.first?.result == "stored" && newer.first?.version == 2)

        let broken = ListSyncSource(list: "ofac-sdn", format: "ofac-csv", urls: ["\(base)/files/ofac-sdn-2019/sdn.csv", "\(base)/status/503/alt.csv", "\(base)/files/ofac-sdn-2019/add.csv"], allowHTTP: true)
        let garbage = ListSyncSource(list: "un", format: "un-xml", urls: ["\(base)/garbage/consolidated.xml"], allowHTTP: true)
        let unreachable = ListSyncSource(list: "us-csl", format: "csl-csv", urls: ["http://127.0.0.1:9/consolidated.csv"], allowHTTP: true)
        let failed = syncer([broken, garbage, unreachable]).syncAll()
        #expect(failed.map(\.result) == ["failed", "failed", "failed"])
        #expect(failed[0].error?.contains("HTTP 503") == true)
        #expect(failed[1].error?.contains("malformed XML") == true)

        let lists = try service.call("GET", "/lists", key: service.adminKey).json()["lists"] as? [[String: Any]] ?? []
        #expect(lists.first { $0["id"] as? String == "ofac-sdn" }?["activeVersion"] as? Int == 2)
        #expect(lists.first { $0["id"] as? String == "un" }?["activeVersion"] as? Int == 1)
        #expect(!lists.contains { $0["id"] as? String == "us-csl" })
        let ready = try service.call("GET", "/readyz").json()
        let checks = ready["checks"] as? [String: String] ?? [:]
        #expect(checks["sync:ofac-sdn"]?.hasPrefix("failed at") == true)
        #expect(ready["status"] as? String == "ready", "a failed sync does not make the service unready: good data keeps serving")
        let metrics = try service.call("GET", "/metrics").text
        #expect(metrics.contains("clearance_list_sync_total{list=\"ofac-sdn\",result=\"failed\"} 1"))
        #expect(metrics.contains("clearance_list_sync_total{list=\"ofac-sdn\",result=\"stored\"} 2"))
    }

    @Test func serveRunsTheSyncOnASchedule() throws {
        let files = try Self.fileServer()
        defer { files.shutdown(gracePeriod: 1) }
        let source = ListSyncSource(list: "un", format: "un-xml", urls: ["http://127.0.0.1:\(files.port)/files/un/consolidated.xml"], allowHTTP: true)
        let service = try ServiceHarness { $0.syncSources = [source]; $0.syncInterval = 0.2 }
        let deadline = Date().addingTimeInterval(20)
        var version: Int?
        while version == nil && Date() < deadline {
            version = (try service.call("GET", "/lists/un/versions", key: service.adminKey).json())["activeVersion"] as? Int
            Thread.sleep(forTimeInterval: 0.1)
        }
        #expect(version == 1)
        Thread.sleep(forTimeInterval: 0.5)
        #expect((try service.call("GET", "/lists/un/versions", key: service.adminKey).json()["versions"] as? [Any])?.count == 1,
                "later syncs of the same content store nothing")
    }

    /// A fresh server fetches at once the lists it has never synced, though the schedule's interval is hours, and
    /// becomes ready with them.
    @Test func aFreshServerSyncsAtStartAndBecomesReady() throws {
        let files = try Self.fileServer()
        defer { files.shutdown(gracePeriod: 1) }
        let source = ListSyncSource(list: "un", format: "un-xml", urls: ["http://127.0.0.1:\(files.port)/files/un/consolidated.xml"], allowHTTP: true)
        let service = try ServiceHarness { $0.syncSources = [source]; $0.syncInterval = 6 * 3600 }
        let deadline = Date().addingTimeInterval(20)
        while try service.call("GET", "/readyz").status != 200 && Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
        #expect(try service.call("GET", "/readyz").json()["status"] as? String == "ready")
        // The job's own report follows once the whole run is done.
        while service.app.readiness.snapshot.checks["job:list-sync"]?.hasSuffix("ok") != true && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.05)
        }
        #expect(service.app.readiness.snapshot.checks["job:list-sync"]?.hasSuffix("ok") == true)
        #expect((try service.call("GET", "/lists/un/versions", key: service.adminKey).json())["activeVersion"] as? Int == 1)
    }

    /// A list whose last successful sync is older than the limit is reported stale, and the service stays ready.
    @Test func aListNotSyncedForTooLongIsReportedStale() throws {
        let files = try Self.fileServer()
        defer { files.shutdown(gracePeriod: 1) }
        let source = ListSyncSource(list: "un", format: "un-xml", urls: ["http://127.0.0.1:\(files.port)/files/un/consolidated.xml"], allowHTTP: true)
        let service = try ServiceHarness { $0.syncSources = [source]; $0.syncInterval = 6 * 3600; $0.syncStaleAfter = 1 }
        let deadline = Date().addingTimeInterval(20)
        while service.app.readiness.snapshot.checks["sync:un"]?.hasPrefix("stored") != true && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.05)
        }
        #expect(service.app.readiness.snapshot.checks["sync:un"]?.contains("STALE") == false)
        Thread.sleep(forTimeInterval: 1.2)
        let ready = try service.call("GET", "/readyz").json()
        #expect((ready["checks"] as? [String: String])?["sync:un"]?.contains("STALE: last successful sync") == true)
        #expect(ready["status"] as? String == "ready")
    }
}
