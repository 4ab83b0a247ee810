import Foundation

/// A parsed request, its body fully read (in memory, or spooled to a temporary file for upload routes).
public struct HTTPRequest: Sendable {
    public var method: String
    /// The request target as sent, e.g. `/lists/ofac/versions?format=ofac-csv`.
    public var target: String
    /// The percent-decoded path, without the query.
    public var path: String
    public var query: [(name: String, value: String)]
    public var version: HTTPVersion
    public var headers: HTTPHeaders
    public var body: RequestBody
    public var pathParameters: [String: String] = [:]
    public var requestID: String
    public var remoteAddress: String
    /// The route pattern that matched, e.g. `/lists/{list}`; used for metrics labels.
    public var routePattern: String = ""
    /// What the route's head check learnt about the request (the authenticated caller), for its handler.
    public var attachment: (any Sendable)?

    public init(
        method: String, target: String, version: HTTPVersion = .http11, headers: HTTPHeaders = HTTPHeaders(),
        body: RequestBody = .bytes(Data()), requestID: String = "", remoteAddress: String = ""
    ) {
        self.method = method
        self.target = target
        self.version = version
        self.headers = headers
        self.body = body
        self.requestID = requestID
        self.remoteAddress = remoteAddress
        let (path, query) = RequestTarget.split(target)
        self.path = path
        self.query = query
    }

    /// A request as parsed off the wire (the head already split its target).
    init(head: RequestHead, requestID: String, remoteAddress: String) {
        method = head.method
        target = head.target
        version = head.version
        headers = head.headers
        body = .bytes(Data())
        path = head.path
        query = head.query
        self.requestID = requestID
        self.remoteAddress = remoteAddress
    }

    /// The first value of a query parameter.
    public func queryValue(_ name: String) -> String? {
        query.first { $0.name == name }?.value
    }


    public func parameter(_ name: String) -> String {
        pathParameters[name] ?? ""
    }
}

public enum HTTPVersion: String, Sendable {
    case http10 = "HTTP/1.0"
    case http11 = "HTTP/1.1"
}

/// A request body: small ones in memory, large uploads in a temporary file the server deletes after the response.
public enum RequestBody: Sendable {
    case bytes(Data)
    case file(URL, size: Int)

    public var count: Int {
        switch self {
        case .bytes(let data): data.count
        case .file(_, let size): size
        }
    }

    /// The whole body in memory; use `fileURL` for large uploads instead.
    public func data() throws -> Data {
        switch self {
        case .bytes(let data): data
        case .file(let url, _): try Data(contentsOf: url, options: .mappedIfSafe)
        }
    }
}

enum RequestTarget {
    typealias Bytes = Slice<UnsafeBufferPointer<UInt8>>

    /// The decoded path and query of an origin-form target.
    static func split(_ target: String) -> (String, [(name: String, value: String)]) {
        target.withUTF8Bytes { utf8 in
            let bytes = utf8[...]
            let questionMark = bytes.firstIndex(of: UInt8(ascii: "?"))
            let path = decode(bytes[..<(questionMark ?? bytes.endIndex)], plusAsSpace: false)
            guard let questionMark else { return (path, []) }
            let query = bytes[(questionMark + 1)...].split(separator: UInt8(ascii: "&")).map { pair -> (name: String, value: String) in
                let equals = pair.firstIndex(of: UInt8(ascii: "="))
                let name = decode(pair[..<(equals ?? pair.endIndex)], plusAsSpace: true)
                let value = equals.map { decode(pair[($0 + 1)...], plusAsSpace: true) } ?? ""
                return (name: name, value: value)
            }
            return (path, query)
        }
    }

    /// Percent-decoding (and `+` as space in queries); a malformed escape is kept as written.
    private static func decode(_ bytes: Bytes, plusAsSpace: Bool) -> String {
        guard bytes.contains(where: { $0 == UInt8(ascii: "%") || (plusAsSpace && $0 == UInt8(ascii: "+")) }) else {
            return String(decoding: bytes, as: UTF8.self)
        }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let byte = bytes[i]
            if byte == UInt8(ascii: "%"), i + 2 < bytes.endIndex, let hi = hexValue(bytes[i + 1]), let lo = hexValue(bytes[i + 2]) {
                out.append(hi << 4 | lo)
                i += 3
                continue
            }
            out.append(plusAsSpace && byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: c - 0x30
        case 0x41...0x46: c - 0x41 + 10
        case 0x61...0x66: c - 0x61 + 10
        default: nil
        }
    }
}
