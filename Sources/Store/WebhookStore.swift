import Foundation

public struct WebhookRecord: Sendable {
    public var id: String
    public var url: String
    /// Signs deliveries; the API never returns it.
    public var secret: String
    public var createdAt: String
    public var createdBy: String?
    public var deletedAt: String?

    public init(id: String, url: String, secret: String, createdAt: String, createdBy: String?, deletedAt: String? = nil) {
        self.id = id
        self.url = url
        self.secret = secret
        self.createdAt = createdAt
        self.createdBy = createdBy
        self.deletedAt = deletedAt
    }
}

/// One event's delivery to one webhook: an alert, or a signed audit checkpoint.
public struct DeliveryRecord: Sendable {
    public var seq: Int
    public var id: String
    public var webhookID: String
    /// The record the event is about: the alert's id, or `chk_` and the checkpoint's.
    public var alertID: String
    public var state: String
    public var attempts: Int
    public var createdAt: String
    public var nextAttemptAt: Double
    public var giveUpAt: Double
    public var finishedAt: String?
    public var lastError: String?
    /// `counterparty.outcome_changed` or `audit.checkpoint` (`WebhookEvent`).
    public var event: String
}

/// An event every live webhook is sent, other than an alert: its name, the record it is about, and its body.
public struct WebhookEvent: Sendable {
    public static let checkpoint = "audit.checkpoint"
    public static let alert = "counterparty.outcome_changed"

    public var event: String
    public var reference: String
    public var payload: String
    public var createdAt: String
    /// Unix seconds after which its deliveries are given up.
    public var giveUpAt: Double

    public init(event: String, reference: String, payload: String, createdAt: String, giveUpAt: Double) {
        self.event = event
        self.reference = reference
        self.payload = payload
        self.createdAt = createdAt
        self.giveUpAt = giveUpAt
    }
}

public struct DeliveryAttempt: Sendable {
    public var attempt: Int
    public var startedAt: String
    public var durationMs: Double
    /// The receiver's HTTP status; nil when none came (refused, timed out).
    public var status: Int?
    public var error: String?

    public init(attempt: Int, startedAt: String, durationMs: Double, status: Int?, error: String?) {
        self.attempt = attempt
        self.startedAt = startedAt
        self.durationMs = durationMs
        self.status = status
        self.error = error
    }
}

/// A delivery due now, with what sending it needs.
public struct DueDelivery: Sendable {
    public var delivery: DeliveryRecord
    public var url: String
    public var secret: String
    public var payload: String
}

/// Where a delivery goes after an attempt.
public enum DeliveryNext: Sendable {
    case delivered(at: String)
    case retry(at: Double)
    case failed(at: String)
}

public protocol WebhookStore: Sendable {
    /// Registers a webhook; its audit record commits with it.
    func create(_ webhook: WebhookRecord, audit: AuditEntry) throws
    /// Webhooks not deleted, oldest first.
    func list() throws -> [WebhookRecord]
    func find(id: String) throws -> WebhookRecord?
    /// Stops deliveries to the webhook (pending ones are marked failed); false when there is no such live webhook.
    func delete(id: String, at: String, audit: AuditEntry) throws -> Bool
    /// Takes up to `limit` deliveries due at `now`, oldest first, and pushes their next attempt `lease` seconds out, so
    /// an attempt in progress is not taken again; a sender that dies mid-attempt has it retried when the lease ends.
    func claimDue(now: Double, lease: Double, limit: Int) throws -> [DueDelivery]
    /// Records an attempt and what follows it (a retry or failure keeps the attempt's error as the delivery's last).
    func record(_ attempt: DeliveryAttempt, deliverySeq: Int, next: DeliveryNext) throws
    /// A webhook's deliveries, newest first, before the keyset `cursor` (a position).
    func deliveries(webhookID: String, before cursor: Int?, limit: Int) throws -> [DeliveryRecord]
    func attempts(deliverySeqs: [Int]) throws -> [Int: [DeliveryAttempt]]
    /// Deliveries not yet delivered or given up.
    func pendingCount() throws -> Int
}

public final class SQLWebhookStore: WebhookStore {
    private let database: any SQLDatabase

    public init(database: any SQLDatabase) { self.database = database }

    /// Queues an alert's delivery to every live webhook, inside the transaction that stores the alert (its body is
    /// the alert row's).
    static func queue(alertID: String, createdAt: String, giveUpAt: Double, _ db: any SQLConnection) throws {
        try queue(WebhookEvent(event: WebhookEvent.alert, reference: alertID, payload: "", createdAt: createdAt, giveUpAt: giveUpAt),
                  storePayload: false, db)
    }

    /// Queues an event's delivery to every live webhook, inside the transaction that stores what it is about.
    static func queue(_ event: WebhookEvent, storePayload: Bool = true, _ db: any SQLConnection) throws {
        let webhooks = try db.query("SELECT id FROM webhooks WHERE deleted_at IS NULL ORDER BY id") { $0.string(0) }
        for webhook in webhooks {
            try db.run("""
                INSERT INTO webhook_deliveries (id, webhook_id, alert_id, created_at, next_attempt_at, give_up_at, event, payload)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, ["dlv_" + event.reference + "_" + webhook, webhook, event.reference, event.createdAt, Date().timeIntervalSince1970,
                      event.giveUpAt, event.event, storePayload ? event.payload : nil])
        }
    }

    private static let webhookColumns = "id, url, secret, created_at, created_by, deleted_at"

    private static func webhook(_ row: any SQLRow) -> WebhookRecord {
        WebhookRecord(id: row.string(0), url: row.string(1), secret: row.string(2), createdAt: row.string(3), createdBy: row.optionalString(4),
                      deletedAt: row.optionalString(5))
    }

    private static let deliveryColumns = "d.seq, d.id, d.webhook_id, d.alert_id, d.state, d.attempts, d.created_at, d.next_attempt_at, d.give_up_at, d.finished_at, d.last_error, d.event"

    private static func delivery(_ row: any SQLRow) -> DeliveryRecord {
        DeliveryRecord(seq: row.int(0), id: row.string(1), webhookID: row.string(2), alertID: row.string(3), state: row.string(4),
                       attempts: row.int(5), createdAt: row.string(6), nextAttemptAt: row.double(7), giveUpAt: row.double(8),
                       finishedAt: row.optionalString(9), lastError: row.optionalString(10), event: row.string(11))
    }

    public func create(_ webhook: WebhookRecord, audit: AuditEntry) throws {
        try database.writeTransaction { db in
            try db.run("INSERT INTO webhooks (\(Self.webhookColumns)) VALUES (?, ?, ?, ?, ?, NULL)",
                       [webhook.id, webhook.url, webhook.secret, webhook.createdAt, webhook.createdBy])
            _ = try SQLAuditLogStore.append([audit], db)
        }
    }

    public func list() throws -> [WebhookRecord] {
        try database.read { db in
            try db.query("SELECT \(Self.webhookColumns) FROM webhooks WHERE deleted_at IS NULL ORDER BY created_at, id", map: Self.webhook)
        }
    }

    public func find(id: String) throws -> WebhookRecord? {
        try database.read { db in try db.first("SELECT \(Self.webhookColumns) FROM webhooks WHERE id = ?", [id], map: Self.webhook) }
    }

    public func delete(id: String, at: String, audit: AuditEntry) throws -> Bool {
        try database.writeTransaction { db in
            guard try db.run("UPDATE webhooks SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL", [at, id]) > 0 else { return false }
            try db.run("""
                UPDATE webhook_deliveries SET state = 'failed', finished_at = ?, last_error = 'the webhook was deleted'
                WHERE webhook_id = ? AND state = 'pending'
                """, [at, id])
            _ = try SQLAuditLogStore.append([audit], db)
            return true
        }
    }

    public func claimDue(now: Double, lease: Double, limit: Int) throws -> [DueDelivery] {
        try database.writeTransaction { db in
            let due = try db.query("""
                SELECT \(Self.deliveryColumns), w.url, w.secret, COALESCE(d.payload, a.body) FROM webhook_deliveries d
                JOIN webhooks w ON w.id = d.webhook_id LEFT JOIN alerts a ON a.id = d.alert_id
                WHERE d.state = 'pending' AND d.next_attempt_at <= ? ORDER BY d.next_attempt_at, d.seq LIMIT ?
                """, [now, limit]) { row in
                DueDelivery(delivery: Self.delivery(row), url: row.string(12), secret: row.string(13), payload: row.string(14))
            }
            for item in due {
                try db.run("UPDATE webhook_deliveries SET next_attempt_at = ? WHERE seq = ?", [now + lease, item.delivery.seq])
            }
            return due
        }
    }

    public func record(_ attempt: DeliveryAttempt, deliverySeq: Int, next: DeliveryNext) throws {
        try database.writeTransaction { db in
            try db.run("""
                INSERT INTO webhook_attempts (delivery_seq, attempt, started_at, duration_ms, status, error) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (delivery_seq, attempt) DO UPDATE SET started_at = excluded.started_at, duration_ms = excluded.duration_ms,
                    status = excluded.status, error = excluded.error
                """, [deliverySeq, attempt.attempt, attempt.startedAt, attempt.durationMs, attempt.status, attempt.error])
            switch next {
            case .delivered(let at):
                try db.run("UPDATE webhook_deliveries SET state = 'delivered', attempts = ?, finished_at = ?, last_error = NULL WHERE seq = ?",
                           [attempt.attempt, at, deliverySeq])
            case .retry(let when):
                try db.run("UPDATE webhook_deliveries SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE seq = ?",
                           [attempt.attempt, when, attempt.error, deliverySeq])
            case .failed(let at):
                try db.run("UPDATE webhook_deliveries SET state = 'failed', attempts = ?, finished_at = ?, last_error = ? WHERE seq = ?",
                           [attempt.attempt, at, attempt.error, deliverySeq])
            }
        }
    }

    public func deliveries(webhookID: String, before cursor: Int?, limit: Int) throws -> [DeliveryRecord] {
        try database.read { db in
            try db.query("""
                SELECT \(Self.deliveryColumns) FROM webhook_deliveries d WHERE d.webhook_id = ? AND d.seq < ? ORDER BY d.seq DESC LIMIT ?
                """, [webhookID, cursor ?? Int(Int64.max), limit], map: Self.delivery)
        }
    }

    public func attempts(deliverySeqs: [Int]) throws -> [Int: [DeliveryAttempt]] {
        guard !deliverySeqs.isEmpty else { return [:] }
        return try database.read { db in
            var found: [Int: [DeliveryAttempt]] = [:]
            let marks = Array(repeating: "?", count: deliverySeqs.count).joined(separator: ",")
            try db.forEach("""
                SELECT delivery_seq, attempt, started_at, duration_ms, status, error FROM webhook_attempts WHERE delivery_seq IN (\(marks))
                ORDER BY delivery_seq, attempt
                """, deliverySeqs) { row in
                found[row.int(0), default: []].append(DeliveryAttempt(attempt: row.int(1), startedAt: row.string(2), durationMs: row.double(3),
                                                                      status: row.optionalInt(4), error: row.optionalString(5)))
                return true
            }
            return found
        }
    }

    public func pendingCount() throws -> Int {
        try database.read { db in try db.first("SELECT count(*) FROM webhook_deliveries WHERE state = 'pending'") { $0.int(0) } ?? 0 }
    }
}
