import HTTPServer
import ListFormats

/// What the service refuses or cannot do, in its own terms. Services throw these and know nothing of HTTP; the
/// conformance below is the one place they become problem documents (status, type, the field at fault).
public enum ServiceError: Error, Sendable, Equatable {
    /// `what` ("list ofac-sdn", "version 3 of list un") does not exist.
    case notFound(String)
    /// A parameter (query parameter or path segment) is not acceptable; `reason` says what it accepts.
    case invalidParameter(String, reason: String)
    /// A field of the request body is not acceptable; `pointer` is its JSON pointer (RFC 6901, "" for the whole body).
    case invalidField(pointer: String, reason: String)
    /// An idempotency key sent again with a different request.
    case idempotencyKeyReused(String)
    /// A list file, or an upload's files, refused, with the file, line or element at fault.
    case invalidListFile(ListParseError)
    /// The request conflicts with the service's state.
    case conflict(String)
    /// The service cannot do it now (overloaded, storage unavailable); a retry shortly may succeed.
    case unavailable(String)
    /// No list is active: screening would check nothing, so it is refused rather than answered "clear".
    case noActiveLists
    /// No valid API key.
    case unauthenticated(String)
    /// A valid key without the role.
    case forbidden(String)
    /// Over a per-key bound; retry after the given time.
    case tooManyRequests(String, retryAfterSeconds: Int)
}

extension ServiceError: CustomStringConvertible {
    /// What went wrong in a sentence (logs, the command line, sync results): the problem's detail.
    public var description: String {
        httpError.detail ?? httpError.title
    }
}

extension ServiceError: HTTPProblemConvertible {
    public var problem: HTTPError? { httpError }

    var httpError: HTTPError {
        switch self {
        case .notFound(let what):
            return HTTPError(.notFound, detail: "\(what) does not exist")
        case .invalidParameter(let name, let reason):
            return HTTPError(.unprocessableContent, title: "Invalid parameter", detail: "\(name): \(reason)", type: "validation-error",
                             extensions: ["parameter": .string(name)])
        case .invalidField(let pointer, let reason):
            return HTTPError(.unprocessableContent, title: "Invalid request body", detail: pointer.isEmpty ? reason : "\(pointer): \(reason)",
                             type: "validation-error",
                             extensions: ["pointer": .string(pointer), "errors": .objects([["pointer": pointer, "detail": reason]])])
        case .idempotencyKeyReused(let key):
            return HTTPError(.unprocessableContent, title: "Idempotency key reused", detail: "Idempotency-Key \(key) was used for a different request",
                             type: "idempotency-key-reused", extensions: ["header": .string("Idempotency-Key")])
        case .invalidListFile(let error):
            var extensions: [String: ProblemValue] = [:]
            if let file = error.file { extensions["file"] = .string(file) }
            if let line = error.line { extensions["line"] = .int(line) }
            if let element = error.element { extensions["element"] = .string(element) }
            return HTTPError(.unprocessableContent, title: "Invalid list file", detail: error.description, type: "invalid-list-file",
                             extensions: extensions)
        case .conflict(let detail):
            return HTTPError(.conflict, detail: detail)
        case .unavailable(let detail):
            return HTTPError(.serviceUnavailable, detail: detail, headers: HTTPHeaders([("Retry-After", "1")]))
        case .noActiveLists:
            return HTTPError(.serviceUnavailable, title: "No active lists",
                             detail: "no list is active, so nothing can be screened; upload a list version or let sync fetch the official lists",
                             type: "no-active-lists", headers: HTTPHeaders([("Retry-After", "60")]))
        case .unauthenticated(let detail):
            return HTTPError(.unauthorized, detail: detail, headers: HTTPHeaders([("WWW-Authenticate", "Bearer realm=\"clearance\"")]))
        case .forbidden(let detail):
            return HTTPError(.forbidden, detail: detail)
        case .tooManyRequests(let detail, let seconds):
            return HTTPError(.tooManyRequests, detail: detail, type: "rate-limited", headers: HTTPHeaders([("Retry-After", String(seconds))]))
        }
    }
}
