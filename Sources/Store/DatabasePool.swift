import Foundation
import Synchronization

/// One writer connection and a pool of readers over one SQLite file in WAL mode: readers never wait for the writer.
public final class DatabasePool: Sendable {
    public let path: String
    private let writer: Mutex<SQLiteConnection>
    private let readers: ReaderSet
    /// Readers kept for short point lookups (API keys, idempotency keys), so long reads holding every other reader never make an
    /// authentication wait. Two, not one behind a lock: a lookup holder descheduled on a busy machine stalled every
    /// request behind it (POST /screen at 64 connections lost a quarter of its throughput).
    private let lookupReaders: ReaderSet
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
        readers = try ReaderSet(path: path, count: max(1, readerCount), wait: readerWait)
        lookupReaders = try ReaderSet(path: path, count: 2, wait: readerWait)
    }

    deinit { closed.set() }

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

    /// Runs `body` in one write transaction.
    public func writeTransaction<T>(_ body: (SQLiteConnection) throws -> T) throws -> T {
        try write { connection in try connection.transaction { try body(connection) } }
    }

    /// Runs `body` with a reader connection; waits when all are busy, for `readerWait` seconds at most.
    public func read<T>(_ body: (SQLiteConnection) throws -> T) throws -> T {
        try readers.use(body)
    }

    /// Runs a short point lookup (one row or a few, by an index) on the readers kept for them.
    public func lookup<T>(_ body: (SQLiteConnection) throws -> T) throws -> T {
        try lookupReaders.use(body)
    }
}

/// Read-only connections handed out one per caller, first come first served; a caller waits for a free one for
/// `wait` seconds at most. A freed connection goes straight to the longest waiter: with a plain semaphore, the
/// waiters woken were arbitrary, and under a sustained mixed load the unlucky ones waited out the whole deadline
/// while the median wait was a tenth of it.
private final class ReaderSet: Sendable {
    /// One caller waiting for a connection; `handed` is set under the set's lock before `ready` is signalled.
    private final class Waiter: @unchecked Sendable {
        let ready = DispatchSemaphore(value: 0)
        var handed: SQLiteConnection?
    }

    private enum Taken {
        case idle(SQLiteConnection)
        case queued(Waiter)
    }

    private struct State {
        var idle: [SQLiteConnection]
        var waiters: [Waiter] = []
    }

    private let state: Mutex<State>
    private let wait: Double

    init(path: String, count: Int, wait: Double) throws {
        var opened: [SQLiteConnection] = []
        for _ in 0..<count {
            let reader = try SQLiteConnection(path: path)
            try reader.execute("PRAGMA query_only = ON")
            opened.append(reader)
        }
        state = Mutex(State(idle: opened))
        self.wait = wait
    }

    func use<T>(_ body: (SQLiteConnection) throws -> T) throws -> T {
        let connection = try acquire()
        defer { release(connection) }
        return try body(connection)
    }

    private func acquire() throws -> SQLiteConnection {
        // A waiter (a class and a semaphore) is made only when no reader is free: not on every read.
        let taken = state.withLock { state -> Taken in
            if let idle = state.idle.popLast() { return .idle(idle) }
            let waiter = Waiter()
            state.waiters.append(waiter)
            return .queued(waiter)
        }
        let waiter: Waiter
        switch taken {
        case .idle(let connection): return connection
        case .queued(let queued): waiter = queued
        }
        if waiter.ready.wait(timeout: .now() + wait) == .timedOut {
            let gaveUp = state.withLock { state -> Bool in
                guard let index = state.waiters.firstIndex(where: { $0 === waiter }) else { return false }
                state.waiters.remove(at: index)
                return true
            }
            if gaveUp { throw DatabaseBusy(waited: wait) }
            // A connection was handed over as the wait ran out; its signal is on the way.
            waiter.ready.wait()
        }
        // Always set before the signal (see `release`); the guard only keeps the type honest.
        guard let handed = state.withLock({ _ in waiter.handed }) else { throw DatabaseBusy(waited: wait) }
        return handed
    }

    private func release(_ connection: SQLiteConnection) {
        let next = state.withLock { state -> Waiter? in
            guard !state.waiters.isEmpty else {
                state.idle.append(connection)
                return nil
            }
            let next = state.waiters.removeFirst()
            next.handed = connection
            return next
        }
        next?.ready.signal()
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
