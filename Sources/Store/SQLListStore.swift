import Foundation
import OpenSSLCrypto

public final class SQLListStore: ListStore {
    private let database: any SQLDatabase

    public init(database: any SQLDatabase) { self.database = database }

    private static let listColumns = "id, format, created_at, created_by, active_version, updated_at"
    private static let versionColumns = """
        list_id, version, format, sha256, files, uploaded_at, uploaded_by, source, entry_count, name_count, previous_version,
        added, removed, changed, edition
        """

    public func lists() throws -> [ListRecord] {
        try database.read { try $0.query("SELECT \(Self.listColumns) FROM lists ORDER BY id", map: Self.list) }
    }

    public func overview() throws -> [ListOverview] {
        try database.read { db in
            let lists = try db.query("SELECT \(Self.listColumns), (SELECT count(*) FROM list_versions v WHERE v.list_id = lists.id) FROM lists ORDER BY id") {
                (Self.list($0), $0.int(6))
            }
            return try lists.map { list, count in
                let active = try list.activeVersion.flatMap { version in
                    try db.first("SELECT \(Self.versionColumns) FROM list_versions WHERE list_id = ? AND version = ?", [list.id, version], map: Self.version)
                }
                return ListOverview(list: list, active: active, versionCount: count)
            }
        }
    }

    public func list(_ id: String) throws -> ListRecord? {
        try database.read { try $0.first("SELECT \(Self.listColumns) FROM lists WHERE id = ?", [id], map: Self.list) }
    }

    public func versions(of listID: String) throws -> [ListVersionRecord] {
        try database.read { try $0.query("SELECT \(Self.versionColumns) FROM list_versions WHERE list_id = ? ORDER BY version", [listID], map: Self.version) }
    }

    public func version(_ listID: String, _ version: Int) throws -> ListVersionRecord? {
        try database.read {
            try $0.first("SELECT \(Self.versionColumns) FROM list_versions WHERE list_id = ? AND version = ?", [listID, version], map: Self.version)
        }
    }

    public func store(_ new: NewListVersion, audit: (ListVersionRecord) throws -> AuditEntry) throws -> ListStoreOutcome {
        try database.writeTransaction { db in
            if let active = try db.first("""
                SELECT \(Self.versionColumns) FROM list_versions WHERE list_id = ?1 AND version = (SELECT active_version FROM lists WHERE id = ?1)
                """, [new.listID], map: Self.version), active.sha256 == new.sha256 {
                return .unchanged(active)
            }
            if try db.first("SELECT 1 FROM lists WHERE id = ?", [new.listID], map: { _ in true }) == nil {
                try db.run("INSERT INTO lists (id, format, created_at, created_by, active_version, updated_at) VALUES (?, ?, ?, ?, NULL, ?)",
                           [new.listID, new.format, new.uploadedAt, new.uploadedBy, new.uploadedAt])
            }
            let previous = try db.first("SELECT max(version) FROM list_versions WHERE list_id = ?", [new.listID]) { $0.optionalInt(0) } ?? nil
            let number = (previous ?? 0) + 1
            var before: [String: String] = [:]
            if let previous {
                try db.forEach("SELECT entry_id, hash FROM list_entries WHERE list_id = ? AND version = ?", [new.listID, previous]) { row in
                    before[row.string(0)] = row.string(1)
                    return true
                }
            }
            var changes: [(id: String, kind: String, old: String?, new: String?)] = []
            var seen: Set<String> = []
            for entry in new.entries {
                seen.insert(entry.entryID)
                if let old = before[entry.entryID] {
                    if old != entry.hash { changes.append((entry.entryID, "changed", old, entry.hash)) }
                } else if previous != nil {
                    changes.append((entry.entryID, "added", nil, entry.hash))
                }
            }
            for (id, old) in before where !seen.contains(id) { changes.append((id, "removed", old, nil)) }
            let record = ListVersionRecord(
                listID: new.listID, version: number, format: new.format, sha256: new.sha256, files: new.files, uploadedAt: new.uploadedAt,
                uploadedBy: new.uploadedBy, source: new.source, entryCount: new.entries.count, nameCount: new.nameCount,
                previousVersion: previous, added: previous == nil ? new.entries.count : changes.filter { $0.kind == "added" }.count,
                removed: changes.filter { $0.kind == "removed" }.count, changed: changes.filter { $0.kind == "changed" }.count, edition: new.edition)
            try db.run("""
                INSERT INTO list_versions (\(Self.versionColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [record.listID, record.version, record.format, record.sha256, try Self.encode(record.files), record.uploadedAt, record.uploadedBy,
                      record.source, record.entryCount, record.nameCount, record.previousVersion, record.added, record.removed, record.changed,
                      record.edition])
            for (position, entry) in new.entries.enumerated() {
                try db.run("INSERT INTO entry_bodies (hash, body) VALUES (?, ?) ON CONFLICT DO NOTHING", [entry.hash, entry.body])
                try db.run("INSERT INTO list_entries (list_id, version, position, entry_id, hash) VALUES (?, ?, ?, ?, ?)",
                           [new.listID, number, position, entry.entryID, entry.hash])
            }
            for change in changes {
                try db.run("INSERT INTO list_changes (list_id, version, entry_id, change, old_hash, new_hash) VALUES (?, ?, ?, ?, ?, ?)",
                           [new.listID, number, change.id, change.kind, change.old, change.new])
            }
            if new.activate {
                try Self.activate(db, new.listID, version: number, by: new.uploadedBy, reason: new.source, at: new.uploadedAt)
            } else {
                try db.run("UPDATE lists SET updated_at = ? WHERE id = ?", [new.uploadedAt, new.listID])
            }
            _ = try SQLAuditLogStore.append([try audit(record)], db)
            return .stored(record)
        }
    }

    public func activate(_ listID: String, version: Int, by: String?, reason: String, at: String, audit: AuditEntry) throws {
        try database.writeTransaction { db in
            try Self.activate(db, listID, version: version, by: by, reason: reason, at: at)
            _ = try SQLAuditLogStore.append([audit], db)
        }
    }

    /// Activation queues the re-screen of the monitored counterparties in the same transaction.
    private static func activate(_ db: any SQLConnection, _ listID: String, version: Int, by: String?, reason: String, at: String) throws {
        let previous = try db.first("SELECT active_version FROM lists WHERE id = ?", [listID]) { $0.optionalInt(0) } ?? nil
        try SQLRescreenJobStore.queue(list: listID, from: previous, to: version, at: at, db)
        try db.run("UPDATE lists SET active_version = ?, updated_at = ? WHERE id = ?", [version, at, listID])
        try db.run("INSERT INTO list_activations (list_id, version, activated_at, activated_by, reason) VALUES (?, ?, ?, ?, ?)",
                   [listID, version, at, by, reason])
    }

    public func entries(_ listID: String, _ version: Int) throws -> [StoredEntry] {
        try database.read { db in
            try db.query("""
                SELECT e.entry_id, e.hash, b.body FROM list_entries e JOIN entry_bodies b ON b.hash = e.hash
                WHERE e.list_id = ? AND e.version = ? ORDER BY e.position
                """, [listID, version]) { StoredEntry(entryID: $0.string(0), hash: $0.string(1), body: $0.string(2)) }
        }
    }

    public func entry(_ listID: String, _ version: Int, entryID: String) throws -> StoredEntry? {
        try database.read { db in
            try db.first("""
                SELECT e.entry_id, e.hash, b.body FROM list_entries e JOIN entry_bodies b ON b.hash = e.hash
                WHERE e.list_id = ? AND e.version = ? AND e.entry_id = ?
                """, [listID, version, entryID]) { StoredEntry(entryID: $0.string(0), hash: $0.string(1), body: $0.string(2)) }
        }
    }

    public func changes(_ listID: String, _ version: Int, kind: String?, after cursor: String?, limit: Int) throws -> [ListChange] {
        try database.read { db in
            try db.query("""
                SELECT c.entry_id, c.change, o.body, n.body FROM list_changes c
                LEFT JOIN entry_bodies o ON o.hash = c.old_hash LEFT JOIN entry_bodies n ON n.hash = c.new_hash
                WHERE c.list_id = ? AND c.version = ? AND (CAST(?3 AS TEXT) IS NULL OR c.change = ?3) AND (CAST(?4 AS TEXT) IS NULL OR c.entry_id > ?4)
                ORDER BY c.entry_id LIMIT ?5
                """, [listID, version, kind, cursor, limit]) {
                ListChange(entryID: $0.string(0), change: $0.string(1), oldBody: $0.optionalString(2), newBody: $0.optionalString(3))
            }
        }
    }

    public func activations(of listID: String) throws -> [ListActivation] {
        try database.read { db in
            try db.query("SELECT version, activated_at, activated_by, reason FROM list_activations WHERE list_id = ? ORDER BY id", [listID]) {
                ListActivation(version: $0.int(0), activatedAt: $0.string(1), activatedBy: $0.optionalString(2), reason: $0.string(3))
            }
        }
    }

    private static func list(_ row: any SQLRow) -> ListRecord {
        ListRecord(id: row.string(0), format: row.string(1), createdAt: row.string(2), createdBy: row.optionalString(3),
                   activeVersion: row.optionalInt(4), updatedAt: row.string(5))
    }

    /// The files column holds a JSON array of `{"bytes", "name", "sha256"}`.
    private static func encode(_ files: [StoredFile]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(files), as: UTF8.self)
    }

    /// A version whose file list cannot be read is a damaged database, reported as such rather than shown as a
    /// version without files.
    private static func version(_ row: any SQLRow) throws -> ListVersionRecord {
        let files: [StoredFile]
        do {
            files = try JSONDecoder().decode([StoredFile].self, from: Data(row.string(4).utf8))
        } catch {
            throw SQLiteError(code: 11, message: "the file list of version \(row.int(1)) of list \(row.string(0)) cannot be read: \(error)", sql: nil)
        }
        return ListVersionRecord(
            listID: row.string(0), version: row.int(1), format: row.string(2), sha256: row.string(3), files: files,
            uploadedAt: row.string(5), uploadedBy: row.optionalString(6), source: row.string(7), entryCount: row.int(8),
            nameCount: row.int(9), previousVersion: row.optionalInt(10), added: row.int(11), removed: row.int(12), changed: row.int(13),
            edition: row.optionalString(14))
    }
}
