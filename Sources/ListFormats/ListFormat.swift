import Foundation

/// A list file format and its parser. Adding a format (OFAC XML, EU FSF, UK) is one more type and one line in `all`.
public protocol ListFormat: Sendable {
    /// The `format` query value, e.g. `ofac-csv`.
    static var id: String { get }
    /// The file name a raw (non-multipart) body is given.
    static var defaultFileName: String { get }
    /// Parses a whole upload; throws `ListParseError` naming the file, line or element at fault.
    static func parse(_ files: [ListFile]) throws -> [ListEntry]
    /// The format's file is itself a ZIP (an xlsx workbook): an upload of one is not unpacked into its members.
    static var readsZIPFile: Bool { get }
    /// The publisher's edition the files hold, where the format says (`EditionedListFormat`); nil otherwise.
    static func edition(of files: [ListFile]) throws -> String?
}

extension ListFormat {
    public static var readsZIPFile: Bool { false }
    public static func edition(of files: [ListFile]) throws -> String? { nil }
}

public enum ListFormats {
    public static let all: [any ListFormat.Type] = [OFACCSVFormat.self, OFACXMLFormat.self, CSLCSVFormat.self, CSLJSONFormat.self, UNXMLFormat.self, CASEMAXMLFormat.self, AUDFATXLSXFormat.self,
                                                    OFACEnhancedXMLFormat.self, OFACAdvancedXMLFormat.self, UKOFSIConListFormat.self, UKSanctionsListXMLFormat.self, EUFSFXMLFormat.self,
                                                    ClearanceJSONFormat.self, EditionedListFormat.self]

    public static func format(_ id: String) -> (any ListFormat.Type)? {
        all.first { $0.id == id }
    }

    public static var ids: [String] { all.map { $0.id } }

    /// The one file of a single-file format.
    static func singleFile(_ files: [ListFile], format: String) throws -> ListFile {
        guard files.count == 1, let file = files.first else {
            throw ListParseError(file: files.dropFirst().first?.name, "\(format) takes one file, got \(files.count)")
        }
        return file
    }

    /// A JSON list file decoded whole: refused when empty or malformed in structure (`checkJSONStructure`), and a
    /// decoding failure names the member at fault.
    static func decodeJSON<Document: Decodable>(_ type: Document.Type, from file: ListFile) throws -> Document {
        guard !file.data.isEmpty else { throw ListParseError(file: file.name, "the file is empty") }
        try checkJSONStructure(file)
        do {
            return try JSONDecoder().decode(Document.self, from: file.data)
        } catch let error as DecodingError {
            throw ListParseError(file: file.name, element: pointer(error), describe(error))
        }
    }

    /// The JSON pointer to the member a decoding error is about.
    static func pointer(_ error: DecodingError) -> String {
        let path: [any CodingKey]
        switch error {
        case .typeMismatch(_, let c), .valueNotFound(_, let c), .dataCorrupted(let c): path = c.codingPath
        case .keyNotFound(let key, let c): path = c.codingPath + [key]
        @unknown default: path = []
        }
        return path.map { "/" + ($0.intValue.map(String.init) ?? $0.stringValue) }.joined()
    }

    /// What is wrong with it, in words.
    static func describe(_ error: DecodingError) -> String {
        switch error {
        case .typeMismatch(let type, _): "expected \(type)"
        case .valueNotFound: "a value is required"
        case .keyNotFound(let key, _): "\(key.stringValue) is required"
        case .dataCorrupted(let context):
            (context.underlyingError as NSError?).flatMap { $0.userInfo[NSDebugDescriptionErrorKey] as? String }.map { "malformed JSON: \($0)" }
                ?? context.debugDescription
        @unknown default: "invalid"
        }
    }

    /// A JSON list file's structure checked before it is decoded: a member named twice (`"name": "Visible Name
    /// Corp", "name": "Hidden Name Ltd"`) would be stored with whichever value the decoder keeps while another tool
    /// shows the other, so it is refused, as in request bodies; so is nesting no list needs.
    static func checkJSONStructure(_ file: ListFile) throws {
        do {
            try JSONPreflight.check(file.data)
        } catch {
            throw ListParseError(file: file.name, element: error.pointer, error.reason)
        }
    }
}

extension StringProtocol where UTF8View: BidirectionalCollection {
    /// Trimmed of ASCII whitespace, or nil when empty. (Foundation's `trimmingCharacters` cost a fifth of a CSL
    /// import; list files only pad with ASCII spaces, tabs and line ends.)
    var nonEmpty: String? {
        let utf8 = self.utf8
        guard let first = utf8.firstIndex(where: { !Self.isSpace($0) }), let last = utf8.lastIndex(where: { !Self.isSpace($0) }) else {
            return nil
        }
        return String(decoding: utf8[first...last], as: UTF8.self)
    }

    private static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
}

extension String {
    /// Splits a multi-valued cell (`a; b; c`), dropping empty parts.
    func splitList(_ separator: Character = ";") -> [String] {
        split(separator: separator).compactMap { $0.nonEmpty }
    }
}
