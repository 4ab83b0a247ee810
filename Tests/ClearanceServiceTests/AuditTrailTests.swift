import ClearanceService
import Foundation
import OpenSSLCrypto
import Store
import Testing
import TestSupport

@Suite struct AuditTrailTests {
    func screen(_ service: ServiceHarness, _ key: String, _ body: String) throws -> [String: Any] {
        try service.call("POST", "/screen", key: key, json: body).json()
    }

    /// Edits the database file directly, as someone bypassing the service would (triggers dropped first).
    func tamper(_ service: ServiceHarness, _ sql: String) throws {
        let raw = try SQLiteConnection(path: service.app.configuration.databasePath)
        try raw.execute("PRAGMA foreign_keys = OFF; DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete;")
        try raw.execute(sql)
    }

    /// The role matrix of every keyed route, derived from the routes themselves (a new route cannot ship without
    /// its roles being tested): no key and an unknown key are 401; each role the route names gets past the key check
    /// (whatever the handler then answers), every other role is 403, from the head alone. Served in process: roles
    /// need no socket (the live tests show the head check answers before any body is read).
    @Test func everyEndpointChecksKeysAndRoles() throws {
        let (service, _) = try ScreenFixtures.service()
        let roles = ["screen", "admin", "audit", "review"]
        let keys = Dictionary(uniqueKeysWithValues: try roles.map { ($0, try service.createKey([$0])) })
        let decision = try screen(service, try service.createKey(["screen"]), #"{"name": "Hikvision"}"#)["decisionId"] as? String ?? ""
        // Path parameters as a caller would fill them: what exists where it is cheap to, an unknown id elsewhere.
        let values = ["list": "ofac-sdn", "version": "1", "entryId": "306", "id": decision]
        let keyed = service.app.endpoints.filter { $0.access != nil }
        #expect(keyed.count >= 38, "the keyed routes: \(keyed.count)")
        for endpoint in keyed {
            let path = endpoint.pattern.split(separator: "/").map { segment -> String in
                guard segment.hasPrefix("{"), segment.hasSuffix("}") else { return String(segment) }
                return values[String(segment.dropFirst().dropLast())] ?? "unknown"
            }.joined(separator: "/")
            let route = "\(endpoint.method) \(endpoint.pattern)"
            let allowed = Set(endpoint.access ?? [])
            #expect(!allowed.isEmpty, "\(route) names no role")
            // DELETE with a real id would remove what later cases use: an unknown one shows the access as well.
            let target = endpoint.method == "DELETE" ? "/" + path.split(separator: "/").dropLast().joined(separator: "/") + "/unknown" : "/" + path
            let body = ["POST", "PUT"].contains(endpoint.method) ? "{}" : nil
            #expect(service.handle(endpoint.method, target, json: body).status == 401, "\(route) without a key")
            #expect(service.handle(endpoint.method, target, key: "clr_not-a-key", json: body).status == 401, "\(route) with an unknown key")
            for role in roles {
                let status = service.handle(endpoint.method, target, key: keys[role], json: body).status
                if allowed.contains(role) {
                    #expect(status != 401 && status != 403, "\(route) as \(role): \(status)")
                } else {
                    #expect(status == 403, "\(route) as \(role): \(status)")
                }
            }
        }
    }

    @Test func theChainVerifiesAfterTenThousandScreensAndFindsEachKindOfEdit() throws {
        let (service, key) = try ScreenFixtures.service()
        let audit = try service.createKey(["audit"])
        let batch = "[" + (0..<1000).map { #"{"name": "Supplier \#($0) Hikvision", "reference": "R\#($0)"}"# }.joined(separator: ",") + "]"
        for _ in 0..<10 { #expect(try service.call("POST", "/screen/batch", key: key, json: batch).status == 200) }
        #expect(try service.app.decisions.count() == 10_000)
        let verified = try service.call("GET", "/audit/verify", key: audit).json()
        #expect(verified["valid"] as? Bool == true)
        #expect((verified["checked"] as? Int ?? 0) > 10_000)

        func firstBreak() throws -> Int? {
            ((try service.call("GET", "/audit/verify", key: audit).json())["firstBreak"] as? [String: Any])?["seq"] as? Int
        }
        try tamper(service, "UPDATE audit_log SET body = replace(body, 'Supplier', 'Suppiler') WHERE seq = 9000")
        #expect(try firstBreak() == 9000, "a changed field")
        try tamper(service, "UPDATE audit_log SET body = replace(body, 'Suppiler', 'Supplier') WHERE seq = 9000")
        #expect(try firstBreak() == nil, "restored")
        try tamper(service, "UPDATE audit_log SET seq = -1 WHERE seq = 5000; UPDATE audit_log SET seq = 5000 WHERE seq = 5001; UPDATE audit_log SET seq = 5001 WHERE seq = -1")
        #expect(try firstBreak() == 5000, "two rows swapped")
        try tamper(service, "UPDATE audit_log SET seq = -1 WHERE seq = 5000; UPDATE audit_log SET seq = 5000 WHERE seq = 5001; UPDATE audit_log SET seq = 5001 WHERE seq = -1")
        let head = try service.app.audit.store.head()?.seq ?? 0
        try tamper(service, "INSERT INTO audit_log SELECT \(head + 1), 'forged', kind, action, recorded_at, actor_key_id, body, prev_hash, hash FROM audit_log WHERE seq = 100")
        #expect(try firstBreak() == head + 1, "an inserted row")
        try tamper(service, "DELETE FROM audit_log WHERE seq = \(head + 1); DROP TRIGGER decisions_kept; DELETE FROM decisions WHERE seq = 3000; DELETE FROM audit_log WHERE seq = 3000")
        #expect(try firstBreak() == 3000, "a deleted row")
    }

    @Test func checkpointsVerifyAndFailAfterARewrite() throws {
        let (service, key) = try ScreenFixtures.service()
        let audit = try service.createKey(["audit"])
        for i in 0..<20 { _ = try screen(service, key, #"{"name": "Supplier \#(i)"}"#) }
        let created = try service.call("POST", "/audit/checkpoints", key: audit)
        #expect(created.status == 201)
        let checkpoint = try created.json()
        let listed = try service.call("GET", "/audit/checkpoints", key: audit).json()
        #expect(listed["publicKey"] as? String == checkpoint["publicKey"] as? String)
        let kept = String(decoding: try JSONSerialization.data(withJSONObject: checkpoint), as: UTF8.self)
        let good = try service.call("POST", "/audit/checkpoints/verify", key: audit, json: kept).json()
        #expect(good["valid"] as? Bool == true)
        var forged = checkpoint
        forged["headHash"] = String(repeating: "a", count: 64)
        let bad = try service.call("POST", "/audit/checkpoints/verify", key: audit,
                                   json: String(decoding: try JSONSerialization.data(withJSONObject: forged), as: UTF8.self)).json()
        #expect(bad["signatureValid"] as? Bool == false)
        // Rewrite history before the checkpoint consistently (every hash recomputed): only the signature can tell.
        try rewriteHistory(service, through: checkpoint["seq"] as? Int ?? 0) { $0.replacingOccurrences(of: "Supplier", with: "Supp1ier") }
        let rewritten = try service.call("POST", "/audit/checkpoints/verify", key: audit, json: kept).json()
        #expect(rewritten["valid"] as? Bool == false)
        #expect(rewritten["chainMatches"] as? Bool == false)
    }

    /// Rewrites records 1 through `last` as someone with write access to the database would: the last record's body
    /// changed by `change`, every hash recomputed so the chain links up again. Returns the new head hash.
    @discardableResult
    func rewriteHistory(_ service: ServiceHarness, through last: Int, change: (String) -> String) throws -> String {
        let records = try (1...last).compactMap { try service.app.audit.store.record(seq: $0) }
        try tamper(service, "DELETE FROM audit_log WHERE seq <= \(records.count)")
        var previous = AuditRecord.genesisHash
        let raw = try SQLiteConnection(path: service.app.configuration.databasePath)
        try raw.execute("PRAGMA foreign_keys = OFF")
        for record in records {
            var entry = record.entry
            if record.seq == records.count { entry.body = change(entry.body) }
            let hash = AuditRecord.computeHash(seq: record.seq, entry: entry, prevHash: previous)
            try raw.run("INSERT INTO audit_log (seq, id, kind, action, recorded_at, actor_key_id, body, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        [record.seq, entry.id, entry.kind, entry.action, entry.recordedAt, entry.actorKeyID, entry.body, previous, hash])
            previous = hash
        }
        return previous
    }

    /// Someone who can write the database turns a block into a clear, recomputes the chain, deletes the genuine
    /// checkpoints and inserts one signed with a key of their own (naming that key). Neither the server nor the
    /// command line takes it: trusted keys come from outside the database.
    @Test func aCheckpointForgedInTheDatabaseIsRefused() throws {
        let (service, key) = try ScreenFixtures.service()
        let audit = try service.createKey(["audit"])
        let blocked = try screen(service, key, #"{"name": "Banco Nacional de Cuba"}"#)
        #expect(blocked["decision"] as? String == "block")
        #expect(try service.call("POST", "/audit/checkpoints", key: audit).status == 201)
        let last = try #require(try service.app.audit.store.head()?.seq)
        #expect(try service.call("GET", "/audit/verify", key: audit).json()["valid"] as? Bool == true)

        let head = try rewriteHistory(service, through: last) { $0.replacingOccurrences(of: #""decision":"block""#, with: #""decision":"clear""#) }
        let forger = try Ed25519SigningKey.generate()
        let createdAt = Timestamp.now()
        let signature = Hex.encode(try forger.sign(Array("clearance-audit-checkpoint\n\(last)\n\(head)\n\(createdAt)".utf8)))
        try tamper(service, """
            DROP TRIGGER audit_checkpoints_kept; DELETE FROM audit_checkpoints;
            INSERT INTO audit_checkpoints (seq, head_hash, created_at, public_key, signature)
            VALUES (\(last), '\(head)', '\(createdAt)', '\(Hex.encode(forger.publicKey))', '\(signature)')
            """)

        let verified = try service.call("GET", "/audit/verify", key: audit).json()
        #expect(verified["valid"] as? Bool == false)
        let stored = try #require(verified["checkpoints"] as? [String: Any])
        #expect(((stored["firstFailure"] as? [String: Any])?["detail"] as? String)?.contains("not trusted") == true)
        let forged = try #require(try service.call("GET", "/audit/checkpoints", key: audit).json()["checkpoints"] as? [[String: Any]]).first
        let verdict = try service.call("POST", "/audit/checkpoints/verify", key: audit,
                                       json: String(decoding: try JSONSerialization.data(withJSONObject: try #require(forged)), as: UTF8.self)).json()
        #expect(verdict["valid"] as? Bool == false)
        #expect(verdict["signatureValid"] as? Bool == false)
        #expect(verdict["signingKey"] == nil)

        // The command line, offline, with the server's signing key and with only its public half (as an auditor holds it).
        let cli = try #require(CommandLineTests.executable)
        let database = service.app.configuration.databasePath
        let keyFile = try #require(service.app.configuration.checkpointKeyPath)
        let publicKey = Hex.encode(try Checkpoints.loadOrCreate(URL(fileURLWithPath: keyFile)).publicKey)
        for options in [["--checkpoint-key", keyFile], ["--public-key", publicKey]] {
            let run = try ChildProcess.run([cli.path, "verify", "--database", database] + options)
            #expect(run.status == 2, "\(run.output)")
            #expect(run.output.contains("not trusted"), "\(run.output)")
        }
    }

    @Test(arguments: DatabaseBackend.all) func replayReproducesDecisionsAfterTheListsChanged(backend: DatabaseBackend) throws {
        let (service, key) = try ScreenFixtures.service(backend)
        let audit = try service.createKey(["audit"])
        let original = try screen(service, key, #"{"name": "Banco Nacional de Cuba", "reference": "R1"}"#)
        let id = try #require(original["decisionId"] as? String)
        // A new SDN version without the bank: live screening changes, the replay must not.
        _ = try service.upload("ofac-sdn", files: [("sdn.csv", Data("10404,\"ROPERO SUAREZ, Emiro del Carmen\",\"individual\",\"SDNT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n".utf8)),
                                                   ("alt.csv", Data("10404,1,\"aka\",\"X\",-0- \r\n".utf8)), ("add.csv", Data("10404,1,-0- ,-0- ,\"Colombia\",-0- \r\n".utf8))])
        #expect(try screen(service, key, #"{"name": "Banco Nacional de Cuba"}"#)["decision"] as? String != "block")
        let replayed = try service.call("POST", "/decisions/\(id)/replay", key: audit).json()
        #expect(replayed["identical"] as? Bool == true, "\(replayed["differences"] ?? "")")
        #expect((replayed["replayed"] as? [String: Any])?["decision"] as? String == "block")
        #expect(try service.call("POST", "/decisions/dec_unknown/replay", key: audit).status == 404)
    }

    @Test(arguments: DatabaseBackend.all) func filtersAndPaginationAreExact(backend: DatabaseBackend) throws {
        let (service, key) = try ScreenFixtures.service(backend)
        let audit = try service.createKey(["audit"])
        var expected: [String: String] = [:]
        for i in 0..<30 {
            let name = i % 3 == 0 ? "Hikvision" : i % 3 == 1 ? "Banco Nacional de Cuba" : "Harmless Bakery \(i)"
            let body = try screen(service, key, #"{"name": "\#(name)", "reference": "SUP-\#(i % 5)"}"#)
            expected[body["decisionId"] as? String ?? ""] = body["decision"] as? String
        }
        func all(_ query: String) throws -> [[String: Any]] {
            var out: [[String: Any]] = []
            var cursor: String?
            repeat {
                let page = try service.call("GET", "/decisions?limit=7\(query)" + (cursor.map { "&cursor=\($0)" } ?? ""), key: audit).json()
                out += page["decisions"] as? [[String: Any]] ?? []
                cursor = page["nextCursor"] as? String
            } while cursor != nil
            return out
        }
        let everything = try all("")
        #expect(everything.count == 30)
        #expect(Set(everything.compactMap { $0["decisionId"] as? String }) == Set(expected.keys))
        let seqs = everything.compactMap { $0["seq"] as? Int }
        #expect(seqs == seqs.sorted(by: >), "newest first")
        let oldest = try all("&order=oldest").compactMap { $0["seq"] as? Int }
        #expect(oldest == seqs.reversed())
        #expect(try all("&decision=block").count == expected.values.filter { $0 == "block" }.count)
        #expect(try all("&reference=SUP-2").count == 6)
        #expect(try all("&q=hikvision").count == 10, "full-text search")
        #expect(try all("&q=bakery&decision=clear").count == 10)
        #expect(try all("&list=ofac-sdn&entryId=306").count == 10)
        #expect(try all("&entryId=306").count == 10)
        #expect(try all("&list=us-csl&entryId=306").isEmpty)
        #expect(try all("&list=ofac-sdn").count == 30)
        #expect(try all("&list=us-csl&listVersion=1").count == 30)
        #expect(try all("&list=us-csl&listVersion=2").isEmpty)
        #expect(try all("&from=2000-01-01T00:00:00Z&to=2999-01-01T00:00:00Z").count == 30)
        #expect(try all("&to=2000-01-01T00:00:00Z").isEmpty)
        #expect(try service.call("GET", "/decisions?decision=maybe", key: audit).status == 422)
        let one = try service.call("GET", "/decisions/\(everything[0]["decisionId"] as? String ?? "")", key: audit).json()
        #expect((one["chain"] as? [String: Any])?["hash"] is String)
        #expect((one["record"] as? [String: Any])?["request"] is [String: Any])
    }

    @Test(arguments: DatabaseBackend.all) func exportsStreamEveryRecord(backend: DatabaseBackend) throws {
        let (service, key) = try ScreenFixtures.service(backend)
        let audit = try service.createKey(["audit"])
        for i in 0..<25 { _ = try screen(service, key, #"{"name": "Name, \"quoted\" \#(i)"}"#) }
        let csv = try service.call("GET", "/decisions/export?format=csv&order=oldest", key: audit)
        #expect(csv.header("Transfer-Encoding") == "chunked")
        let lines = csv.text.split(separator: "\r\n")
        #expect(lines.count == 26)
        #expect(lines[1].contains("\"Name, \"\"quoted\"\" 0\""))
        let ndjson = try service.call("GET", "/decisions/export?format=ndjson", key: audit)
        #expect(ndjson.text.split(separator: "\n").count == 25)
        #expect(try service.call("GET", "/decisions/export?format=pdf", key: audit).status == 422)
    }

    @Test func aFailedAuditWriteAnswers503AndRecordsNothing() throws {
        let (service, key) = try ScreenFixtures.service()
        let raw = try SQLiteConnection(path: service.app.configuration.databasePath)
        try raw.execute("CREATE TRIGGER fail_audit BEFORE INSERT ON audit_log WHEN NEW.kind = 'decision' BEGIN SELECT RAISE(ABORT, 'disk on fire'); END;")
        let response = try service.call("POST", "/screen", key: key, json: #"{"name": "Hikvision"}"#)
        #expect(response.status == 503)
        try raw.execute("DROP TRIGGER fail_audit")
        #expect(try service.app.decisions.count() == 0)
        #expect(try raw.first("SELECT count(*) FROM audit_log WHERE kind = 'decision'") { $0.int(0) } == 0)
        #expect(try service.app.audit.store.verify(from: nil, to: nil).isValid)
        #expect(try service.call("POST", "/screen", key: key, json: #"{"name": "Hikvision"}"#).status == 200)
    }
}
