import Foundation
import Synchronization

/// Connections handed out one per caller, first come first served; a caller waits for a free one for `wait` seconds
/// at most. A freed connection goes straight to the longest waiter: with a plain semaphore, the
/// waiters woken were arbitrary, and under a sustained mixed load the unlucky ones waited out the whole deadline
/// while the median wait was a tenth of it.
final class ConnectionSet<Connection: SQLConnection & Sendable>: Sendable {
    /// One caller waiting for a connection; `handed` is set under the set's lock before `ready` is signalled.
    private final class Waiter: @unchecked Sendable {
        let ready = DispatchSemaphore(value: 0)
        var handed: Connection?
    }

    private enum Taken {
        case idle(Connection)
        case queued(Waiter)
    }

    private struct State {
        var idle: [Connection]
        var waiters: [Waiter] = []
    }

    private let state: Mutex<State>
    private let wait: Double

    init(_ connections: [Connection], wait: Double) {
        state = Mutex(State(idle: connections))
        self.wait = wait
    }

    func use<T>(_ body: (Connection) throws -> T) throws -> T {
        let connection = try acquire()
        defer { release(connection) }
        return try body(connection)
    }

    private func acquire() throws -> Connection {
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

    private func release(_ connection: Connection) {
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
