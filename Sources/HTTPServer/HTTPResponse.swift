import Foundation

/// A response: a status, headers and a body that is either bytes or a stream written in chunks.
public struct HTTPResponse: Sendable {
    public var status: HTTPStatus
    public var headers: HTTPHeaders
    public var body: ResponseBody
    /// Set by the server for errors after which the connection must not be reused.
    public var closeConnection = false

    public init(status: HTTPStatus = .ok, headers: HTTPHeaders = HTTPHeaders(), body: ResponseBody = .bytes(Data())) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public static func data(_ data: Data, contentType: String, status: HTTPStatus = .ok) -> HTTPResponse {
        HTTPResponse(status: status, headers: HTTPHeaders(name: "Content-Type", value: contentType), body: .bytes(data))
    }

    public static func text(_ text: String, status: HTTPStatus = .ok, contentType: String = "text/plain; charset=utf-8") -> HTTPResponse {
        data(Data(text.utf8), contentType: contentType, status: status)
    }

    /// A response completed later by `promise` (see `ResponsePromise`).
    public static func deferred(_ promise: ResponsePromise) -> HTTPResponse {
        HTTPResponse(body: .deferred(promise))
    }

    /// A body produced while it is sent, with chunked encoding on HTTP/1.1; memory stays constant for any size.
    public static func stream(
        contentType: String, status: HTTPStatus = .ok, _ produce: @escaping @Sendable (any ResponseBodyWriter) throws -> Void
    ) -> HTTPResponse {
        HTTPResponse(status: status, headers: HTTPHeaders(name: "Content-Type", value: contentType), body: .stream(produce))
    }
}

public enum ResponseBody: Sendable {
    case bytes(Data)
    case stream(@Sendable (any ResponseBodyWriter) throws -> Void)
    /// Not a body: the whole response comes later, from the promise.
    case deferred(ResponsePromise)
}

/// Where a streamed response body goes; writes are buffered and sent as chunks.
public protocol ResponseBodyWriter {
    func write(_ bytes: some Collection<UInt8>) throws
}

extension ResponseBodyWriter {
    public func write(_ string: String) throws { try write(Array(string.utf8)) }
}
