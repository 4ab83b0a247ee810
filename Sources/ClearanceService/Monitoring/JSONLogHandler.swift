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
        var line = ""
        line.reserveCapacity(320)
        line += "{\"ts\":\""
        Self.appendTimestamp(to: &line)
        line += "\",\"level\":\""
        line += event.level.rawValue
        line += "\",\"logger\":"
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

    /// `2026-11-27T05:43:25.123Z`, written digit by digit (this runs once per request).
    private static func appendTimestamp(to line: inout String) {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        var seconds = ts.tv_sec
        var parts = tm()
        gmtime_r(&seconds, &parts)
        var out = [UInt8](repeating: 0, count: 24)
        func put(_ value: Int, _ width: Int, at offset: Int) {
            var v = value
            for i in stride(from: offset + width - 1, through: offset, by: -1) {
                out[i] = UInt8(48 + v % 10)
                v /= 10
            }
        }
        put(Int(parts.tm_year) + 1900, 4, at: 0)
        out[4] = UInt8(ascii: "-")
        put(Int(parts.tm_mon) + 1, 2, at: 5)
        out[7] = UInt8(ascii: "-")
        put(Int(parts.tm_mday), 2, at: 8)
        out[10] = UInt8(ascii: "T")
        put(Int(parts.tm_hour), 2, at: 11)
        out[13] = UInt8(ascii: ":")
        put(Int(parts.tm_min), 2, at: 14)
        out[16] = UInt8(ascii: ":")
        put(Int(parts.tm_sec), 2, at: 17)
        out[19] = UInt8(ascii: ".")
        put(ts.tv_nsec / 1_000_000, 3, at: 20)
        out[23] = UInt8(ascii: "Z")
        line += String(decoding: out, as: UTF8.self)
    }
}
