#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Logging

/// swift-log handler writing one JSON object per line to stderr: `{"ts":..,"level":..,"logger":..,"msg":..,<metadata>}`.
/// Keys and secrets are never passed to the logger; the access log carries key ids only.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    private let label: String

    public init(label: String, level: Logger.Level = .info) {
        self.label = label
        self.logLevel = level
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var line = "{\"ts\":\"\(Self.timestamp())\",\"level\":\"\(event.level.rawValue)\",\"logger\":"
        Self.appendQuoted(label, to: &line)
        line += ",\"msg\":"
        Self.appendQuoted("\(event.message)", to: &line)
        let merged: Logger.Metadata
        if metadata.isEmpty {
            merged = event.metadata ?? [:]
        } else {
            merged = metadata.merging(event.metadata ?? [:]) { $1 }
        }
        for key in merged.keys.sorted() {
            guard let value = merged[key] else { continue }
            line += ","
            Self.appendQuoted(key, to: &line)
            line += ":"
            Self.append(value, to: &line)
        }
        line += "}\n"
        line.withUTF8 { bytes in _ = Glibc.write(2, bytes.baseAddress, bytes.count) }
    }

    /// Strings are quoted; integers and floating-point numbers passed as `.stringConvertible` stay numbers.
    private static func append(_ value: Logger.Metadata.Value, to line: inout String) {
        switch value {
        case .string(let s):
            appendQuoted(s, to: &line)
        case .stringConvertible(let c):
            if c is Int || c is Double || c is Int64 || c is Bool {
                line += c.description
            } else {
                appendQuoted(c.description, to: &line)
            }
        case .array(let items):
            line += "["
            for (index, item) in items.enumerated() {
                if index > 0 { line += "," }
                append(item, to: &line)
            }
            line += "]"
        case .dictionary(let dict):
            line += "{"
            for (index, key) in dict.keys.sorted().enumerated() {
                if index > 0 { line += "," }
                appendQuoted(key, to: &line)
                line += ":"
                if let item = dict[key] { append(item, to: &line) } else { line += "null" }
            }
            line += "}"
        }
    }

    static func quote(_ text: String) -> String {
        var out = ""
        appendQuoted(text, to: &out)
        return out
    }

    /// JSON string escaping; the common case (nothing to escape) is one scan and one append.
    static func appendQuoted(_ text: String, to out: inout String) {
        out += "\""
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            out += text
            out += "\""
            return
        }
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case let c where c.value < 0x20: out += "\\u00" + (c.value < 0x10 ? "0" : "") + String(c.value, radix: 16)
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }

    private static func timestamp() -> String {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        var seconds = ts.tv_sec
        var parts = tm()
        gmtime_r(&seconds, &parts)
        // Built by hand: Foundation's String(format:) costs more than the rest of the log line.
        func pad(_ value: Int32, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T\(pad(parts.tm_hour, 2)):"
            + "\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(pad(Int32(ts.tv_nsec / 1_000_000), 3))Z"
    }
}
