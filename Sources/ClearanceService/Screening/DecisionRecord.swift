import Foundation
import Store

/// A list version a decision was made against.
public struct ListVersionUsed: Codable, Sendable, Equatable {
    public var list: String
    public var version: Int
    public var sha256: String
}

/// A screening decision: the answer, who asked, exactly what they sent, how it was read, the list versions and
/// policy it used, and how long it took. Its canonical JSON is both the response to `POST /screen` and what the
/// hash chain covers.
public struct DecisionRecord: Codable, Sendable, Equatable {
    public var decisionId: String
    public var screenedAt: String
    public var decision: Outcome
    public var reference: String?
    public var caller: CallerRef
    /// The request as received.
    public var request: JSONValue
    public var requestSha256: String
    public var idempotencyKey: String?
    /// Each query name (the name, then the aliases) as normalised tokens.
    public var normalizedQuery: [[String]]
    public var listVersions: [ListVersionUsed]
    public var policyVersion: Int
    public var engineVersion: String
    public var matches: [ScreenMatch]
    public var latencyMs: Double

    public struct CallerRef: Codable, Sendable, Equatable {
        public var keyId: String
        public var name: String
    }
}

extension DecisionRecord {
    /// The record a stored decision holds (its audit entry's body). Exports pass one decoder for every row.
    static func stored(_ hit: DecisionHit, decoder: JSONDecoder = JSONDecoder()) throws -> DecisionRecord {
        try decoder.decode(DecisionRecord.self, from: Data(hit.body.utf8))
    }
}
