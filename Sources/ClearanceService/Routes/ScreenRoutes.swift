import Foundation
import HTTPServer
import OpenSSLCrypto

/// `POST /screen` and `POST /screen/batch` (screen role).
struct ScreenRoutes {
    let screening: ScreeningService
    let auth: Authenticator
    static let maxBatch = 1000
    /// The most name characters (names and aliases) one batch may hold. Screening time grows with them (about
    /// 12 µs a character here), so this bounds the CPU one request can take to a few seconds: 1,000 subjects of 20
    /// aliases of 500 characters each would take minutes.
    static let maxBatchNameCharacters = 200_000
    /// The largest batch body: room for the name budget written as escaped UTF-16 (6 bytes a character) and a few
    /// hundred bytes of other fields per subject, so a body that could only be refused after decoding it all is
    /// refused (413) before it is read.
    static let maxBatchBodyBytes = 4 * 1024 * 1024

    func register(on router: inout Router) {
        router.keyed(auth: auth, roles: [.screen]) { routes in
            routes.add("POST", "/screen", options: RouteOptions(maxBodyBytes: 64 * 1024)) { [screening] request, caller in
                let data = try request.body.data()
                let subject = try Self.subject(data, pointer: "")
                try screening.validate([subject]) { _ in "" }
                // The answer waits for the group commit without holding a worker thread (see ResponsePromise).
                let promise = ResponsePromise()
                screening.screen([subject], batch: false, caller: caller, idempotencyKey: try Self.idempotencyKey(request)) { result in
                    promise.fulfill(Self.response(result) { $0.first ?? "" })
                }
                return .deferred(promise)
            }
            routes.add("POST", "/screen/batch", options: RouteOptions(maxBodyBytes: Self.maxBatchBodyBytes)) { [screening] request, caller in
                let data = try request.body.data()
                let items = try Self.batchItems(data, contentType: request.headers["Content-Type"])
                guard !items.isEmpty else { throw JSON.invalid(pointer: "", "the batch holds no subjects") }
                guard items.count <= Self.maxBatch else { throw JSON.invalid(pointer: "", "at most \(Self.maxBatch) subjects per batch, got \(items.count)") }
                let subjects = try items.enumerated().map { try Self.subject($1.data, pointer: "/\($0)", checked: $1.checked) }
                try screening.validate(subjects) { "/\($0)" }
                var characters = 0
                for (index, subject) in subjects.enumerated() {
                    characters += subject.request.nameCharacters
                    if characters > Self.maxBatchNameCharacters {
                        throw JSON.invalid(pointer: "/\(index)", "the batch's names, aliases and owners' names exceed \(Self.maxBatchNameCharacters) characters in all; split it")
                    }
                }
                // A batch waits on its worker: its screening dwarfs the wait, and its large answer is built here rather
                // than on the audit writer's thread.
                let idempotencyKey = try Self.idempotencyKey(request)
                let outcome = Result {
                    try Blocking.wait { done in screening.screen(subjects, batch: true, caller: caller, idempotencyKey: idempotencyKey, completion: done) }
                }
                return Self.response(outcome) { "{\"decisions\":[" + $0.joined(separator: ",") + "]}" }
            }
        }
    }

    /// The HTTP answer to a screening outcome: the JSON `body` built from the records, or the problem it failed with.
    static func response(_ result: Result<ScreeningService.Answer, any Error>, body: ([String]) -> String) -> HTTPResponse {
        switch result {
        case .success(let (records, replayed)):
            var http = HTTPResponse.data(Data(body(records).utf8), contentType: JSON.contentType)
            if replayed { http.headers["Idempotent-Replayed"] = "true" }
            return http
        case .failure(let error as HTTPError):
            return ProblemDetails.response(for: error)
        case .failure(let error as any HTTPProblemConvertible) where error.problem != nil:
            return ProblemDetails.response(for: error.problem ?? HTTPError(.internalServerError))
        case .failure:
            return ProblemDetails.response(.internalServerError, detail: "the server could not complete the request")
        }
    }

    static func idempotencyKey(_ request: HTTPRequest) throws -> String? {
        guard let key = request.headers["Idempotency-Key"] else { return nil }
        guard (1...200).contains(key.count) else {
            throw HTTPError(.unprocessableContent, title: "Invalid Idempotency-Key", detail: "Idempotency-Key must be 1 to 200 characters",
                            type: "validation-error", extensions: ["header": .string("Idempotency-Key")])
        }
        return key
    }

    /// Decodes one subject; errors point into the batch with `pointer` as prefix. `checked` says the bytes already
    /// passed `JSONPreflight` (a batch array's items); otherwise the first decode checks them, and only it.
    static func subject(_ data: Data, pointer: String, checked: Bool = false) throws -> ScreeningService.Subject {
        do {
            let raw = try JSON.decode(JSONValue.self, from: data, preflight: !checked)
            guard case .object = raw else { throw JSON.invalid(pointer: pointer, "expected a JSON object") }
            let request = try JSON.decode(ScreenRequest.self, from: data, preflight: false)
            return ScreeningService.Subject(request: request, raw: raw, rawHash: SHA256.hex(data))
        } catch ServiceError.invalidField(let inner, let reason) where !pointer.isEmpty {
            throw ServiceError.invalidField(pointer: pointer + inner, reason: reason)
        }
    }

    /// A JSON array, or NDJSON (one object per line); `checked` when the item already passed `JSONPreflight` (the
    /// array was checked whole; NDJSON lines are checked one by one).
    static func batchItems(_ data: Data, contentType: String?) throws -> [(data: Data, checked: Bool)] {
        let firstByte = data.first { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }
        if firstByte == UInt8(ascii: "[") {
            guard case .array(let values) = try JSON.decode(JSONValue.self, from: data) else { throw JSON.invalid(pointer: "", "expected an array") }
            // Each item is written again as canonical JSON, which its `requestSha256` covers: keys sorted, so an item's
            // hash, and so an idempotent retry, is the same in every process (an unsorted encoder writes an object's
            // keys in the order of the process's hash seed, so a retry heard after a restart or by another replica
            // was refused as another request).
            let encoder = JSON.encoder()
            return try values.map { (try encoder.encode($0), true) }
        }
        guard firstByte != nil else { throw JSON.invalid(pointer: "", "the request body is empty") }
        return data.split(separator: 0x0A).filter { line in line.contains { $0 != 0x20 && $0 != 0x0D && $0 != 0x09 } }.map { (Data($0), false) }
    }
}
