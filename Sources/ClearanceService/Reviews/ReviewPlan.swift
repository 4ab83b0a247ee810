import Foundation
import Store

/// What one submission of dispositions changes, worked out inside the write transaction from the decision's review
/// as it stands there (so two reviewers submitting at once see each other's work):
/// - a match already disposed of is a 409; a decision already resolved is a 409;
/// - a false positive on a match from a blocking source waits for a second reviewer under the four-eyes policy; a
///   second person's false positive confirms it, a second person's true match overrules it, the same person again
///   (with the same key or another key they hold) is a 409;
/// - once every match to review has an effective disposition the decision resolves: `block` if any is a true match,
///   `clear` otherwise, recorded as its own audit record.
struct ReviewPlan {
    let record: DecisionRecord
    let current: ReviewState
    let actor: Principal
    /// Who holds each key (`APIKeyRecord.holder`), by key id.
    let holders: [String: String]
    let at: String
    let now: Date
    private var added: [DispositionRecord] = []
    private var settled: [(id: String, state: String, effectiveAt: String?)] = []

    init(record: DecisionRecord, current: ReviewState, actor: Principal, holders: [String: String], at: String, now: Date) {
        self.record = record
        self.current = current
        self.actor = actor
        self.holders = holders
        self.at = at
        self.now = now
    }

    /// The matches whose dispositions decide the resolution: those that count toward the outcome, the owners'
    /// included (a supplier held for review by an owner is resolved by disposing of the owner's matches).
    static func toReview(_ record: DecisionRecord) -> [ScreenMatch] {
        record.reviewableMatches.filter { $0.suppressedBy == nil && $0.outcome != .clear }
    }

    mutating func add(_ item: Disposition, match: ScreenMatch, entryHash: String, subject: ScreenedSubject, policy: Policy) throws {
        if let resolution = current.resolution {
            throw ServiceError.conflict("decision \(record.decisionId) was resolved as \(resolution.outcome) at \(resolution.resolvedAt)")
        }
        let onMatch = current.dispositions.filter { $0.listID == item.list && $0.entryID == item.entryId }
        if let done = onMatch.last(where: { $0.effectiveAt != nil }) {
            throw ServiceError.conflict("the match on \(item.list):\(item.entryId) was disposed of as \(done.disposition) by key \(done.keyID) at \(done.recordedAt)")
        }
        var state = "final", effectiveAt: String? = at, confirms: String?
        if let waiting = onMatch.last(where: { $0.state == "awaiting_second_review" }) {
            guard waiting.keyID != actor.keyID, holders[waiting.keyID] != actor.holder else {
                throw ServiceError.conflict(
                    "the false positive on \(item.list):\(item.entryId) awaits a second reviewer: another person than \(actor.holder) must review it")
            }
            if item.disposition == .falsePositive {
                confirms = waiting.id
                settled.append((waiting.id, "confirmed", at))
            } else {
                settled.append((waiting.id, "overruled", nil))
            }
        } else if item.disposition == .falsePositive && policy.fourEyesClearing && Self.fromBlockingSource(match) {
            state = "awaiting_second_review"
            effectiveAt = nil
        }
        added.append(DispositionRecord(
            id: RecordID.make("dsp", at: now), decisionID: record.decisionId, listID: item.list, entryID: item.entryId,
            disposition: item.disposition.rawValue, reason: item.reason?.rawValue, note: item.note, keyID: actor.keyID, recordedAt: at,
            state: state, confirms: confirms, subjectKey: subject.key, subjectHash: subject.hash, entryHash: entryHash, effectiveAt: effectiveAt))
    }

    /// A match the policy's rules block, whether or not the block was withheld for this match.
    static func fromBlockingSource(_ match: ScreenMatch) -> Bool {
        match.outcome == .block || match.blockWithheld != nil
    }

    /// The change to commit: the new and settled dispositions, the resolution if reached, the queue state, and an
    /// audit record for each disposition and for the resolution.
    func change() throws -> ReviewChange {
        var after = ReviewState(dispositions: current.dispositions.map(settling) + added, resolution: nil)
        let verdicts = Self.toReview(record).map { ReviewView.effective(after, list: $0.list, entryId: $0.entryId) }
        var audit = try added.map { try DispositionView($0, entryName: match(for: $0)?.name).auditEntry(actor: actor) }
        if !verdicts.isEmpty, verdicts.allSatisfy({ $0 != nil }) {
            let outcome: Outcome = verdicts.contains { $0?.disposition == Disposition.Verdict.trueMatch.rawValue } ? .block : .clear
            let body = ResolutionAuditBody(
                resolutionId: RecordID.make("res", at: now), decisionId: record.decisionId, decision: record.decision, outcome: outcome,
                resolvedAt: at, dispositions: verdicts.compactMap { $0?.id },
                reviewers: Array(Set(verdicts.compactMap { $0?.keyID })).sorted())
            audit.append(try body.entry(actor: actor))
            after.resolution = ResolutionRecord(decisionID: record.decisionId, outcome: outcome.rawValue, recordID: body.resolutionId, resolvedAt: at,
                                                resolvedBy: actor.keyID)
        }
        return ReviewChange(added: added, settled: settled, resolution: after.resolution, queueState: ReviewView(record: record, state: after).state,
                            audit: audit)
    }

    private func settling(_ disposition: DispositionRecord) -> DispositionRecord {
        guard let change = settled.first(where: { $0.id == disposition.id }) else { return disposition }
        var copy = disposition
        copy.state = change.state
        copy.effectiveAt = change.effectiveAt
        return copy
    }

    private func match(for disposition: DispositionRecord) -> ScreenMatch? {
        record.reviewableMatches.first { $0.list == disposition.listID && $0.entryId == disposition.entryID }
    }
}

/// The audit record of a decision's resolution (the key that completed it is the record's actor): the outcome its
/// dispositions reached, chained like every record.
struct ResolutionAuditBody: Codable {
    var resolutionId: String
    var decisionId: String
    /// What screening answered.
    var decision: Outcome
    /// What the reviewers resolved it to.
    var outcome: Outcome
    var resolvedAt: String
    /// The effective dispositions it rests on.
    var dispositions: [String]
    var reviewers: [String]

    func entry(actor: Principal) throws -> AuditEntry {
        try AuditTrail.adminEntry("decision.resolve", actor: actor, fields: self, id: resolutionId)
    }
}
