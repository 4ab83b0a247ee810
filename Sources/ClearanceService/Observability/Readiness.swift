import Synchronization

/// What `/readyz` reports: ready once the database is open, migrations are applied and the matching index is built.
/// Sync failures are reported as detail without making the service unready (good data keeps serving).
public final class Readiness: Sendable {
    public struct Snapshot: Sendable, Codable {
        public var ready: Bool
        public var reason: String?
        public var checks: [String: String]
    }

    private let state = Mutex<(reason: String?, checks: [String: String])>(("starting", [:]))
    /// Checks whose text is worked out when asked, so it never goes stale (the matching index after an upload).
    private let live = Mutex<[String: @Sendable () -> String]>([:])
    private let conditions = Mutex<[@Sendable () -> String?]>([])

    public init() {}

    public func set(check: String, _ value: String) {
        live.withLock { _ = $0.removeValue(forKey: check) }
        state.withLock { $0.checks[check] = value }
    }

    /// A check whose text `describe` gives at each snapshot.
    public func set(check: String, describe: @escaping @Sendable () -> String) {
        live.withLock { $0[check] = describe }
    }

    public func markNotReady(_ reason: String) { state.withLock { $0.reason = reason } }
    public func markReady() { state.withLock { $0.reason = nil } }

    /// A condition worked out at each snapshot that keeps the service unready while it gives a reason (no active
    /// list), after the start itself is done.
    public func require(_ condition: @escaping @Sendable () -> String?) {
        conditions.withLock { $0.append(condition) }
    }

    public var snapshot: Snapshot {
        let providers = live.withLock { $0 }
        var snapshot = state.withLock { Snapshot(ready: $0.reason == nil, reason: $0.reason, checks: $0.checks) }
        for (check, describe) in providers { snapshot.checks[check] = describe() }
        if snapshot.ready, let unmet = conditions.withLock({ $0 }).lazy.compactMap({ $0() }).first {
            snapshot.ready = false
            snapshot.reason = unmet
        }
        return snapshot
    }
}
