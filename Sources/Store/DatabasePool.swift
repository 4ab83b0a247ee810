import Foundation
import Synchronization

/// One writer connection and a pool of readers over one SQLite file in WAL mode: readers never wait for the writer.
public final class DatabasePool: SQLDatabase {
    public var dialect: SQLDialect { .sqlite }
    public let path: String
    private let writer: Mutex<SQLiteConnection>
    private let readers: ConnectionSet<SQLiteConnection>
    /// Readers kept for short point lookups (API keys, idempotency keys), so long reads holding every other reader never make an
    /// authentication wait. Two, not one behind a lock: a lookup holder descheduled on a busy machine stalled every
    /// request behind it (POST /screen at 64 connections lost a quarter of its throughput).
    private let lookupReaders: ConnectionSet<SQLiteConnection>
    /// Stops the background checkpointer when the pool goes away.
    private let closed = AtomicFlag()
    /// Set by the checkpointer when the WAL outgrew its limit; the writer restarts the log.
    private let restartWanted = AtomicFlag()

    /// Opens (creating the file and its folder if needed) with `readerCount` read connections.
    /// With `backgroundCheckpoints`, the writer never checkpoints the WAL itself (a checkpoint copies the log into
    /// the database and syncs it, stalling every commit queued behind it); a background thread does it each second.
    /// Past `walLimitBytes` the writer starts the log over (see `write`).
    public init(path: String, readerCount: Int = 4, backgroundCheckpoints: Bool = false, walLimitBytes: Int = 64 * 1024 * 1024,
                readerWait: Double = 5) throws {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        self.path = path
        let writerConnection = try SQLiteConnection(path: path)
        if backgroundCheckpoints {
            try writerConnection.execute("PRAGMA wal_autocheckpoint = 0")
            try writerConnection.execute("PRAGMA journal_size_limit = \(walLimitBytes)")
            let checkpointer = try SQLiteConnection(path: path)
            let closed = closed, restartWanted = restartWanted
            let thread = Thread {
                // A passive checkpoint each second; the log's size is checked five times as often.
                var tick = 0
                while !closed.isSet {
                    Thread.sleep(forTimeInterval: 0.2)
                    tick += 1
                    if tick % 5 == 0 { try? checkpointer.execute("PRAGMA wal_checkpoint(PASSIVE)") }
                    let walBytes = (try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int) ?? 0
                    if walBytes > walLimitBytes { restartWanted.set() }
                }
            }
            thread.name = "wal-checkpoint"
            thread.start()
        }
        writer = Mutex(writerConnection)
        readers = ConnectionSet(try Self.readers(path, count: max(1, readerCount)), wait: readerWait)
        lookupReaders = ConnectionSet(try Self.readers(path, count: 2), wait: readerWait)
    }

    deinit { closed.set() }

    private static func readers(_ path: String, count: Int) throws -> [SQLiteConnection] {
        try (0..<count).map { _ in
            let reader = try SQLiteConnection(path: path)
            try reader.execute("PRAGMA query_only = ON")
            return reader
        }
    }

    /// Runs `body` with the single writer connection (serialised).
    ///
    /// A passive checkpoint never blocks the writer, but under sustained writes it never catches up either, and the
    /// log starts over from its beginning only after one that did: measured, the WAL grew by 30 MB a second under
    /// the screening benchmark, without bound. Once it passes the limit, the writer itself runs a RESTART checkpoint
    /// between transactions (most frames are already copied by then, so the pause is short and the group commit
    /// absorbs it), the next commit starts the log over, and `journal_size_limit` trims the file.
    public func write<T>(_ body: (SQLiteConnection) throws -> T) throws -> T {
        try writer.withLock { connection in
            if restartWanted.take() { try? connection.execute("PRAGMA wal_checkpoint(RESTART)") }
            return try body(connection)
        }
    }

    /// SQLite takes the file's write lock for each transaction; the single writer connection serialises the rest.
    public func exclusively<T>(_ body: (any SQLConnection) throws -> T) throws -> T {
        try write(body)
    }

    public func writeTransaction<T>(_ body: (any SQLConnection) throws -> T) throws -> T {
        try write { connection in try connection.transaction { try body(connection) } }
    }

    /// Waits when all readers are busy, for `readerWait` seconds at most.
    public func read<T>(_ body: (any SQLConnection) throws -> T) throws -> T {
        try readers.use { connection in try connection.readTransaction { try body(connection) } }
    }

    public func lookup<T>(_ body: (any SQLConnection) throws -> T) throws -> T {
        try lookupReaders.use(body)
    }
}

/// Every reader stayed busy for as long as a read may wait: the database is overloaded, not broken.
public struct DatabaseBusy: Error, CustomStringConvertible {
    public let waited: Double
    public var description: String { "no database reader became free within \(waited) s" }
}

// SQLiteConnection is used by one thread at a time (the pool's locks), so moving it between threads is safe.
extension SQLiteConnection: @unchecked Sendable {}

/// A shareable atomic Boolean (the checkpointer thread and the pool both hold it).
final class AtomicFlag: Sendable {
    private let value = Atomic<Bool>(false)
    var isSet: Bool { value.load(ordering: .relaxed) }
    func set() { value.store(true, ordering: .relaxed) }
    /// Whether it was set, clearing it.
    func take() -> Bool { value.exchange(false, ordering: .relaxed) }
}
