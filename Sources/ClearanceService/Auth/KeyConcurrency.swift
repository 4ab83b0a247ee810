import Synchronization

/// Bounds the requests one API key has in flight at once, so a single client (a runaway job, a stolen key sending
/// slow bodies) cannot hold every worker thread. Beyond the limit it gets 429 at once, from the head.
final class KeyConcurrency: Sendable {
    private let limit: Int
    private let inFlight = Mutex<[String: Int]>([:])

    /// At most `limit` requests per key at once; 0 turns the bound off.
    init(limit: Int) {
        self.limit = limit
    }

    /// A slot for `key`, held until the lease is released (when the request it is attached to is done with).
    func lease(_ key: String) throws -> Lease? {
        guard limit > 0 else { return nil }
        let granted = inFlight.withLock { counts -> Bool in
            guard counts[key, default: 0] < limit else { return false }
            counts[key, default: 0] += 1
            return true
        }
        guard granted else {
            throw ServiceError.tooManyRequests("this key already has \(limit) requests in flight; retry when one has finished", retryAfterSeconds: 1)
        }
        return Lease(key: key, owner: self)
    }

    /// How many requests `key` has in flight now.
    func held(by key: String) -> Int {
        inFlight.withLock { $0[key, default: 0] }
    }

    fileprivate func release(_ key: String) {
        inFlight.withLock { counts in
            let left = counts[key, default: 1] - 1
            counts[key] = left > 0 ? left : nil
        }
    }

    /// Gives its slot back when the last copy of the request holding it goes away: after the response is sent,
    /// whichever way the request ended (answered, deferred, streamed, refused while its body was read).
    final class Lease: Sendable {
        private let key: String
        private let owner: KeyConcurrency

        fileprivate init(key: String, owner: KeyConcurrency) {
            self.key = key
            self.owner = owner
        }

        deinit { owner.release(key) }
    }
}

/// What a keyed route's head check attaches to the request: the caller and its concurrency slot.
final class AuthenticatedCaller: Sendable {
    let principal: Principal
    private let lease: KeyConcurrency.Lease?

    init(principal: Principal, lease: KeyConcurrency.Lease?) {
        self.principal = principal
        self.lease = lease
    }
}
