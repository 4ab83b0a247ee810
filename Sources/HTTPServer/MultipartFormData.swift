import CPosix
import Foundation

/// A `multipart/form-data` body (RFC 7578) split into its parts. Works on a memory-mapped upload, so the parts are
/// slices of the spooled file rather than copies.
public struct MultipartFormData: Sendable {
    public struct Part: Sendable {
        public var name: String?
        public var filename: String?
        public var contentType: String?
        public var data: Data
    }

    public var parts: [Part]

    /// The boundary from a `Content-Type: multipart/form-data; boundary=...` value, or nil for other types.
    public static func boundary(fromContentType value: String?) -> String? {
        guard let value, value.lowercased().hasPrefix("multipart/form-data") else { return nil }
        for parameter in value.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if pair.count == 2, pair[0].lowercased() == "boundary" {
                return pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
        }
        return nil
    }

    public struct ParseError: Error, CustomStringConvertible {
        public var description: String
    }

    /// More parts than any list upload has (a format takes at most a handful of files); more are refused.
    public static let maxParts = 100
    /// Longest header section of one part.
    static let maxPartHeaderBytes = 8 * 1024

    public init(data: Data, boundary: String) throws {
        guard !boundary.isEmpty, boundary.utf8.count <= 200 else { throw ParseError(description: "invalid multipart boundary") }
        let delimiter = Array(("--" + boundary).utf8)
        let separator = Array(("\r\n--" + boundary).utf8)
        // Every search starts where the previous one ended and stops at its match, so parsing is linear in the body.
        guard let first = Self.find(delimiter, in: data, from: data.startIndex) else {
            throw ParseError(description: "the multipart boundary never appears")
        }
        var parts: [Part] = []
        var cursor = first.upperBound
        while true {
            // After a delimiter: "--" ends the body, CRLF starts a part.
            if Self.has([0x2D, 0x2D], in: data, at: cursor) { break }
            guard Self.has([0x0D, 0x0A], in: data, at: cursor) else { throw ParseError(description: "malformed multipart delimiter") }
            guard parts.count < Self.maxParts else { throw ParseError(description: "more than \(Self.maxParts) parts") }
            cursor += 2
            guard let headerEnd = Self.find([0x0D, 0x0A, 0x0D, 0x0A], in: data, from: cursor),
                  headerEnd.lowerBound - cursor <= Self.maxPartHeaderBytes else {
                throw ParseError(description: "a multipart part has no end of headers within \(Self.maxPartHeaderBytes) bytes")
            }
            let headerText = String(decoding: data[cursor..<headerEnd.lowerBound], as: UTF8.self)
            guard let next = Self.find(separator, in: data, from: headerEnd.upperBound) else {
                throw ParseError(description: "the multipart body is not terminated")
            }
            var part = Part(name: nil, filename: nil, contentType: nil, data: data[headerEnd.upperBound..<next.lowerBound])
            for line in headerText.components(separatedBy: "\r\n") {
                guard let colon = line.firstIndex(of: ":") else { continue }
                let field = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
                let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                if field == "content-disposition" {
                    part.name = Self.parameter("name", in: value)
                    part.filename = Self.parameter("filename", in: value)
                } else if field == "content-type" {
                    part.contentType = value
                }
            }
            parts.append(part)
            cursor = next.upperBound
        }
        self.parts = parts
    }

    /// Where `needle` first occurs in `data` at or after `start` (memmem over the bytes in place).
    static func find(_ needle: [UInt8], in data: Data, from start: Data.Index) -> Range<Data.Index>? {
        guard start <= data.endIndex else { return nil }
        return data.withUnsafeBytes { raw -> Range<Data.Index>? in
            guard let base = raw.baseAddress else { return nil }
            let offset = start - data.startIndex
            let found = needle.withUnsafeBytes { clr_memmem(base + offset, raw.count - offset, $0.baseAddress, needle.count) }
            guard let found else { return nil }
            let index = data.startIndex + (found - base)
            return index..<(index + needle.count)
        }
    }

    private static func has(_ bytes: [UInt8], in data: Data, at index: Data.Index) -> Bool {
        index + bytes.count <= data.endIndex && data[index..<(index + bytes.count)].elementsEqual(bytes)
    }

    private static func parameter(_ name: String, in value: String) -> String? {
        for item in value.split(separator: ";").dropFirst() {
            let pair = item.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if pair.count == 2, pair[0].lowercased() == name {
                return pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
        }
        return nil
    }
}
