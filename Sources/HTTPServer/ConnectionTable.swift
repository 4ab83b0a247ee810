import Synchronization

/// The server's open connections and the counts its limits are checked against: in total and per client address.
///
/// The event loops report closed connections straight to this table, an object they hold, rather than through a
/// callback installed after they exist. A function value stored in a `Mutex` and read back with `withLock { $0 }`
/// is re-wrapped in a reabstraction thunk on every access, so such a callback grew by a frame per closed connection
/// until a close overflowed a worker's stack.
final class ConnectionTable: Sendable {
    private struct State {
        var connections: [ObjectIdentifier: Connection] = [:]
        var byAddress: [String: Int] = [:]
    }

    private let state = Mutex(State())
    private let total = Atomic<Int>(0)
    private let maxConnections: Int
    private let maxPerAddress: Int
    private let observer: (any RequestObserver)?

    init(maxConnections: Int, maxPerAddress: Int, observer: (any RequestObserver)?) {
        self.maxConnections = maxConnections
        self.maxPerAddress = maxPerAddress
        self.observer = observer
    }

    var count: Int { total.load(ordering: .relaxed) }

    /// Counts a new connection from `address` against the limits; why it is refused, or nil when it is admitted.
    func admit(_ address: String) -> String? {
        if total.load(ordering: .relaxed) >= maxConnections { return "too many open connections" }
        let admitted = state.withLock { state -> Bool in
            let open = state.byAddress[address, default: 0]
            if maxPerAddress > 0 && open >= maxPerAddress { return false }
            state.byAddress[address] = open + 1
            return true
        }
        guard admitted else { return "too many open connections from this address" }
        total.add(1, ordering: .relaxed)
        return nil
    }

    /// Gives back what `admit` counted, for a connection that never opened.
    func release(_ address: String) {
        total.subtract(1, ordering: .relaxed)
        state.withLock { state in
            let open = state.byAddress[address, default: 1] - 1
            state.byAddress[address] = open > 0 ? open : nil
        }
    }

    func opened(_ connection: Connection) {
        state.withLock { $0.connections[ObjectIdentifier(connection)] = connection }
        observer?.connectionOpened()
    }

    /// Safe to call more than once for a connection: only the first call counts.
    func closed(_ connection: Connection) {
        let removed = state.withLock { $0.connections.removeValue(forKey: ObjectIdentifier(connection)) != nil }
        guard removed else { return }
        release(connection.remoteAddress)
        observer?.connectionClosed()
    }

    var open: [Connection] { state.withLock { Array($0.connections.values) } }
}
