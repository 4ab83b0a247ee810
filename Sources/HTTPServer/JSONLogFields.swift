import Logging

/// A log metadata value that writes itself as the fields of a JSON object. The access log is the hottest log line
/// (one per request): passing the request's figures as one such value spares building a nine-entry metadata
/// dictionary per request, and a JSON handler's sorting and re-escaping of it (together a third of the server's
/// user time on `GET /healthz`, measured with perf). Handlers that do not know the protocol print `description`.
public protocol JSONLogFields: CustomStringConvertible, Sendable {
    /// Appends `"name":value` pairs separated by commas, without braces.
    func appendJSONFields(to line: inout [UInt8])
}

extension JSONLogFields {
    public var description: String {
        var line: [UInt8] = [UInt8(ascii: "{")]
        appendJSONFields(to: &line)
        line.append(UInt8(ascii: "}"))
        return String(decoding: line, as: UTF8.self)
    }

    /// The value to log: a JSON handler recognises the wrapper with a cast to one concrete type, which costs a
    /// fraction of a cast to the protocol (a conformance lookup, 5% of the instructions per request, callgrind).
    public var logValue: Logger.MetadataValue { .stringConvertible(JSONLogFieldsValue(fields: self)) }
}

/// See `JSONLogFields.logValue`.
public struct JSONLogFieldsValue: CustomStringConvertible, Sendable {
    public let fields: any JSONLogFields
    public var description: String { fields.description }
}

/// JSON text written straight into bytes.
public enum JSONText {
    /// A quoted, escaped JSON string; the common case (nothing to escape) is one scan and one copy.
    public static func appendQuoted(_ text: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { bytes in
            if !bytes.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
                out.append(contentsOf: bytes)
                return
            }
            for byte in bytes {
                switch byte {
                case UInt8(ascii: "\""): out.append(contentsOf: [0x5C, 0x22])
                case UInt8(ascii: "\\"): out.append(contentsOf: [0x5C, 0x5C])
                case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
                case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
                case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
                case ..<0x20:
                    out.append(contentsOf: [0x5C, UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
                    out.append(hexDigit(byte >> 4))
                    out.append(hexDigit(byte & 0x0F))
                default: out.append(byte)
                }
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// `"name":` (names are plain ASCII chosen by the program).
    public static func appendName(_ name: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        out.appendUTF8(name)
        out.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
    }

    /// `"name":` as bytes, built once for names written on every request.
    public static func name(_ name: String, leadingComma: Bool = false) -> [UInt8] {
        var out: [UInt8] = leadingComma ? [UInt8(ascii: ",")] : []
        appendName(name, to: &out)
        return out
    }

    private static func hexDigit(_ value: UInt8) -> UInt8 { value < 10 ? 0x30 + value : 0x57 + value }
}
