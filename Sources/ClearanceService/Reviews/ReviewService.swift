import Foundation
import Store

/// Reviewers close the loop on decisions: they record dispositions of the matches behind a decision, a decision
/// resolves to `block` or `clear` once every match to review has one, and the open decisions form the review queue.
public final class ReviewService: Sendable {
    let store: any ReviewStore
    private let decisions: any DecisionStore
    private let lists: any ListStore
    private let policies: PolicyService
    private let keys: APIKeyService

    init(store: any ReviewStore, decisions: any DecisionStore, lists: any ListStore, policies: PolicyService, keys: APIKeyService) {
        self.store = store
        self.decisions = decisions
        self.lists = lists
        self.policies = policies
        self.keys = keys
    }

    /// Records a reviewer's dispositions; returns the decision's review as it stands after them. Each disposition
    /// and a reached resolution commit together with their audit records, or not at all.
    func dispose(decisionID: String, _ request: DispositionRequest, actor: Principal) throws -> ReviewView {
        try request.validate()
        let record = try decision(decisionID)
        try request.checkEachMatchOnce()
        guard !ReviewPlan.toReview(record).isEmpty else {
            throw ServiceError.conflict("decision \(decisionID) (\(record.decision.rawValue)) has no match to review")
        }
        // Four eyes are two people: whoever holds the key that screened the subject does not review it.
        let holders = Dictionary(try keys.list().map { ($0.id, $0.holder) }, uniquingKeysWith: { first, _ in first })
        if holders[record.caller.keyId] == actor.holder {
            throw ServiceError.forbidden("\(actor.holder) screened decision \(decisionID) (key \(record.caller.keyId)): nobody reviews their own screen")
        }
        let subject = ScreenedSubject(try ScreenRequest.stored(record.request))
        // The matches and the entries' content hashes are read before the transaction: a stored decision and a stored
        // list version never change.
        var targets: [(item: Disposition, match: ScreenMatch, entryHash: String)] = []
        for (index, item) in request.matches.enumerated() {
            guard let match = record.reviewableMatches.first(where: { $0.list == item.list && $0.entryId == item.entryId }) else {
                throw JSON.invalid(pointer: "/matches/\(index)/entryId", "decision \(decisionID) has no match on \(item.list):\(item.entryId)")
            }
            if let suppressor = match.suppressedBy {
                throw JSON.invalid(pointer: "/matches/\(index)/entryId",
                                   "the match on \(item.list):\(item.entryId) was suppressed by false positive \(suppressor): there is nothing to review")
            }
            guard let version = record.listVersions.version(of: item.list), let entry = try lists.entry(item.list, version, entryID: item.entryId) else {
                throw ServiceError.conflict("entry \(item.list):\(item.entryId) is not in the stored version the decision used")
            }
            targets.append((item, match, entry.hash))
        }
        let policy = try policies.current().policy
        let now = Date()
        let at = Timestamp.format(now)
        let state = try store.record(decisionID: decisionID, at: at) { current in
            var plan = ReviewPlan(record: record, current: current, actor: actor, holders: holders, at: at, now: now)
            for target in targets {
                try plan.add(target.item, match: target.match, entryHash: target.entryHash, subject: subject, policy: policy)
            }
            return try plan.change()
        }
        return ReviewView(record: record, state: state)
    }

    /// A decision's review: its dispositions, what still needs one, and its resolution.
    func review(decisionID: String) throws -> ReviewView {
        ReviewView(record: try decision(decisionID), state: try store.state(decisionID: decisionID))
    }

    func queue(_ filter: ReviewFilter, after cursor: Int?, limit: Int) throws -> (items: [ReviewItemView], next: Int?, counts: [String: Int]) {
        let page = try KeysetPage(limit: limit) { try store.queue(filter, after: cursor, limit: $0) }
        return (page.rows.map(ReviewItemView.init), page.next(\.seq), try store.countsByState())
    }

    private func decision(_ id: String) throws -> DecisionRecord {
        guard let hit = try decisions.find(id: id) else { throw ServiceError.notFound("decision \(id)") }
        return try DecisionRecord.stored(hit)
    }
}

extension ScreenRequest {
    /// The request a stored decision recorded.
    static func stored(_ raw: JSONValue) throws -> ScreenRequest {
        try JSONDecoder().decode(ScreenRequest.self, from: try JSONEncoder().encode(raw))
    }
}
