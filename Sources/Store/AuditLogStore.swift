import OpenSSLCrypto

/// A record to append to the audit trail; the store assigns its chain position and hashes. What else a record's
/// commit writes (a decision's index row, counterparty, alert, review item) is not the chain's: its owners write it
/// beside the record (`append(_:alongside:)`, `DecisionWrites`).
public struct AuditEntry: Sendable {
    public var id: String
    public var kind: String
    public var action: String
    public var recordedAt: String
    public var actorKeyID: String?
    /// Canonical JSON of the record.
    public var body: String

    public init(id: String, kind: String, action: String, recordedAt: String, actorKeyID: String?, body: String) {
        self.id = id
        self.kind = kind
        self.action = action
        self.recordedAt = recordedAt
        self.actorKeyID = actorKeyID
        self.body = body
    }
}

/// A stored audit record with its place in the chain.
public struct AuditRecord: Sendable {
    public var seq: Int
    public var entry: AuditEntry
    public var prevHash: String
    public var hash: String

    /// The SHA-256 of the record's canonical bytes: every field, in a fixed order, with the previous record's hash,
    /// joined by U+001F, so changing, removing, inserting or reordering any record breaks the chain at that record.
    /// The fields are fed to the hash one by one rather than joined first: the body is the whole decision record.
    public static func computeHash(seq: Int, entry: AuditEntry, prevHash: String) -> String {
        let hasher = SHA256()
        let fields = [String(seq), entry.id, entry.kind, entry.action, entry.recordedAt, entry.actorKeyID ?? "", prevHash, entry.body]
        for (index, field) in fields.enumerated() {
            if index > 0 { hasher.update(Self.separator) }
            hasher.update(field)
        }
        return Hex.encode(hasher.finalize())
    }

    private static let separator: [UInt8] = [0x1F]

    /// The hash before the first record.
    public static let genesisHash = String(repeating: "0", count: 64)
}

/// The first break found when walking the chain.
public struct ChainBreak: Sendable, Equatable {
    public var seq: Int
    public var id: String?
    public var reason: String
}

public struct ChainVerification: Sendable {
    public var checked: Int
    public var firstSeq: Int?
    public var lastSeq: Int?
    public var headHash: String?
    public var firstBreak: ChainBreak?
    public var isValid: Bool { firstBreak == nil }
}


/// The append-only trail. Appends run in the caller's write transaction so a batch commits as one (group commit).
public protocol AuditLogStore: Sendable {
    /// Appends entries in order and runs `alongside` with the records just appended in the same transaction, where
    /// the stores that own them write what commits with the records (`DecisionWrites`); returns the stored records.
    func append(_ entries: [AuditEntry], alongside: (_ records: [AuditRecord], _ transaction: any SQLConnection) throws -> Void) throws -> [AuditRecord]
    /// Decision records after both `seq` and the last indexed decision, oldest first: what a crash left out of the
    /// index.
    func unindexedDecisions(after seq: Int, limit: Int) throws -> [AuditRecord]
    func head() throws -> (seq: Int, hash: String)?
    func record(seq: Int) throws -> AuditRecord?
    func record(id: String) throws -> AuditRecord?
    func verify(from: Int?, to: Int?) throws -> ChainVerification
}

extension AuditLogStore {
    /// Appends entries in order in one transaction; returns the stored records.
    @discardableResult
    public func append(_ entries: [AuditEntry]) throws -> [AuditRecord] {
        try append(entries) { _, _ in }
    }
}

public final class SQLAuditLogStore: AuditLogStore {
    private let database: any SQLDatabase

    public init(database: any SQLDatabase) {
        self.database = database
    }

    public func append(_ entries: [AuditEntry], alongside: (_ records: [AuditRecord], _ transaction: any SQLConnection) throws -> Void) throws -> [AuditRecord] {
        try database.writeTransaction { db in
            let records = try Self.append(entries, db)
            try alongside(records, db)
            return records
        }
    }

    /// Chains `entries` onto the trail inside the caller's write transaction: the stores use it to commit an admin
    /// change and its audit record together, or neither.
    static func append(_ entries: [AuditEntry], _ db: any SQLConnection) throws -> [AuditRecord] {
        // The head is read inside the transaction: another thread or process may have appended since.
        var (seq, prevHash) = try Self.head(db) ?? (0, AuditRecord.genesisHash)
        var records: [AuditRecord] = []
        records.reserveCapacity(entries.count)
        for entry in entries {
            seq += 1
            let hash = AuditRecord.computeHash(seq: seq, entry: entry, prevHash: prevHash)
            try db.run("""
                INSERT INTO audit_log (seq, id, kind, action, recorded_at, actor_key_id, body, prev_hash, hash)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [seq, entry.id, entry.kind, entry.action, entry.recordedAt, entry.actorKeyID, entry.body, prevHash, hash])
            records.append(AuditRecord(seq: seq, entry: entry, prevHash: prevHash, hash: hash))
            prevHash = hash
        }
        return records
    }

    public func unindexedDecisions(after seq: Int, limit: Int) throws -> [AuditRecord] {
        try database.read { db in
            try db.query("""
                SELECT \(Self.columns) FROM audit_log
                WHERE kind = 'decision' AND seq > ? AND seq > (SELECT coalesce(max(seq), 0) FROM decisions) ORDER BY seq LIMIT ?
                """, [seq, limit], map: Self.record)
        }
    }

    public func head() throws -> (seq: Int, hash: String)? {
        try database.read { db in try Self.head(db) }
    }

    private static func head(_ db: any SQLConnection) throws -> (Int, String)? {
        try db.first("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1") { ($0.int(0), $0.string(1)) }
    }

    private static let columns = "seq, id, kind, action, recorded_at, actor_key_id, body, prev_hash, hash"

    public func record(seq: Int) throws -> AuditRecord? {
        try database.read { db in try db.first("SELECT \(Self.columns) FROM audit_log WHERE seq = ?", [seq], map: Self.record) }
    }

    public func record(id: String) throws -> AuditRecord? {
        try database.read { db in try db.first("SELECT \(Self.columns) FROM audit_log WHERE id = ?", [id], map: Self.record) }
    }

    static func record(_ row: any SQLRow) -> AuditRecord {
        AuditRecord(
            seq: row.int(0),
            entry: AuditEntry(id: row.string(1), kind: row.string(2), action: row.string(3), recordedAt: row.string(4),
                              actorKeyID: row.optionalString(5), body: row.string(6)),
            prevHash: row.string(7), hash: row.string(8))
    }

    /// Walks the chain in order, recomputing each hash: an edited field changes the hash, a deleted or inserted row
    /// breaks the sequence or the link to the previous hash, and swapped rows break both.
    public func verify(from: Int? = nil, to: Int? = nil) throws -> ChainVerification {
        try database.read { db in
            let start = max(1, from ?? 1)
            var expectedPrev: String
            if start == 1 {
                expectedPrev = AuditRecord.genesisHash
            } else if let previous = try db.first("SELECT hash FROM audit_log WHERE seq = ?", [start - 1], map: { $0.string(0) }) {
                expectedPrev = previous
            } else {
                return ChainVerification(checked: 0, firstBreak: ChainBreak(seq: start - 1, id: nil, reason: "record \(start - 1) is missing"))
            }
            var result = ChainVerification(checked: 0)
            var expectedSeq = start
            try db.forEach("SELECT \(Self.columns) FROM audit_log WHERE seq >= ? AND seq <= ? ORDER BY seq",
                           [start, to ?? Int(Int64.max)]) { row in
                let record = Self.record(row)
                if result.firstSeq == nil { result.firstSeq = record.seq }
                if record.seq != expectedSeq {
                    result.firstBreak = ChainBreak(seq: expectedSeq, id: nil, reason: "record \(expectedSeq) is missing (next stored is \(record.seq))")
                    return false
                }
                if record.prevHash != expectedPrev {
                    result.firstBreak = ChainBreak(seq: record.seq, id: record.entry.id,
                                                   reason: "previous-hash link does not match record \(record.seq - 1): a record was removed, inserted or reordered")
                    return false
                }
                let recomputed = AuditRecord.computeHash(seq: record.seq, entry: record.entry, prevHash: record.prevHash)
                if recomputed != record.hash {
                    result.firstBreak = ChainBreak(seq: record.seq, id: record.entry.id, reason: "record content does not match its hash: it was changed")
                    return false
                }
                result.checked += 1
                result.lastSeq = record.seq
                result.headHash = record.hash
                expectedPrev = record.hash
                expectedSeq += 1
                return true
            }
            return result
        }
    }
}
