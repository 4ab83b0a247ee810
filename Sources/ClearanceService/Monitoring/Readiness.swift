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

    public init() {}

    public func set(check: String, _ value: String) {
        state.withLock { $0.checks[check] = value }
    }

    public func markNotReady(_ reason: String) { state.withLock { $0.reason = reason } }
    public func markReady() { state.withLock { $0.reason = nil } }

    public var snapshot: Snapshot {
        state.withLock { Snapshot(ready: $0.reason == nil, reason: $0.reason, checks: $0.checks) }
    }
}
