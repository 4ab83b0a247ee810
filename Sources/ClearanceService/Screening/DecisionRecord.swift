import Foundation

/// A list version a decision was made against.
public struct ListVersionUsed: Codable, Sendable, Equatable {
    public var list: String
    public var version: Int
    public var sha256: String
}

/// What `POST /screen` answers.
public struct ScreenResponse: Codable, Sendable, Equatable {
    public var decisionId: String
    public var decision: Outcome
    public var screenedAt: String
    public var reference: String?
    public var matches: [ScreenMatch]
    public var listVersions: [ListVersionUsed]
    public var policyVersion: Int
    public var engineVersion: String
}

/// The decision as kept in the audit trail: the answer plus who asked, exactly what they sent, how it was read,
/// and how long it took. Its canonical JSON is what the hash chain covers.
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

    public var response: ScreenResponse {
        ScreenResponse(decisionId: decisionId, decision: decision, screenedAt: screenedAt, reference: reference, matches: matches,
                       listVersions: listVersions, policyVersion: policyVersion, engineVersion: engineVersion)
    }
}
