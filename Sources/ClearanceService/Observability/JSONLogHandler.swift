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
    private let output: LogOutput
    /// `","logger":"<label>","msg":`, built once per handler.
    private let afterLevel: [UInt8]

    public init(label: String, level: Logger.Level = .info, output: LogOutput) {
        self.logLevel = level
        self.output = output
        var afterLevel = ByteBuffer(capacity: 64)
        afterLevel.append(#"","logger":"#)
        JSONText.appendQuoted(label, to: &afterLevel)
        afterLevel.append(#","msg":"#)
        self.afterLevel = afterLevel.withUnsafeBytes { Array($0) }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var line = ByteBuffer(capacity: 512)
        line.append(#"{"ts":""#)
        Self.appendTimestamp(to: &line)
        line.append(Self.levelField(event.level))
        line.append(afterLevel)
        JSONText.appendQuoted(event.message.description, to: &line)
        let merged = metadata.isEmpty ? event.metadata ?? [:] : metadata.merging(event.metadata ?? [:]) { $1 }
        // Keys in order so lines diff well; a single entry (the access log) needs no sorted copy of the keys.
        if merged.count == 1, let (key, value) = merged.first {
            Self.appendField(key, value, to: &line)
        } else {
            for key in merged.keys.sorted() {
                if let value = merged[key] { Self.appendField(key, value, to: &line) }
            }
        }
        line.append("}\n")
        line.withUnsafeBytes { output.write($0, urgent: event.level >= .notice) }
    }

    /// `","level":"info` and so on (a switch over literals: a dictionary lookup hashed the level on every line).
    private static func levelField(_ level: Logger.Level) -> StaticString {
        switch level {
        case .trace: #"","level":"trace"#
        case .debug: #"","level":"debug"#
        case .info: #"","level":"info"#
        case .notice: #"","level":"notice"#
        case .warning: #"","level":"warning"#
        case .error: #"","level":"error"#
        case .critical: #"","level":"critical"#
        }
    }

    /// `,"key":value`; a value that writes its own fields (the access log's request record) is spliced in flat.
    private static func appendField(_ key: String, _ value: Logger.Metadata.Value, to line: inout ByteBuffer) {
        line.append(UInt8(ascii: ","))
        if case .stringConvertible(let convertible) = value, let value = convertible as? JSONLogFieldsValue {
            value.fields.appendJSONFields(to: &line)
            return
        }
        JSONText.appendQuoted(key, to: &line)
        line.append(UInt8(ascii: ":"))
        append(value, to: &line)
    }

    /// Strings are quoted; integers and floating-point numbers passed as `.stringConvertible` stay numbers.
    private static func append(_ value: Logger.Metadata.Value, to line: inout ByteBuffer) {
        switch value {
        case .string(let s):
            JSONText.appendQuoted(s, to: &line)
        case .stringConvertible(let c):
            if c is Int || c is Double || c is Int64 || c is Bool {
                line.appendUTF8(c.description)
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
                if let item = dict[key] { append(item, to: &line) } else { line.append("null") }
            }
            line.append(UInt8(ascii: "}"))
        }
    }

    /// `2026-11-27T05:43:25.123Z`, written digit by digit (this runs once per request). The civil date comes from
    /// the day count by integer arithmetic (H. Hinnant's `civil_from_days`): `gmtime_r` takes glibc's time-zone lock.
    private static func appendTimestamp(to line: inout ByteBuffer) {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        appendTimestamp(seconds: Int(ts.tv_sec), nanoseconds: ts.tv_nsec, to: &line)
    }

    static func appendTimestamp(seconds: Int, nanoseconds: Int, to line: inout ByteBuffer) {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        line.appendTwoDigits(year / 100)
        line.appendTwoDigits(year % 100)
        line.append(UInt8(ascii: "-"))
        line.appendTwoDigits(month)
        line.append(UInt8(ascii: "-"))
        line.appendTwoDigits(day)
        line.append(UInt8(ascii: "T"))
        line.appendTwoDigits(secondOfDay / 3600)
        line.append(UInt8(ascii: ":"))
        line.appendTwoDigits(secondOfDay / 60 % 60)
        line.append(UInt8(ascii: ":"))
        line.appendTwoDigits(secondOfDay % 60)
        line.append(UInt8(ascii: "."))
        let millis = nanoseconds / 1_000_000
        line.append(UInt8(48 + millis / 100))
        line.appendTwoDigits(millis % 100)
        line.append(UInt8(ascii: "Z"))
    }
}
