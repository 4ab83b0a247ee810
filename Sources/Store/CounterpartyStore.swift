import Foundation

/// A counterparty's latest screening, stored by the audit writer in the transaction that appends its decision.
public struct CounterpartyUpdate: Sendable {
    public var id: String
    /// The screened identity as JSON (the request's name, aliases, type, country, date of birth, identifiers, lists).
    public var identity: String
    public var name: String
    public var decision: String
    public var decisionID: String
    /// JSON: the list versions the decision used.
    public var listVersions: String
    public var matches: [MatchedEntryRef]
    public var screenedAt: String
    public var keyID: String?

    public init(id: String, identity: String, name: String, decision: String, decisionID: String, listVersions: String,
                matches: [MatchedEntryRef], screenedAt: String, keyID: String?) {
        self.id = id
        self.identity = identity
        self.name = name
        self.decision = decision
        self.decisionID = decisionID
        self.listVersions = listVersions
        self.matches = matches
        self.screenedAt = screenedAt
        self.keyID = keyID
    }
}

/// A monitored counterparty as stored.
public struct CounterpartyRecord: Sendable {
    public var id: String
    public var identity: String
    public var name: String
    public var decision: String
    public var decisionID: String
    public var decisionSeq: Int
    public var listVersions: String
    public var matches: [MatchedEntryRef]
    public var firstScreenedAt: String
    public var updatedAt: String
    public var keyID: String?
}

public struct CounterpartyFilter: Sendable, Equatable {
    public var decision: String?
    /// Counterparties whose latest decision matched an entry of this list.
    public var list: String?
    /// Screened (by a caller or a re-screen) at or after this time.
    public var changedSince: String?

    public init(decision: String? = nil, list: String? = nil, changedSince: String? = nil) {
        self.decision = decision
        self.list = list
        self.changedSince = changedSince
    }
}

public protocol CounterpartyStore: Sendable {
    /// Counterparties in id order after the keyset `cursor` (an id).
    func page(_ filter: CounterpartyFilter, after cursor: String?, limit: Int) throws -> [CounterpartyRecord]
    func find(id: String) throws -> CounterpartyRecord?
    func find(ids: [String]) throws -> [CounterpartyRecord]
    /// Stops monitoring; the deletion's audit record commits with it. False when there was no such counterparty.
    func delete(id: String, audit: AuditEntry) throws -> Bool
    func count() throws -> Int
    /// The entries of `list` the counterparties' latest decisions matched, as (entry id, counterparty id).
    func matches(list: String) throws -> [(entryID: String, counterpartyID: String)]
}

public final class SQLCounterpartyStore: CounterpartyStore {
    private let database: any SQLDatabase

    public init(database: any SQLDatabase) { self.database = database }

    /// Stores the counterparty's latest decision (at chain position `seq`) inside the audit writer's transaction.
    static func apply(_ update: CounterpartyUpdate, seq: Int, _ db: any SQLConnection) throws {
        try db.run("""
            INSERT INTO counterparties (id, identity, name, decision, decision_id, decision_seq, list_versions, matches, first_screened_at,
                                        updated_at, key_id)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9, ?10)
            ON CONFLICT (id) DO UPDATE SET identity = ?2, name = ?3, decision = ?4, decision_id = ?5, decision_seq = ?6, list_versions = ?7,
                                           matches = ?8, updated_at = ?9, key_id = ?10
            """, [update.id, update.identity, update.name, update.decision, update.decisionID, seq, update.listVersions,
                  try encode(update.matches), update.screenedAt, update.keyID])
        try db.run("DELETE FROM counterparty_matches WHERE counterparty_id = ?", [update.id])
        for match in Set(update.matches) {
            try db.run("INSERT INTO counterparty_matches (list_id, entry_id, counterparty_id) VALUES (?, ?, ?)", [match.list, match.entryID, update.id])
        }
    }

    private static let columns = """
        c.id, c.identity, c.name, c.decision, c.decision_id, c.decision_seq, c.list_versions, c.matches, c.first_screened_at, c.updated_at, c.key_id
        """

    private static func record(_ row: any SQLRow) throws -> CounterpartyRecord {
        CounterpartyRecord(id: row.string(0), identity: row.string(1), name: row.string(2), decision: row.string(3), decisionID: row.string(4),
                           decisionSeq: row.int(5), listVersions: row.string(6), matches: try decode(row.string(7)), firstScreenedAt: row.string(8),
                           updatedAt: row.string(9), keyID: row.optionalString(10))
    }

    public func page(_ filter: CounterpartyFilter, after cursor: String?, limit: Int) throws -> [CounterpartyRecord] {
        var conditions = SQLConditions()
        if let decision = filter.decision { conditions.add("c.decision = ?", decision) }
        if let list = filter.list { conditions.add("c.id IN (SELECT counterparty_id FROM counterparty_matches WHERE list_id = ?)", list) }
        if let since = filter.changedSince { conditions.add("c.updated_at >= ?", since) }
        if let cursor { conditions.add("c.id > ?", cursor) }
        return try database.read { db in
            try db.query("SELECT \(Self.columns) FROM counterparties c WHERE \(conditions.clause) ORDER BY c.id LIMIT ?", conditions.values + [limit],
                         map: Self.record)
        }
    }

    public func find(id: String) throws -> CounterpartyRecord? {
        try database.read { db in try db.first("SELECT \(Self.columns) FROM counterparties c WHERE c.id = ?", [id], map: Self.record) }
    }

    public func find(ids: [String]) throws -> [CounterpartyRecord] {
        guard !ids.isEmpty else { return [] }
        return try database.read { db in
            var found: [CounterpartyRecord] = []
            // SQLite binds at most 32,766 values a statement; pages of 500 stay far below.
            for start in stride(from: 0, to: ids.count, by: 500) {
                let chunk = Array(ids[start..<min(ids.count, start + 500)])
                let marks = Array(repeating: "?", count: chunk.count).joined(separator: ",")
                found += try db.query("SELECT \(Self.columns) FROM counterparties c WHERE c.id IN (\(marks)) ORDER BY c.id", chunk, map: Self.record)
            }
            return found.sorted { $0.id < $1.id }
        }
    }

    public func delete(id: String, audit: AuditEntry) throws -> Bool {
        try database.writeTransaction { db in
            guard try db.run("DELETE FROM counterparties WHERE id = ?", [id]) > 0 else { return false }
            try db.run("DELETE FROM counterparty_matches WHERE counterparty_id = ?", [id])
            _ = try SQLAuditLogStore.append([audit], db)
            return true
        }
    }

    public func count() throws -> Int {
        try database.read { db in try db.first("SELECT count(*) FROM counterparties") { $0.int(0) } ?? 0 }
    }

    public func matches(list: String) throws -> [(entryID: String, counterpartyID: String)] {
        try database.read { db in
            try db.query("SELECT entry_id, counterparty_id FROM counterparty_matches WHERE list_id = ?", [list]) { ($0.string(0), $0.string(1)) }
        }
    }

    private static func encode(_ matches: [MatchedEntryRef]) throws -> String {
        String(decoding: try JSONEncoder().encode(matches), as: UTF8.self)
    }

    /// A matches column that cannot be read is a damaged database, reported as such.
    private static func decode(_ text: String) throws -> [MatchedEntryRef] {
        do {
            return try JSONDecoder().decode([MatchedEntryRef].self, from: Data(text.utf8))
        } catch {
            throw SQLiteError(code: 11, message: "a counterparty's matches cannot be read: \(error)", sql: nil)
        }
    }
}
