/// An RFC 4180 CSV reader over bytes: quoted fields with doubled quotes, CR LF or LF line ends, fields spanning lines.
/// Reports the line a record starts on, and refuses broken quoting with that line.
public struct CSVReader {
    private let bytes: [UInt8]
    private let file: String
    private var index = 0
    private(set) var line = 1

    public init(_ bytes: [UInt8], file: String) {
        self.bytes = bytes
        self.file = file
    }

    /// The next record and the line it starts on; nil at the end. A final DOS end-of-file byte (0x1A) is ignored.
    public mutating func next() throws -> (fields: [String], line: Int)? {
        while index < bytes.count, bytes[index] == 0x1A || ((bytes[index] == 0x0D || bytes[index] == 0x0A) && atLineStart) {
            advanceOverNewline()
        }
        guard index < bytes.count else { return nil }
        let startLine = line
        var fields: [String] = []
        var field: [UInt8] = []
        var quoted = false
        var wasQuoted = false
        while index < bytes.count {
            let byte = bytes[index]
            if quoted {
                if byte == UInt8(ascii: "\"") {
                    if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\"") {
                        field.append(byte)
                        index += 2
                        continue
                    }
                    quoted = false
                    index += 1
                    // After a closing quote only a separator, a line end or trailing spaces may follow.
                    while index < bytes.count, bytes[index] == 0x20 { index += 1 }
                    if index < bytes.count, ![UInt8(ascii: ","), 0x0D, 0x0A, 0x1A].contains(bytes[index]) {
                        throw ListParseError(file: file, line: line, "unexpected character after a closing quote")
                    }
                    continue
                }
                if byte == 0x0A { line += 1 }
                field.append(byte)
                index += 1
                continue
            }
            switch byte {
            case UInt8(ascii: ","):
                fields.append(String(decoding: field, as: UTF8.self))
                field.removeAll(keepingCapacity: true)
                wasQuoted = false
                index += 1
            case 0x0D, 0x0A:
                fields.append(String(decoding: field, as: UTF8.self))
                advanceOverNewline()
                return (fields, startLine)
            case UInt8(ascii: "\""):
                guard field.allSatisfy({ $0 == 0x20 }), !wasQuoted else {
                    throw ListParseError(file: file, line: line, "a quote inside an unquoted field")
                }
                field.removeAll()
                quoted = true
                wasQuoted = true
                index += 1
            default:
                field.append(byte)
                index += 1
            }
        }
        if quoted { throw ListParseError(file: file, line: startLine, "a quoted field is never closed") }
        fields.append(String(decoding: field, as: UTF8.self))
        return (fields, startLine)
    }

    private var atLineStart: Bool { index == 0 || bytes[index - 1] == 0x0A || bytes[index - 1] == 0x0D }

    private mutating func advanceOverNewline() {
        if bytes[index] == 0x0D, index + 1 < bytes.count, bytes[index + 1] == 0x0A { index += 1 }
        if bytes[index] == 0x0A || bytes[index] == 0x0D { line += 1 }
        index += 1
    }

    /// Every record.
    public mutating func all() throws -> [(fields: [String], line: Int)] {
        var records: [(fields: [String], line: Int)] = []
        while let record = try next() { records.append(record) }
        return records
    }
}
