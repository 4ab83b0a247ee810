/// What the server reports about each finished request, for access logs and metrics.
public struct RequestRecord: Sendable {
    public var method: String
    public var path: String
    /// The matched route pattern, or `unmatched`.
    public var route: String
    public var status: Int
    public var durationSeconds: Double
    public var requestBytes: Int
    public var responseBytes: Int
    public var requestID: String
    public var remoteAddress: String
}

extension RequestRecord: JSONLogFields {
    /// The access log's fields, in a fixed order.
    public func appendJSONFields(to line: inout [UInt8]) {
        var needsComma = false
        func field(_ name: String, _ write: (inout [UInt8]) -> Void) {
            if needsComma { line.append(UInt8(ascii: ",")) }
            needsComma = true
            JSONText.appendName(name, to: &line)
            write(&line)
        }
        field("method") { JSONText.appendQuoted(method, to: &$0) }
        field("path") { JSONText.appendQuoted(path, to: &$0) }
        field("route") { JSONText.appendQuoted(route, to: &$0) }
        field("status") { $0.append(contentsOf: String(status).utf8) }
        field("duration_ms") { $0.append(contentsOf: String((durationSeconds * 1_000_000).rounded() / 1000).utf8) }
        field("bytes_in") { $0.append(contentsOf: String(requestBytes).utf8) }
        field("bytes_out") { $0.append(contentsOf: String(responseBytes).utf8) }
        field("request_id") { JSONText.appendQuoted(requestID, to: &$0) }
        field("remote") { JSONText.appendQuoted(remoteAddress, to: &$0) }
    }
}

/// Receives request and connection events; the service turns them into Prometheus metrics.
public protocol RequestObserver: Sendable {
    func requestCompleted(_ record: RequestRecord)
    func connectionOpened()
    func connectionClosed()
    func connectionRejected()
}
