import Foundation
import Synchronization

/// One writer connection and a pool of readers over one SQLite file in WAL mode: readers never wait for the writer.
public final class DatabasePool: Sendable {
    public let path: String
    private let writer: Mutex<SQLiteConnection>
    private let readers: Mutex<[SQLiteConnection]>
    private let readerSlots: DispatchSemaphore
    /// Stops the background checkpointer when the pool goes away.
    private let closed = AtomicFlag()

    /// Opens (creating the file and its folder if needed) with `readerCount` read connections.
    /// With `backgroundCheckpoints`, the writer never checkpoints the WAL itself (a checkpoint copies the log into
    /// the database and syncs it, stalling every commit queued behind it); a background thread does it each second.
    public init(path: String, readerCount: Int = 4, backgroundCheckpoints: Bool = false) throws {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        self.path = path
        let writerConnection = try SQLiteConnection(path: path)
        if backgroundCheckpoints {
            try writerConnection.execute("PRAGMA wal_autocheckpoint = 0")
            let checkpointer = try SQLiteConnection(path: path)
            let closed = closed
            let thread = Thread {
                while !closed.isSet {
                    Thread.sleep(forTimeInterval: 1)
                    try? checkpointer.execute("PRAGMA wal_checkpoint(PASSIVE)")
                }
            }
            thread.name = "wal-checkpoint"
            thread.start()
        }
        writer = Mutex(writerConnection)
        var pool: [SQLiteConnection] = []
        for _ in 0..<max(1, readerCount) {
            let reader = try SQLiteConnection(path: path)
            try reader.execute("PRAGMA query_only = ON")
            pool.append(reader)
        }
        readers = Mutex(pool)
        readerSlots = DispatchSemaphore(value: pool.count)
    }

    deinit { closed.set() }

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

/// A shareable atomic Boolean (the checkpointer thread and the pool both hold it).
final class AtomicFlag: Sendable {
    private let value = Atomic<Bool>(false)
    var isSet: Bool { value.load(ordering: .relaxed) }
    func set() { value.store(true, ordering: .relaxed) }
}
