import Foundation
import Store

/// Alerts raised by re-screens, and their acknowledgement by reviewers.
public final class AlertService: Sendable {
    let store: any AlertStore

    init(store: any AlertStore) { self.store = store }

    func page(_ filter: AlertFilter, newestFirst: Bool, after cursor: Int?, limit: Int) throws -> (alerts: [AlertView], next: Int?) {
        let page = try KeysetPage(limit: limit) { try store.page(filter, newestFirst: newestFirst, after: cursor, limit: $0) }
        return (try page.rows.map(AlertView.init), page.next(\.seq))
    }

    func find(id: String) throws -> AlertView {
        guard let record = try store.find(id: id) else { throw ServiceError.notFound("alert \(id)") }
        return try AlertView(record)
    }

    /// Acknowledges an open alert, recorded in the trail with who did it and their note; acknowledging twice is a 409.
    func acknowledge(id: String, note: String?, actor: Principal) throws -> AlertView {
        let outcome = try store.acknowledge(id: id, by: actor.keyID, note: note, at: Timestamp.now()) { alert in
            try AuditTrail.adminEntry("alert.acknowledge", actor: actor, details: [
                "alertId": .string(alert.id), "counterpartyId": .string(alert.counterpartyID), "decisionId": .string(alert.decisionID),
                "note": note.map(JSONValue.string) ?? .null,
            ])
        }
        switch outcome {
        case .acknowledged(let record): return try AlertView(record)
        case .alreadyAcknowledged(let record):
            throw ServiceError.conflict("alert \(id) was acknowledged at \(record.acknowledgedAt ?? "") by \(record.acknowledgedBy ?? "")")
        case .notFound: throw ServiceError.notFound("alert \(id)")
        }
    }
}
