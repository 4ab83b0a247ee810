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

    /// The first value of a query parameter.
    public func queryValue(_ name: String) -> String? {
        query.first { $0.name == name }?.value
    }

    public func queryValues(_ name: String) -> [String] {
        query.filter { $0.name == name }.map(\.value)
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
    static func split(_ target: String) -> (String, [(name: String, value: String)]) {
        let parts = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let rawPath = parts.first.map(String.init) ?? "/"
        let path = rawPath.removingPercentEncoding ?? rawPath
        guard parts.count == 2 else { return (path, []) }
        let query = parts[1].split(separator: "&").map { pair -> (name: String, value: String) in
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (name: decode(kv[0]), value: kv.count > 1 ? decode(kv[1]) : "")
        }
        return (path, query)
    }

    private static func decode(_ part: Substring) -> String {
        let spaced = part.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}
