import Foundation
import Store

/// The policy in force and its history. Changes are new versions, recorded in the audit trail.
public final class PolicyService: @unchecked Sendable {
    private let store: any PolicyStore
    private let lock = NSLock()
    private var cached: (version: Int, policy: Policy)?

    public init(store: any PolicyStore) {
        self.store = store
    }

    /// The policy in force; version 1 (the default policy) is stored on first use.
    public func current() throws -> (version: Int, policy: Policy) {
        if let cached = lock.withLock({ cached }) { return cached }
        let record = try store.latest() ?? store.append(body: try Self.encode(.default), at: Timestamp.now(), by: "default", audit: nil)
        let loaded = (record.version, try JSONDecoder().decode(Policy.self, from: Data(record.body.utf8)))
        lock.withLock { cached = loaded }
        return loaded
    }

    /// Takes up a newer policy another process stored (replicas share the database); a cheap read when none is.
    public func refresh() throws {
        guard let record = try store.latest(), record.version != lock.withLock({ cached?.version }) else { return }
        let loaded = (record.version, try JSONDecoder().decode(Policy.self, from: Data(record.body.utf8)))
        lock.withLock { if (cached?.version ?? 0) < loaded.0 { cached = loaded } }
    }

    public func version(_ version: Int) throws -> Policy? {
        guard let record = try store.version(version) else { return nil }
        return try JSONDecoder().decode(Policy.self, from: Data(record.body.utf8))
    }

    public func replace(_ policy: Policy, actor: Principal?) throws -> (version: Int, policy: Policy) {
        try policy.validate()
        let previous = try current().version
        let record = try store.append(body: try Self.encode(policy), at: Timestamp.now(), by: actor?.keyID ?? "cli") { record in
            try AuditTrail.adminEntry("policy.update", actor: actor, details: [
                "version": JSONValue(record.version), "previousVersion": JSONValue(previous),
                "reviewThreshold": .number(policy.reviewThreshold), "blockThreshold": .number(policy.blockThreshold),
                "rules": JSONValue(policy.rules.count), "fourEyesClearing": .bool(policy.fourEyesClearing),
                "falsePositiveExpiryDays": policy.falsePositiveExpiryDays.map { JSONValue($0) } ?? .null, "profile": .string(policy.profile.rawValue),
            ])
        }
        let updated = (record.version, policy)
        lock.withLock { cached = updated }
        return updated
    }

    static func encode(_ policy: Policy) throws -> String {
        String(decoding: try JSON.encoder().encode(policy), as: UTF8.self)
    }
}
