import Foundation
import Synchronization
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import ListFormats
import Logging
import Store

/// Where one list is fetched from: its format and the URLs of its files (each file named by the URL's last part).
public struct ListSyncSource: Codable, Sendable, Equatable {
    public var list: String
    public var format: String
    public var urls: [String]
    /// Plain `http` URLs are refused unless a source says so (a mirror on a trusted network, a test server): a list
    /// fetched without TLS could be replaced on its way.
    public var allowHTTP: Bool?

    public init(list: String, format: String, urls: [String], allowHTTP: Bool = false) {
        self.list = list
        self.format = format
        self.urls = urls
        self.allowHTTP = allowHTTP ? true : nil
    }

    /// The official sources. Each can be replaced with a sync configuration file.
    public static let official: [ListSyncSource] = [
        ListSyncSource(list: "ofac-sdn", format: "ofac-csv", urls: ["sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv"].map {
            "https://www.treasury.gov/ofac/downloads/\($0)"
        }),
        ListSyncSource(list: "ofac-consolidated", format: "ofac-csv", urls: ["cons_prim.csv", "cons_alt.csv", "cons_add.csv", "cons_comments.csv"].map {
            "https://www.treasury.gov/ofac/downloads/consolidated/\($0)"
        }),
        ListSyncSource(list: "us-csl", format: "csl-csv", urls: ["https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv"]),
        ListSyncSource(list: "un", format: "un-xml", urls: ["https://scsanctions.un.org/resources/xml/en/consolidated.xml"]),
        ListSyncSource(list: "ca-sema", format: "ca-sema-xml", urls: [
            "https://www.international.gc.ca/world-monde/assets/office_docs/international_relations-relations_internationales/sanctions/sema-lmes.xml",
        ]),
        ListSyncSource(list: "au-dfat", format: "au-dfat-xlsx", urls: ["https://www.dfat.gov.au/sites/default/files/regulation8_consolidated.xlsx"]),
        // The Commission's public token for the full file, as its download page links it.
        ListSyncSource(list: "eu-fsf", format: "eu-fsf-xml", urls: [
            "https://webgate.ec.europa.eu/fsd/fsf/public/files/xmlFullSanctionsList_1_1/content?token=dG9rZW4tMjAxNw",
        ]),
        ListSyncSource(list: "uk-sanctions-list", format: "uk-sanctions-list-xml", urls: ["https://sanctionslist.fcdo.gov.uk/docs/UK-Sanctions-List.xml"]),
    ]

    /// Reads `{"sources": [{"list", "format", "urls", "allowHTTP"?}]}`.
    public static func load(_ path: String) throws -> [ListSyncSource] {
        struct File: Decodable { var sources: [ListSyncSource] }
        return try JSONDecoder().decode(File.self, from: Data(contentsOf: URL(fileURLWithPath: path))).sources
    }
}

/// The outcome of syncing one list.
/// Some sources of a sync run failed (each result says why).
public struct ListSyncError: Error, CustomStringConvertible {
    public let failed: [ListSyncResult]
    public var description: String {
        failed.map { "\($0.list): \($0.error ?? "failed")" }.joined(separator: "; ")
    }
}

public struct ListSyncResult: Sendable {
    public var list: String
    /// `stored`, `unchanged` or `failed`.
    public var result: String
    public var version: Int?
    public var error: String?
}

/// Fetches each source and stores a version only when the content changed. A failure (network, HTTP status,
/// malformed file) is logged, counted and reported by `/readyz`, and never replaces the data already active.
public final class ListSyncer: Sendable {
    private let lists: ListService
    public let sources: [ListSyncSource]
    private let logger: Logger
    private let metrics: Metrics?
    private let readiness: Readiness?
    private let timeout: Double
    /// The largest file a source may serve; larger is a failed sync.
    private let maxFileBytes: Int
    /// A list whose last successful sync is older than this is reported stale in `/readyz`; nil reports nothing.
    private let staleAfter: Double?
    /// Each list's last sync outcome, as `/readyz` shows it, and when it last succeeded.
    private let reports = Mutex<[String: (text: String, succeeded: Date?)]>([:])
    /// The validators (`ETag`, `Last-Modified`) each URL answered with when its file was last stored or found
    /// unchanged, sent back as `If-None-Match` / `If-Modified-Since`: a publisher that supports them answers 304 and
    /// the file is not downloaded again. Only a sync that succeeded records them, so a file that failed to parse is
    /// fetched whole next time, never skipped as "not modified".
    private let validators = Mutex<[String: Validators]>([:])

    struct Validators: Sendable, Equatable {
        var etag: String?
        var lastModified: String?
        var isEmpty: Bool { etag == nil && lastModified == nil }
    }

    public init(lists: ListService, sources: [ListSyncSource], logger: Logger, metrics: Metrics? = nil, readiness: Readiness? = nil,
                timeout: Double = 120, maxFileBytes: Int = 512 * 1024 * 1024, staleAfter: Double? = nil) {
        self.maxFileBytes = maxFileBytes
        self.staleAfter = staleAfter
        self.lists = lists
        self.sources = sources
        self.logger = logger
        self.metrics = metrics
        self.readiness = readiness
        self.timeout = timeout
        if staleAfter != nil { watchStaleness() }
    }

    /// Shows each source in `/readyz` as it is when asked: its last outcome, and "STALE" once its last success
    /// (from this process, or the newest synced version stored) is older than `staleAfter`.
    private func watchStaleness() {
        guard let readiness, let staleAfter else { return }
        for source in sources {
            let stored = try? lists.lastSyncedVersionAt(source.list)
            reports.withLock { $0[source.list] = ("not synced by this process yet", stored ?? nil) }
            readiness.set(check: "sync:\(source.list)") { [self] in
                guard let report = reports.withLock({ $0[source.list] }) else { return "unknown" }
                guard let succeeded = report.succeeded else { return "\(report.text); STALE: never synced" }
                let age = Date().timeIntervalSince(succeeded)
                guard age > staleAfter else { return report.text }
                return "\(report.text); STALE: last successful sync \(Int(age / 3600)) h ago (limit \(Int(staleAfter / 3600)) h)"
            }
        }
    }

    private func report(_ list: String, _ text: String, succeeded: Bool) {
        if staleAfter == nil {
            readiness?.set(check: "sync:\(list)", text)
            return
        }
        reports.withLock { reports in
            reports[list] = (text, succeeded ? Date() : reports[list]?.succeeded ?? nil)
        }
    }

    public func syncAll() -> [ListSyncResult] { sources.map(sync) }

    /// The sources whose list has no version fetched by sync yet (a list only ever uploaded by hand counts as never
    /// synced).
    public func neverSynced() -> [ListSyncSource] {
        sources.filter { source in !((try? lists.hasSyncedVersion(source.list)) ?? false) }
    }

    public func sync(_ source: ListSyncSource) -> ListSyncResult {
        let now = Timestamp.now()
        // Seconds since the epoch, so an operator can alert on "no successful sync of ofac-sdn for 36 hours".
        metrics?.setGauge("clearance_list_sync_last_attempt_timestamp_seconds", ["list", source.list], Date().timeIntervalSince1970)
        do {
            guard let format = ListFormats.format(source.format) else { throw SyncError("unknown format \(source.format)") }
            let allowHTTP = source.allowHTTP == true
            var fetched = try source.urls.map { try fetch($0, allowHTTP: allowHTTP, conditional: true) }
            if fetched.allSatisfy({ $0.file == nil }) {
                logger.info("list sync", metadata: ["list": .string(source.list), "result": "unchanged", "http": "304 not modified"])
                metrics?.increment("clearance_list_sync_total", ["list", source.list, "result", "unchanged"])
                metrics?.setGauge("clearance_list_sync_last_success_timestamp_seconds", ["list", source.list], Date().timeIntervalSince1970)
                report(source.list, "unchanged at \(now) (not modified since the last sync)", succeeded: true)
                return ListSyncResult(list: source.list, result: "unchanged", version: nil)
            }
            // Some files changed: the others are needed whole too (a version is the whole set).
            fetched = try zip(source.urls, fetched).map { url, item in item.file == nil ? try fetch(url, allowHTTP: allowHTTP, conditional: false) : item }
            let files = fetched.compactMap(\.file)
            let outcome = try lists.upload(listID: source.list, format: format, files: files, activate: true, actor: nil, source: "sync")
            validators.withLock { known in
                for (url, item) in zip(source.urls, fetched) { known[url] = item.validators.isEmpty ? nil : item.validators }
            }
            let result = ListSyncResult(list: source.list, result: outcome.unchanged ? "unchanged" : "stored", version: outcome.version.version)
            logger.info("list sync", metadata: ["list": .string(source.list), "result": .string(result.result),
                                                "version": .stringConvertible(outcome.version.version)])
            metrics?.increment("clearance_list_sync_total", ["list", source.list, "result", result.result])
            metrics?.setGauge("clearance_list_sync_last_success_timestamp_seconds", ["list", source.list], Date().timeIntervalSince1970)
            report(source.list, "\(result.result) at \(now) (version \(outcome.version.version))", succeeded: true)
            return result
        } catch {
            let reason = Self.describe(error)
            logger.error("list sync failed; the active version is unchanged", metadata: ["list": .string(source.list), "error": .string(reason)])
            metrics?.increment("clearance_list_sync_total", ["list", source.list, "result", "failed"])
            report(source.list, "failed at \(now): \(reason)", succeeded: false)
            return ListSyncResult(list: source.list, result: "failed", error: reason)
        }
    }

    public static func describe(_ error: any Error) -> String {
        "\(error)"
    }

    /// The file at `address`, or nil when a conditional request was answered 304; with the validators it came with.
    private func fetch(_ address: String, allowHTTP: Bool, conditional: Bool) throws -> (file: ListFile?, validators: Validators) {
        guard let url = URL(string: address), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme) else {
            throw SyncError("invalid URL \(address)")
        }
        guard scheme == "https" || allowHTTP else {
            throw SyncError("\(address): plain http is refused; use https, or mark the source \"allowHTTP\": true")
        }
        var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout)
        request.setValue("clearance-list-sync", forHTTPHeaderField: "User-Agent")
        let known = conditional ? validators.withLock { $0[address] } : nil
        if let etag = known?.etag { request.setValue(etag, forHTTPHeaderField: "If-None-Match") }
        if let modified = known?.lastModified { request.setValue(modified, forHTTPHeaderField: "If-Modified-Since") }
        let box = FetchBox()
        let done = DispatchSemaphore(value: 0)
        URLSession.shared.dataTask(with: request) { data, response, error in
            box.set(data, response as? HTTPURLResponse, error)
            done.signal()
        }.resume()
        done.wait()
        let (data, response, error) = box.get()
        if let error { throw SyncError("\(address): \(error.localizedDescription)") }
        guard let response else { throw SyncError("\(address): no response") }
        let answered = Validators(etag: response.value(forHTTPHeaderField: "ETag"), lastModified: response.value(forHTTPHeaderField: "Last-Modified"))
        if response.statusCode == 304, let known { return (nil, known) }
        guard let data else { throw SyncError("\(address): no response body") }
        guard response.statusCode == 200 else { throw SyncError("\(address): HTTP \(response.statusCode)") }
        // URLSession holds the body in memory before it is checked; the limit keeps a hostile or broken source from
        // filling the disk with stored versions, and the publisher's declared length is refused before use.
        guard data.count <= maxFileBytes, response.expectedContentLength <= Int64(maxFileBytes) else {
            throw SyncError("\(address): larger than the limit of \(maxFileBytes) bytes")
        }
        return (ListFile(name: url.lastPathComponent, data: data), answered)
    }

    private final class FetchBox: @unchecked Sendable {
        private let lock = NSLock()
        private var value: (Data?, HTTPURLResponse?, (any Error)?) = (nil, nil, nil)
        func set(_ data: Data?, _ response: HTTPURLResponse?, _ error: (any Error)?) { lock.withLock { value = (data, response, error) } }
        func get() -> (Data?, HTTPURLResponse?, (any Error)?) { lock.withLock { value } }
    }
}

struct SyncError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
