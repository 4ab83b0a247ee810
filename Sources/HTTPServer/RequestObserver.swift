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
    public func appendJSONFields(to line: inout ByteBuffer) {
        line.append(#""method":"#)
        JSONText.appendQuoted(method, to: &line)
        line.append(#","path":"#)
        JSONText.appendQuoted(path, to: &line)
        line.append(#","route":"#)
        JSONText.appendQuoted(route, to: &line)
        line.append(#","status":"#)
        line.appendDecimal(status)
        line.append(#","duration_ms":"#)  // milliseconds with three decimals, from whole microseconds
        let micros = max(0, Int((durationSeconds * 1_000_000).rounded()))
        line.appendDecimal(micros / 1000)
        let fraction = micros % 1000
        line.append(UInt8(ascii: "."))
        line.append(UInt8(48 + fraction / 100))
        line.append(UInt8(48 + fraction / 10 % 10))
        line.append(UInt8(48 + fraction % 10))
        line.append(#","bytes_in":"#)
        line.appendDecimal(requestBytes)
        line.append(#","bytes_out":"#)
        line.appendDecimal(responseBytes)
        line.append(#","request_id":"#)
        JSONText.appendQuoted(requestID, to: &line)
        line.append(#","remote":"#)
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
