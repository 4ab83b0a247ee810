import Foundation
import Testing
@testable import Store

/// Migration 0005 moves list versions and matched entries of existing decisions into list sets and the full-text
/// index; every filter must find the same decisions afterwards.
@Suite struct DecisionIndexMigrationTests {
    @Test func existingDecisionsKeepTheirListsAndMatches() throws {
        let db = try TempDatabase()
        let folder = db.directory.appendingPathComponent("migrations")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let all = try FileManager.default.contentsOfDirectory(at: TempDatabase.projectMigrations, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "sql" }.sorted { $0.lastPathComponent < $1.lastPathComponent }
        let before = all.filter { $0.lastPathComponent < "0005" }
        for file in before { try FileManager.default.copyItem(at: file, to: folder.appendingPathComponent(file.lastPathComponent)) }
        let pool = try DatabasePool(path: db.path)
        try MigrationRunner(directory: folder).migrate(pool)

        // Three decisions in the 0004 layout: two against {sdn v1, csl v1} (one matching sdn 306), one against {sdn v2}.
        let rows: [(seq: Int, lists: [(String, Int)], matches: [(String, String)], subject: String)] = [
            (1, [("ofac-sdn", 1), ("us-csl", 1)], [("ofac-sdn", "306")], "Banco Nacional de Cuba"),
            (2, [("us-csl", 1), ("ofac-sdn", 1)], [], "Harmless Bakery"),
            (3, [("ofac-sdn", 2)], [("ofac-sdn", "306"), ("us-csl", "x/1")], "Banco Nacional"),
        ]
        try pool.writeTransaction { conn in
            for row in rows {
                try conn.run("INSERT INTO audit_log (seq, id, kind, action, recorded_at, body, prev_hash, hash) VALUES (?, ?, 'decision', 'screen', '2026-01-01T00:00:00Z', '{}', '', '')",
                             [row.seq, "dec_\(row.seq)"])
                try conn.run("""
                    INSERT INTO decisions (seq, id, screened_at, decision, subject, policy_version, engine_version, request_hash)
                    VALUES (?, ?, '2026-01-01T00:00:00Z', 'clear', ?, 1, 'e', 'h')
                    """, [row.seq, "dec_\(row.seq)", row.subject])
                for (list, version) in row.lists { try conn.run("INSERT INTO decision_lists VALUES (?, ?, ?)", [row.seq, list, version]) }
                for (list, entry) in row.matches { try conn.run("INSERT INTO decision_matches VALUES (?, ?, ?)", [row.seq, list, entry]) }
                try conn.run("INSERT INTO decisions_fts (rowid, subject) VALUES (?, ?)", [row.seq, row.subject])
            }
        }
        for file in all where !before.contains(file) {
            try FileManager.default.copyItem(at: file, to: folder.appendingPathComponent(file.lastPathComponent))
        }
        #expect(try MigrationRunner(directory: folder).migrate(pool).contains("0005_compact_decision_index"))

        let store = SQLDecisionStore(database: pool)
        func seqs(_ configure: (inout DecisionFilter) -> Void) throws -> [Int] {
            var filter = DecisionFilter()
            configure(&filter)
            return try store.search(filter, newestFirst: false, after: nil, limit: 10).map(\.seq)
        }
        #expect(try seqs { $0.list = "ofac-sdn" } == [1, 2, 3])
        #expect(try seqs { $0.list = "ofac-sdn"; $0.listVersion = 1 } == [1, 2], "both orders of the same lists are one set")
        #expect(try seqs { $0.list = "us-csl"; $0.listVersion = 1 } == [1, 2])
        #expect(try seqs { $0.list = "ofac-sdn"; $0.listVersion = 2 } == [3])
        #expect(try seqs { $0.list = "ofac-sdn"; $0.entryID = "306" } == [1, 3])
        #expect(try seqs { $0.list = "us-csl"; $0.entryID = "306" }.isEmpty)
        #expect(try seqs { $0.entryID = "x/1" } == [3], "an id with punctuation is one term")
        #expect(try seqs { $0.text = "banco" } == [1, 3])
        #expect(try seqs { $0.text = "bakery" } == [2])
        #expect(try pool.read { try $0.first("SELECT count(*) FROM list_sets") { $0.int(0) } } == 2)

        // A new decision against the same lists reuses the migrated set.
        try pool.writeTransaction { conn in
            try conn.run("INSERT INTO audit_log (seq, id, kind, action, recorded_at, body, prev_hash, hash) VALUES (4, 'dec_4', 'decision', 'screen', '2026-01-02T00:00:00Z', '{}', '', '')")
            try SQLDecisionStore.insert(DecisionRow(
                id: "dec_4", screenedAt: "2026-01-02T00:00:00Z", keyID: nil, decision: "review", reference: nil, subject: "Banco", policyVersion: 1,
                engineVersion: "e", idempotencyKey: nil, requestHash: "h", lists: [.init(list: "us-csl", version: 1), .init(list: "ofac-sdn", version: 1)],
                matches: [.init(list: "ofac-sdn", entryID: "306")]), seq: 4, conn)
        }
        #expect(try pool.read { try $0.first("SELECT count(*) FROM list_sets") { $0.int(0) } } == 2)
        #expect(try seqs { $0.list = "ofac-sdn"; $0.listVersion = 1 } == [1, 2, 4])
        #expect(try seqs { $0.list = "ofac-sdn"; $0.entryID = "306" } == [1, 3, 4])
    }
}
