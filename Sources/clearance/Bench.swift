import ArgumentParser
import ClearanceService
import Foundation
import ListFormats
import Logging
import Matching
import Store

/// Benchmarks that need the library's insides (run by the scripts in `scripts/benchmarks`; hidden from help).
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Benchmarks (see scripts/benchmarks).", shouldDisplay: false, subcommands: [MatchingBench.self, SeedDecisions.self])

    /// Index build time and memory, and single-core query latency over a labelled set, against all shared lists.
    struct MatchingBench: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "matching")

        @Option var lists: String = "../shared/lists"
        @Option var dataset: String = "../shared/eval/dev.tsv"
        @Option var rounds: Int = 5
        @Option var showSlowest: Int = 0

        func run() throws {
            let root = URL(fileURLWithPath: lists)
            func files(_ folder: String) throws -> [ListFile] {
                let directory = root.appendingPathComponent(folder)
                return try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted().map {
                    ListFile(name: $0, data: try Data(contentsOf: directory.appendingPathComponent($0)))
                }
            }
            var entries = try OFACCSVFormat.parse(try files("ofac-sdn-2021")) + OFACCSVFormat.parse(try files("ofac-consolidated"))
            entries += try CSLCSVFormat.parse(try files("us-csl")) + UNXMLFormat.parse(try files("un"))
            let matchable = entries.map(EntryMapping.matchable)
            let rssBefore = BenchSupport.residentMB()
            let buildStart = Date()
            let index = MatchIndex(entries: matchable)
            let buildSeconds = Date().timeIntervalSince(buildStart)
            let rssAfter = BenchSupport.residentMB()
            print(String(format: "index: %d entries, %d names, %d words; built in %.2f s; memory +%.0f MB (RSS %.0f → %.0f MB)",
                         index.entryCount, index.nameCount, index.wordCount, buildSeconds, rssAfter - rssBefore, rssBefore, rssAfter))
            print("learnt from the lists' own aliases: \(index.learnedVariantPairs) spelling pairs, endings \(index.learnedEndings.joined(separator: ", "))")
            let lines = try String(contentsOfFile: dataset, encoding: .utf8).split(separator: "\n").dropFirst()
            var queries: [MatchQuery] = []
            for line in lines {
                let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
                guard fields.count >= 5 else { continue }
                queries.append(MatchQuery(names: [String(fields[4])], kind: EntityKind(rawValue: String(fields[3])) ?? .unknown))
            }
            let matcher = Matcher(index: index)
            var latencies: [Double] = []
            var baseline: [Double] = []
            var slowest: [(Double, String)] = []
            for _ in 0..<rounds {
                for query in queries {
                    // Baseline in the same run: normalising the query alone (the floor any matcher pays).
                    let t0 = DispatchTime.now().uptimeNanoseconds
                    _ = query.names.map(Normalizer.tokens)
                    let t1 = DispatchTime.now().uptimeNanoseconds
                    _ = matcher.match(query, minimumScore: 0.76, limit: 20)
                    let t2 = DispatchTime.now().uptimeNanoseconds
                    baseline.append(Double(t1 - t0) / 1e6)
                    latencies.append(Double(t2 - t1) / 1e6)
                    slowest.append((Double(t2 - t1) / 1e6, query.names[0]))
                }
            }
            latencies.sort()
            baseline.sort()
            if showSlowest > 0 {
                for (ms, name) in slowest.sorted(by: { $0.0 > $1.0 }).prefix(showSlowest) { print(String(format: "  %.3f ms  %@", ms, name)) }
            }
            func p(_ values: [Double], _ q: Double) -> Double { values[min(values.count - 1, Int(Double(values.count) * q))] }
            print(String(format: "query latency, one thread, %d queries × %d rounds: p50 %.3f ms  p90 %.3f ms  p99 %.3f ms  max %.3f ms",
                         queries.count, rounds, p(latencies, 0.5), p(latencies, 0.9), p(latencies, 0.99), latencies.last ?? 0))
            print(String(format: "baseline (normalisation only), same run: p50 %.3f ms  p99 %.3f ms; matching/baseline at p50: %.1f×",
                         p(baseline, 0.5), p(baseline, 0.99), p(latencies, 0.5) / max(p(baseline, 0.5), 1e-9)))
        }
    }

    /// Appends synthetic decision records through the real audit path (chain hashes, decision index, full-text).
    struct SeedDecisions: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "seed-decisions")

        @Option var count: Int = 1_000_000
        @OptionGroup var db: DatabaseOptions

        func run() throws {
            let context = try CLIContext(db)
            let words = ["hikvision", "acme", "global", "trading", "northwind", "contoso", "fabrikam", "tailspin", "litware", "adventure",
                         "works", "proseware", "wingtip", "fourth", "coffee", "margie", "travel", "lucerne", "publishing", "alpine"]
            var generator = SystemRandomNumberGenerator()
            var written = 0
            let started = Date()
            while written < count {
                let batch = (0..<min(1000, count - written)).map { i -> AuditTrail.Item in
                    let n = written + i
                    let name = (0..<3).map { _ in words[Int(generator.next() % UInt64(words.count))] }.joined(separator: " ") + " \(n)"
                    let id = String(format: "dec_seed%012d", n)
                    let decision = ["clear", "review", "block"][n % 3]
                    let body = #"{"caller":{"keyId":"key_seed","name":"seed"},"decision":"\#(decision)","decisionId":"\#(id)","engineVersion":"seed","latencyMs":0.5,"listVersions":[],"matches":[],"normalizedQuery":[],"policyVersion":1,"reference":"S\#(n)","request":{"name":"\#(name)"},"requestSha256":"","screenedAt":"2026-01-01T00:00:00.000Z"}"#
                    let entry = AuditEntry(id: id, kind: "decision", action: "screen", recordedAt: "2026-01-01T00:00:00.000Z", actorKeyID: "key_seed", body: body)
                    return AuditTrail.Item(entry, decision: DecisionWrites(index: DecisionRow(
                        id: id, screenedAt: "2026-01-01T00:00:00.000Z", keyID: "key_seed", decision: decision, reference: "S\(n)", subject: name,
                        policyVersion: 1, engineVersion: "seed", idempotencyKey: nil, requestHash: "", lists: [], matches: [])))
                }
                try context.audit.append(batch)
                written += batch.count
                if written % 100_000 == 0 { print("\(written) records, \(Int(Date().timeIntervalSince(started))) s") }
            }
            try context.audit.syncIndex()
            print("seeded \(written) decision records in \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
        }
    }
}

enum BenchSupport {
    static func residentMB() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kb = Double(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
        return kb / 1024
    }
}
