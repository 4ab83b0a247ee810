import Foundation
import Synchronization
import Testing

/// `clearance serve` as a child process on a free port, for tests that need a real process (signals, crashes).
final class ServeProcess {
    let process = Process()
    let port: Int
    /// What the process wrote to stderr before it reported its port.
    let startupLog: String
    /// The admin key a first start wrote beside the database (never to its log), when it made one.
    let bootstrapKey: String?

    init(database: String, extra: [String] = []) throws {
        guard let executable = CommandLineTests.executable else { throw ServeProcessError("build the clearance executable first (swift build)") }
        process.executableURL = executable
        process.arguments = ["serve", "--port", "0", "--database", database] + (extra.contains("--sync-interval") ? [] : ["--sync-interval", "0"]) + extra
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        var text = ""
        var port: Int?
        let deadline = Date().addingTimeInterval(30)
        while port == nil && Date() < deadline {
            let data = err.fileHandleForReading.availableData
            if data.isEmpty { break }
            text += String(decoding: data, as: UTF8.self)
            if let range = text.range(of: "\"port\":") {
                port = Int(text[range.upperBound...].drop { $0 == "\"" }.prefix { $0.isNumber })
            }
        }
        guard let port else {
            process.terminate()
            throw ServeProcessError("serve did not report its port: \(text)")
        }
        self.port = port
        startupLog = text
        // Beside an SQLite file unless the test names the file (a PostgreSQL database has no folder).
        let keyFile = extra.firstIndex(of: "--bootstrap-key-file").map { URL(fileURLWithPath: extra[$0 + 1]) }
            ?? URL(fileURLWithPath: database).deletingLastPathComponent().appendingPathComponent("bootstrap-admin.key")
        bootstrapKey = (try? String(contentsOf: keyFile, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
        // Keep draining stderr so the server never blocks on a full pipe; what it writes is kept for `log`.
        let handle = err.fileHandleForReading
        let collected = self.collected
        collected.append(text)
        Thread {
            while true {
                let data = handle.availableData
                if data.isEmpty { return }
                collected.append(String(decoding: data, as: UTF8.self))
            }
        }.start()
    }

    private let collected = CollectedText()

    /// Everything the process wrote to stderr so far.
    var log: String { collected.text }

    func kill() {
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    func terminate() -> Int32 {
        process.terminate()
        process.waitUntilExit()
        return process.terminationStatus
    }

    deinit {
        if process.isRunning { kill() }
    }
}

struct ServeProcessError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Text appended by one thread and read by another.
final class CollectedText: Sendable {
    private let storage = Mutex("")
    func append(_ more: String) { storage.withLock { $0 += more } }
    var text: String { storage.withLock { $0 } }
}
