import Foundation
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// 10,000 connections opened at once from one address against a real `clearance serve`: those within the address's
/// limit are parked, the rest are refused with 503, keyed screening from another address goes on within its budget,
/// the server's memory stays bounded, and it serves again once they are gone.
@Suite(.serialized) struct ConnectionFloodTests {
    let cli = CommandLineTests()

    static func residentMegabytes(_ pid: Int32) -> Int {
        let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
        return (Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0) / 1024
    }

    /// Raises this process's descriptor limit to its hard limit (the server, a child, inherits it); whether 10,000
    /// connections fit.
    static func raiseDescriptorLimit(needed: Int) -> Bool {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return false }
        limit.rlim_cur = limit.rlim_max
        guard setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return false }
        return Int(limit.rlim_cur) >= needed
    }

    @Test(.enabled(if: Requirement.met(raiseDescriptorLimit(needed: 11_000)), "the descriptor limit is below 11,000"))
    func tenThousandConnectionsAtOnce() throws {
        let count = 10_000
        #expect(Self.raiseDescriptorLimit(needed: count + 1_000), "the descriptor limit is below \(count + 1_000)")
        let db = cli.tempDatabase()
        let key = try cli.run(["keys", "create", "--role", "screen", "--role", "admin", "--database", db]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let perAddress = 5_000
        let server = try ServeProcess(database: db,
                                      extra: ["--max-connections", "20000", "--max-connections-per-address", "\(perAddress)"])
        let upload = try RawHTTPClient(port: server.port).request(
            "POST", "/lists/us-csl/versions?format=csl-csv", headers: ["Authorization": "Bearer \(key)"], data: Data(ScreenFixtures.csl.utf8))
        #expect(upload.status == 201)
        let before = Self.residentMegabytes(server.process.processIdentifier)
        var flood: [RawHTTPClient] = []
        flood.reserveCapacity(count)
        for index in 0..<count {
            // Another machine, as far as the server can tell.
            let client = try RawHTTPClient(port: server.port, source: "127.0.0.2")
            // Half send the start of a head and stop; half send nothing at all.
            if index % 2 == 0 { try client.send("POST /screen HTTP/1.1\r\nHost: x\r\n") }
            flood.append(client)
        }
        // The last ones opened are beyond the address's limit: answered 503 and closed.
        let refused = try flood.suffix(10).map { client in
            client.setTimeout(5)
            return try client.readResponse()
        }
        #expect(refused.allSatisfy { $0.status == 503 && $0.header("Retry-After") != nil }, "\(refused.map(\.status))")
        let screening = try RawHTTPClient(port: server.port)
        for _ in 0..<20 {
            let asked = Date()
            let answer = try screening.request("POST", "/screen", headers: ["Authorization": "Bearer \(key)", "Content-Type": "application/json"],
                                               body: #"{"name": "Hikvision"}"#)
            #expect(answer.status == 200)
            #expect(Date().timeIntervalSince(asked) < 1, "keyed screening within its budget while \(count) connections are open")
        }
        let during = Self.residentMegabytes(server.process.processIdentifier)
        #expect(during - before < 150, "memory stays bounded: \(before) MB before, \(during) MB with \(count) connections")
        flood.removeAll()
        let after = try RawHTTPClient(port: server.port).request("GET", "/healthz")
        #expect(after.status == 200)
        #expect(server.terminate() == 0)
    }
}
