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

    public init(data: Data, boundary: String) throws {
        guard !boundary.isEmpty, boundary.utf8.count <= 200 else { throw ParseError(description: "invalid multipart boundary") }
        let delimiter = Data(("--" + boundary).utf8)
        let separator = Data(("\r\n--" + boundary).utf8)
        guard let first = data.range(of: delimiter) else { throw ParseError(description: "the multipart boundary never appears") }
        var parts: [Part] = []
        var cursor = first.upperBound
        while true {
            // After a delimiter: "--" ends the body, CRLF starts a part.
            if data[cursor...].starts(with: Data("--".utf8)) { break }
            guard data[cursor...].starts(with: Data("\r\n".utf8)) else { throw ParseError(description: "malformed multipart delimiter") }
            cursor += 2
            guard let headerEnd = data.range(of: Data("\r\n\r\n".utf8), in: cursor..<data.endIndex) else {
                throw ParseError(description: "a multipart part has no end of headers")
            }
            let headerText = String(decoding: data[cursor..<headerEnd.lowerBound], as: UTF8.self)
            guard let next = data.range(of: separator, in: headerEnd.upperBound..<data.endIndex) else {
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
