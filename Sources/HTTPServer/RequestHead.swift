#if canImport(Glibc)
import Glibc
#endif

/// The request line and header fields, before the body is read.
struct RequestHead {
    var method: String
    var target: String
    var version: HTTPVersion
    var headers: HTTPHeaders
    /// The target's decoded path and query, split once for routing and for the request.
    var path: String
    var query: [(name: String, value: String)]

    init(method: String, target: String, version: HTTPVersion, headers: HTTPHeaders) {
        self.method = method
        self.target = target
        self.version = version
        self.headers = headers
        (path, query) = RequestTarget.split(target)
    }
}

/// A protocol error: the status to answer with; the connection is always closed after it.
struct ProtocolError: Error {
    var status: HTTPStatus
    var detail: String
}

/// Parses a request head (the bytes before the blank line) per RFC 9112.
enum RequestHeadParser {
    /// RFC 9110 `tchar`, as a 256-bit table: a `Set<UInt8>` hashed every byte of every method and field name.
    private static let tokenTable: [Bool] = {
        var table = [Bool](repeating: false, count: 256)
        for byte in "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".utf8 { table[Int(byte)] = true }
        return table
    }()

    /// Byte equality with a literal (the generic `elementsEqual` walked two iterators in step).
    private static func matches(_ slice: ArraySlice<UInt8>, _ literal: StaticString) -> Bool {
        guard slice.count == literal.utf8CodeUnitCount else { return false }
        return slice.withUnsafeBytes { bytes in bytes.baseAddress.map { memcmp($0, literal.utf8Start, bytes.count) == 0 } ?? true }
    }

    private static func isToken(_ bytes: ArraySlice<UInt8>) -> Bool {
        !bytes.isEmpty && bytes.allSatisfy { tokenTable[Int($0)] }
    }

    static func parse(_ bytes: ArraySlice<UInt8>, configuration: ServerConfiguration) throws(ProtocolError) -> RequestHead {
        var lineStart = bytes.startIndex
        guard let requestLine = nextLine(of: bytes, from: &lineStart) else { throw ProtocolError(status: .badRequest, detail: "empty request") }
        guard requestLine.count <= configuration.maxRequestLineBytes else {
            throw ProtocolError(status: .headerFieldsTooLarge, detail: "request line longer than \(configuration.maxRequestLineBytes) bytes")
        }
        // Exactly two single spaces: `method SP target SP version`.
        guard let firstSpace = requestLine.firstIndex(of: UInt8(ascii: " ")),
              let secondSpace = requestLine[(firstSpace + 1)...].firstIndex(of: UInt8(ascii: " ")),
              !requestLine[(secondSpace + 1)...].contains(UInt8(ascii: " "))
        else { throw ProtocolError(status: .badRequest, detail: "malformed request line") }
        let method = requestLine[..<firstSpace], targetBytes = requestLine[(firstSpace + 1)..<secondSpace]
        guard isToken(method), !targetBytes.isEmpty, targetBytes.allSatisfy({ $0 > 0x20 && $0 < 0x7F })
        else { throw ProtocolError(status: .badRequest, detail: "malformed request line") }
        let versionBytes = requestLine[(secondSpace + 1)...]
        let version: HTTPVersion
        if matches(versionBytes, "HTTP/1.1") {
            version = .http11
        } else if matches(versionBytes, "HTTP/1.0") {
            version = .http10
        } else if versionBytes.starts(with: "HTTP/".utf8) {
            throw ProtocolError(status: .versionNotSupported, detail: "unsupported version \(String(decoding: versionBytes, as: UTF8.self))")
        } else {
            throw ProtocolError(status: .badRequest, detail: "malformed request line")
        }
        var target = String(decoding: targetBytes, as: UTF8.self)
        if targetBytes.first != UInt8(ascii: "/") {
            // Absolute form (`GET http://host/path`) must be accepted (RFC 9112 §3.2.2); it is served as its path.
            for scheme in ["http://", "https://"] where target.lowercased().hasPrefix(scheme) {
                let afterAuthority = target.dropFirst(scheme.count).drop { $0 != "/" && $0 != "?" }
                target = afterAuthority.hasPrefix("/") ? String(afterAuthority) : "/" + afterAuthority
            }
            guard target.hasPrefix("/") || target == "*" else {
                throw ProtocolError(status: .badRequest, detail: "request target must be in origin or absolute form")
            }
        }
        var headers = HTTPHeaders()
        while let line = nextLine(of: bytes, from: &lineStart) {
            guard headers.count < configuration.maxHeaderCount else {
                throw ProtocolError(status: .headerFieldsTooLarge, detail: "more than \(configuration.maxHeaderCount) header fields")
            }
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else {
                throw ProtocolError(status: .badRequest, detail: "header field without a colon")
            }
            let name = line[line.startIndex..<colon]
            // Obsolete line folding and whitespace before the colon are smuggling vectors (RFC 9112 §5.1, §5.2).
            guard isToken(name) else {
                throw ProtocolError(status: .badRequest, detail: "invalid header field name")
            }
            var value = line[(colon + 1)...]
            while let f = value.first, f == 0x20 || f == 0x09 { value = value.dropFirst() }
            while let l = value.last, l == 0x20 || l == 0x09 { value = value.dropLast() }
            guard value.allSatisfy({ $0 == 0x09 || ($0 >= 0x20 && $0 != 0x7F) }) else {
                throw ProtocolError(status: .badRequest, detail: "invalid character in header field value")
            }
            headers.add(String(decoding: name, as: UTF8.self), String(decoding: value, as: UTF8.self))
        }
        if version == .http11 && headers.count(of: "Host") != 1 {
            throw ProtocolError(status: .badRequest, detail: "HTTP/1.1 requests need exactly one Host header")
        }
        return RequestHead(method: String(decoding: method, as: UTF8.self), target: target, version: version, headers: headers)
    }

    /// The next line (without CR LF) from `start`, which moves past it; nil at the end.
    private static func nextLine(of bytes: ArraySlice<UInt8>, from start: inout Int) -> ArraySlice<UInt8>? {
        guard start < bytes.endIndex else { return nil }
        let lineFeed = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.endIndex
        var end = lineFeed
        if end > start && bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        defer { start = min(lineFeed + 1, bytes.endIndex) }
        return bytes[start..<end]
    }

    /// How the body is framed. Ambiguity is refused outright so no front proxy can read it differently (smuggling).
    static func framing(of head: RequestHead) throws(ProtocolError) -> BodyFraming {
        if head.headers.count(of: "Transfer-Encoding") == 0 && head.headers.count(of: "Content-Length") == 0 { return .none }
        let transferEncodings = head.headers.values("Transfer-Encoding")
        let contentLengths = head.headers.values("Content-Length")
        if !transferEncodings.isEmpty {
            guard contentLengths.isEmpty else {
                throw ProtocolError(status: .badRequest, detail: "both Content-Length and Transfer-Encoding present")
            }
            guard head.version == .http11 else {
                throw ProtocolError(status: .badRequest, detail: "Transfer-Encoding in an HTTP/1.0 request")
            }
            let codings = transferEncodings.flatMap { $0.split(separator: ",") }
                .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard codings == ["chunked"] else {
                throw ProtocolError(status: codings.last == "chunked" ? .notImplemented : .badRequest,
                                    detail: "unsupported Transfer-Encoding \(transferEncodings.joined(separator: ", "))")
            }
            return .chunked
        }
        guard !contentLengths.isEmpty else { return .none }
        guard contentLengths.count == 1 else {
            throw ProtocolError(status: .badRequest, detail: "more than one Content-Length")
        }
        let text = contentLengths[0]
        guard !text.isEmpty, text.utf8.count <= 18, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let length = Int(text) else {
            throw ProtocolError(status: .badRequest, detail: "invalid Content-Length")
        }
        return length == 0 ? .none : .length(length)
    }
}

enum BodyFraming: Equatable {
    case none
    case length(Int)
    case chunked
}

import Foundation
