#if canImport(Glibc)
import Glibc
#endif
import Foundation
@testable import HTTPServer
import Logging
import Testing
import TestSupport
@testable import ClearanceService

@Suite struct JSONLogHandlerTests {
    /// The hand-written civil-date arithmetic against the C library, across leap days, century rules and eras.
    @Test func timestampsMatchGmtime() {
        var generator = SystemRandomNumberGenerator()
        let fixed = [0, 59, 86_399, 86_400, 951_782_400, 951_868_799, 978_307_200, 1_709_164_800, 4_102_444_799, 4_107_542_400]
        let random = (0..<2000).map { _ in Int.random(in: 0..<(1 << 35), using: &generator) }
        for seconds in fixed + random {
            let nanoseconds = Int.random(in: 0..<1_000_000_000, using: &generator)
            var line = ByteBuffer(capacity: 32)
            JSONLogHandler.appendTimestamp(seconds: seconds, nanoseconds: nanoseconds, to: &line)
            var time = seconds
            var parts = tm()
            gmtime_r(&time, &parts)
            let expected = String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
                                  Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), nanoseconds / 1_000_000)
            #expect(line.string == expected, "\(seconds)")
        }
    }

    /// Lines as a reader of the log sees them: valid JSON, one per line, fields escaped, metadata merged and sorted,
    /// the access record spliced in flat.
    @Test func linesAreJSONWithMergedMetadataAndFlatAccessFields() throws {
        let path = TestFolder.make("log").path
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        #expect(descriptor >= 0)
        defer { unlink(path) }
        let output = LogOutput(descriptor: descriptor, flushInterval: 0)
        var logger = Logger(label: "clearance.test") { JSONLogHandler(label: $0, level: .debug, output: output) }
        logger[metadataKey: "z_handler"] = "kept"
        let record = RequestRecord(method: "GET", path: "/a \"quoted\"\npath", route: "/a/{b}", status: 404, durationSeconds: 0.0012344,
                                   requestBytes: 0, responseBytes: 123, requestID: "id-1", remoteAddress: "127.0.0.1:5")
        logger.info("request", metadata: ["http": record.logValue])
        logger.warning("tab\there", metadata: ["count": .stringConvertible(3), "b": "two"])
        logger.debug("plain")
        close(descriptor)

        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 3)
        let objects = try lines.map { try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        let access = objects[0]
        #expect(access["level"] as? String == "info")
        #expect(access["logger"] as? String == "clearance.test")
        #expect(access["msg"] as? String == "request")
        #expect(access["path"] as? String == "/a \"quoted\"\npath")
        #expect(access["status"] as? Int == 404)
        #expect(access["duration_ms"] as? Double == 1.234)
        #expect(access["bytes_out"] as? Int == 123)
        #expect(access["z_handler"] as? String == "kept")
        #expect(access["http"] == nil)
        #expect(objects[1]["msg"] as? String == "tab\there")
        #expect(objects[1]["count"] as? Int == 3)
        #expect(objects[1]["level"] as? String == "warning")
        #expect(objects[2]["level"] as? String == "debug")
        // Keys after the message are sorted, so lines diff well.
        let warning = String(lines[1])
        let b = try #require(warning.range(of: "\"b\":")), count = try #require(warning.range(of: "\"count\":"))
        #expect(b.lowerBound < count.lowerBound)
        let timestamp = try #require(access["ts"] as? String)
        #expect(ISO8601DateFormatter().date(from: timestamp.replacingOccurrences(of: #"\.\d{3}"#, with: "", options: .regularExpression)) != nil)
    }
}
