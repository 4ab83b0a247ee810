import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A throwaway PostgreSQL cluster for the test run: Debian's server binaries, a data folder in the run's temporary
/// folder, a free loopback port, trust authentication for one user. Started on first use, stopped when the test
/// process exits. Run as root (CI), the server runs as the unprivileged `postgres` user, as PostgreSQL requires.
public final class PostgresCluster: Sendable {
    public let port: Int
    public let user = "clearance"
    let dataDirectory: String
    let binaries: String
    let runAs: [String]

    /// The run's cluster, or why there is none (no PostgreSQL installed, or it failed to start).
    public static let shared: Result<PostgresCluster, TestSupportError> = {
        do { return .success(try PostgresCluster()) } catch let error as TestSupportError { return .failure(error) } catch {
            return .failure(TestSupportError(description: "\(error)"))
        }
    }()

    /// A cluster of the test's own, for a test that stops and starts the server (the shared one serves other tests
    /// at the same time).
    public static func own() throws -> PostgresCluster { try PostgresCluster() }

    /// `CLEARANCE_REQUIRE_POSTGRES` is set by `.ci/run`: there a missing PostgreSQL fails the suite instead of skipping
    /// the PostgreSQL half of it.
    public static var required: Bool { ProcessInfo.processInfo.environment["CLEARANCE_REQUIRE_POSTGRES"] != nil }

    private init() throws {
        let installed = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        guard let version = installed.compactMap(Int.init).max() else {
            throw TestSupportError(description: "PostgreSQL is not installed (apt-get install postgresql)")
        }
        binaries = "/usr/lib/postgresql/\(version)/bin"
        let folder = TestFolder.make("postgres")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        dataDirectory = folder.appendingPathComponent("data").path
        if getuid() == 0 {
            runAs = ["/usr/sbin/runuser", "-u", "postgres", "--"]
            // The test process's temporary folders are root's; the server's own must be its user's.
            _ = try ChildProcess.run(["/bin/chmod", "755", folder.deletingLastPathComponent().path, folder.path])
            _ = try ChildProcess.run(["/bin/chown", "postgres", folder.path])
        } else {
            runAs = []
        }
        port = try LoopbackPort.free()
        let initdb = try ChildProcess.run(runAs + ["\(binaries)/initdb", "-D", dataDirectory, "-A", "trust", "-U", user, "-E", "UTF8",
                                                   "--no-locale"], timeout: 120)
        guard initdb.status == 0 else { throw TestSupportError(description: "initdb failed: \(initdb.output)") }
        try start()
        let stop = runAs + ["\(binaries)/pg_ctl", "-D", dataDirectory, "-m", "immediate", "stop"]
        Self.stopAtExit.withLock { commands in
            if commands.isEmpty { atexit { for command in PostgresCluster.stopAtExit.withLock({ $0 }) { _ = try? ChildProcess.run(command) } } }
            commands.append(stop)
        }
    }

    /// The commands that stop every cluster this process started, run when it exits.
    private static let stopAtExit = Mutex<[[String]]>([])

    /// A new, empty database; its URL.
    public func createDatabase() throws -> String {
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        try sql("CREATE DATABASE \(name)")
        return url(name)
    }

    public func url(_ database: String) -> String { "postgres://\(user)@127.0.0.1:\(port)/\(database)" }

    /// Runs SQL through psql against `database`; throws with psql's output when it fails.
    @discardableResult
    public func sql(_ statement: String, database: String = "postgres") throws -> String {
        let result = try ChildProcess.run(["\(binaries)/psql", "-h", "127.0.0.1", "-p", "\(port)", "-U", user, "-d", database,
                                           "-v", "ON_ERROR_STOP=1", "-At", "-c", statement])
        guard result.status == 0 else { throw TestSupportError(description: "psql: \(result.output)") }
        return result.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Stops the server as a crash or an operator would (`immediate`: connections dropped, no checkpoint).
    public func stop() throws {
        let result = try ChildProcess.run(runAs + ["\(binaries)/pg_ctl", "-D", dataDirectory, "-m", "immediate", "-w", "stop"], timeout: 60)
        guard result.status == 0 else { throw TestSupportError(description: "pg_ctl stop: \(result.output)") }
    }

    /// Starts the server (again, after `stop`) on the cluster's port.
    public func start() throws {
        let folder = URL(fileURLWithPath: dataDirectory).deletingLastPathComponent().path
        let options = "-p \(port) -k \(folder) -c listen_addresses=127.0.0.1 -c max_connections=500 -c shared_buffers=64MB"
        let result = try ChildProcess.run(runAs + ["\(binaries)/pg_ctl", "-D", dataDirectory, "-o", options, "-l", "\(folder)/server.log",
                                                   "-w", "-t", "60", "start"], timeout: 90)
        guard result.status == 0 else {
            let log = (try? String(contentsOfFile: "\(folder)/server.log", encoding: .utf8)) ?? ""
            throw TestSupportError(description: "PostgreSQL did not start: \(result.output) \(log)")
        }
    }
}
