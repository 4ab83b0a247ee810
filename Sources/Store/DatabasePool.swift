import Foundation
import Synchronization

/// One writer connection and a pool of readers over one SQLite file in WAL mode: readers never wait for the writer.
public final class DatabasePool: Sendable {
    public let path: String
    private let writer: Mutex<SQLiteConnection>
    private let readers: Mutex<[SQLiteConnection]>
    private let readerSlots: DispatchSemaphore

    /// Opens (creating the file and its folder if needed) with `readerCount` read connections.
    public init(path: String, readerCount: Int = 4) throws {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        self.path = path
        writer = Mutex(try SQLiteConnection(path: path))
        var pool: [SQLiteConnection] = []
        for _ in 0..<max(1, readerCount) {
            let reader = try SQLiteConnection(path: path)
            try reader.execute("PRAGMA query_only = ON")
            pool.append(reader)
        }
        readers = Mutex(pool)
        readerSlots = DispatchSemaphore(value: pool.count)
    }

    /// Runs `body` with the single writer connection (serialised).
    public func write<T>(_ body: (SQLiteConnection) throws -> T) throws -> T {
        try writer.withLock { connection in try body(connection) }
    }

    /// Runs `body` in one write transaction.
    public func writeTransaction<T>(_ body: (SQLiteConnection) throws -> T) throws -> T {
        try write { connection in try connection.transaction { try body(connection) } }
    }

    /// Runs `body` with a reader connection; waits when all are busy.
    public func read<T>(_ body: (SQLiteConnection) throws -> T) throws -> T {
        readerSlots.wait()
        defer { readerSlots.signal() }
        let connection = readers.withLock { $0.removeLast() }
        defer { readers.withLock { $0.append(connection) } }
        return try body(connection)
    }
}

// SQLiteConnection is used by one thread at a time (the pool's locks), so moving it between threads is safe.
extension SQLiteConnection: @unchecked Sendable {}
