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
        field("status") { JSONText.appendInteger(status, to: &$0) }
        field("duration_ms") {  // milliseconds with three decimals, from whole microseconds
            let micros = max(0, Int((durationSeconds * 1_000_000).rounded()))
            JSONText.appendInteger(micros / 1000, to: &$0)
            $0.append(UInt8(ascii: "."))
            let fraction = micros % 1000
            $0.append(contentsOf: [UInt8(48 + fraction / 100), UInt8(48 + fraction / 10 % 10), UInt8(48 + fraction % 10)])
        }
        field("bytes_in") { JSONText.appendInteger(requestBytes, to: &$0) }
        field("bytes_out") { JSONText.appendInteger(responseBytes, to: &$0) }
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
