import Testing
@testable import HTTPServer

@Suite struct RequestHeadParserTests {
    let configuration = ServerConfiguration()

    func parse(_ text: String) throws(ProtocolError) -> RequestHead {
        try RequestHeadParser.parse(Array(text.utf8)[...], configuration: configuration)
    }

    @Test func parsesRequestLineAndHeaders() throws {
        let head = try parse("POST /screen?x=1 HTTP/1.1\r\nHost: a\r\nContent-Type:  application/json \r\nX-A: 1")
        #expect(head.method == "POST")
        #expect(head.target == "/screen?x=1")
        #expect(head.version == .http11)
        #expect(head.headers["content-type"] == "application/json")
    }

    @Test func acceptsAbsoluteFormTargets() throws {
        #expect(try parse("GET http://example.com/lists?x=1 HTTP/1.1\r\nHost: example.com").target == "/lists?x=1")
        #expect(try parse("GET https://example.com HTTP/1.1\r\nHost: example.com").target == "/")
    }

    @Test func rejectsMalformedRequestLines() {
        for bad in ["GET /\r\nHost: a", "GET  / HTTP/1.1\r\nHost: a", "GET / HTTP/1.1 x\r\nHost: a", "G@T / HTTP/1.1\r\nHost: a", "GET x HTTP/1.1\r\nHost: a"] {
            #expect(throws: ProtocolError.self, "\(bad)") { try parse(bad) }
        }
    }

    @Test func answersUnsupportedVersionsWith505() {
        do {
            _ = try parse("GET / HTTP/2.0\r\nHost: a")
            Issue.record("expected an error")
        } catch { #expect(error.status == .versionNotSupported) }
    }

    @Test func rejectsHeaderSmugglingShapes() {
        // space before colon, obsolete folding, missing Host, two Hosts
        for bad in ["GET / HTTP/1.1\r\nHost : a", "GET / HTTP/1.1\r\nHost: a\r\n folded", "GET / HTTP/1.1\r\nX: 1", "GET / HTTP/1.1\r\nHost: a\r\nHost: b"] {
            #expect(throws: ProtocolError.self, "\(bad)") { try parse(bad) }
        }
    }

    @Test func framingRefusesAmbiguity() throws {
        func framing(_ headers: String, version: String = "HTTP/1.1") throws(ProtocolError) -> BodyFraming {
            try RequestHeadParser.framing(of: try parse("POST / \(version)\r\nHost: a\r\n\(headers)"))
        }
        #expect(try framing("Content-Length: 5") == .length(5))
        #expect(try framing("Transfer-Encoding: chunked") == .chunked)
        #expect(try framing("Content-Length: 0") == BodyFraming.none)
        for bad in ["Content-Length: 5\r\nTransfer-Encoding: chunked", "Content-Length: 5\r\nContent-Length: 5", "Content-Length: -1",
                    "Content-Length: 5, 5", "Content-Length: +5", "Content-Length: 0x10", "Transfer-Encoding: gzip",
                    "Transfer-Encoding: chunked, gzip", "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked"] {
            #expect(throws: ProtocolError.self, "\(bad)") { try framing(bad) }
        }
        #expect(throws: ProtocolError.self) { try framing("Transfer-Encoding: chunked", version: "HTTP/1.0") }
    }

    @Test func limitsHeaderCount() {
        let many = (0..<150).map { "X-\($0): v" }.joined(separator: "\r\n")
        do {
            _ = try parse("GET / HTTP/1.1\r\nHost: a\r\n" + many)
            Issue.record("expected an error")
        } catch { #expect(error.status == .headerFieldsTooLarge) }
    }
}

@Suite struct RouterTests {
    func router() -> Router {
        var router = Router()
        router.get("/lists/{list}") { _ in HTTPResponse() }
        router.post("/lists/{list}/versions") { _ in HTTPResponse() }
        router.get("/decisions/export") { _ in HTTPResponse() }
        router.get("/decisions/{id}") { _ in HTTPResponse() }
        return router
    }

    @Test func matchesParametersAndPrefersLiterals() {
        guard case .matched(let route, let parameters) = router().resolve(method: "GET", path: "/lists/ofac-sdn") else {
            Issue.record("no match")
            return
        }
        #expect(route.pattern == "/lists/{list}")
        #expect(parameters["list"] == "ofac-sdn")
        guard case .matched(let export, _) = router().resolve(method: "GET", path: "/decisions/export") else {
            Issue.record("no match")
            return
        }
        #expect(export.pattern == "/decisions/export")
    }

    @Test func theMostSpecificPatternsOwnAPathWhateverTheMethod() {
        var router = Router()
        router.add("POST", "/counterparties/import") { _ in HTTPResponse() }
        router.get("/counterparties/{id}") { _ in HTTPResponse() }
        router.add("DELETE", "/counterparties/{id}") { _ in HTTPResponse() }
        guard case .methodNotAllowed(let allowed) = router.resolve(method: "GET", path: "/counterparties/import") else {
            Issue.record("GET /counterparties/import should be refused")
            return
        }
        #expect(allowed == ["POST"])
        guard case .matched(let route, let parameters) = router.resolve(method: "DELETE", path: "/counterparties/SUP-1") else {
            Issue.record("no match")
            return
        }
        #expect(route.pattern == "/counterparties/{id}" && parameters["id"] == "SUP-1")
        guard case .methodNotAllowed(let other) = router.resolve(method: "PUT", path: "/counterparties/SUP-1") else {
            Issue.record("PUT should be refused")
            return
        }
        #expect(other == ["GET", "DELETE", "HEAD"])
    }

    @Test func aRemainderSegmentTakesTheRestOfThePath() {
        var router = router()
        router.get("/console/{asset...}") { _ in HTTPResponse() }
        router.get("/console/api") { _ in HTTPResponse() }
        router.get("/files/{name}") { _ in HTTPResponse() }
        router.get("/files/{path...}") { _ in HTTPResponse() }
        func resolved(_ path: String) -> (String, [String: String])? {
            guard case .matched(let route, let parameters) = router.resolve(method: "GET", path: path) else { return nil }
            return (route.pattern, parameters)
        }
        #expect(resolved("/console/js/app.js")?.1 == ["asset": "js/app.js"])
        #expect(resolved("/console/index.html")?.1 == ["asset": "index.html"])
        #expect(resolved("/console/api")?.0 == "/console/api", "a literal wins")
        #expect(resolved("/files/a")?.0 == "/files/{name}", "a one-segment parameter wins over a remainder")
        #expect(resolved("/files/a/b")?.0 == "/files/{path...}")
        #expect(resolved("/console") == nil, "a remainder is at least one segment")
        #expect(resolved("/console/../keys") == nil && resolved("/console/./x") == nil, "never dot segments")
    }

    @Test func distinguishesNotFoundFromMethodNotAllowed() {
        guard case .methodNotAllowed(let allowed) = router().resolve(method: "DELETE", path: "/lists/x/versions") else {
            Issue.record("expected 405")
            return
        }
        #expect(allowed == ["POST"])
        guard case .notFound = router().resolve(method: "GET", path: "/nothing") else {
            Issue.record("expected 404")
            return
        }
    }
}
