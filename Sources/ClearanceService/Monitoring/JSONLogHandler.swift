#if canImport(Glibc)
import Glibc
#endif
import Foundation
import HTTPServer
import Logging

/// swift-log handler writing one JSON object per line to a `LogOutput`: `{"ts":..,"level":..,"logger":..,"msg":..,<metadata>}`.
/// Keys and secrets are never passed to the logger; the access log carries key ids only.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    private let label: String
    private let output: LogOutput

    public init(label: String, level: Logger.Level = .info, output: LogOutput) {
        self.label = label
        self.logLevel = level
        self.output = output
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var line: [UInt8] = []
        line.reserveCapacity(384)
        line.append(contentsOf: #"{"ts":""#.utf8)
        Self.appendTimestamp(to: &line)
        line.append(contentsOf: #"","level":""#.utf8)
        line.append(contentsOf: event.level.rawValue.utf8)
        line.append(contentsOf: #"","logger":"#.utf8)
        JSONText.appendQuoted(label, to: &line)
        line.append(contentsOf: #","msg":"#.utf8)
        JSONText.appendQuoted(event.message.description, to: &line)
        let merged: Logger.Metadata
        if metadata.isEmpty {
            merged = event.metadata ?? [:]
        } else {
            merged = metadata.merging(event.metadata ?? [:]) { $1 }
        }
        for key in merged.keys.sorted() {
            if let value = merged[key] { Self.appendField(key, value, to: &line) }
        }
        line.append(contentsOf: "}\n".utf8)
        output.write(line, urgent: event.level >= .notice)
    }

    /// `,"key":value`; a value that writes its own fields (the access log's request record) is spliced in flat.
    private static func appendField(_ key: String, _ value: Logger.Metadata.Value, to line: inout [UInt8]) {
        line.append(UInt8(ascii: ","))
        if case .stringConvertible(let convertible) = value, let fields = convertible as? any JSONLogFields {
            fields.appendJSONFields(to: &line)
            return
        }
        JSONText.appendQuoted(key, to: &line)
        line.append(UInt8(ascii: ":"))
        append(value, to: &line)
    }

    /// Strings are quoted; integers and floating-point numbers passed as `.stringConvertible` stay numbers.
    private static func append(_ value: Logger.Metadata.Value, to line: inout [UInt8]) {
        switch value {
        case .string(let s):
            JSONText.appendQuoted(s, to: &line)
        case .stringConvertible(let c):
            if c is Int || c is Double || c is Int64 || c is Bool {
                line.append(contentsOf: c.description.utf8)
            } else {
                JSONText.appendQuoted(c.description, to: &line)
            }
        case .array(let items):
            line.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { line.append(UInt8(ascii: ",")) }
                append(item, to: &line)
            }
            line.append(UInt8(ascii: "]"))
        case .dictionary(let dict):
            line.append(UInt8(ascii: "{"))
            for (index, key) in dict.keys.sorted().enumerated() {
                if index > 0 { line.append(UInt8(ascii: ",")) }
                JSONText.appendQuoted(key, to: &line)
                line.append(UInt8(ascii: ":"))
                if let item = dict[key] { append(item, to: &line) } else { line.append(contentsOf: "null".utf8) }
            }
            line.append(UInt8(ascii: "}"))
        }
    }

    /// `2026-11-27T05:43:25.123Z`, written digit by digit (this runs once per request).
    private static func appendTimestamp(to line: inout [UInt8]) {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        var seconds = ts.tv_sec
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let start = line.count
        line.append(contentsOf: repeatElement(0, count: 24))
        func put(_ value: Int, _ width: Int, at offset: Int) {
            var v = value
            for i in stride(from: start + offset + width - 1, through: start + offset, by: -1) {
                line[i] = UInt8(48 + v % 10)
                v /= 10
            }
        }
        put(Int(parts.tm_year) + 1900, 4, at: 0)
        line[start + 4] = UInt8(ascii: "-")
        put(Int(parts.tm_mon) + 1, 2, at: 5)
        line[start + 7] = UInt8(ascii: "-")
        put(Int(parts.tm_mday), 2, at: 8)
        line[start + 10] = UInt8(ascii: "T")
        put(Int(parts.tm_hour), 2, at: 11)
        line[start + 13] = UInt8(ascii: ":")
        put(Int(parts.tm_min), 2, at: 14)
        line[start + 16] = UInt8(ascii: ":")
        put(Int(parts.tm_sec), 2, at: 17)
        line[start + 19] = UInt8(ascii: ".")
        put(ts.tv_nsec / 1_000_000, 3, at: 20)
        line[start + 23] = UInt8(ascii: "Z")
    }
}
