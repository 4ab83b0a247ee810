import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import ZIPFoundation

/// The first worksheet of an xlsx workbook as rows of cell text: an xlsx is a ZIP of XML, read with what the
/// project already has (ZIPFoundation, Foundation's XMLParser). Shared strings, inline strings and numbers are
/// read; styles are not (a date is the number Excel stores, which the format turns into a date where it expects one).
struct XLSXSheet {
    /// Rows in order, each a list of cell texts by column (missing cells are empty); `line` is the sheet's row number.
    var rows: [(line: Int, cells: [String])]

    /// Members larger than this are refused (the DFAT workbook's sheet is a few megabytes).
    static let maxMemberBytes = 128 * 1024 * 1024

    init(_ file: ListFile) throws {
        let archive: Archive
        do {
            archive = try Archive(data: file.data, accessMode: .read)
        } catch {
            throw ListParseError(file: file.name, "not an xlsx workbook (not a readable ZIP archive)")
        }
        func member(_ path: String) throws -> Data? {
            guard let entry = archive[path] else { return nil }
            guard entry.uncompressedSize <= UInt64(Self.maxMemberBytes) else { throw ListParseError(file: file.name, "\(path) is too large") }
            var data = Data()
            do {
                _ = try archive.extract(entry, skipCRC32: false) { chunk in
                    guard data.count + chunk.count <= Self.maxMemberBytes else { throw ListParseError(file: file.name, "\(path) is too large") }
                    data.append(chunk)
                }
            } catch let error as ListParseError {
                throw error
            } catch {
                throw ListParseError(file: file.name, "cannot extract \(path): \(error)")
            }
            return data
        }
        guard let sheet = try member("xl/worksheets/sheet1.xml") else { throw ListParseError(file: file.name, "the workbook has no first sheet") }
        let strings = try member("xl/sharedStrings.xml").map { try Self.parse(SharedStringsReader(), $0, file: file.name).strings } ?? []
        let reader = try Self.parse(SheetReader(strings: strings), sheet, file: file.name)
        if let bad = reader.badIndex { throw ListParseError(file: file.name, line: bad, "a cell names a shared string that does not exist") }
        rows = reader.rows
    }

    private static func parse<Reader: NSObject & XMLParserDelegate>(_ reader: Reader, _ data: Data, file: String) throws -> Reader {
        // A stream, as in XMLTree: given the data whole, libxml2 refuses a member over 10 MB (OFSI's sheet is 13 MB).
        let parser = XMLParser(stream: InputStream(data: data))
        parser.delegate = reader
        parser.shouldResolveExternalEntities = false
        guard parser.parse() else {
            throw ListParseError(file: file, line: parser.lineNumber, "malformed workbook XML: \(parser.parserError.map { "\($0)" } ?? "unknown error")")
        }
        return reader
    }

    /// `<si>` items: the text of all their `<t>` runs.
    private final class SharedStringsReader: NSObject, XMLParserDelegate {
        var strings: [String] = []
        private var current: String?
        private var inText = false

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String]) {
            if name == "si" { current = "" } else if name == "t" { inText = true }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if inText { current? += string }
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            if name == "t" { inText = false } else if name == "si" {
                strings.append(current ?? "")
                current = nil
            }
        }
    }

    /// `<row r>` of `<c r t>` cells with a `<v>` value or an inline `<is><t>` string.
    private final class SheetReader: NSObject, XMLParserDelegate {
        let strings: [String]
        var rows: [(line: Int, cells: [String])] = []
        var badIndex: Int?
        private var row: (line: Int, cells: [String])?
        private var column = 0
        private var type: String?
        private var text = ""
        private var collecting = false

        init(strings: [String]) { self.strings = strings }

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String]) {
            switch name {
            case "row": row = (Int(attributes["r"] ?? "") ?? (rows.last?.line ?? 0) + 1, [])
            case "c":
                column = attributes["r"].map(Self.column) ?? (row?.cells.count ?? 0)
                type = attributes["t"]
                text = ""
            case "v", "t": collecting = true
            default: break
            }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if collecting { text += string }
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            switch name {
            case "v", "t": collecting = false
            case "c":
                var value = text
                if type == "s" {
                    if let index = Int(text), strings.indices.contains(index) { value = strings[index] } else { badIndex = badIndex ?? row?.line }
                }
                guard var current = row else { return }
                while current.cells.count <= column { current.cells.append("") }
                current.cells[column] = value
                row = current
            case "row":
                if let row { rows.append(row) }
                row = nil
            default: break
            }
        }

        /// `AB12` → 27 (zero-based column of the cell reference).
        static func column(_ reference: String) -> Int {
            reference.unicodeScalars.prefix { $0.properties.isAlphabetic }.reduce(0) { $0 * 26 + Int($1.value) - 64 } - 1
        }
    }
}
