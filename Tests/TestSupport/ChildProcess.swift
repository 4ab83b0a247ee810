import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs helper commands for tests (initdb, pg_ctl, psql) to completion.
public enum ChildProcess {
    /// Runs `arguments` and returns its exit status and combined output; kills it after `timeout` seconds.
    /// Not `waitUntilExit`, which never returns under a test thread once the child has exited (no run loop).
    @discardableResult
    public static func run(_ arguments: [String], timeout: Double = 60) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: arguments[0])
        process.arguments = Array(arguments.dropFirst())
        let output = TestFolder.make("out")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        let handle = try FileHandle(forWritingTo: output)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        let status = wait(for: process.processIdentifier, timeout: timeout)
        try? handle.close()
        let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        try? FileManager.default.removeItem(at: output)
        return (status, text)
    }

    /// Waits for `pid` to exit, killing it after `timeout` seconds; its exit status (-1 when killed).
    public static func wait(for pid: Int32, timeout: Double) -> Int32 {
        let deadline = Date().addingTimeInterval(timeout)
        var status: Int32 = 0
        while waitpid(pid, &status, WNOHANG) == 0 {
            if Date() > deadline {
                kill(pid, SIGKILL)
                waitpid(pid, &status, 0)
                return -1
            }
            usleep(10_000)
        }
        // WIFEXITED / WEXITSTATUS, which Swift does not import as macros.
        return status & 0x7F == 0 ? (status >> 8) & 0xFF : -1
    }
}
