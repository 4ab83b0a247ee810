import Foundation
import Logging
import Store
import Synchronization

/// The audit trail's writer. Every append blocks until its record is committed to disk; appends arriving together are
/// committed in one transaction by a single writer thread (group commit), so durability does not cost a transaction
/// per request.
///
/// The decision search index (`decisions`, `decision_search`) is derived from the trail, so it is written behind it:
/// the writer keeps the decisions it committed in a backlog and indexes them in one go with a later commit, once
/// `indexBatch` have gathered, `indexDelay` after the oldest was committed, or when a reader asks (`syncIndex`). Indexing each
/// group commit's handful of decisions dirtied a page in every index b-tree, three fifths of the pages each commit
/// wrote (docs/audit-trail.md, "On disk"). Readers of the index call `syncIndex` first, so a decision that was
/// answered is always found; after a crash the writer indexes what the backlog held from the trail itself.
public final class AuditTrail: Sendable {
    /// A record to append and, for a decision, what its owners write beside it in the same commit.
    public struct Item: Sendable {
        public var entry: AuditEntry
        public var decision: DecisionWrites?

        public init(_ entry: AuditEntry, decision: DecisionWrites? = nil) {
            self.entry = entry
            self.decision = decision
        }
    }

    private final class Ticket: Sendable {
        let items: [Item]
        /// A reader waiting for the index to hold every decision committed so far.
        let syncsIndex: Bool
        let completion: @Sendable (Result<Void, any Error>) -> Void
        init(items: [Item], syncsIndex: Bool = false, completion: @escaping @Sendable (Result<Void, any Error>) -> Void) {
            self.items = items
            self.syncsIndex = syncsIndex
            self.completion = completion
        }
    }

    public let store: any AuditLogStore
    private let logger: Logger
    private let pending = Mutex<[Ticket]>([])
    private let wake = DispatchSemaphore(value: 0)
    /// Upper bound on records per transaction, so one commit never grows without limit.
    private let maxBatch = 1024
    /// Decisions committed but not yet indexed, as last published by the writer; 1 until the writer has caught up
    /// with what a previous run left unindexed.
    private let unindexed = Atomic<Int>(1)
    private let indexBatch: Int
    private let indexDelay: Double
    /// Whether each decision enters the index in the commit that records it, rather than trailing the chain.
    /// Replicas sharing a database need it: a decision one replica held back for a later index commit would be
    /// lost to the index if that replica died, since recovery resumes after the highest indexed position (another
    /// replica's later decisions).
    private let indexInCommit: Bool
    private let metrics: Metrics?

    public init(store: any AuditLogStore, logger: Logger, indexBatch: Int = 512, indexDelay: Double = 0.2, indexInCommit: Bool = false,
                metrics: Metrics? = nil) {
        self.store = store
        self.logger = logger
        self.metrics = metrics
        self.indexInCommit = indexInCommit
        self.indexBatch = indexBatch
        self.indexDelay = indexDelay
        let thread = Thread { [self] in writerLoop() }
        thread.name = "audit-writer"
        thread.start()
    }

    /// Appends records in order; `completion` runs on the writer thread once they are durable (or failed), so it
    /// must be quick: hand any real work to another thread. It runs there rather than on a thread of its own because
    /// a single screen's answer is sent from it when that cannot block (`ResponsePromise`): a hand-off would cost a
    /// context switch per decision, and a send that would block is left to a worker, so the writer never waits on
    /// a client.
    public func append(_ items: [Item], completion: @escaping @Sendable (Result<Void, any Error>) -> Void) {
        guard !items.isEmpty else { return completion(.success(())) }
        enqueue(Ticket(items: items, completion: completion))
    }

    /// Appends records in order and returns once they are durable.
    public func append(_ items: [Item]) throws {
        try Blocking.wait { done in append(items, completion: done) }
    }

    /// Appends entries that write nothing beside them (admin records) and returns once they are durable.
    public func append(_ entries: [AuditEntry]) throws {
        try append(entries.map { Item($0) })
    }

    /// Returns once every decision committed before the call is in the search index.
    public func syncIndex() throws {
        guard unindexed.load(ordering: .acquiring) > 0 else { return }
        try Blocking.wait { done in enqueue(Ticket(items: [], syncsIndex: true, completion: done)) }
    }

    private func enqueue(_ ticket: Ticket) {
        pending.withLock { $0.append(ticket) }
        wake.signal()
    }

    private func writerLoop() {
        var backlog: [PendingDecision] = []
        // When the oldest decision in the backlog must be indexed by: the index trails the chain by `indexDelay` at most.
        var indexDue = DispatchTime.distantFuture
        // Whether the index holds every decision committed before the backlog. While it does not, the backlog is not
        // indexed directly (that would leave a gap below it); the trail itself is indexed instead, in order.
        var caughtUp = catchUpIndex()
        while true {
            _ = wake.wait(timeout: indexDue)
            let batch = takeBatch()
            let items = batch.flatMap(\.items)
            let entries = items.map(\.entry)
            let syncRequested = batch.contains(where: \.syncsIndex)
            let due = syncRequested || DispatchTime.now() >= indexDue || backlog.count + entries.count >= indexBatch
            if due && !caughtUp {
                caughtUp = catchUpIndex()
                // Every committed decision, the backlog's included, is now indexed from the trail.
                if caughtUp { backlog.removeAll() }
            }
            let indexNow = due && caughtUp && !backlog.isEmpty
            do {
                if !entries.isEmpty || indexNow {
                    do {
                        let started = DispatchTime.now().uptimeNanoseconds
                        let indexAppended = indexNow || (indexInCommit && caughtUp)
                        let records = try store.append(entries) { appended, transaction in
                            try Self.writeBeside(appended, items, in: transaction)
                            try PendingDecision.write((indexNow ? backlog : []) + (indexAppended ? Self.pending(appended, items) : []), in: transaction)
                        }
                        if !entries.isEmpty {
                            metrics?.observe("clearance_audit_commit_seconds", [], Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9)
                            metrics?.increment("clearance_audit_commits_total")
                            metrics?.increment("clearance_audit_records_total", by: Double(entries.count))
                        }
                        if indexNow { backlog.removeAll(keepingCapacity: true) }
                        if !indexAppended { backlog += Self.pending(records, items) }
                    } catch where indexNow || indexInCommit {
                        // The index is derived from the trail: rather than refuse decisions because of it, commit them
                        // alone and index the trail when it is next due.
                        logger.error("the decision index could not be written; it will be rebuilt from the trail", metadata: ["error": "\(error)"])
                        _ = try store.append(entries) { appended, transaction in try Self.writeBeside(appended, items, in: transaction) }
                        backlog.removeAll()
                        caughtUp = false
                    }
                }
                if backlog.isEmpty { indexDue = .distantFuture } else if indexDue == .distantFuture { indexDue = .now() + indexDelay }
                unindexed.store(backlog.count + (caughtUp ? 0 : 1), ordering: .releasing)
                for ticket in batch {
                    ticket.completion(ticket.syncsIndex && !caughtUp ? .failure(Self.indexBehind) : .success(()))
                }
            } catch {
                logger.error("audit append failed; no decision in this batch was answered", metadata: ["error": "\(error)", "records": "\(batch.count)"])
                for ticket in batch { ticket.completion(.failure(ServiceError.unavailable("the audit trail could not be written: decision not recorded"))) }
            }
            // Leftover tickets (batch limit) need another pass even without a new signal.
            if pending.withLock({ !$0.isEmpty }) { wake.signal() }
        }
    }

    /// What each decision's owners write beside its record (counterparty, alert, review item), in its commit.
    private static func writeBeside(_ records: [AuditRecord], _ items: [Item], in transaction: any SQLConnection) throws {
        for (record, item) in zip(records, items) { try item.decision?.write(seq: record.seq, in: transaction) }
    }

    /// The decisions among the appended records, for the search index.
    private static func pending(_ records: [AuditRecord], _ items: [Item]) -> [PendingDecision] {
        zip(records, items).compactMap { record, item in item.decision.map { PendingDecision(seq: record.seq, row: $0.index) } }
    }

    private static let indexBehind = ServiceError.unavailable("the decision index is behind the audit trail and could not catch up; retry shortly")

    private func takeBatch() -> [Ticket] {
        pending.withLock { queue in
            var taken: [Ticket] = []
            var count = 0
            while let first = queue.first, taken.isEmpty || count + first.items.count <= maxBatch {
                count += first.items.count
                taken.append(queue.removeFirst())
            }
            return taken
        }
    }

    /// Indexes, from the trail itself, the decisions a previous run committed but had not indexed when it stopped;
    /// whether that succeeded (if not, the next reader's sync tries again).
    private func catchUpIndex() -> Bool {
        do {
            var after = 0
            while true {
                let records = try store.unindexedDecisions(after: after, limit: 1000)
                guard let last = records.last else { break }
                let rows = records.compactMap { record -> PendingDecision? in
                    do {
                        return PendingDecision(seq: record.seq, row: try DecisionRecord.stored(body: record.entry.body).indexRow)
                    } catch {
                        logger.error("a decision record could not be read for the index", metadata: ["seq": "\(record.seq)", "error": "\(error)"])
                        return nil
                    }
                }
                _ = try store.append([]) { _, transaction in try PendingDecision.write(rows, in: transaction) }
                logger.notice("decision index caught up with the trail", metadata: ["decisions": "\(rows.count)", "through_seq": "\(last.seq)"])
                after = last.seq
            }
            unindexed.store(0, ordering: .releasing)
            return true
        } catch {
            logger.error("the decision index could not catch up with the trail", metadata: ["error": "\(error)"])
            return false
        }
    }

    /// Walks the chain over `from...to` (each end optional). A range that checks nothing is refused rather than
    /// reported valid: `from` after `to`, or past the end of the trail.
    public func verify(from: Int?, to: Int?) throws -> ChainVerification {
        if let from, let to, from > to { throw ServiceError.invalidParameter("from", reason: "must not be after to (\(to))") }
        if let from {
            let last = try store.head()?.seq ?? 0
            if from > last { throw ServiceError.invalidParameter("from", reason: "the trail ends at record \(last)") }
        }
        return try store.verify(from: from, to: to)
    }

    /// Records an admin action that changes no stored state (the server's own notices) in the same chain as decisions.
    /// A change to stored state commits its record with it instead: the stores take the entry from `adminEntry`.
    public func recordAdminAction(_ action: String, actor: Principal?, details: [String: JSONValue]) throws {
        try append([try Self.adminEntry(action, actor: actor, details: details)])
    }

    /// The audit entry of an admin action (upload, activation, policy change, key change, a reviewer's disposition);
    /// `id` names a record that is also stored elsewhere by that id (a disposition, a resolution).
    public static func adminEntry(_ action: String, actor: Principal?, details: [String: JSONValue], id: String? = nil) throws -> AuditEntry {
        let now = Date()
        let body = AdminActionBody(
            action: action, actor: actor.map { ActorRef(keyId: $0.keyID, name: $0.name) } ?? ActorRef(keyId: nil, name: "cli"),
            details: .object(details))
        let json = String(decoding: try JSON.encoder().encode(body), as: UTF8.self)
        return AuditEntry(id: id ?? RecordID.make("adm", at: now), kind: "admin", action: action,
                          recordedAt: Timestamp.format(now), actorKeyID: actor?.keyID, body: json)
    }

    /// The admin entry whose details are `value`'s fields.
    static func adminEntry(_ action: String, actor: Principal?, fields value: some Encodable, id: String) throws -> AuditEntry {
        guard case .object(let fields) = try JSONDecoder().decode(JSONValue.self, from: try JSON.encoder().encode(value)) else {
            throw ServiceError.conflict("the \(action) record is not a JSON object")
        }
        return try adminEntry(action, actor: actor, details: fields, id: id)
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
