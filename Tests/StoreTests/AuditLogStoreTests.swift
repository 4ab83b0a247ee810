import Foundation
import Testing
@testable import Store

@Suite struct AuditLogStoreTests {
    func filledStore(_ count: Int) throws -> (TempDatabase, DatabasePool, SQLAuditLogStore) {
        let db = try TempDatabase()
        let pool = try db.migratedPool()
        let store = SQLAuditLogStore(database: pool)
        let entries = (1...count).map {
            AuditEntry(id: "rec_\(String(format: "%04d", $0))", kind: "decision", action: "screen", recordedAt: "2026-01-01T00:00:00.000Z",
                       actorKeyID: "key_1", body: "{\"n\":\($0)}")
        }
        _ = try store.append(entries)
        return (db, pool, store)
    }

    /// Edits the file the way an attacker with direct access would: a separate connection, triggers dropped.
    func tamper(_ db: TempDatabase, _ sql: String) throws {
        let raw = try SQLiteConnection(path: db.path)
        try raw.execute("DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;")
        try raw.execute(sql)
    }

    /// The canonical form is fixed: records already on disk must keep verifying. Expected values computed
    /// independently (Python's hashlib over the fields joined by U+001F).
    @Test func chainHashIsTheSHA256OfTheFieldsJoinedByUnitSeparators() {
        let decision = AuditEntry(id: "rec_0007", kind: "decision", action: "screen", recordedAt: "2026-01-01T00:00:00.000Z",
                                  actorKeyID: "key_1", body: "{\"n\":\"Zoë\"}")
        #expect(AuditRecord.computeHash(seq: 7, entry: decision, prevHash: String(repeating: "ab", count: 32))
                == "6bff0a90eb88fbd196b1ff6687525d01573eaa4f04b33dd4ceafeedbbb30705a")
        let admin = AuditEntry(id: "adm_1", kind: "admin", action: "key.create", recordedAt: "2026-01-01T00:00:00.000Z", actorKeyID: nil, body: "{}")
        #expect(AuditRecord.computeHash(seq: 1, entry: admin, prevHash: AuditRecord.genesisHash)
                == "40ff2be4f0093874b657e4e894a658eb8f5bd4f1e9b31e321d61e3fb787377be")
    }

    @Test func anIntactChainVerifies() throws {
        let (_, _, store) = try filledStore(50)
        let result = try store.verify(from: nil, to: nil)
        #expect(result.isValid)
        #expect(result.checked == 50)
        #expect(try store.verify(from: 10, to: 20).checked == 11)
    }

    @Test func triggersRefuseUpdateAndDelete() throws {
        let (_, pool, _) = try filledStore(3)
        #expect(throws: SQLiteError.self) { try pool.write { try $0.run("UPDATE audit_log SET body = 'x' WHERE seq = 2") } }
        #expect(throws: SQLiteError.self) { try pool.write { try $0.run("DELETE FROM audit_log WHERE seq = 2") } }
    }

    @Test func detectsAChangedField() throws {
        let (db, _, store) = try filledStore(20)
        try tamper(db, "UPDATE audit_log SET body = '{\"n\":999}' WHERE seq = 7")
        #expect(try store.verify(from: nil, to: nil).firstBreak?.seq == 7)
    }

    @Test func detectsADeletedRow() throws {
        let (db, _, store) = try filledStore(20)
        try tamper(db, "DELETE FROM audit_log WHERE seq = 9")
        #expect(try store.verify(from: nil, to: nil).firstBreak?.seq == 9)
    }

    @Test func detectsAnInsertedRow() throws {
        let (db, _, store) = try filledStore(20)
        // Shift records 12.. up by one and insert a forged record at 12 that links to 11's hash.
        try tamper(db, """
            UPDATE audit_log SET seq = seq + 1000 WHERE seq >= 12;
            UPDATE audit_log SET seq = seq - 999 WHERE seq >= 1000;
            INSERT INTO audit_log (seq, id, kind, action, recorded_at, actor_key_id, body, prev_hash, hash)
                SELECT 12, 'forged', 'decision', 'screen', recorded_at, actor_key_id, '{}', hash, hash FROM audit_log WHERE seq = 11;
            """)
        #expect(try store.verify(from: nil, to: nil).firstBreak?.seq == 12)
    }

    @Test func detectsSwappedRows() throws {
        let (db, _, store) = try filledStore(20)
        try tamper(db, """
            UPDATE audit_log SET seq = -1 WHERE seq = 5;
            UPDATE audit_log SET seq = 5 WHERE seq = 6;
            UPDATE audit_log SET seq = 6 WHERE seq = -1;
            """)
        #expect(try store.verify(from: nil, to: nil).firstBreak?.seq == 5)
    }

    @Test func appendsContinueTheChainAcrossConnections() throws {
        let (db, _, store) = try filledStore(5)
        let other = SQLAuditLogStore(database: try DatabasePool(path: db.path))
        _ = try other.append([AuditEntry(id: "x", kind: "admin", action: "key.create", recordedAt: "t", actorKeyID: nil, body: "{}")])
        _ = try store.append([AuditEntry(id: "y", kind: "admin", action: "key.create", recordedAt: "t", actorKeyID: nil, body: "{}")])
        let result = try store.verify(from: nil, to: nil)
        #expect(result.isValid && result.checked == 7)
    }
}
