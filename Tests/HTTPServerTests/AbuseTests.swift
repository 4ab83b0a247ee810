import Foundation
import HTTPServer
import Testing
import TestSupport

/// Clients that misbehave on purpose: pipelines cut anywhere, bodies trickled byte by byte. Other clients keep being
/// served within their budget.
@Suite struct AbuseTests {
    func server(_ configure: (inout ServerConfiguration) -> Void = { _ in }) throws -> HTTPServer {
        try startTestServer(configure: configure, routes: LiveServerTests.routes)
    }

    /// Three pipelined requests (a GET, a POST with a length, a chunked POST), the stream cut into two reads at every
    /// byte: each cut gives the same three answers in order.
    @Test func pipelinesSplitAtEveryByteAreAnsweredInOrder() throws {
        let server = try server()
        defer { server.shutdown(gracePeriod: 1) }
        let stream = Array(("GET /items/7 HTTP/1.1\r\nHost: x\r\n\r\n"
            + "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"
            + "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n").utf8)
        for cut in 1..<stream.count {
            let client = try RawHTTPClient(port: server.port)
            try client.send(Array(stream[..<cut]))
            if cut % 7 == 0 { Thread.sleep(forTimeInterval: 0.002) }
            try client.send(Array(stream[cut...]))
            let answers = try (0..<3).map { _ in try client.readResponse().text }
            #expect(answers == ["item 7 q=", "hello", "abcde"], "cut at byte \(cut)")
        }
    }

    /// Bodies trickled far below the minimum rate end in 408 once their size's allowance is spent, while a client
    /// that behaves is served at once throughout.
    @Test func trickledBodiesAre408AndOthersAreServed() throws {
        let server = try server { $0.bodyReadTimeout = 0.5; $0.minBodyBytesPerSecond = 1000 }
        defer { server.shutdown(gracePeriod: 1) }
        let slow = try (0..<32).map { _ in try RawHTTPClient(port: server.port) }
        for client in slow { try client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\na") }
        let started = Date()
        let active = try RawHTTPClient(port: server.port)
        for _ in 0..<20 {
            let asked = Date()
            #expect(try active.request("GET", "/hello").status == 200)
            #expect(Date().timeIntervalSince(asked) < 0.5)
        }
        for client in slow {
            try? client.send("b")
            #expect(try client.readResponse().status == 408)
        }
        // 100 bytes at 1,000 B/s plus 0.5 s: the allowance is 0.6 s, not the old flat minute.
        #expect(Date().timeIntervalSince(started) < 5)
    }
}
