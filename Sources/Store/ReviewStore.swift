import Foundation

/// A decision answered `review`, queued by the audit writer in the transaction that appends the decision.
public struct NewReviewItem: Sendable {
    public var decisionID: String
    public var screenedAt: String
    public var name: String
    public var counterpartyID: String?
    /// The lists and source lists of the matches to review.
    public var lists: [String]
    public var sourceLists: [String]
    public var matchCount: Int

    public init(decisionID: String, screenedAt: String, name: String, counterpartyID: String?, lists: [String], sourceLists: [String],
                matchCount: Int) {
        self.decisionID = decisionID
        self.screenedAt = screenedAt
        self.name = name
        self.counterpartyID = counterpartyID
        self.lists = lists
        self.sourceLists = sourceLists
        self.matchCount = matchCount
    }
}

/// A queued review as stored: the item as queued, its chain position (the queue's order and cursor) and its state.
public struct ReviewItemRecord: Sendable {
    public var seq: Int
    public var item: NewReviewItem
    public var state: String
    public var updatedAt: String
}

public struct ReviewFilter: Sendable, Equatable {
    /// `open`, `awaiting_second_review`, or nil for both (the queue); `resolved` for the done.
    public var state: String?
    public var list: String?
    /// A case-insensitive part of a matched entry's source list (`Entity List`).
    public var sourceList: String?
    public var counterpartyID: String?

    public init(state: String? = nil, list: String? = nil, sourceList: String? = nil, counterpartyID: String? = nil) {
        self.state = state
        self.list = list
        self.sourceList = sourceList
        self.counterpartyID = counterpartyID
    }
}

/// One reviewer's verdict on one match of a decision, as stored.
public struct DispositionRecord: Sendable, Equatable {
    public var id: String
    public var decisionID: String
    public var listID: String
    public var entryID: String
    /// `true_match` or `false_positive`.
    public var disposition: String
    public var reason: String?
    public var note: String
    public var keyID: String
    public var recordedAt: String
    /// `final`, `awaiting_second_review`, `confirmed` (a second key agreed) or `overruled` (a second key found a true match).
    public var state: String
    public var confirms: String?
    public var subjectKey: String
    public var subjectHash: String
    public var entryHash: String
    /// When it took effect (nil while it awaits a second reviewer).
    public var effectiveAt: String?

    public init(id: String, decisionID: String, listID: String, entryID: String, disposition: String, reason: String?, note: String, keyID: String,
                recordedAt: String, state: String, confirms: String?, subjectKey: String, subjectHash: String, entryHash: String, effectiveAt: String?) {
        self.id = id
        self.decisionID = decisionID
        self.listID = listID
        self.entryID = entryID
        self.disposition = disposition
        self.reason = reason
        self.note = note
        self.keyID = keyID
        self.recordedAt = recordedAt
        self.state = state
        self.confirms = confirms
        self.subjectKey = subjectKey
        self.subjectHash = subjectHash
        self.entryHash = entryHash
        self.effectiveAt = effectiveAt
    }
}

/// The outcome a decision's dispositions reached.
public struct ResolutionRecord: Sendable, Equatable {
    public var decisionID: String
    public var outcome: String
    public var recordID: String
    public var resolvedAt: String
    public var resolvedBy: String

    public init(decisionID: String, outcome: String, recordID: String, resolvedAt: String, resolvedBy: String) {
        self.decisionID = decisionID
        self.outcome = outcome
        self.recordID = recordID
        self.resolvedAt = resolvedAt
        self.resolvedBy = resolvedBy
    }
}

/// A decision's review as it stands: its dispositions, oldest first, and its resolution once reached.
public struct ReviewState: Sendable, Equatable {
    public var dispositions: [DispositionRecord]
    public var resolution: ResolutionRecord?

    public init(dispositions: [DispositionRecord], resolution: ResolutionRecord?) {
        self.dispositions = dispositions
        self.resolution = resolution
    }
}

/// What one submission of dispositions writes, decided from the review as it stood inside the write transaction.
public struct ReviewChange: Sendable {
    public var added: [DispositionRecord]
    /// Earlier dispositions a second reviewer settled: their new state and when they took effect (if they did).
    public var settled: [(id: String, state: String, effectiveAt: String?)]
    public var resolution: ResolutionRecord?
    /// The queue state of the decision's review item (when it has one).
    public var queueState: String
    /// The audit records of all of it, appended in the same transaction.
    public var audit: [AuditEntry]

    public init(added: [DispositionRecord], settled: [(id: String, state: String, effectiveAt: String?)], resolution: ResolutionRecord?,
                queueState: String, audit: [AuditEntry]) {
        self.added = added
        self.settled = settled
        self.resolution = resolution
        self.queueState = queueState
        self.audit = audit
    }
}

public protocol ReviewStore: Sendable {
    func state(decisionID: String) throws -> ReviewState
    /// Reads the decision's review inside a write transaction, lets `change` decide what to write from it (or throw
    /// to write nothing), and commits that with its audit records: two reviewers submitting at once are serialised,
    /// and no disposition exists without its record.
    func record(decisionID: String, at: String, _ change: (ReviewState) throws -> ReviewChange) throws -> ReviewState
    /// The effective dispositions on this subject's matches that took effect before `before`, newest first: its
    /// false-positive memory.
    func memory(subjectKey: String, before: String) throws -> [DispositionRecord]
    /// Review items oldest first after the keyset `cursor` (a chain position).
    func queue(_ filter: ReviewFilter, after cursor: Int?, limit: Int) throws -> [ReviewItemRecord]
    /// Review items by state.
    func countsByState() throws -> [String: Int]
}

public final class SQLReviewStore: ReviewStore {
    private let database: any SQLDatabase

    public init(database: any SQLDatabase) { self.database = database }

    /// Queues a review decision at chain position `seq`, inside the audit writer's transaction.
    static func queue(_ item: NewReviewItem, seq: Int, _ db: any SQLConnection) throws {
        try db.run("""
            INSERT INTO review_items (seq, decision_id, screened_at, name, counterparty_id, lists, source_lists, match_count, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [seq, item.decisionID, item.screenedAt, item.name, item.counterpartyID, Self.joined(item.lists), Self.joined(item.sourceLists),
                  item.matchCount, item.screenedAt])
    }

    /// `|a|b|`: a value is found by looking for `|a|` as plain text (`SQLDialect.contains`), whatever it holds, with no
    /// LIKE wildcards to escape.
    private static func joined(_ values: [String]) -> String { "|" + values.joined(separator: "|") + "|" }
    private static func split(_ column: String) -> [String] { column.split(separator: "|").map(String.init) }

    private static let dispositionColumns = """
        id, decision_id, list_id, entry_id, disposition, reason, note, key_id, recorded_at, state, confirms, subject_key, subject_hash, entry_hash,
        effective_at
        """

    private static func disposition(_ row: any SQLRow) -> DispositionRecord {
        DispositionRecord(
            id: row.string(0), decisionID: row.string(1), listID: row.string(2), entryID: row.string(3), disposition: row.string(4),
            reason: row.optionalString(5), note: row.string(6), keyID: row.string(7), recordedAt: row.string(8), state: row.string(9),
            confirms: row.optionalString(10), subjectKey: row.string(11), subjectHash: row.string(12), entryHash: row.string(13),
            effectiveAt: row.optionalString(14))
    }

    private static func state(_ decisionID: String, _ db: any SQLConnection) throws -> ReviewState {
        let dispositions = try db.query("SELECT \(dispositionColumns) FROM dispositions WHERE decision_id = ? ORDER BY seq", [decisionID],
                                        map: Self.disposition)
        let resolution = try db.first("SELECT decision_id, outcome, record_id, resolved_at, resolved_by FROM resolutions WHERE decision_id = ?",
                                      [decisionID]) {
            ResolutionRecord(decisionID: $0.string(0), outcome: $0.string(1), recordID: $0.string(2), resolvedAt: $0.string(3), resolvedBy: $0.string(4))
        }
        return ReviewState(dispositions: dispositions, resolution: resolution)
    }

    public func state(decisionID: String) throws -> ReviewState {
        try database.read { db in try Self.state(decisionID, db) }
    }

    public func record(decisionID: String, at: String, _ change: (ReviewState) throws -> ReviewChange) throws -> ReviewState {
        try database.writeTransaction { db in
            let plan = try change(try Self.state(decisionID, db))
            for added in plan.added {
                try db.run("""
                    INSERT INTO dispositions (\(Self.dispositionColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, [added.id, added.decisionID, added.listID, added.entryID, added.disposition, added.reason, added.note, added.keyID,
                          added.recordedAt, added.state, added.confirms, added.subjectKey, added.subjectHash, added.entryHash, added.effectiveAt])
            }
            for settled in plan.settled {
                try db.run("UPDATE dispositions SET state = ?, effective_at = ? WHERE id = ?", [settled.state, settled.effectiveAt, settled.id])
            }
            if let resolution = plan.resolution {
                try db.run("INSERT INTO resolutions (decision_id, outcome, record_id, resolved_at, resolved_by) VALUES (?, ?, ?, ?, ?)",
                           [resolution.decisionID, resolution.outcome, resolution.recordID, resolution.resolvedAt, resolution.resolvedBy])
            }
            try db.run("UPDATE review_items SET state = ?, updated_at = ? WHERE decision_id = ?", [plan.queueState, at, decisionID])
            _ = try SQLAuditLogStore.append(plan.audit, db)
            return try Self.state(decisionID, db)
        }
    }

    public func memory(subjectKey: String, before: String) throws -> [DispositionRecord] {
        try database.read { db in
            try db.query("""
                SELECT \(Self.dispositionColumns) FROM dispositions
                WHERE subject_key = ? AND effective_at IS NOT NULL AND effective_at < ? ORDER BY effective_at DESC, seq DESC
                """, [subjectKey, before], map: Self.disposition)
        }
    }

    private static let itemColumns = "seq, decision_id, screened_at, name, counterparty_id, lists, source_lists, match_count, state, updated_at"

    private static func item(_ row: any SQLRow) -> ReviewItemRecord {
        ReviewItemRecord(seq: row.int(0), item: NewReviewItem(decisionID: row.string(1), screenedAt: row.string(2), name: row.string(3),
                                                              counterpartyID: row.optionalString(4), lists: split(row.string(5)),
                                                              sourceLists: split(row.string(6)), matchCount: row.int(7)),
                         state: row.string(8), updatedAt: row.string(9))
    }

    public func queue(_ filter: ReviewFilter, after cursor: Int?, limit: Int) throws -> [ReviewItemRecord] {
        var conditions = SQLConditions()
        if let state = filter.state {
            conditions.add("state = ?", state)
        } else {
            conditions.add("state IN ('open', 'awaiting_second_review')", values: [])
        }
        if let list = filter.list { conditions.add(database.dialect.contains("lists", "?"), Self.joined([list])) }
        if let source = filter.sourceList { conditions.add(database.dialect.contains("lower(source_lists)", "lower(?)"), source) }
        if let counterparty = filter.counterpartyID { conditions.add("counterparty_id = ?", counterparty) }
        if let cursor { conditions.add("seq > ?", cursor) }
        return try database.read { db in
            try db.query("SELECT \(Self.itemColumns) FROM review_items WHERE \(conditions.clause) ORDER BY seq LIMIT ?", conditions.values + [limit],
                         map: Self.item)
        }
    }

    public func countsByState() throws -> [String: Int] {
        try database.read { db in try db.countsByState(in: "review_items", known: ["open", "awaiting_second_review", "resolved"]) }
    }
}
