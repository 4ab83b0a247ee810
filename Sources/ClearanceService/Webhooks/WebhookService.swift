import Foundation
import Store

/// Webhook registrations (admin) and their delivery log.
public final class WebhookService: Sendable {
    let store: any WebhookStore
    /// Plain http to hosts other than loopback (a receiver on the same machine needs no TLS).
    private let allowHTTP: Bool

    init(store: any WebhookStore, allowHTTP: Bool) {
        self.store = store
        self.allowHTTP = allowHTTP
    }

    struct Registration: Decodable {
        var url: String
        var secret: String
    }

    func create(_ registration: Registration, actor: Principal) throws -> WebhookView {
        try validate(registration)
        let now = Date()
        let webhook = WebhookRecord(id: RecordID.make("whk", at: now), url: registration.url, secret: registration.secret,
                                    createdAt: Timestamp.format(now), createdBy: actor.keyID)
        // The secret is never written to the trail (nor logged): the record names the receiver only.
        try store.create(webhook, audit: try AuditTrail.adminEntry("webhook.create", actor: actor, details: [
            "webhookId": .string(webhook.id), "url": .string(webhook.url),
        ]))
        return WebhookView(webhook)
    }

    func list() throws -> [WebhookView] { try store.list().map(WebhookView.init) }

    func delete(id: String, actor: Principal) throws {
        let audit = try AuditTrail.adminEntry("webhook.delete", actor: actor, details: ["webhookId": .string(id)])
        guard try store.delete(id: id, at: Timestamp.now(), audit: audit) else { throw ServiceError.notFound("webhook \(id)") }
    }

    /// A webhook's deliveries (deleted webhooks' too), newest first, each with its attempts.
    func deliveries(webhookID: String, before cursor: Int?, limit: Int) throws -> (deliveries: [DeliveryView], next: Int?) {
        guard try store.find(id: webhookID) != nil else { throw ServiceError.notFound("webhook \(webhookID)") }
        let page = try KeysetPage(limit: limit) { try store.deliveries(webhookID: webhookID, before: cursor, limit: $0) }
        let attempts = try store.attempts(deliverySeqs: page.rows.map(\.seq))
        return (page.rows.map { DeliveryView($0, attempts: attempts[$0.seq] ?? []) }, page.next(\.seq))
    }

    private func validate(_ registration: Registration) throws {
        guard registration.url.unicodeScalars.count <= 2000, let url = URL(string: registration.url), let scheme = url.scheme?.lowercased(),
              let host = url.host, !host.isEmpty, scheme == "https" || scheme == "http" else {
            throw ServiceError.invalidField(pointer: "/url", reason: "an absolute http or https URL of at most 2000 characters")
        }
        if scheme == "http" && !allowHTTP && !["127.0.0.1", "::1", "[::1]", "localhost"].contains(host.lowercased()) {
            throw ServiceError.invalidField(pointer: "/url", reason: "https is required (plain http only to loopback, or with --webhook-allow-http)")
        }
        guard (16...256).contains(registration.secret.unicodeScalars.count) else {
            throw ServiceError.invalidField(pointer: "/secret", reason: "16 to 256 characters (32 random bytes in hex, say)")
        }
    }
}

struct WebhookView: Encodable {
    var id: String
    var url: String
    var createdAt: String
    var createdBy: String?

    init(_ record: WebhookRecord) {
        id = record.id
        url = record.url
        createdAt = record.createdAt
        createdBy = record.createdBy
    }
}

struct DeliveryView: Encodable {
    var id: String
    var event: String
    /// The alert delivered; absent for other events.
    var alertId: String?
    /// The checkpoint delivered (`audit.checkpoint`).
    var checkpointId: Int?
    var state: String
    var attempts: Int
    var createdAt: String
    /// When the next attempt is due, while pending.
    var nextAttemptAt: String?
    var giveUpAt: String
    var finishedAt: String?
    var lastError: String?
    var attemptLog: [AttemptView]

    struct AttemptView: Encodable {
        var attempt: Int
        var startedAt: String
        var durationMs: Double
        var status: Int?
        var error: String?
    }

    init(_ record: DeliveryRecord, attempts: [DeliveryAttempt]) {
        id = record.id
        event = record.event
        if record.event == WebhookEvent.checkpoint {
            checkpointId = Int(record.alertID.dropFirst("chk_".count))
        } else {
            alertId = record.alertID
        }
        state = record.state
        self.attempts = record.attempts
        createdAt = record.createdAt
        nextAttemptAt = record.state == "pending" ? Timestamp.format(Date(timeIntervalSince1970: record.nextAttemptAt)) : nil
        giveUpAt = Timestamp.format(Date(timeIntervalSince1970: record.giveUpAt))
        finishedAt = record.finishedAt
        lastError = record.lastError
        attemptLog = attempts.map { AttemptView(attempt: $0.attempt, startedAt: $0.startedAt, durationMs: $0.durationMs, status: $0.status, error: $0.error) }
    }
}
