#if canImport(Glibc)
import Glibc
#endif
import Foundation
import HTTPServer
import Testing
import TestSupport

/// Behaviour over real sockets against a live server on an ephemeral loopback port.
@Suite struct LiveServerTests {
    static func routes(_ router: inout Router) {
        router.get("/hello") { _ in .text("hello") }
        router.get("/items/{id}") { request in .text("item \(request.parameter("id")) q=\(request.queryValue("q") ?? "")") }
        router.post("/echo", options: RouteOptions(maxBodyBytes: 1024)) { request in
            .data(try request.body.data(), contentType: "application/octet-stream")
        }
        router.post("/upload", options: RouteOptions(maxBodyBytes: 10_000_000, spoolBodyToDisk: true)) { request in
            guard case .file(let url, let size) = request.body else { return .text("in memory", status: 500) }
            let onDisk = (try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? -1
            return .text("\(size) \(onDisk)")
        }
        router.get("/slow") { _ in
            Thread.sleep(forTimeInterval: 0.6)
            return .text("done")
        }
        // Fulfilled later from another thread, as a handler waiting for a group commit does; `now` fulfils first.
        router.get("/later/{ms}") { request in
            let promise = ResponsePromise()
            let delay = Double(request.parameter("ms")) ?? 0
            if delay == 0 {
                promise.fulfill(.text("later 0"))
            } else {
                DispatchQueue.global().asyncAfter(deadline: .now() + delay / 1000) { promise.fulfill(.text("later \(request.parameter("ms"))")) }
            }
            return .deferred(promise)
        }
        router.get("/fail") { _ in throw HTTPError(.conflict, detail: "already there", extensions: ["pointer": .string("/name")]) }
        router.get("/stream") { _ in
            .stream(contentType: "text/plain") { writer in
                for i in 0..<20_000 { try writer.write("line \(i)\n") }
            }
        }
    }

    func server(_ configure: (inout ServerConfiguration) -> Void = { _ in }) throws -> HTTPServer {
        try startTestServer(configure: configure, routes: Self.routes)
    }

    @Test func keepAliveServesSeveralRequestsOnOneConnection() throws {
        let server = try server()
        defer { server.shutdown(gracePeriod: 1) }
        let client = try RawHTTPClient(port: server.port)
        for i in 0..<3 {
            let response = try client.request("GET", "/items/\(i)?q=a%20b")
            #expect(response.status == 200)
            #expect(response.text == "item \(i) q=a b")
            #expect(response.header("Connection") == nil)
        }
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() throws {
        let server = try server()
        defer { server.shutdown(gracePeriod: 1) }
        let client = try RawHTTPClient(port: server.port)
        let requests = (1...5).map { "GET /items/\($0) HTTP/1.1\r\nHost: x\r\n\r\n" }.joined()
            + "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nping"
        try client.send(requests)
        for i in 1...5 { #expect(try client.readResponse().text == "item \(i) q=") }
        #expect(try client.readResponse().text == "ping")
    }

    /// The end of a head is found wherever the reads split it, and with bare line feeds (RFC 9112 §2.2 lets a
    /// server accept them).
    @Test func headsSplitAcrossReadsOrEndedByBareLineFeeds() throws {
        let server = try server()
        defer { server.shutdown(gracePeriod: 1) }
        let client = try RawHTTPClient(port: server.port)
        for pieces in [["GET /items/1 HTTP/1.1\r\nHost: x\r\n\r", "\n"], ["GET /items/2 HTTP/1.1\r\nHost: x\r\n", "\r\n"],
                       ["GET /items/3 HTTP/1.1\r", "\nHost: x\r\n\r\n"], ["GET /items/4 HTTP/1.1\nHost: x\n", "\n"]] {
            for piece in pieces {
                try client.send(piece)
                Thread.sleep(forTimeInterval: 0.02)
            }
            #expect(try client.readResponse().text == "item \(pieces[0].dropFirst(11).prefix(1)) q=")
        }
        let bytes = Array("GET /items/5 HTTP/1.1\r\nHost: x\r\n\r\n".utf8)
        for byte in bytes { try client.send([byte]) }
        #expect(try client.readResponse().text == "item 5 q=")
    }

    /// A deferred response holds no thread, yet the connection keeps its order, keep-alive and close semantics.
    @Test func deferredResponsesKeepOrderAndKeepAlive() throws {
        let server = try server { $0.maxWorkerThreads = 2 }
        defer { server.shutdown(gracePeriod: 1) }
        let client = try RawHTTPClient(port: server.port)
        try client.send("GET /later/150 HTTP/1.1\r\nHost: x\r\n\r\nGET /later/0 HTTP/1.1\r\nHost: x\r\n\r\nGET /items/7 HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try client.readResponse().text == "later 150")
        #expect(try client.readResponse().text == "later 0")
        #expect(try client.readResponse().text == "item 7 q=")
        #expect(try client.request("GET", "/later/20").text == "later 20", "the connection is reused after a deferred answer")

        // More waiting connections than worker threads: none is held while it waits.
        // Held workers would take 8 rounds of 300 ms (2.4 s); waiting without a thread, about one. The bound sits
        // between, with room for a loaded machine.
        let clients = try (0..<16).map { _ in try RawHTTPClient(port: server.port) }
        for c in clients { try c.send("GET /later/300 HTTP/1.1\r\nHost: x\r\n\r\n") }
        let started = Date()
        for c in clients { #expect(try c.readResponse().text == "later 300") }
        #expect(Date().timeIntervalSince(started) < 1.5, "sixteen 300 ms waits on two workers finish together")

        let closing = try RawHTTPClient(port: server.port)
        let last = try closing.request("GET", "/later/10", headers: ["Connection": "close"])
        #expect(last.text == "later 10" && last.header("Connection") == "close")
        #expect(closing.isClosedByPeer())
    }

    @Test func connectionCloseAndHTTP10() throws {
        let server = try server()
        defer { server.shutdown(gracePeriod: 1) }
        let closing = try RawHTTPClient(port: server.port)
        let response = try closing.request("GET", "/hello", headers: ["Connection": "close"])
        #expect(response.header("Connection") == "close")
        #expect(closing.isClosedByPeer())

        let old = try RawHTTPClient(port: server.port)
        try old.send("GET /hello HTTP/1.0\r\n\r\n")
        let first = try old.readResponse()
        #expect(first.status == 200 && first.text == "hello")
        #expect(old.isClosedByPeer())

        let kept = try RawHTTPClient(port: server.port)
        try kept.send("GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        #expect(try kept.readResponse().header("Connection") == "keep-alive")
        try kept.send("GET /hello HTTP/1.0\r\n\r\n")
        #expect(try kept.readResponse().status == 200)
    }

    @Test func chunkedRequestBodiesAndExpectContinue() throws {
        let server = try server()
        defer { server.shutdown(gracePeriod: 1) }
        let client = try RawHTTPClient(port: server.port)
        try client.send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n")
        #expect(try client.readResponse().text == "hello world")

        try client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n")
        #expect(try client.readResponse().status == 100)
        try client.send("abc")
        #expect(try client.readResponse().text == "abc")
    }

    @Test func expectContinueIsRefusedWhenTheBodyIsTooLarge() throws {
        let server = try server()
        defer { server.shutdown(gracePeriod: 1) }
        let client = try RawHTTPClient(port: server.port)
        try client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\nExpect: 100-continue\r\n\r\n")
        let response = try client.readResponse()
        #expect(response.status == 413)
        #expect(response.header("Content-Type") == "application/problem+json")
        #expect(client.isClosedByPeer())
    }

    @Test func largeUploadsAreSpooledToDisk() throws {
        let server = try server()
        defer { server.shutdown(gracePeriod: 1) }
        let client = try RawHTTPClient(port: server.port)
        let body = String(repeating: "x", count: 3_000_000)
        #expect(try client.request("POST", "/upload", body: body).text == "3000000 3000000")
    }

    @Test func streamedResponsesUseChunkedEncoding() throws {
        let server = try server()
        defer { server.shutdown(gracePeriod: 1) }
        let client = try RawHTTPClient(port: server.port)
        let response = try client.request("GET", "/stream")
        #expect(response.header("Transfer-Encoding") == "chunked")
        #expect(response.text.hasPrefix("line 0\nline 1\n"))
        #expect(response.text.hasSuffix("line 19999\n"))
        #expect(try client.request("GET", "/hello").text == "hello")  // still usable afterwards
    }

    @Test func oversizedHeadersGet431() throws {
        let server = try server { $0.maxHeaderBytes = 4096; $0.maxRequestLineBytes = 1024 }
        defer { server.shutdown(gracePeriod: 1) }
        let big = try RawHTTPClient(port: server.port)
        try big.send("GET /hello HTTP/1.1\r\nHost: x\r\nX-Big: \(String(repeating: "a", count: 8000))\r\n\r\n")
        #expect(try big.readResponse().status == 431)
        #expect(big.isClosedByPeer())

        let longLine = try RawHTTPClient(port: server.port)
        try longLine.send("GET /\(String(repeating: "a", count: 2000)) HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try longLine.readResponse().status == 431)
    }

    @Test func oversizedBodiesGet413() throws {
        let server = try server()
        defer { server.shutdown(gracePeriod: 1) }
        let byLength = try RawHTTPClient(port: server.port)
        #expect(try byLength.request("POST", "/echo", body: String(repeating: "a", count: 2000)).status == 413)
        let chunked = try RawHTTPClient(port: server.port)
        let chunk = String(repeating: "a", count: 800)
        try chunked.send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n320\r\n\(chunk)\r\n320\r\n\(chunk)\r\n0\r\n\r\n")
        #expect(try chunked.readResponse().status == 413)
        #expect(chunked.isClosedByPeer())
    }

    @Test func connectionLimitGets503WithRetryAfter() throws {
        let server = try server { $0.maxConnections = 2 }
        defer { server.shutdown(gracePeriod: 1) }
        let a = try RawHTTPClient(port: server.port)
        let b = try RawHTTPClient(port: server.port)
        #expect(try a.request("GET", "/hello").status == 200)
        #expect(try b.request("GET", "/hello").status == 200)
        let c = try RawHTTPClient(port: server.port)
        let refused = try c.readResponse()
        #expect(refused.status == 503)
        #expect(refused.header("Retry-After") == "1")
    }

    @Test func perAddressLimitRefusesOnlyThatAddress() throws {
        let server = try server { $0.maxConnectionsPerAddress = 2 }
        defer { server.shutdown(gracePeriod: 1) }
        let held = try (0..<2).map { _ in try RawHTTPClient(port: server.port, source: "127.0.0.3") }
        for client in held { #expect(try client.request("GET", "/hello").status == 200) }
        // A third from the same address is refused, having sent its request already: the 503 still arrives whole.
        let third = try RawHTTPClient(port: server.port, source: "127.0.0.3")
        try third.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
        let refused = try third.readResponse()
        #expect(refused.status == 503)
        #expect(refused.header("Content-Type") == "application/problem+json")
        #expect(refused.text.contains("from this address"))
        #expect(third.isClosedByPeer())
        // Another address is served; once one of the held connections closes, the first address is again.
        #expect(try RawHTTPClient(port: server.port, source: "127.0.0.4").request("GET", "/hello").status == 200)
        _ = held.first.map { Glibc.shutdown($0.fd, Int32(SHUT_RDWR)) }
        Thread.sleep(forTimeInterval: 0.2)
        #expect(try RawHTTPClient(port: server.port, source: "127.0.0.3").request("GET", "/hello").status == 200)
    }

    @Test func slowHeadGets408() throws {
        let server = try server { $0.headerReadTimeout = 0.3 }
        defer { server.shutdown(gracePeriod: 1) }
        let client = try RawHTTPClient(port: server.port)
        try client.send("GET /hello HTTP/1.1\r\nHost: x\r\n")  // never finishes the head
        Thread.sleep(forTimeInterval: 0.1)
        try client.send("X-Drip: 1\r\n")  // slowloris drip does not extend the deadline
        let response = try client.readResponse()
        #expect(response.status == 408)
        #expect(client.isClosedByPeer())
    }

    @Test func slowBodyGets408() throws {
        let server = try server { $0.bodyReadTimeout = 0.3 }
        defer { server.shutdown(gracePeriod: 1) }
        let client = try RawHTTPClient(port: server.port)
        try client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc")
        #expect(try client.readResponse().status == 408)
        #expect(client.isClosedByPeer())
    }

    @Test func idleKeepAliveConnectionsAreClosed() throws {
        let server = try server { $0.idleTimeout = 0.3 }
        defer { server.shutdown(gracePeriod: 1) }
        let client = try RawHTTPClient(port: server.port)
        #expect(try client.request("GET", "/hello").status == 200)
        let start = Date()
        #expect(client.isClosedByPeer())
        #expect(Date().timeIntervalSince(start) < 2)
    }

    @Test(arguments: [
        "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nContent-Length: 5\r\n\r\nabcd",
        "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nContent-Length: 4\r\n\r\nabcd",
        "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4x\r\n\r\nabcd",
        "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabcd\r\n0\r\n\r\n",
        "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcdXX0\r\n\r\n",
        "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: identity\r\n\r\n",
        "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding : chunked\r\n\r\n0\r\n\r\n",
    ])
    func ambiguousFramingGets400AndClose(_ attempt: String) throws {
        let server = try server()
        defer { server.shutdown(gracePeriod: 1) }
        let client = try RawHTTPClient(port: server.port)
        try client.send(attempt + "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")  // a smuggled second request
        let response = try client.readResponse()
        #expect(response.status == 400)
        #expect(response.header("Content-Type") == "application/problem+json")
        #expect(client.isClosedByPeer(), "the smuggled request must never be answered")
    }

    @Test func routingAnswers404And405WithAllow() throws {
        let server = try server()
        defer { server.shutdown(gracePeriod: 1) }
        let client = try RawHTTPClient(port: server.port)
        let missing = try client.request("GET", "/nowhere")
        #expect(missing.status == 404)
        #expect(try missing.json()["status"] as? Int == 404)
        let wrongMethod = try client.request("DELETE", "/hello")
        #expect(wrongMethod.status == 405)
        #expect(wrongMethod.header("Allow") == "GET, HEAD")
        let head = try client.request("HEAD", "/hello")
        #expect(head.status == 200 && head.header("Content-Length") == "5")
        #expect(try client.request("GET", "/hello").text == "hello")
    }

    @Test func handlerErrorsBecomeProblemDocuments() throws {
        let server = try server()
        defer { server.shutdown(gracePeriod: 1) }
        let response = try RawHTTPClient(port: server.port).request("GET", "/fail")
        #expect(response.status == 409)
        #expect(response.header("Content-Type") == "application/problem+json")
        let json = try response.json()
        #expect(json["detail"] as? String == "already there")
        #expect(json["pointer"] as? String == "/name")
        #expect(json["title"] as? String == "Conflict")
    }

    @Test func requestIDsAreEchoedOrGenerated() throws {
        let server = try server()
        defer { server.shutdown(gracePeriod: 1) }
        let client = try RawHTTPClient(port: server.port)
        #expect(try client.request("GET", "/hello", headers: ["X-Request-Id": "abc-123"]).header("X-Request-Id") == "abc-123")
        let first = try client.request("GET", "/hello").header("X-Request-Id")
        let second = try client.request("GET", "/hello").header("X-Request-Id")
        #expect(first != nil && second != nil && first != second)
    }

    @Test func gracefulShutdownFinishesInFlightRequests() throws {
        let server = try server()
        let port = server.port
        let idle = try RawHTTPClient(port: port)
        #expect(try idle.request("GET", "/hello").status == 200)
        let busy = try RawHTTPClient(port: port)
        try busy.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
        Thread.sleep(forTimeInterval: 0.1)
        let stopped = DispatchSemaphore(value: 0)
        Thread { server.shutdown(gracePeriod: 5); stopped.signal() }.start()
        Thread.sleep(forTimeInterval: 0.1)
        #expect(idle.isClosedByPeer(), "idle connections close at once")
        #expect((try? RawHTTPClient(port: port, timeout: 1).request("GET", "/hello")) == nil, "no new requests are accepted")
        let response = try busy.readResponse()
        #expect(response.status == 200 && response.text == "done")
        #expect(response.header("Connection") == "close")
        #expect(stopped.wait(timeout: .now() + 5) == .success)
    }

    @Test func gracefulShutdownWaitsForDeferredResponses() throws {
        let server = try server()
        let waiting = try RawHTTPClient(port: server.port)
        try waiting.send("GET /later/400 HTTP/1.1\r\nHost: x\r\n\r\n")
        Thread.sleep(forTimeInterval: 0.1)
        let stopped = DispatchSemaphore(value: 0)
        Thread { server.shutdown(gracePeriod: 5); stopped.signal() }.start()
        let response = try waiting.readResponse()
        #expect(response.text == "later 400" && response.header("Connection") == "close")
        #expect(stopped.wait(timeout: .now() + 5) == .success)
    }

    @Test func gracePeriodBoundsShutdown() throws {
        let server = try server()
        let busy = try RawHTTPClient(port: server.port)
        try busy.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nab")  // stalls mid-body
        Thread.sleep(forTimeInterval: 0.1)
        let start = Date()
        server.shutdown(gracePeriod: 0.3)
        #expect(Date().timeIntervalSince(start) < 2.5)
        #expect(server.openConnections == 0)
    }

    @Test func idleConnectionsDoNotStarveActiveClients() throws {
        let server = try server()
        defer { server.shutdown(gracePeriod: 1) }
        let idle = try (0..<300).map { _ in try RawHTTPClient(port: server.port) }
        for client in idle.prefix(50) { #expect(try client.request("GET", "/hello").status == 200) }
        let active = try RawHTTPClient(port: server.port)
        let start = Date()
        for _ in 0..<200 { #expect(try active.request("GET", "/hello").status == 200) }
        #expect(Date().timeIntervalSince(start) < 5)
        #expect(server.openConnections >= 300)
    }
}

/// Closing connections must cost nothing that accumulates: a callback that grew by a frame per closed connection
/// once overflowed a worker's stack after some thousands of closes. A small worker stack makes any such growth
/// crash within the count used here.
@Suite struct ClosedConnectionTests {
    @Test func thousandsOfClosedConnectionsLeaveTheServerServing() throws {
        let server = try startTestServer(configure: { $0.threadStackSize = 64 * 1024 }, routes: LiveServerTests.routes)
        defer { server.shutdown(gracePeriod: 1) }
        for i in 0..<3_000 {
            let client = try RawHTTPClient(port: server.port)
            switch i % 4 {
            case 0:  // closed by the server after its answer (served on a worker)
                #expect(try client.request("POST", "/echo", headers: ["Connection": "close"], body: "x").status == 200)
            case 1:  // closed by the client after a keep-alive answer
                #expect(try client.request("GET", "/hello").status == 200)
            case 2:  // closed by the client mid-head
                try client.send("GET /hel")
            default:  // reset by the client mid-head
                try client.send("POST /echo HTTP/1.1\r\nContent-Le")
                client.resetOnClose()
            }
        }
        let client = try RawHTTPClient(port: server.port)
        #expect(try client.request("GET", "/hello").text == "hello")
        // Every connection the clients ended is gone at once, not at the head deadline (10 s): a close or reset that
        // came with a request's last bytes is seen.
        let deadline = Date().addingTimeInterval(2)
        while server.openConnections > 1 && Date() < deadline { usleep(10_000) }
        #expect(server.openConnections <= 1, "\(server.openConnections) connections still open")
    }
}
