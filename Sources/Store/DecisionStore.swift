import Foundation
import OpenSSLCrypto

/// The searchable columns of a screening decision (the whole record is the audit entry's body).
public struct DecisionRow: Sendable, Equatable {
    public var id: String
    public var screenedAt: String
    public var keyID: String?
    public var decision: String
    public var reference: String?
    /// The screened name and aliases, for full-text search.
    public var subject: String
    public var policyVersion: Int
    public var engineVersion: String
    public var idempotencyKey: String?
    public var requestHash: String
    /// The monitored counterparty the decision screened, if any.
    public var counterpartyID: String?
    /// The list versions in force, sorted and without repeats: the members of the decision's list set.
    public let listSet: [ListVersionRef]
    /// The entries the decision matched.
    public let matches: [MatchedEntryRef]
    /// The set's key in `list_sets`: the sorted `list␟version` pairs joined by ␞ (the SQLite index's own column).
    let listSetSignature: String
    /// The matched entries as full-text terms (see `SQLDecisionStore.EntryTerm`), space-separated.
    let entryTerms: String

    /// The derived columns of the SQLite index are worked out here, on the screening thread that builds the row, so
    /// the audit writer (one thread, which every decision waits for) only binds them; they stay inside the module.
    public init(id: String, screenedAt: String, keyID: String?, decision: String, reference: String?, subject: String, policyVersion: Int,
                engineVersion: String, idempotencyKey: String?, requestHash: String, counterpartyID: String? = nil, lists: [ListVersionRef],
                matches: [MatchedEntryRef]) {
        self.id = id
        self.screenedAt = screenedAt
        self.keyID = keyID
        self.decision = decision
        self.reference = reference
        self.subject = subject
        self.policyVersion = policyVersion
        self.engineVersion = engineVersion
        self.idempotencyKey = idempotencyKey
        self.requestHash = requestHash
        self.counterpartyID = counterpartyID
        self.listSet = Set(lists).sorted { ($0.list, $0.version) < ($1.list, $1.version) }
        self.matches = matches
        self.listSetSignature = listSet.map { "\($0.list)\u{1F}\($0.version)" }.joined(separator: "\u{1E}")
        let terms = matches.flatMap { match in
            [SQLDecisionStore.EntryTerm.inList(match.list, match.entryID), SQLDecisionStore.EntryTerm.anyList(match.entryID)]
        }
        self.entryTerms = Set(terms).sorted().joined(separator: " ")
    }
}

public struct ListVersionRef: Sendable, Equatable, Hashable {
    public var list: String
    public var version: Int
    public init(list: String, version: Int) {
        self.list = list
        self.version = version
    }
}

public struct MatchedEntryRef: Sendable, Equatable, Hashable, Codable {
    public var list: String
    public var entryID: String
    enum CodingKeys: String, CodingKey {
        case list
        case entryID = "entryId"
    }
    public init(list: String, entryID: String) {
        self.list = list
        self.entryID = entryID
    }
}

/// Filters for the decision history; every field optional.
public struct DecisionFilter: Sendable, Equatable {
    public var from: String?
    public var to: String?
    public var decision: String?
    public var list: String?
    public var listVersion: Int?
    public var entryID: String?
    public var keyID: String?
    public var reference: String?
    /// Full-text query over the screened names.
    public var text: String?
    public var policyVersion: Int?
    public var counterpartyID: String?
    /// Only decisions at or before this chain position (an export's snapshot).
    public var maxSeq: Int?

    public init() {}
}

/// A decision found by a query: its chain position, id, and the record body.
public struct DecisionHit: Sendable {
    public var seq: Int
    public var id: String
    public var body: String
    public var hash: String
    public var prevHash: String
}

/// A decision stored under an idempotency key, with the exact key it was indexed by and its request's hash.
public struct IdempotentDecision: Sendable {
    public var hit: DecisionHit
    public var storedKey: String
    public var requestHash: String
}

public protocol DecisionStore: Sendable {
    /// Decisions matching `filter`, newest first (or oldest first), after the keyset `cursor` (a chain position).
    func search(_ filter: DecisionFilter, newestFirst: Bool, after cursor: Int?, limit: Int) throws -> [DecisionHit]
    /// Calls `body` for every match without holding them in memory (exports); return false to stop. Decisions
    /// recorded after the call began are left out. `body` may block (writing to a slow client): it is never called
    /// while a database reader is held.
    func forEach(_ filter: DecisionFilter, newestFirst: Bool, _ body: (DecisionHit) throws -> Bool) throws
    func find(id: String) throws -> DecisionHit?
    /// The decisions a caller recorded under an idempotency key: the one stored under `idempotencyKey` itself and
    /// those stored under `idempotencyKey` followed by U+001F and a suffix (a batch's items), in chain order.
    func find(keyID: String, idempotencyKey: String) throws -> [IdempotentDecision]
    func count() throws -> Int
}

public final class SQLDecisionStore: DecisionStore {
    private let database: any SQLDatabase

    public init(database: any SQLDatabase) { self.database = database }

    /// Adds decisions to the index in chain order, skipping those already there (another process, or recovery after
    /// a crash, may have indexed them from the trail first).
    static func index(_ pending: [PendingDecision], _ db: any SQLConnection) throws {
        guard !pending.isEmpty else { return }
        let indexed = try db.first("SELECT coalesce(max(seq), 0) FROM decisions") { $0.int(0) } ?? 0
        for decision in pending where decision.seq > indexed { try insert(decision.row, seq: decision.seq, db) }
    }

    /// Writes the decision's searchable columns: the list versions as one set id (stored once per combination),
    /// matched entries as full-text terms (migration 0005). A row the index refuses (a second decision under one
    /// idempotency key, which the service never makes) is left out rather than failing the commit it rides in:
    /// the trail holds the record either way, and a failing index must not stop screening.
    static func insert(_ row: DecisionRow, seq: Int, _ db: any SQLConnection) throws {
        let added = try db.run("""
            INSERT INTO decisions (seq, id, screened_at, key_id, decision, reference, subject, policy_version, engine_version,
                                   idempotency_key, request_hash, list_set, counterparty_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT DO NOTHING
            """, [seq, row.id, row.screenedAt, row.keyID, row.decision, row.reference, row.subject, row.policyVersion, row.engineVersion,
                  row.idempotencyKey, row.requestHash, try listSetID(row, db), row.counterpartyID])
        guard added > 0 else { return }
        switch db.dialect {
        case .sqlite: try db.run("INSERT INTO decision_search (rowid, subject, entries) VALUES (?, ?, ?)", [seq, row.subject, row.entryTerms])
        case .postgres:
            try db.run("INSERT INTO decision_search (seq, subject, entries) VALUES (?, to_tsvector('simple', ?), to_tsvector('simple', ?))",
                       [seq, FullText.folded(row.subject), row.entryTerms])
        }
    }

    /// The id of the row's set of list versions, created the first time the set is used; nil for no lists.
    private static func listSetID(_ row: DecisionRow, _ db: any SQLConnection) throws -> Int? {
        guard !row.listSet.isEmpty else { return nil }
        if let id = try db.first("SELECT id FROM list_sets WHERE signature = ?", [row.listSetSignature], map: { $0.int(0) }) { return id }
        let id = try db.first("INSERT INTO list_sets (signature) VALUES (?) RETURNING id", [row.listSetSignature]) { $0.int(0) } ?? 0
        for member in row.listSet {
            try db.run("INSERT INTO list_set_members (set_id, list_id, version) VALUES (?, ?, ?)", [id, member.list, member.version])
        }
        return id
    }

    /// Full-text terms for matched entries: hex, so any list or entry id is exactly one token.
    enum EntryTerm {
        static func inList(_ list: String, _ entry: String) -> String { "m" + Hex.encode(Array((list + "\u{1F}" + entry).utf8)) }
        static func anyList(_ entry: String) -> String { "e" + Hex.encode(Array(entry.utf8)) }
    }

    /// A filter as SQL: the rows it reads, the WHERE clause with its values (always bound, never spliced into the
    /// SQL) and the column that orders them.
    struct Query {
        var from: String
        var conditions: SQLConditions
        var order: String
    }

    /// With a full-text condition (a text or an entry), the query is driven by the full-text index in chain order,
    /// so a page of the newest matches stops after the page: as a subquery, every match of a common name was
    /// collected first (10 ms for 200,000 decisions, growing with the trail, against 1.6 ms).
    static func query(_ filter: DecisionFilter, _ dialect: SQLDialect) -> Query {
        var conditions = SQLConditions()
        if let from = filter.from { conditions.add("d.screened_at >= ?", from) }
        if let to = filter.to { conditions.add("d.screened_at < ?", to) }
        if let decision = filter.decision { conditions.add("d.decision = ?", decision) }
        if let key = filter.keyID { conditions.add("d.key_id = ?", key) }
        if let reference = filter.reference { conditions.add("d.reference = ?", reference) }
        if let policy = filter.policyVersion { conditions.add("d.policy_version = ?", policy) }
        if let counterparty = filter.counterpartyID { conditions.add("d.counterparty_id = ?", counterparty) }
        if let maxSeq = filter.maxSeq { conditions.add("d.seq <= ?", maxSeq) }
        if let list = filter.list {
            // An entry is matched within the list when one is given; a list alone (or with a version) is one the
            // decision was made against.
            if let version = filter.listVersion {
                conditions.add("d.list_set IN (SELECT set_id FROM list_set_members WHERE list_id = ? AND version = ?)", values: [list, version])
            } else if filter.entryID == nil {
                conditions.add("d.list_set IN (SELECT set_id FROM list_set_members WHERE list_id = ?)", list)
            }
        }
        let entryTerm = filter.entryID.map { entry in filter.list.map { EntryTerm.inList($0, entry) } ?? EntryTerm.anyList(entry) }
        guard entryTerm != nil || filter.text != nil else {
            return Query(from: "decisions d JOIN audit_log a ON a.seq = d.seq", conditions: conditions, order: "d.seq")
        }
        switch dialect {
        case .sqlite:
            var fullText: [String] = []
            if let entryTerm { fullText.append("{entries} : \"\(entryTerm)\"") }
            if let text = filter.text { fullText.append("{subject} : (\(FullText.ftsQuery(text)))") }
            conditions.prepend("decision_search MATCH ?", values: [fullText.map { "(\($0))" }.joined(separator: " AND ")])
            return Query(from: "decision_search s JOIN decisions d ON d.seq = s.rowid JOIN audit_log a ON a.seq = d.seq", conditions: conditions,
                         order: "s.rowid")
        case .postgres:
            if let text = filter.text { conditions.prepend("s.subject @@ to_tsquery('simple', ?)", values: [FullText.tsQuery(text)]) }
            if let entryTerm { conditions.prepend("s.entries @@ to_tsquery('simple', ?)", values: [entryTerm]) }
            return Query(from: "decision_search s JOIN decisions d ON d.seq = s.seq JOIN audit_log a ON a.seq = d.seq", conditions: conditions,
                         order: "s.seq")
        }
    }

    private static let columns = "d.seq, d.id, a.body, a.hash, a.prev_hash"

    private static func hit(_ row: any SQLRow) -> DecisionHit {
        DecisionHit(seq: row.int(0), id: row.string(1), body: row.string(2), hash: row.string(3), prevHash: row.string(4))
    }

    public func search(_ filter: DecisionFilter, newestFirst: Bool, after cursor: Int?, limit: Int) throws -> [DecisionHit] {
        var query = Self.query(filter, database.dialect)
        if let cursor { query.conditions.add("\(query.order) \(newestFirst ? "<" : ">") ?", cursor) }
        return try database.read { db in
            try db.query("SELECT \(Self.columns) FROM \(query.from) WHERE \(query.conditions.clause) ORDER BY \(query.order) \(newestFirst ? "DESC" : "ASC") LIMIT ?",
                         query.conditions.values + [limit], map: Self.hit)
        }
    }

    /// Pages through the matches by keyset, each page read and its reader released before `body` sees it: a client
    /// that stops reading an export holds a worker, never one of the few readers everything else needs.
    public func forEach(_ filter: DecisionFilter, newestFirst: Bool, _ body: (DecisionHit) throws -> Bool) throws {
        let last = try database.read { db in try db.first("SELECT coalesce(max(seq), 0) FROM decisions") { $0.int(0) } ?? 0 }
        var cursor: Int? = newestFirst ? last + 1 : nil
        while true {
            var bounded = filter
            bounded.maxSeq = last
            let page = try search(bounded, newestFirst: newestFirst, after: cursor, limit: Self.exportPage)
            for hit in page where try !body(hit) { return }
            guard page.count == Self.exportPage, let next = page.last?.seq else { return }
            cursor = next
        }
    }

    static let exportPage = 500

    public func find(id: String) throws -> DecisionHit? {
        try database.read { db in try db.first("SELECT \(Self.columns) FROM decisions d JOIN audit_log a ON a.seq = d.seq WHERE d.id = ?", [id], map: Self.hit) }
    }

    public func find(keyID: String, idempotencyKey: String) throws -> [IdempotentDecision] {
        // U+001F sorts below every character a header may carry, so the range holds exactly the key's batch items.
        // A point lookup on an index, on the readers kept for them: a retried screening never queues behind searches.
        try database.lookup { db in
            try db.query("""
                SELECT d.seq, d.id, a.body, a.hash, a.prev_hash, d.request_hash, d.idempotency_key FROM decisions d JOIN audit_log a ON a.seq = d.seq
                WHERE d.key_id = ?1 AND (d.idempotency_key = ?2 OR (d.idempotency_key >= ?3 AND d.idempotency_key < ?4))
                ORDER BY d.seq
                """, [keyID, idempotencyKey, idempotencyKey + "\u{1F}", idempotencyKey + " "]) { IdempotentDecision(hit: Self.hit($0), storedKey: $0.string(6), requestHash: $0.string(5)) }
        }
    }

    public func count() throws -> Int {
        try database.read { db in try db.first("SELECT count(*) FROM decisions") { $0.int(0) } ?? 0 }
    }
}

/// Decision search text for each database, built so user text is only ever words, never query syntax.
enum FullText {
    /// The words of `text`: letters and digits, everything else a separator.
    static func words(_ text: String) -> [Substring] { text.split(whereSeparator: { !$0.isLetter && !$0.isNumber }) }

    /// SQLite FTS5: each word as a quoted prefix term: `hik vision` → `"hik"* "vision"*`.
    static func ftsQuery(_ text: String) -> String {
        let words = words(text).map { "\"\($0)\"*" }
        return words.isEmpty ? "\"\"" : words.joined(separator: " ")
    }

    /// PostgreSQL: each folded word as a prefix term, all required: `Hík vision` → `'hik':* & 'vision':*`; an
    /// empty text matches nothing.
    static func tsQuery(_ text: String) -> String {
        let words = words(folded(text)).map { "'\($0)':*" }
        return words.isEmpty ? "''" : words.joined(separator: " & ")
    }

    /// Lowercased without diacritics, as SQLite's `unicode61 remove_diacritics 2` tokenizer reads text.
    static func folded(_ text: String) -> String {
        text.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil)
    }
}
