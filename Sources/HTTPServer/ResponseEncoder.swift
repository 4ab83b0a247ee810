import Foundation

/// Writes responses as wire bytes. Every response the server sends goes through it, the 503 for a connection over a
/// limit included, so the fields each response carries (Date, the configured fields, X-Request-Id, Connection) and
/// its framing are decided in one place.
///
/// The head is written straight into bytes: string interpolation here showed up in every request's profile. Not
/// shared between threads: each connection (and the rejecter) has its own, with its own `Date` cache.
struct ResponseEncoder {
    /// How the receiver learns where the body ends.
    enum Framing {
        case contentLength(Int)
        case chunked
        /// HTTP/1.0 streams: the body ends when the connection closes.
        case untilClose
    }

    private var date = HTTPDateCache()
    private let extraFields: [(name: String, value: String)]

    init(extraFields: [(name: String, value: String)]) {
        self.extraFields = extraFields
    }

    /// The status line and header fields, through the blank line that ends them.
    mutating func writeHead(_ response: HTTPResponse, requestID: String, framing: Framing, keepAlive: Bool, version: HTTPVersion,
                            into out: inout ByteBuffer) {
        out.append("HTTP/1.1 ")
        out.appendDecimal(response.status.code)
        out.append(UInt8(ascii: " "))
        out.appendUTF8(response.status.reasonPhrase)
        out.append("\r\nDate: ")
        out.appendUTF8(date.now())
        out.append("\r\n")
        for field in response.headers { Self.field(field.name, field.value, into: &out) }
        for field in extraFields { Self.field(field.name, field.value, into: &out) }
        out.append("X-Request-Id: ")
        out.appendUTF8(requestID)
        out.append("\r\n")
        switch framing {
        case .contentLength(let count):
            out.append("Content-Length: ")
            out.appendDecimal(count)
            out.append("\r\n")
        case .chunked:
            out.append("Transfer-Encoding: chunked\r\n")
        case .untilClose:
            break
        }
        if !keepAlive {
            out.append("Connection: close\r\n")
        } else if version == .http10 {
            out.append("Connection: keep-alive\r\n")
        }
        out.append("\r\n")
    }

    /// A whole response with a byte body: its head, then the body unless the request was HEAD or the status has none.
    mutating func write(_ response: HTTPResponse, body: Data, requestID: String, keepAlive: Bool, version: HTTPVersion, isHead: Bool,
                        into out: inout ByteBuffer) {
        writeHead(response, requestID: requestID, framing: .contentLength(body.count), keepAlive: keepAlive, version: version, into: &out)
        if !isHead && response.status.code != 204 && response.status.code != 304 { body.withUnsafeBytes { out.append($0) } }
    }

    private static func field(_ name: String, _ value: String, into out: inout ByteBuffer) {
        out.appendUTF8(name)
        out.append(": ")
        out.appendUTF8(value)
        out.append("\r\n")
    }
}
