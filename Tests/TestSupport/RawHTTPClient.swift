#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// A response read off the wire by `RawHTTPClient`.
public struct RawResponse: Sendable {
    public var status: Int
    public var headers: [(String, String)]
    public var body: Data

    public init(status: Int, headers: [(String, String)], body: Data) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }

    public var text: String { String(decoding: body, as: UTF8.self) }

    public func json() throws -> [String: Any] {
        (try JSONSerialization.jsonObject(with: body) as? [String: Any]) ?? [:]
    }
}

public struct RawClientError: Error, CustomStringConvertible {
    public let description: String
}

/// A `multipart/form-data` body with one part per file, as `curl -F name=@file` sends it.
public enum MultipartBody {
    public static func make(_ files: [(name: String, data: Data)], boundary: String = "clearance-test-boundary-7f3a") -> (contentType: String, body: Data) {
        var body = Data()
        for file in files {
            body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.name)\"; filename=\"\(file.name)\"\r\n".utf8))
            body.append(Data("Content-Type: application/octet-stream\r\n\r\n".utf8))
            body.append(file.data)
            body.append(Data("\r\n".utf8))
        }
        body.append(Data("--\(boundary)--\r\n".utf8))
        return ("multipart/form-data; boundary=\(boundary)", body)
    }
}

/// A deliberately low-level HTTP/1.1 client over a real socket: tests send exact bytes (smuggling attempts,
/// slow heads, pipelined requests) and parse exactly what the server wrote.
public final class RawHTTPClient {
    public let fd: Int32
    private var buffer: [UInt8] = []

    /// Connects to `host:port`; from the local address `source` when given (any of 127.0.0.0/8 stands for another
    /// client machine on loopback).
    public init(port: Int, host: String = "127.0.0.1", source: String? = nil, timeout: Double = 10) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        if let source {
            // The port is chosen at connect, as without a bind: a bind that reserved one would hold it from every other
            // connection of the test run (10,000 of them starve the ephemeral range).
            var one: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_IP), 24 /* IP_BIND_ADDRESS_NO_PORT */, &one, socklen_t(MemoryLayout<Int32>.size))
            var local = sockaddr_in()
            local.sin_family = sa_family_t(AF_INET)
            inet_pton(AF_INET, source, &local.sin_addr)
            let bound = withUnsafePointer(to: &local) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard bound == 0 else { throw RawClientError(description: "bind to \(source) failed: errno \(errno)") }
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        inet_pton(AF_INET, host, &address.sin_addr)
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        // No close here: the instance is fully initialised, so `deinit` runs and closes it. Closing twice closed
        // whatever descriptor the number had been given to meanwhile (another test's listener or SQLite file).
        guard rc == 0 else { throw RawClientError(description: "connect to \(port) failed: errno \(errno)") }
        setTimeout(timeout)
    }

    deinit { Glibc.close(fd) }

    /// Makes the close (at deinit) a reset instead of an orderly close, as a client that aborts does.
    public func resetOnClose() {
        var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
    }

    public func setTimeout(_ seconds: Double) {
        var tv = timeval(tv_sec: Int(seconds), tv_usec: Int((seconds - Double(Int(seconds))) * 1_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    }

    public func send(_ text: String) throws { try send(Array(text.utf8)) }

    public func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw RawClientError(description: "send failed: errno \(errno)") }
            offset += n
        }
    }

    /// Reads more bytes; false when the peer closed.
    private func fill() throws -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n > 0 {
            buffer.append(contentsOf: chunk[0..<n])
            return true
        }
        if n == 0 { return false }
        if errno == EAGAIN { throw RawClientError(description: "timed out waiting for the server") }
        if errno == ECONNRESET { return false }
        throw RawClientError(description: "recv failed: errno \(errno)")
    }

    private func readLine() throws -> String {
        while true {
            if let lf = buffer.firstIndex(of: 0x0A) {
                let end = lf > 0 && buffer[lf - 1] == 0x0D ? lf - 1 : lf
                let line = String(decoding: buffer[0..<end], as: UTF8.self)
                buffer.removeFirst(lf + 1)
                return line
            }
            guard try fill() else { throw RawClientError(description: "connection closed mid-line") }
        }
    }

    private func readExactly(_ count: Int) throws -> [UInt8] {
        while buffer.count < count {
            guard try fill() else { throw RawClientError(description: "connection closed mid-body") }
        }
        let out = Array(buffer[0..<count])
        buffer.removeFirst(count)
        return out
    }

    /// Reads one response; `headRequest` when the request was HEAD (no body follows).
    public func readResponse(headRequest: Bool = false) throws -> RawResponse {
        let statusLine = try readLine()
        let parts = statusLine.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, let status = Int(parts[1]) else { throw RawClientError(description: "bad status line: \(statusLine)") }
        var headers: [(String, String)] = []
        while true {
            let line = try readLine()
            if line.isEmpty { break }
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        var response = RawResponse(status: status, headers: headers, body: Data())
        if headRequest || status == 100 || status == 204 || status == 304 { return response }
        if response.header("Transfer-Encoding")?.lowercased() == "chunked" {
            var body: [UInt8] = []
            while true {
                let sizeLine = try readLine()
                guard let size = Int(sizeLine.split(separator: ";")[0], radix: 16) else { throw RawClientError(description: "bad chunk size \(sizeLine)") }
                if size == 0 {
                    while try !readLine().isEmpty {}
                    break
                }
                body += try readExactly(size)
                _ = try readLine()
            }
            response.body = Data(body)
        } else if let length = response.header("Content-Length").flatMap(Int.init) {
            response.body = Data(try readExactly(length))
        } else {
            while try fill() {}
            response.body = Data(buffer)
            buffer.removeAll()
        }
        return response
    }

    /// True when the server has closed the connection (reads end of stream) within the timeout.
    public func isClosedByPeer() -> Bool {
        guard buffer.isEmpty else { return false }
        return (try? fill()) == false
    }

    /// One request and its response on this connection.
    public func request(_ method: String, _ path: String, headers: [String: String] = [:], body: String? = nil) throws -> RawResponse {
        try request(method, path, headers: headers, data: body.map { Data($0.utf8) })
    }

    public func request(_ method: String, _ path: String, headers: [String: String] = [:], data: Data?) throws -> RawResponse {
        var text = "\(method) \(path) HTTP/1.1\r\nHost: localhost\r\n"
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        if let data { text += "Content-Length: \(data.count)\r\n" }
        text += "\r\n"
        try send(Array(text.utf8) + Array(data ?? Data()))
        return try readResponse(headRequest: method == "HEAD")
    }
}
