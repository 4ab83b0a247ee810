import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs helper commands for tests (initdb, pg_ctl, psql, the clearance CLI) to completion.
///
/// Spawned with posix_spawn and reaped with waitpid, not with Foundation's Process: Process reaps its children on
/// its own, so their exit status reaches a test thread (which runs no run loop) late or never.
public enum ChildProcess {
    /// Runs `arguments` and returns its exit status and combined output; kills it after `timeout` seconds (status -1).
    @discardableResult
    public static func run(_ arguments: [String], timeout: Double = 60) throws -> (status: Int32, output: String) {
        let output = TestFolder.make("out")
        try FileManager.default.createDirectory(at: output.deletingLastPathComponent(), withIntermediateDirectories: true)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, output.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, arguments[0], &actions, nil, argv, environ)
        guard spawned == 0 else { throw TestSupportError(description: "cannot run \(arguments[0]): \(String(cString: strerror(spawned)))") }
        let deadline = Date().addingTimeInterval(timeout)
        var status: Int32 = 0
        var exited = false
        while !exited {
            if waitpid(pid, &status, WNOHANG) == pid {
                exited = true
            } else if Date() > deadline {
                kill(pid, SIGKILL)
                waitpid(pid, &status, 0)
                status = -1
                exited = true
            } else {
                usleep(10_000)
            }
        }
        let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        try? FileManager.default.removeItem(at: output)
        // WIFEXITED and WEXITSTATUS, which Swift does not import as macros.
        return (status != -1 && status & 0x7F == 0 ? (status >> 8) & 0xFF : -1, text)
    }
}
