import ArgumentParser
import Foundation

/// Runs a labelled set through `POST /screen` on a live server and prints recall by class, the false-positive rate
/// and latency percentiles.
struct Eval: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Evaluate matching quality over HTTP: recall by class, false-positive rate, latency.",
        discussion: "The key needs the screen and audit roles (audit to read which list each match came from).")

    @Option(help: "Base URL of a running service.")
    var url: String = "http://127.0.0.1:8080"

    @Option(help: "API key (env CLEARANCE_EVAL_KEY).")
    var key: String?

    @Option(help: "The labelled set: qid, class, label, type, query, expected, listed_name (tab-separated, header row). A negative with an expected entity must not match that entity; one without must clear.")
    var dataset: String = "../shared/eval/dev.tsv"

    @Option(help: "Print up to this many misses and false positives.")
    var show: Int = 0

    func run() throws {
        var key: String?
        try Environment.apply(self.key, "CLEARANCE_EVAL_KEY", to: &key)
        guard let key else { throw ValidationError("give --key or CLEARANCE_EVAL_KEY") }
        guard let base = URL(string: url), let host = base.host, let port = base.port else { throw ValidationError("--url needs a host and port") }
        let client = try EvalHTTPClient(host: host, port: port)
        let rows = try String(contentsOfFile: dataset, encoding: .utf8).split(separator: "\n").dropFirst().map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        let lists = try client.get("/lists", key: key)
        let formats = Dictionary(uniqueKeysWithValues: ((lists["lists"] as? [[String: Any]]) ?? []).compactMap { list -> (String, String)? in
            guard let id = list["id"] as? String, let format = list["format"] as? String else { return nil }
            return (id, format)
        })
        var found: [String: (hit: Int, total: Int)] = [:]
        var falsePositives = 0, negatives = 0
        var latencies: [Double] = []
        var misses: [String] = []
        for row in rows where row.count >= 7 {
            let (label, kind, query, expected) = (row[2], row[3], row[4], row[5])
            var body: [String: Any] = ["name": query, "reference": row[0]]
            if kind != "unknown" { body["type"] = kind }
            let started = Date()
            let response = try client.post("/screen", json: body, key: key)
            latencies.append(Date().timeIntervalSince(started) * 1000)
            let decision = response["decision"] as? String ?? "error"
            let matches = response["matches"] as? [[String: Any]] ?? []
            let ids = matches.flatMap { Self.entities($0, formats: formats) }
            if label == "pos" {
                let hit = decision != "clear" && ids.contains(expected)
                found[row[1], default: (0, 0)].total += 1
                if hit { found[row[1], default: (0, 0)].hit += 1 } else if misses.count < show {
                    misses.append("MISS \(row[1])\t\(query)\texpected \(expected) \(row[6])\tgot \(decision) \(matches.prefix(2).map { "\($0["matchedName"] ?? "")=\($0["score"] ?? "")" })")
                }
            } else {
                negatives += 1
                // A negative naming an entity must not match that entity (a pair that must not match); one naming
                // none must clear.
                if expected.isEmpty ? decision != "clear" : decision != "clear" && ids.contains(expected) {
                    falsePositives += 1
                    if misses.count < show { misses.append("FP \(row[1])\t\(query)\t\(decision) \(matches.prefix(2).map { "\($0["matchedName"] ?? "")=\($0["score"] ?? "")" })") }
                }
            }
        }
        misses.forEach { print($0) }
        let hits = found.values.reduce(0) { $0 + $1.hit }, total = found.values.reduce(0) { $0 + $1.total }
        print("class            recall   (found/total)")
        for (name, counts) in found.sorted(by: { $0.key < $1.key }) {
            print(String(name.padding(toLength: 16, withPad: " ", startingAt: 0)), String(format: "%.3f   (%d/%d)", Double(counts.hit) / Double(max(counts.total, 1)), counts.hit, counts.total))
        }
        print(String(format: "overall recall   %.3f   (%d/%d)", Double(hits) / Double(max(total, 1)), hits, total))
        print(String(format: "false positives  %.4f   (%d/%d negatives not clear)", Double(falsePositives) / Double(max(negatives, 1)), falsePositives, negatives))
        latencies.sort()
        func percentile(_ p: Double) -> Double { latencies.isEmpty ? 0 : latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))] }
        print(String(format: "latency ms (HTTP round trip, one connection)  p50 %.2f  p90 %.2f  p99 %.2f  max %.2f", percentile(0.5), percentile(0.9), percentile(0.99), latencies.last ?? 0))
    }

    /// The dataset's entity ids a match stands for: `ofac:N` for OFAC entries and CSL rows with an OFAC number,
    /// `csl:ID` for other CSL rows, `un:REF` for UN entries.
    /// The entities a match stands for in the dataset's terms, its folded copies' (`alsoListed`) included.
    static func entities(_ match: [String: Any], formats: [String: String]) -> [String] {
        guard let list = match["list"] as? String, let id = match["entryId"] as? String else { return [] }
        let copies = (match["alsoListed"] as? [[String: Any]] ?? []).flatMap { entities($0, formats: formats) }
        return copies + ownEntities(match, list: list, id: id, formats: formats)
    }

    private static func ownEntities(_ match: [String: Any], list: String, id: String, formats: [String: String]) -> [String] {
        let references = match["references"] as? [String] ?? []
        switch formats[list] {
        case "ofac-csv": return ["ofac:\(id)"]
        case "csl-csv", "csl-json": return references.isEmpty ? ["csl:\(id)"] : references + ["csl:\(id)"]
        case "un-xml": return ["un:\(id)"]
        default: return ["\(list):\(id)"]
        }
    }
}

/// A keep-alive HTTP/1.1 client on one socket, so the measured latency is the service's, not connection setup's.
final class EvalHTTPClient {
    private let fd: Int32
    private var buffer: [UInt8] = []

    init(host: String, port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        inet_pton(AF_INET, host == "localhost" ? "127.0.0.1" : host, &address.sin_addr)
        let rc = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard rc == 0 else { throw ValidationError("cannot connect to \(host):\(port)") }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    }

    deinit { close(fd) }

    func get(_ path: String, key: String) throws -> [String: Any] { try exchange("GET", path, key: key, body: nil) }

    func post(_ path: String, json: [String: Any], key: String) throws -> [String: Any] {
        try exchange("POST", path, key: key, body: try JSONSerialization.data(withJSONObject: json))
    }

    private func exchange(_ method: String, _ path: String, key: String, body: Data?) throws -> [String: Any] {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: eval\r\nAuthorization: Bearer \(key)\r\n"
        if let body { head += "Content-Type: application/json\r\nContent-Length: \(body.count)\r\n" }
        let bytes = Array((head + "\r\n").utf8) + Array(body ?? Data())
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw ValidationError("send failed") }
            sent += n
        }
        var headerEnd: Int?
        while headerEnd == nil {
            try fill()
            if let range = Data(buffer).range(of: Data("\r\n\r\n".utf8)) { headerEnd = range.upperBound }
        }
        let headText = String(decoding: buffer[0..<(headerEnd ?? 0)], as: UTF8.self).lowercased()
        let length = headText.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }.flatMap { Int($0.dropFirst(15).trimmingCharacters(in: .whitespaces)) } ?? 0
        while buffer.count < (headerEnd ?? 0) + length { try fill() }
        let bodyBytes = Data(buffer[(headerEnd ?? 0)..<((headerEnd ?? 0) + length)])
        buffer.removeFirst((headerEnd ?? 0) + length)
        return (try? JSONSerialization.jsonObject(with: bodyBytes) as? [String: Any]) ?? [:]
    }

    private func fill() throws {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { throw ValidationError("connection closed by the server") }
        buffer += chunk[0..<n]
    }
}
