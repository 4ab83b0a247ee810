import Foundation
import HTTPServer
import ListFormats

/// JSON encoding and decoding for request and response bodies, with RFC 9457 errors that point at the field at fault.
public enum JSON {
    public static let contentType = "application/json"

    /// Canonical JSON (keys sorted): what responses, audit records and webhook bodies are written in.
    public static func encoder() -> CanonicalJSONEncoder { CanonicalJSONEncoder() }

    public static func response<T: Encodable>(_ value: T, status: HTTPStatus = .ok) throws -> HTTPResponse {
        .data(try encoder().encode(value), contentType: contentType, status: status)
    }

    /// Decodes a request body; a malformed or mistyped body is a 422 naming the JSON pointer of the field.
    public static func decode<T: Decodable>(_ type: T.Type, from request: HTTPRequest) throws -> T {
        let data = try request.body.data()
        return try decode(type, from: data)
    }

    /// `preflight: false` skips `JSONPreflight` for bytes that already passed it (a second decode of one body).
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data, preflight: Bool = true) throws -> T {
        guard !data.isEmpty else {
            throw ServiceError.invalidField(pointer: "", reason: "the request body is empty; a JSON object is expected")
        }
        if preflight { try preflightCheck(data) }
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch let error as DecodingError {
            throw validationError(error)
        }
    }

    /// `JSONPreflight` with its refusal as a 422 naming the pointer.
    static func preflightCheck(_ data: Data) throws {
        do {
            try JSONPreflight.check(data)
        } catch {
            throw invalid(pointer: error.pointer, error.reason)
        }
    }

    static func validationError(_ error: DecodingError) -> ServiceError {
        let (path, detail): ([any CodingKey], String)
        switch error {
        case .typeMismatch(let type, let context):
            (path, detail) = (context.codingPath, "expected \(describe(type))")
        case .valueNotFound(let type, let context):
            (path, detail) = (context.codingPath, "expected \(describe(type)), found null")
        case .keyNotFound(let key, let context):
            (path, detail) = (context.codingPath + [key], "required field is missing")
        case .dataCorrupted(let context):
            let underlying = (context.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String
            (path, detail) = (context.codingPath, underlying.map { "malformed JSON: \($0)" } ?? context.debugDescription)
        @unknown default:
            (path, detail) = ([], "invalid body")
        }
        return invalid(pointer: pointer(path), detail)
    }

    /// A 422 for the field at `pointer` (RFC 6901).
    public static func invalid(pointer: String, _ detail: String) -> ServiceError {
        .invalidField(pointer: pointer, reason: detail)
    }

    static func pointer(_ path: [any CodingKey]) -> String {
        path.map { key in
            let part = key.intValue.map(String.init) ?? key.stringValue
            return "/" + part.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
        }.joined()
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Double.Type: "a number"
        case is Bool.Type: "a boolean"
        default: String(describing: type).contains("Array") ? "an array" : "a value of type \(type)"
        }
    }
}
