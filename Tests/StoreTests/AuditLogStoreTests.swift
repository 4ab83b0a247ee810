import Foundation
import Testing
@testable import Store
import TestSupport

@Suite struct AuditLogStoreTests {
    /// A store over a fresh database of `backend` holding `count` records, and the database's location.
    func filledStore(_ count: Int, _ backend: DatabaseBackend) throws -> (String, any SQLDatabase, SQLAuditLogStore) {
        let (pool, location) = try TempDatabase().migrated(backend)
        let store = SQLAuditLogStore(database: pool)
        let entries = (1...count).map {
            AuditEntry(id: "rec_\(String(format: "%04d", $0))", kind: "decision", action: "screen", recordedAt: "2026-01-01T00:00:00.000Z",
                       actorKeyID: "key_1", body: "{\"n\":\($0)}")
        }
        _ = try store.append(entries)
        return (location, pool, store)
    }

    /// Edits the database the way an attacker with direct access would: a separate connection, triggers off.
    func tamper(_ location: String, _ sql: String) throws {
        let raw = try DatabaseLocation(location).open(readerCount: 1)
        try raw.exclusively { db in
            switch db.dialect {
            case .sqlite: try db.execute("DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;")
            case .postgres: try db.execute("ALTER TABLE audit_log DISABLE TRIGGER USER")
            }
            try db.execute(sql)
        }
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

    @Test(arguments: DatabaseBackend.all) func anIntactChainVerifies(backend: DatabaseBackend) throws {
        let (_, _, store) = try filledStore(50, backend)
        let result = try store.verify(from: nil, to: nil)
        #expect(result.isValid)
        #expect(result.checked == 50)
        #expect(try store.verify(from: 10, to: 20).checked == 11)
    }

    @Test(arguments: DatabaseBackend.all) func triggersRefuseUpdateAndDelete(backend: DatabaseBackend) throws {
        let (_, pool, _) = try filledStore(3, backend)
        #expect(throws: (any Error).self) { try pool.writeTransaction { try $0.run("UPDATE audit_log SET body = 'x' WHERE seq = 2") } }
        #expect(throws: (any Error).self) { try pool.writeTransaction { try $0.run("DELETE FROM audit_log WHERE seq = 2") } }
        #expect(try SQLAuditLogStore(database: pool).verify(from: nil, to: nil).checked == 3)
    }

    @Test(arguments: DatabaseBackend.all) func detectsAChangedField(backend: DatabaseBackend) throws {
        let (db, _, store) = try filledStore(20, backend)
        try tamper(db, "UPDATE audit_log SET body = '{\"n\":999}' WHERE seq = 7")
        #expect(try store.verify(from: nil, to: nil).firstBreak?.seq == 7)
    }

    @Test(arguments: DatabaseBackend.all) func detectsADeletedRow(backend: DatabaseBackend) throws {
        let (db, _, store) = try filledStore(20, backend)
        try tamper(db, "DELETE FROM audit_log WHERE seq = 9")
        #expect(try store.verify(from: nil, to: nil).firstBreak?.seq == 9)
    }

    @Test(arguments: DatabaseBackend.all) func detectsAnInsertedRow(backend: DatabaseBackend) throws {
        let (db, _, store) = try filledStore(20, backend)
        // Shift records 12.. up by one and insert a forged record at 12 that links to 11's hash.
        try tamper(db, """
            UPDATE audit_log SET seq = seq + 1000 WHERE seq >= 12;
            UPDATE audit_log SET seq = seq - 999 WHERE seq >= 1000;
            INSERT INTO audit_log (seq, id, kind, action, recorded_at, actor_key_id, body, prev_hash, hash)
                SELECT 12, 'forged', 'decision', 'screen', recorded_at, actor_key_id, '{}', hash, hash FROM audit_log WHERE seq = 11;
            """)
        #expect(try store.verify(from: nil, to: nil).firstBreak?.seq == 12)
    }

    @Test(arguments: DatabaseBackend.all) func detectsSwappedRows(backend: DatabaseBackend) throws {
        let (db, _, store) = try filledStore(20, backend)
        try tamper(db, """
            UPDATE audit_log SET seq = -1 WHERE seq = 5;
            UPDATE audit_log SET seq = 5 WHERE seq = 6;
            UPDATE audit_log SET seq = 6 WHERE seq = -1;
            """)
        #expect(try store.verify(from: nil, to: nil).firstBreak?.seq == 5)
    }

    @Test(arguments: DatabaseBackend.all) func appendsContinueTheChainAcrossConnections(backend: DatabaseBackend) throws {
        let (db, _, store) = try filledStore(5, backend)
        let other = SQLAuditLogStore(database: try DatabaseLocation(db).open(readerCount: 1))
        _ = try other.append([AuditEntry(id: "x", kind: "admin", action: "key.create", recordedAt: "t", actorKeyID: nil, body: "{}")])
        _ = try store.append([AuditEntry(id: "y", kind: "admin", action: "key.create", recordedAt: "t", actorKeyID: nil, body: "{}")])
        let result = try store.verify(from: nil, to: nil)
        #expect(result.isValid && result.checked == 7)
    }
}
