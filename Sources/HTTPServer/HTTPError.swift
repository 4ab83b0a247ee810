import Foundation
import Logging

/// An error a handler throws to answer with an RFC 9457 problem document.
public struct HTTPError: Error, Sendable {
    public var status: HTTPStatus
    public var title: String
    public var detail: String?
    /// Problem type URI suffix, e.g. `validation-error`; defaults from the status.
    public var type: String?
    /// Extension members, e.g. `"pointer": "/name"` or `"line": 12`.
    public var extensions: [String: ProblemValue]
    public var headers: HTTPHeaders

    public init(
        _ status: HTTPStatus, title: String? = nil, detail: String? = nil, type: String? = nil,
        extensions: [String: ProblemValue] = [:], headers: HTTPHeaders = HTTPHeaders()
    ) {
        self.status = status
        self.title = title ?? status.reasonPhrase
        self.detail = detail
        self.type = type
        self.extensions = extensions
        self.headers = headers
    }
}

/// An error of another layer that knows which problem it is (a database that cannot be reached is a 503, not a
/// 500); handlers may throw it as it is. Nil leaves it an unexpected failure (logged, 500).
public protocol HTTPProblemConvertible: Error {
    var problem: HTTPError? { get }
}

/// A JSON value in a problem document's extension members.
public enum ProblemValue: Sendable, Equatable {
    case string(String)
    case int(Int)
    case strings([String])
    case objects([[String: String]])

    var jsonObject: Any {
        switch self {
        case .string(let s): s
        case .int(let i): i
        case .strings(let a): a
        case .objects(let a): a
        }
    }
}

/// Builds `application/problem+json` responses (RFC 9457).
public enum ProblemDetails {
    public static let contentType = "application/problem+json"
    public static let typeBase = "https://clearance.dev/problems/"

    public static func response(for error: HTTPError, instance: String? = nil) -> HTTPResponse {
        var object: [String: Any] = [
            "type": typeBase + (error.type ?? slug(error.status)),
            "title": error.title,
            "status": error.status.code,
        ]
        if let detail = error.detail { object["detail"] = detail }
        if let instance { object["instance"] = instance }
        for (key, value) in error.extensions { object[key] = value.jsonObject }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        var response = HTTPResponse.data(data, contentType: contentType, status: error.status)
        for field in error.headers { response.headers[field.name] = field.value }
        return response
    }

    public static func response(_ status: HTTPStatus, detail: String? = nil) -> HTTPResponse {
        response(for: HTTPError(status, detail: detail))
    }

    /// The problem document for what a head check or handler threw; anything unexpected is logged and a 500.
    static func response(forThrown error: any Error, requestID: String, logger: Logger) -> HTTPResponse {
        switch error {
        case let error as HTTPError:
            return response(for: error)
        case let error as any HTTPProblemConvertible where error.problem != nil:
            return response(for: error.problem ?? HTTPError(.internalServerError))
        default:
            logger.error("handler failed", metadata: ["request_id": "\(requestID)", "error": "\(error)"])
            return response(.internalServerError, detail: "the server could not complete the request")
        }
    }

    /// The 405 for a method a path does not take, naming those it does.
    static func methodNotAllowed(_ method: String, path: String, allowed: [String]) -> HTTPResponse {
        var problem = HTTPError(.methodNotAllowed, detail: "\(method) is not allowed on \(path)")
        problem.headers["Allow"] = allowed.joined(separator: ", ")
        return response(for: problem)
    }

    static func slug(_ status: HTTPStatus) -> String {
        status.reasonPhrase.lowercased().replacingOccurrences(of: " ", with: "-")
    }
}
