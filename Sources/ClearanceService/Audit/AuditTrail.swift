import Foundation
import HTTPServer
import Logging
import Store
import Synchronization

/// The audit trail's writer. Every append blocks until its record is committed to disk; appends arriving together are
/// committed in one transaction by a single writer thread (group commit), so durability does not cost a transaction
/// per request.
public final class AuditTrail: Sendable {
    private final class Ticket: Sendable {
        let entries: [AuditEntry]
        let completion: @Sendable (Result<[AuditRecord], any Error>) -> Void
        init(entries: [AuditEntry], completion: @escaping @Sendable (Result<[AuditRecord], any Error>) -> Void) {
            self.entries = entries
            self.completion = completion
        }
    }

    public let store: any AuditLogStore
    private let logger: Logger
    private let pending = Mutex<[Ticket]>([])
    private let wake = DispatchSemaphore(value: 0)
    /// Upper bound on records per transaction, so one commit never grows without limit.
    private let maxBatch = 1024

    public init(store: any AuditLogStore, logger: Logger) {
        self.store = store
        self.logger = logger
        let thread = Thread { [self] in writerLoop() }
        thread.name = "audit-writer"
        thread.start()
    }

    /// Appends entries in order; `completion` runs on the writer thread once they are durable (or failed), so it
    /// must be quick: hand any real work to another thread.
    public func append(_ entries: [AuditEntry], completion: @escaping @Sendable (Result<[AuditRecord], any Error>) -> Void) {
        guard !entries.isEmpty else { return completion(.success([])) }
        pending.withLock { $0.append(Ticket(entries: entries, completion: completion)) }
        wake.signal()
    }

    /// Appends entries in order and returns once they are durable.
    @discardableResult
    public func append(_ entries: [AuditEntry]) throws -> [AuditRecord] {
        try Blocking.wait { done in append(entries, completion: done) }
    }

    private func writerLoop() {
        while true {
            wake.wait()
            let batch: [Ticket] = pending.withLock { queue in
                var taken: [Ticket] = []
                var count = 0
                while let first = queue.first, taken.isEmpty || count + first.entries.count <= maxBatch {
                    count += first.entries.count
                    taken.append(queue.removeFirst())
                }
                return taken
            }
            guard !batch.isEmpty else { continue }
            do {
                let records = try store.append(batch.flatMap(\.entries))
                var offset = 0
                for ticket in batch {
                    ticket.completion(.success(Array(records[offset..<(offset + ticket.entries.count)])))
                    offset += ticket.entries.count
                }
            } catch {
                logger.error("audit append failed; no decision in this batch was answered", metadata: ["error": "\(error)", "records": "\(batch.count)"])
                for ticket in batch { ticket.completion(.failure(Problems.unavailable("the audit trail could not be written: decision not recorded"))) }
            }
            // Leftover tickets (batch limit) need another pass even without a new signal.
            if pending.withLock({ !$0.isEmpty }) { wake.signal() }
        }
    }

    /// Records an admin action (upload, activation, policy change, key change) in the same chain as decisions.
    public func recordAdminAction(_ action: String, actor: Principal?, details: [String: JSONValue]) throws {
        let now = Date()
        let body = AdminActionBody(
            action: action, actor: actor.map { ActorRef(keyId: $0.keyID, name: $0.name) } ?? ActorRef(keyId: nil, name: "cli"),
            details: .object(details))
        let json = String(decoding: try JSON.encoder().encode(body), as: UTF8.self)
        try append([AuditEntry(id: RecordID.make("adm", at: now), kind: "admin", action: action,
                               recordedAt: Timestamp.format(now), actorKeyID: actor?.keyID, body: json)])
    }
}

struct ActorRef: Codable, Sendable {
    var keyId: String?
    var name: String
}

struct AdminActionBody: Codable, Sendable {
    var action: String
    var actor: ActorRef
    var details: JSONValue
}
