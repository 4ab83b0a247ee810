import Foundation
import Store

/// A list version a decision was made against.
public struct ListVersionUsed: Codable, Sendable, Equatable {
    public var list: String
    public var version: Int
    public var sha256: String
}

extension [ListVersionUsed] {
    /// The version of `list` a decision used.
    func version(of list: String) -> Int? { first { $0.list == list }?.version }
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
    /// The `Idempotency-Key` the request carried, as sent.
    public var idempotencyKey: String?
    /// For a subject of `POST /screen/batch`: its place in the batch (absent for `POST /screen`).
    public var batchItem: BatchItem?
    /// The monitored counterparty screened (the request's `counterpartyId`).
    public var counterpartyId: String?
    /// For a re-screen: the list activation that caused it and the outcome it replaced.
    public var trigger: RescreenTrigger?
    /// Each query name (the name, then the aliases) as normalised tokens.
    public var normalizedQuery: [[String]]
    public var listVersions: [ListVersionUsed]
    public var policyVersion: Int
    /// The policy's profile (`PolicyProfile`): whether procurement bans blocked.
    public var policyProfile: PolicyProfile?
    public var engineVersion: String
    public var matches: [ScreenMatch]
    /// The request's owners, screened, and what they make of the decision (absent when it gave none).
    public var ownership: OwnershipAssessment?
    public var latencyMs: Double

    public struct BatchItem: Codable, Sendable, Equatable {
        public var index: Int
        public var count: Int
    }

    public struct CallerRef: Codable, Sendable, Equatable {
        public var keyId: String
        public var name: String

        /// The caller of decisions Clearance makes on its own (re-screens after a list change).
        static let system = CallerRef(keyId: "system", name: "re-screen")
    }

    public struct RescreenTrigger: Codable, Sendable, Equatable {
        public var list: String
        public var version: Int
        public var previousVersion: Int?
        public var rescreenJob: Int
        public var previousDecision: Outcome?
        public var previousDecisionId: String?
    }
}

extension DecisionRecord {
    /// The record a stored decision holds (its audit entry's body). Exports pass one decoder for every row.
    static func stored(_ hit: DecisionHit, decoder: JSONDecoder = JSONDecoder()) throws -> DecisionRecord {
        try stored(body: hit.body, decoder: decoder)
    }

    static func stored(body: String, decoder: JSONDecoder = JSONDecoder()) throws -> DecisionRecord {
        try decoder.decode(DecisionRecord.self, from: Data(body.utf8))
    }

    /// The columns the decision is searched by. Built from the record alone, so the index written after a crash from
    /// the trail is the one the live path would have written.
    var indexRow: DecisionRow {
        DecisionRow(
            id: decisionId, screenedAt: screenedAt, keyID: caller.keyId, decision: decision.rawValue, reference: reference,
            subject: subjectText, policyVersion: policyVersion, engineVersion: engineVersion,
            idempotencyKey: idempotencyKey.map { Self.indexedKey($0, batchItem) },
            requestHash: requestSha256, counterpartyID: counterpartyId, lists: listVersions.map { ListVersionRef(list: $0.list, version: $0.version) },
            matches: matches.map { MatchedEntryRef(list: $0.list, entryID: $0.entryId) })
    }

    /// The audit record of this decision (`body` is its canonical JSON) and what is written beside it: its index row,
    /// for a monitored counterparty its new state (`identity`), for a re-screen that changed its outcome the alert,
    /// for a `review` its place in the queue.
    func auditItem(body: String, actorKeyID: String?, identity: CounterpartyIdentity?, alert: NewAlert? = nil) throws -> AuditTrail.Item {
        var update: CounterpartyUpdate?
        if let counterpartyId, let identity {
            update = CounterpartyUpdate(
                id: counterpartyId, identity: try identity.encoded(), name: identity.name, decision: decision.rawValue, decisionID: decisionId,
                listVersions: String(decoding: try JSON.encoder().encode(listVersions), as: UTF8.self),
                matches: matchedEntries, screenedAt: screenedAt, keyID: caller.keyId)
        }
        let entry = AuditEntry(id: decisionId, kind: "decision", action: trigger == nil ? "screen" : "rescreen", recordedAt: screenedAt,
                               actorKeyID: actorKeyID, body: body)
        return AuditTrail.Item(entry, decision: DecisionWrites(index: indexRow, counterparty: update, alert: alert, reviewItem: reviewItem))
    }

    /// A `review` decision's place in the review queue: the matches a reviewer must dispose of.
    private var reviewItem: NewReviewItem? {
        guard decision == .review else { return nil }
        let toReview = ReviewPlan.toReview(self)
        func unique(_ values: [String]) -> [String] { Array(Set(values)).sorted() }
        return NewReviewItem(decisionID: decisionId, screenedAt: screenedAt, name: request["name"]?.stringValue ?? "",
                             counterpartyID: counterpartyId, lists: unique(toReview.map(\.list)), sourceLists: unique(toReview.flatMap(\.sourceLists)),
                             matchCount: toReview.count)
    }

    /// The matches a reviewer disposes of: the party's own, then its owners' on entries the party did not match.
    var reviewableMatches: [ScreenMatch] {
        var seen = Set(matches.map { MatchedEntryRef(list: $0.list, entryID: $0.entryId) })
        return matches + (ownership?.owners.flatMap(\.matches) ?? []).filter { seen.insert(MatchedEntryRef(list: $0.list, entryID: $0.entryId)).inserted }
    }

    /// The entries the decision concerns: those it matched, the owners' after the party's own, the other lists'
    /// copies folded into them, and the listed parties they are related to. What a re-screen compares to tell a counterparty's new match, so an owner newly
    /// listed, or a parent newly listed above a matched subsidiary, alerts.
    var matchedEntries: [MatchedEntryRef] {
        var seen: Set<MatchedEntryRef> = []
        let all = matches + (ownership?.owners.flatMap(\.matches) ?? [])
        let refs = all.map { MatchedEntryRef(list: $0.list, entryID: $0.entryId) }
            + all.flatMap { ($0.alsoListed ?? []).map { MatchedEntryRef(list: $0.list, entryID: $0.entryId) } }
            + all.flatMap { ($0.relations ?? []).map { MatchedEntryRef(list: $0.list, entryID: $0.entryId) } }
        return refs.filter { seen.insert($0).inserted }
    }

    /// The key a decision is found by for idempotent retries: the request's key for a single screen, the key with
    /// the item's place and the batch's size after U+001F (which no header value may hold) for a batch item. So a
    /// key is bound to the whole request: reused for a batch of another size or for a single screen, it matches
    /// nothing the new request expects, and `K#1` sent alone never finds item 1 of batch `K`.
    static func indexedKey(_ key: String, _ item: BatchItem?) -> String {
        item.map { "\(key)\u{1F}\($0.index)/\($0.count)" } ?? key
    }

    /// The text full-text search finds a decision by: the screened name and aliases.
    private var subjectText: String {
        var names: [String] = []
        if case .object(let object) = request {
            if let name = object["name"]?.stringValue { names.append(name) }
            if case .array(let aliases)? = object["aliases"] { names += aliases.compactMap(\.stringValue) }
        }
        return names.joined(separator: " | ")
    }
}
