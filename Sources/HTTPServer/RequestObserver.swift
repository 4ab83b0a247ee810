/// What the server reports about each finished request, for access logs and metrics. A class: the access log
/// passes it as a metadata value, which then holds one reference instead of a boxed copy of nine fields.
public final class RequestRecord: Sendable {
    public let method: String
    public let path: String
    /// The matched route pattern, or `unmatched`.
    public let route: String
    public let status: Int
    public let durationSeconds: Double
    public let requestBytes: Int
    public let responseBytes: Int
    public let requestID: String
    public let remoteAddress: String

    public init(method: String, path: String, route: String, status: Int, durationSeconds: Double, requestBytes: Int,
                responseBytes: Int, requestID: String, remoteAddress: String) {
        self.method = method
        self.path = path
        self.route = route
        self.status = status
        self.durationSeconds = durationSeconds
        self.requestBytes = requestBytes
        self.responseBytes = responseBytes
        self.requestID = requestID
        self.remoteAddress = remoteAddress
    }
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
