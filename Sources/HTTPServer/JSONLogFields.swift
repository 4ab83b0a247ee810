import Logging

/// A log metadata value that writes itself as the fields of a JSON object. The access log is the hottest log line
/// (one per request): passing the request's figures as one such value spares building a nine-entry metadata
/// dictionary per request, and a JSON handler's sorting and re-escaping of it (together a third of the server's
/// user time on `GET /healthz`, measured with perf). Handlers that do not know the protocol print `description`.
///
/// Conformers are classes, so the wrapper below holds one reference and fits in a metadata value's inline storage
/// (a struct conformer was copied into two heap boxes per request).
public protocol JSONLogFields: AnyObject, CustomStringConvertible, Sendable {
    /// Appends `"name":value` pairs separated by commas, without braces.
    func appendJSONFields(to line: inout ByteBuffer)
}

extension JSONLogFields {
    public var description: String {
        var line = ByteBuffer(capacity: 256)
        line.append("{")
        appendJSONFields(to: &line)
        line.append("}")
        return line.string
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
    public static func appendQuoted(_ text: String, to out: inout ByteBuffer) {
        out.append(UInt8(ascii: "\""))
        text.withUTF8Bytes { bytes in
            guard bytes.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) else {
                out.append(bytes)
                return
            }
            for byte in bytes {
                switch byte {
                case UInt8(ascii: "\""): out.append("\\\"")
                case UInt8(ascii: "\\"): out.append("\\\\")
                case 0x0A: out.append("\\n")
                case 0x0D: out.append("\\r")
                case 0x09: out.append("\\t")
                case ..<0x20:
                    out.append("\\u00")
                    out.append(ByteBuffer.hexDigit(byte >> 4))
                    out.append(ByteBuffer.hexDigit(byte & 0x0F))
                default: out.append(byte)
                }
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
