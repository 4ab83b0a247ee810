import Foundation
import Store

/// A decision's review as the API shows it: where it stands, the dispositions recorded, the matches still waiting
/// for one, and the resolution once reached.
struct ReviewView: Encodable {
    var decisionId: String
    /// What screening answered.
    var decision: Outcome
    /// `open`, `awaiting_second_review` or `resolved`.
    var state: String
    var resolution: Resolution?
    var dispositions: [DispositionView]
    /// The matches to review with no effective disposition yet.
    var pending: [MatchRef]

    struct Resolution: Encodable {
        var outcome: String
        var resolvedAt: String
        var resolvedBy: String
        var recordId: String
    }

    struct MatchRef: Encodable {
        var list: String
        var entryId: String
        /// True when a false positive on it awaits a second reviewer.
        var awaitingSecondReview: Bool
    }

    init(record: DecisionRecord, state: ReviewState) {
        decisionId = record.decisionId
        decision = record.decision
        resolution = state.resolution.map { Resolution(outcome: $0.outcome, resolvedAt: $0.resolvedAt, resolvedBy: $0.resolvedBy, recordId: $0.recordID) }
        dispositions = state.dispositions.map { disposition in
            DispositionView(disposition, entryName: record.reviewableMatches.first { $0.list == disposition.listID && $0.entryId == disposition.entryID }?.name)
        }
        pending = ReviewPlan.toReview(record).filter { Self.effective(state, list: $0.list, entryId: $0.entryId) == nil }.map { match in
            MatchRef(list: match.list, entryId: match.entryId, awaitingSecondReview: state.dispositions.contains {
                $0.listID == match.list && $0.entryID == match.entryId && $0.state == "awaiting_second_review"
            })
        }
        self.state = resolution != nil ? "resolved" : !pending.isEmpty && pending.allSatisfy(\.awaitingSecondReview) ? "awaiting_second_review" : "open"
    }

    /// The disposition in effect on a match: the latest that took effect.
    static func effective(_ state: ReviewState, list: String, entryId: String) -> DispositionRecord? {
        state.dispositions.last { $0.listID == list && $0.entryID == entryId && $0.effectiveAt != nil }
    }
}

/// A disposition as the API shows it and as its audit record holds it (the reviewer is the record's actor), with
/// what false-positive memory keys it by.
struct DispositionView: Codable {
    var dispositionId: String
    var decisionId: String
    var list: String
    var entryId: String
    var entryName: String?
    var disposition: String
    var reason: String?
    var note: String
    var keyId: String
    var recordedAt: String
    var state: String
    var confirms: String?
    var effectiveAt: String?
    var subjectKey: String
    var subjectHash: String
    var entryHash: String

    init(_ record: DispositionRecord, entryName: String?) {
        dispositionId = record.id
        decisionId = record.decisionID
        list = record.listID
        entryId = record.entryID
        self.entryName = entryName
        disposition = record.disposition
        reason = record.reason
        note = record.note
        keyId = record.keyID
        recordedAt = record.recordedAt
        state = record.state
        confirms = record.confirms
        effectiveAt = record.effectiveAt
        subjectKey = record.subjectKey
        subjectHash = record.subjectHash
        entryHash = record.entryHash
    }

    func auditEntry(actor: Principal) throws -> AuditEntry {
        try AuditTrail.adminEntry("decision.disposition", actor: actor, fields: self, id: dispositionId)
    }
}

/// A decision in the review queue.
struct ReviewItemView: Encodable {
    var decisionId: String
    var seq: Int
    var screenedAt: String
    var name: String
    var counterpartyId: String?
    var lists: [String]
    var sourceLists: [String]
    var matchCount: Int
    var state: String

    init(_ record: ReviewItemRecord) {
        decisionId = record.item.decisionID
        seq = record.seq
        screenedAt = record.item.screenedAt
        name = record.item.name
        counterpartyId = record.item.counterpartyID
        lists = record.item.lists
        sourceLists = record.item.sourceLists
        matchCount = record.item.matchCount
        state = record.state
    }
}
