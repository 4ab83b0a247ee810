import Foundation
import Store

/// The counterparties Clearance monitors: every `POST /screen` that names a `counterpartyId` stores its identity and
/// latest decision (with the decision, in one transaction), and list changes re-screen them (`Rescreener`).
public final class CounterpartyService: Sendable {
    let store: any CounterpartyStore
    private let decisions: any DecisionStore
    private let alerts: any AlertStore

    init(store: any CounterpartyStore, decisions: any DecisionStore, alerts: any AlertStore) {
        self.store = store
        self.decisions = decisions
        self.alerts = alerts
    }

    /// One page in id order, and the cursor of the next when there is one.
    func page(_ filter: CounterpartyFilter, after cursor: String?, limit: Int) throws -> (counterparties: [CounterpartyView], next: String?) {
        let page = try KeysetPage(limit: limit) { try store.page(filter, after: cursor, limit: $0) }
        return (try page.rows.map(CounterpartyView.init), page.next(\.id))
    }

    /// A counterparty with its decision history (newest first) and its alerts.
    func detail(id: String, historyLimit: Int = 100) throws -> CounterpartyDetail {
        guard let record = try store.find(id: id) else { throw ServiceError.notFound("counterparty \(id)") }
        var filter = DecisionFilter()
        filter.counterpartyID = id
        let history = try decisions.search(filter, newestFirst: true, after: nil, limit: historyLimit).map(DecisionRoutes.summary)
        let raised = try alerts.page(AlertFilter(counterpartyID: id), newestFirst: true, after: nil, limit: 100).map(AlertView.init)
        return CounterpartyDetail(counterparty: try CounterpartyView(record), history: history, alerts: raised)
    }

    /// Stops monitoring; the history stays in the trail, and the deletion is recorded there too.
    func delete(id: String, actor: Principal) throws {
        guard let record = try store.find(id: id) else { throw ServiceError.notFound("counterparty \(id)") }
        let audit = try AuditTrail.adminEntry("counterparty.delete", actor: actor, details: [
            "counterpartyId": .string(id), "lastDecision": .string(record.decision), "lastDecisionId": .string(record.decisionID),
        ])
        guard try store.delete(id: id, audit: audit) else { throw ServiceError.notFound("counterparty \(id)") }
    }
}

/// A monitored counterparty as the API shows it.
struct CounterpartyView: Encodable {
    var counterpartyId: String
    var name: String
    var identity: CounterpartyIdentity
    var decision: Outcome
    var decisionId: String
    var listVersions: [ListVersionUsed]
    var matches: [MatchedEntryRef]
    var firstScreenedAt: String
    var updatedAt: String
    /// The key that screened it last, or `system` for a re-screen.
    var screenedBy: String?

    init(_ record: CounterpartyRecord) throws {
        counterpartyId = record.id
        name = record.name
        identity = try CounterpartyIdentity.decode(record.identity)
        guard let outcome = Outcome(rawValue: record.decision) else {
            throw ServiceError.unavailable("counterparty \(record.id) holds an unreadable decision \(record.decision)")
        }
        decision = outcome
        decisionId = record.decisionID
        listVersions = try JSONDecoder().decode([ListVersionUsed].self, from: Data(record.listVersions.utf8))
        matches = record.matches
        firstScreenedAt = record.firstScreenedAt
        updatedAt = record.updatedAt
        screenedBy = record.keyID
    }
}

struct CounterpartyDetail: Encodable {
    var counterparty: CounterpartyView
    var history: [DecisionRoutes.DecisionSummary]
    var alerts: [AlertView]
}
