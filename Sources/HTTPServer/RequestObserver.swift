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
        JSONText.appendName("method", to: &line)
        JSONText.appendQuoted(method, to: &line)
        line.append(UInt8(ascii: ","))
        JSONText.appendName("path", to: &line)
        JSONText.appendQuoted(path, to: &line)
        line.append(UInt8(ascii: ","))
        JSONText.appendName("route", to: &line)
        JSONText.appendQuoted(route, to: &line)
        line.append(UInt8(ascii: ","))
        JSONText.appendName("status", to: &line)
        line.append(contentsOf: String(status).utf8)
        line.append(UInt8(ascii: ","))
        JSONText.appendName("duration_ms", to: &line)
        line.append(contentsOf: String((durationSeconds * 1_000_000).rounded() / 1000).utf8)
        line.append(UInt8(ascii: ","))
        JSONText.appendName("bytes_in", to: &line)
        line.append(contentsOf: String(requestBytes).utf8)
        line.append(UInt8(ascii: ","))
        JSONText.appendName("bytes_out", to: &line)
        line.append(contentsOf: String(responseBytes).utf8)
        line.append(UInt8(ascii: ","))
        JSONText.appendName("request_id", to: &line)
        JSONText.appendQuoted(requestID, to: &line)
        line.append(UInt8(ascii: ","))
        JSONText.appendName("remote", to: &line)
        JSONText.appendQuoted(remoteAddress, to: &line)
    }
}

/// Receives request and connection events; the service turns them into Prometheus metrics.
public protocol RequestObserver: Sendable {
    func requestCompleted(_ record: RequestRecord)
    func connectionOpened()
    func connectionClosed()
    func connectionRejected()
}
