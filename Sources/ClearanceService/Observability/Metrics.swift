#if canImport(Glibc)
import Glibc
#endif
import Foundation
import HTTPServer
import Synchronization

/// In-process metrics, rendered in the Prometheus text exposition format at `GET /metrics`.
///
/// Every request updates a counter and a histogram, from as many threads as there are connections. One lock for all
/// of them collapsed throughput (measured: 8.5k req/s, most time in the contended lock), so updates go to one of 64
/// shards picked by the calling thread, each with its own lock; `render` merges the shards.
public final class Metrics: RequestObserver, @unchecked Sendable {
    /// A metric and its labels (alternating key, value, in a fixed order). Hashes by one joined string: hashing
    /// an array of strings per request was a measurable part of serving `/healthz`.
    struct Series: Hashable {
        var name: String
        var labels: [String]
        private let key: String

        init(name: String, labels: [String]) {
            self.name = name
            self.labels = labels
            key = labels.isEmpty ? name : name + "\u{1F}" + labels.joined(separator: "\u{1F}")
        }

        static func == (a: Series, b: Series) -> Bool { a.key == b.key }
        func hash(into hasher: inout Hasher) { hasher.combine(key) }
    }

    struct Histogram {
        var buckets: [Int]
        var sum: Double = 0
        var count: Int = 0
    }

    /// Per-request HTTP figures are kept under a plain key (no label strings built per request) and turned into
    /// series only when `/metrics` is rendered.
    struct HTTPKey: Hashable {
        var route: String
        var method: String
        var status: Int
    }

    private struct State {
        var counters: [Series: Double] = [:]
        var histograms: [Series: Histogram] = [:]
        var gauges: [Series: Double] = [:]
        var http: [HTTPKey: Histogram] = [:]
    }

    static let latencyBuckets: [Double] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
    private static let help: [String: (type: String, help: String)] = [
        "clearance_http_requests_total": ("counter", "HTTP requests answered, by route, method and status."),
        "clearance_http_request_duration_seconds": ("histogram", "Time from a request's first byte to its response, by route and method."),
        "clearance_http_open_connections": ("gauge", "Client connections open now."),
        "clearance_http_rejected_connections_total": ("counter", "Connections refused with 503 because the connection limit, or an address's, was reached."),
        "clearance_screenings_total": ("counter", "Screening decisions recorded, by decision."),
        "clearance_list_sync_total": ("counter", "List sync attempts, by list and result."),
        "clearance_list_entries": ("gauge", "Entries in the active version of each list."),
        "clearance_list_active_version": ("gauge", "The active version of each list."),
        "clearance_list_sync_last_success_timestamp_seconds": ("gauge", "When each list last synced successfully, in seconds since the Unix epoch."),
        "clearance_list_sync_last_attempt_timestamp_seconds": ("gauge", "When each list's sync was last tried, in seconds since the Unix epoch."),
        "clearance_job_runs_total": ("counter", "Background job runs, by job and result."),
        "clearance_audit_commit_seconds": ("histogram", "Time the audit writer took to commit one batch (group commit)."),
        "clearance_audit_commits_total": ("counter", "Batches the audit writer committed."),
        "clearance_audit_records_total": ("counter", "Records the audit writer committed; divided by the commits, the mean batch size."),
    ]

    private final class Shard {
        let lock = NSLock()
        /// Touched only under `lock`: no runtime exclusivity check per request (see `Connection`).
        @exclusivity(unchecked) var state = State()
    }

    private static let shardCount = 64
    private let shards = (0..<Metrics.shardCount).map { _ in Shard() }
    private let openConnections = Atomic<Int>(0)

    public init() {}

    private func withShard(_ body: (inout State) -> Void) {
        let mixed = UInt64(UInt(bitPattern: Int(bitPattern: UInt(pthread_self())))) &* 0x9E37_79B9_7F4A_7C15
        let shard = shards[Int(mixed >> 58) % Self.shardCount]
        shard.lock.lock()
        body(&shard.state)
        shard.lock.unlock()
    }

    public func increment(_ name: String, _ labels: [String] = [], by value: Double = 1) {
        withShard { $0.counters[Series(name: name, labels: labels), default: 0] += value }
    }

    /// Gauges are set from one place at a time, so they live in shard 0 only.
    public func setGauge(_ name: String, _ labels: [String] = [], _ value: Double) {
        shards[0].lock.lock()
        shards[0].state.gauges[Series(name: name, labels: labels)] = value
        shards[0].lock.unlock()
    }

    public func observe(_ name: String, _ labels: [String], _ value: Double) {
        withShard { state in
            Self.add(value, to: &state.histograms[Series(name: name, labels: labels), default: Self.emptyHistogram])
        }
    }

    public func requestCompleted(_ record: RequestRecord) {
        let key = HTTPKey(route: record.route, method: Self.methodLabel(record.method), status: record.status)
        // Updated in place: reading the histogram out and storing it back copied its buckets on every request.
        withShard { state in Self.add(record.durationSeconds, to: &state.http[key, default: Self.emptyHistogram]) }
    }

    /// Methods outside RFC 9110's registered set are counted as `other`: the method is the client's to choose, and
    /// a series per distinct value would let any client grow the metrics (and `/metrics`) without bound.
    static func methodLabel(_ method: String) -> String {
        switch method {
        case "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "CONNECT", "TRACE": method
        default: "other"
        }
    }

    private static var emptyHistogram: Histogram { Histogram(buckets: Array(repeating: 0, count: latencyBuckets.count)) }

    private static func add(_ value: Double, to histogram: inout Histogram) {
        if let index = latencyBuckets.firstIndex(where: { value <= $0 }) { histogram.buckets[index] += 1 }
        histogram.sum += value
        histogram.count += 1
    }

    private static func merge(_ a: Histogram, _ b: Histogram) -> Histogram {
        Histogram(buckets: zip(a.buckets, b.buckets).map(+), sum: a.sum + b.sum, count: a.count + b.count)
    }

    public func connectionOpened() { openConnections.add(1, ordering: .relaxed) }
    public func connectionClosed() { openConnections.subtract(1, ordering: .relaxed) }
    public func connectionRejected() { increment("clearance_http_rejected_connections_total") }

    public func render() -> String {
        var snapshot = State()
        for shard in shards {
            shard.lock.lock()
            let state = shard.state
            shard.lock.unlock()
            snapshot.counters.merge(state.counters, uniquingKeysWith: +)
            snapshot.gauges.merge(state.gauges) { $1 }
            snapshot.histograms.merge(state.histograms, uniquingKeysWith: Self.merge)
            for (key, histogram) in state.http {
                let requests = Series(name: "clearance_http_requests_total", labels: ["route", key.route, "method", key.method, "status", String(key.status)])
                snapshot.counters[requests, default: 0] += Double(histogram.count)
                let duration = Series(name: "clearance_http_request_duration_seconds", labels: ["route", key.route, "method", key.method])
                snapshot.histograms[duration] = snapshot.histograms[duration].map { Self.merge($0, histogram) } ?? histogram
            }
        }
        var lines: [String: [String]] = [:]
        for (series, value) in snapshot.counters { lines[series.name, default: []].append("\(series.name)\(format(series.labels)) \(number(value))") }
        for (series, value) in snapshot.gauges { lines[series.name, default: []].append("\(series.name)\(format(series.labels)) \(number(value))") }
        lines["clearance_http_open_connections", default: []].append("clearance_http_open_connections \(openConnections.load(ordering: .relaxed))")
        for (series, histogram) in snapshot.histograms {
            var cumulative = 0
            var out: [String] = []
            for (bound, count) in zip(Self.latencyBuckets, histogram.buckets) {
                cumulative += count
                out.append("\(series.name)_bucket\(format(series.labels + ["le", number(bound)])) \(cumulative)")
            }
            out.append("\(series.name)_bucket\(format(series.labels + ["le", "+Inf"])) \(histogram.count)")
            out.append("\(series.name)_sum\(format(series.labels)) \(histogram.sum)")
            out.append("\(series.name)_count\(format(series.labels)) \(histogram.count)")
            lines[series.name, default: []].append(out.joined(separator: "\n"))
        }
        var text = ""
        for name in lines.keys.sorted() {
            if let meta = Self.help[name] { text += "# HELP \(name) \(meta.help)\n# TYPE \(name) \(meta.type)\n" }
            text += lines[name, default: []].sorted().joined(separator: "\n") + "\n"
        }
        return text
    }

    private func format(_ labels: [String]) -> String {
        guard !labels.isEmpty else { return "" }
        var parts: [String] = []
        var i = 0
        while i + 1 < labels.count {
            let value = labels[i + 1].replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                .replacingOccurrences(of: "\n", with: "\\n")
            parts.append("\(labels[i])=\"\(value)\"")
            i += 2
        }
        return "{" + parts.joined(separator: ",") + "}"
    }

    private func number(_ value: Double) -> String {
        value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}
