import Foundation

/// An alert to store with the re-screen decision that raised it; a delivery to every registered webhook is queued
/// in the same transaction.
public struct NewAlert: Sendable {
    public var id: String
    public var counterpartyID: String
    public var listID: String
    public var listVersion: Int
    public var previousDecision: String?
    public var decision: String
    public var decisionID: String
    /// The re-screen that raised it.
    public var jobID: Int?
    /// The alert as receivers get it (JSON).
    public var body: String
    public var createdAt: String
    /// Unix seconds after which its deliveries are given up.
    public var deliveryGiveUpAt: Double

    public init(id: String, counterpartyID: String, listID: String, listVersion: Int, previousDecision: String?, decision: String,
                decisionID: String, jobID: Int?, body: String, createdAt: String, deliveryGiveUpAt: Double) {
        self.id = id
        self.counterpartyID = counterpartyID
        self.listID = listID
        self.listVersion = listVersion
        self.previousDecision = previousDecision
        self.decision = decision
        self.decisionID = decisionID
        self.jobID = jobID
        self.body = body
        self.createdAt = createdAt
        self.deliveryGiveUpAt = deliveryGiveUpAt
    }
}

public struct AlertRecord: Sendable {
    public var seq: Int
    public var id: String
    public var counterpartyID: String
    public var listID: String
    public var listVersion: Int
    public var previousDecision: String?
    public var decision: String
    public var decisionID: String
    public var body: String
    public var createdAt: String
    public var state: String
    public var acknowledgedAt: String?
    public var acknowledgedBy: String?
    public var note: String?
}

public struct AlertFilter: Sendable, Equatable {
    public var state: String?
    public var list: String?
    public var counterpartyID: String?
    public var since: String?

    public init(state: String? = nil, list: String? = nil, counterpartyID: String? = nil, since: String? = nil) {
        self.state = state
        self.list = list
        self.counterpartyID = counterpartyID
        self.since = since
    }
}

/// What acknowledging found.
public enum AcknowledgeOutcome: Sendable {
    case acknowledged(AlertRecord)
    case alreadyAcknowledged(AlertRecord)
    case notFound
}

public protocol AlertStore: Sendable {
    /// Alerts oldest first after the keyset `cursor` (a position), or newest first before it.
    func page(_ filter: AlertFilter, newestFirst: Bool, after cursor: Int?, limit: Int) throws -> [AlertRecord]
    func find(id: String) throws -> AlertRecord?
    /// Marks an open alert acknowledged; its audit record commits with it.
    func acknowledge(id: String, by: String, note: String?, at: String, audit: (AlertRecord) throws -> AuditEntry) throws -> AcknowledgeOutcome
    /// Alerts by state.
    func countsByState() throws -> [String: Int]
}

public final class SQLAlertStore: AlertStore {
    private let database: any SQLDatabase

    public init(database: any SQLDatabase) { self.database = database }

    /// Stores the alert and queues its deliveries, inside the audit writer's transaction.
    static func insert(_ alert: NewAlert, _ db: any SQLConnection) throws {
        try db.run("""
            INSERT INTO alerts (id, counterparty_id, list_id, list_version, previous_decision, decision, decision_id, job_id, body, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [alert.id, alert.counterpartyID, alert.listID, alert.listVersion, alert.previousDecision, alert.decision, alert.decisionID,
                  alert.jobID, alert.body, alert.createdAt])
        try SQLWebhookStore.queue(alertID: alert.id, createdAt: alert.createdAt, giveUpAt: alert.deliveryGiveUpAt, db)
    }

    private static let columns = """
        seq, id, counterparty_id, list_id, list_version, previous_decision, decision, decision_id, body, created_at, state, acknowledged_at,
        acknowledged_by, note
        """

    private static func record(_ row: any SQLRow) -> AlertRecord {
        AlertRecord(seq: row.int(0), id: row.string(1), counterpartyID: row.string(2), listID: row.string(3), listVersion: row.int(4),
                    previousDecision: row.optionalString(5), decision: row.string(6), decisionID: row.string(7), body: row.string(8),
                    createdAt: row.string(9), state: row.string(10), acknowledgedAt: row.optionalString(11), acknowledgedBy: row.optionalString(12),
                    note: row.optionalString(13))
    }

    public func page(_ filter: AlertFilter, newestFirst: Bool, after cursor: Int?, limit: Int) throws -> [AlertRecord] {
        var conditions = SQLConditions()
        if let state = filter.state { conditions.add("state = ?", state) }
        if let list = filter.list { conditions.add("list_id = ?", list) }
        if let counterparty = filter.counterpartyID { conditions.add("counterparty_id = ?", counterparty) }
        if let since = filter.since { conditions.add("created_at >= ?", since) }
        if let cursor { conditions.add(newestFirst ? "seq < ?" : "seq > ?", cursor) }
        return try database.read { db in
            try db.query("SELECT \(Self.columns) FROM alerts WHERE \(conditions.clause) ORDER BY seq \(newestFirst ? "DESC" : "ASC") LIMIT ?",
                         conditions.values + [limit], map: Self.record)
        }
    }

    public func find(id: String) throws -> AlertRecord? {
        try database.read { db in try db.first("SELECT \(Self.columns) FROM alerts WHERE id = ?", [id], map: Self.record) }
    }

    public func acknowledge(id: String, by: String, note: String?, at: String, audit: (AlertRecord) throws -> AuditEntry) throws -> AcknowledgeOutcome {
        try database.writeTransaction { db in
            guard let alert = try db.first("SELECT \(Self.columns) FROM alerts WHERE id = ?", [id], map: Self.record) else { return .notFound }
            guard alert.state == "open" else { return .alreadyAcknowledged(alert) }
            try db.run("UPDATE alerts SET state = 'acknowledged', acknowledged_at = ?, acknowledged_by = ?, note = ? WHERE id = ?", [at, by, note, id])
            var acknowledged = alert
            acknowledged.state = "acknowledged"
            acknowledged.acknowledgedAt = at
            acknowledged.acknowledgedBy = by
            acknowledged.note = note
            _ = try SQLAuditLogStore.append([try audit(acknowledged)], db)
            return .acknowledged(acknowledged)
        }
    }

    public func countsByState() throws -> [String: Int] {
        try database.read { db in try db.countsByState(in: "alerts", known: ["open", "acknowledged"]) }
    }
}
