import Foundation
import HTTPServer
import Testing

/// `Router.respond(to:)` serves a request in process as a connection would: route, head check, handler, problems,
/// deferred responses.
@Suite struct RouterRespondTests {
    static let router: Router = {
        var router = Router()
        router.get("/items/{id}") { request in .text("item \(request.parameter("id"))") }
        router.post("/guarded", options: RouteOptions(headCheck: { request in
            guard request.headers["Authorization"] == "Bearer right" else { throw HTTPError(.unauthorized, detail: "no key") }
        })) { _ in .text("in") }
        router.get("/later") { _ in
            let promise = ResponsePromise()
            DispatchQueue.global().asyncAfter(deadline: .now() + 0.05) { promise.fulfill(.text("later")) }
            return .deferred(promise)
        }
        router.get("/fail") { _ in throw HTTPError(.conflict, detail: "already there") }
        return router
    }()

    static func call(_ method: String, _ target: String, headers: [(String, String)] = []) -> (status: Int, text: String, headers: HTTPHeaders) {
        let response = router.respond(to: HTTPRequest(method: method, target: target, headers: HTTPHeaders(headers)))
        guard case .bytes(let body) = response.body else { return (response.status.code, "", response.headers) }
        return (response.status.code, String(decoding: body, as: UTF8.self), response.headers)
    }

    @Test func routesChecksAndAnswersAsAConnectionWould() {
        #expect(Self.call("GET", "/items/7").text == "item 7")
        // A segment that begins with a modifier or a combining mark is a segment still.
        #expect(Self.call("GET", "/items/%F0%9F%8F%BB").text == "item \u{1F3FB}")
        #expect(Self.call("GET", "/items/%CC%81x").text == "item \u{301}x")
        #expect(Self.call("GET", "/nothing").status == 404)
        let wrongMethod = Self.call("DELETE", "/items/7")
        #expect(wrongMethod.status == 405 && wrongMethod.headers["Allow"] == "GET, HEAD")
        #expect(Self.call("POST", "/guarded").status == 401)
        #expect(Self.call("POST", "/guarded", headers: [("Authorization", "Bearer right")]).text == "in")
        #expect(Self.call("GET", "/later").text == "later")
        let failed = Self.call("GET", "/fail")
        #expect(failed.status == 409 && failed.headers["Content-Type"] == ProblemDetails.contentType && failed.text.contains("already there"))
    }
}
