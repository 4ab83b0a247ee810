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
    private static let names = (
        method: JSONText.name("method"), path: JSONText.name("path", leadingComma: true),
        route: JSONText.name("route", leadingComma: true), status: JSONText.name("status", leadingComma: true),
        duration: JSONText.name("duration_ms", leadingComma: true), bytesIn: JSONText.name("bytes_in", leadingComma: true),
        bytesOut: JSONText.name("bytes_out", leadingComma: true), requestID: JSONText.name("request_id", leadingComma: true),
        remote: JSONText.name("remote", leadingComma: true))

    /// The access log's fields, in a fixed order (the names are prepared once: this runs for every request).
    public func appendJSONFields(to line: inout [UInt8]) {
        let names = Self.names
        line += names.method
        JSONText.appendQuoted(method, to: &line)
        line += names.path
        JSONText.appendQuoted(path, to: &line)
        line += names.route
        JSONText.appendQuoted(route, to: &line)
        line += names.status
        line.appendDecimal(status)
        line += names.duration  // milliseconds with three decimals, from whole microseconds
        let micros = max(0, Int((durationSeconds * 1_000_000).rounded()))
        line.appendDecimal(micros / 1000)
        let fraction = micros % 1000
        line.append(contentsOf: [UInt8(ascii: "."), UInt8(48 + fraction / 100), UInt8(48 + fraction / 10 % 10), UInt8(48 + fraction % 10)])
        line += names.bytesIn
        line.appendDecimal(requestBytes)
        line += names.bytesOut
        line.appendDecimal(responseBytes)
        line += names.requestID
        JSONText.appendQuoted(requestID, to: &line)
        line += names.remote
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
