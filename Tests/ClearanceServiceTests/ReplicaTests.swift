import Foundation
import Testing
import TestSupport

/// Several `clearance serve` processes on loopback sharing one PostgreSQL database, driven over HTTP the way a load
/// balancer spreads a client's requests.
@Suite(.serialized)
struct ReplicaTests {
    /// Replicas over one database, with the admin key the first one created.
    /// Only read after `init`; the processes it holds are killed from one client thread.
    final class Replicas: @unchecked Sendable {
        let folder = TestFolder.make("replicas")
        let processes: [ServeProcess]
        let adminKey: String

        init(database: String, count: Int) throws {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            // Replicas share the checkpoint key and the bootstrap key's file, and follow each other's activations
            // every half second.
            let options = ["--bootstrap-key-file", folder.appendingPathComponent("bootstrap-admin.key").path,
                           "--checkpoint-key", folder.appendingPathComponent("checkpoint-signing.key").path, "--shared-state-interval", "0.5"]
            processes = try (0..<count).map { _ in try ServeProcess(database: database, extra: options) }
            adminKey = try #require(processes[0].bootstrapKey, "the first replica created no admin key")
        }

        func call(_ replica: Int, _ method: String, _ path: String, key: String? = nil, json: String? = nil,
                  headers: [String: String] = [:]) throws -> RawResponse {
            var all = headers
            all["Authorization"] = "Bearer \(key ?? adminKey)"
            if json != nil { all["Content-Type"] = "application/json" }
            return try RawHTTPClient(port: processes[replica].port, timeout: 30).request(method, path, headers: all, body: json)
        }

        func upload(_ replica: Int, _ list: String, query: String, files: [(name: String, data: Data)]) throws -> RawResponse {
            let (contentType, body) = MultipartBody.make(files)
            return try RawHTTPClient(port: processes[replica].port, timeout: 60).request(
                "POST", "/lists/\(list)/versions\(query)", headers: ["Authorization": "Bearer \(adminKey)", "Content-Type": contentType], data: body)
        }

        /// Whether the replica's `/readyz` says it serves `version` of `list`, within `timeout` seconds.
        func serves(_ replica: Int, _ list: String, version: Int, timeout: Double = 15) -> Bool {
            eventually(timeout: timeout) {
                let checks = (try? self.call(replica, "GET", "/readyz").json()["checks"] as? [String: Any]) ?? nil
                return (checks?["matching_index"] as? String)?.contains("\(list) v\(version)") == true
            }
        }
    }

    /// One answered screening: what was sent, where, and what came back.
    struct Answered: Sendable {
        let idempotencyKey: String
        let body: String
        let replica: Int
        let decisionID: String
    }

    /// A value several client threads update.
    final class Shared<Value>: @unchecked Sendable {
        private let lock = NSLock()
        private var stored: Value
        init(_ value: Value) { stored = value }
        var value: Value { lock.withLock { stored } }
        func with<R>(_ body: (inout Value) -> R) -> R { lock.withLock { body(&stored) } }
    }

    static var postgres: Bool { DatabaseBackend.all.contains(.postgres) }

    @Test(.enabled(if: postgres, "needs PostgreSQL (swift test --traits PostgreSQL, with Debian's postgresql installed)"))
    func threeReplicasKeepOneChainThroughAKilledReplica() throws {
        let replicas = try Replicas(database: try PostgresCluster.shared.get().createDatabase(), count: 3)
        // A list uploaded through one replica is served by the others.
        #expect(try replicas.upload(0, "us-csl", query: "?format=csl-csv", files: [("consolidated.csv", Data(ScreenFixtures.csl.utf8))]).status == 201)
        for replica in 0..<3 { #expect(replicas.serves(replica, "us-csl", version: 1), "replica \(replica) does not serve us-csl v1") }
        let screenKey = try replicas.call(1, "POST", "/keys", json: #"{"name": "erp", "roles": ["screen", "audit"]}"#).json()["key"] as? String ?? ""

        // Clients spread screens over the replicas while an upload goes through one and audit queries through another;
        // replica 2 is killed in the middle.
        let answered = Shared<[Answered]>([])
        let killed = Shared(false)
        let names = ["Hikvision", "Hangzhou Hikvision Digital Technology", "Acme Trading", "Zenith Metals", "Dahua Technology"]
        DispatchQueue.concurrentPerform(iterations: 4) { client in
            for index in 0..<60 {
                let replica = (client + index) % 3
                let key = "c\(client)-\(index)"
                let body = #"{"name": "\#(names[index % names.count])", "reference": "\#(key)"}"#
                if client == 0 && index == 20 {
                    replicas.processes[2].kill()
                    killed.with { $0 = true }
                }
                guard let response = try? replicas.call(replica, "POST", "/screen", key: screenKey, json: body, headers: ["Idempotency-Key": key]) else {
                    continue  // the killed replica: no answer, so nothing was promised
                }
                if response.status == 200, let id = (try? response.json())?["decisionId"] as? String {
                    answered.with { $0.append(Answered(idempotencyKey: key, body: body, replica: replica, decisionID: id)) }
                }
            }
        }
        #expect(killed.value)
        // A second version goes through replica 1 while replica 2 is gone, and replica 0 serves it.
        let v2 = ScreenFixtures.csl + "\nz1,Entity List (EL) - Bureau of Industry and Security,,,,Zenith Metals Trading FZE,,\"Dubai, AE\",,,,,,"
        #expect(try replicas.upload(1, "us-csl", query: "?format=csl-csv", files: [("consolidated.csv", Data(v2.utf8))]).status == 201)
        #expect(replicas.serves(0, "us-csl", version: 2))

        // Every answered decision is on record, whichever replica answered it, and the one chain verifies.
        let all = answered.value
        #expect(all.count >= 100, "only \(all.count) screens were answered")
        for decision in all {
            let replica = decision.replica == 0 ? 1 : 0
            #expect(try replicas.call(replica, "GET", "/decisions/\(decision.decisionID)", key: screenKey).status == 200,
                    "decision \(decision.decisionID) answered by replica \(decision.replica) is not on record")
        }
        let verified = try replicas.call(0, "GET", "/audit/verify", key: screenKey).json()
        #expect(verified["valid"] as? Bool == true, "\(verified)")
        #expect((verified["checked"] as? Int ?? 0) >= all.count)

        // A client retrying through another replica gets the decision it was first given.
        for decision in all.prefix(30) {
            let other = decision.replica == 0 ? 1 : 0
            let retried = try replicas.call(other, "POST", "/screen", key: screenKey, json: decision.body, headers: ["Idempotency-Key": decision.idempotencyKey])
            #expect(try retried.json()["decisionId"] as? String == decision.decisionID)
        }
        // Signed checkpoints cover the shared chain.
        // The same request sent to two replicas at the same moment (a client that timed out and retried elsewhere) is
        // decided once: both get the one decision.
        for race in 0..<10 {
            let ids = Shared<[String]>([])
            DispatchQueue.concurrentPerform(iterations: 2) { replica in
                let response = try? replicas.call(replica, "POST", "/screen", key: screenKey, json: #"{"name": "Hikvision"}"#,
                                                  headers: ["Idempotency-Key": "race-\(race)"])
                ids.with { $0.append((try? response?.json())?["decisionId"] as? String ?? "none") }
            }
            let both = ids.value
            #expect(both.count == 2 && both[0] == both[1] && both[0] != "none", "race \(race): \(both)")
        }
        // A checkpoint signed by one replica verifies through another against the shared chain.
        let checkpoint = try replicas.call(1, "POST", "/audit/checkpoints")
        #expect(checkpoint.status == 201)
        let verdict = try replicas.call(0, "POST", "/audit/checkpoints/verify", key: screenKey, json: checkpoint.text).json()
        #expect(verdict["valid"] as? Bool == true, "\(verdict)")
    }

    @Test(.enabled(if: postgres, "needs PostgreSQL (swift test --traits PostgreSQL, with Debian's postgresql installed)"))
    func aDatabaseRestartIsAnsweredWith503AndTheReplicasRecoverByThemselves() throws {
        let cluster = try PostgresCluster.own()
        let replicas = try Replicas(database: try cluster.createDatabase(), count: 2)
        #expect(try replicas.upload(0, "us-csl", query: "?format=csl-csv", files: [("consolidated.csv", Data(ScreenFixtures.csl.utf8))]).status == 201)
        #expect(replicas.serves(1, "us-csl", version: 1))
        let screenKey = try replicas.call(0, "POST", "/keys", json: #"{"name": "erp", "roles": ["screen", "audit"]}"#).json()["key"] as? String ?? ""

        // Load throughout: every answer is either a recorded decision or a 503, never anything else.
        let stop = Shared(false)
        let answered = Shared<[String]>([])
        let statuses = Shared<[Int: Int]>([:])
        let load = Thread {
            var index = 0
            while !stop.value {
                index += 1
                let response = try? replicas.call(index % 2, "POST", "/screen", key: screenKey, json: #"{"name": "Hikvision"}"#)
                guard let response else { continue }
                statuses.with { $0[response.status, default: 0] += 1 }
                if response.status == 200, let id = (try? response.json())?["decisionId"] as? String { answered.with { $0.append(id) } }
                usleep(20_000)
            }
        }
        load.start()
        Thread.sleep(forTimeInterval: 1)
        try cluster.stop()
        #expect(eventually(timeout: 15) { statuses.with { $0[503, default: 0] } >= 5 }, "no 503 while the database was down: \(statuses.with { $0 })")
        let answeredWhileDown = answered.with { $0.count }
        Thread.sleep(forTimeInterval: 1)
        #expect(answered.with { $0.count } == answeredWhileDown, "decisions were answered while the database was down")
        try cluster.start()
        // Both replicas answer again without a restart of their own.
        for replica in 0..<2 {
            #expect(eventually(timeout: 30) {
                (try? replicas.call(replica, "POST", "/screen", key: screenKey, json: #"{"name": "Hikvision"}"#))?.status == 200
            }, "replica \(replica) did not recover")
        }
        stop.with { $0 = true }
        while !load.isFinished { usleep(10_000) }
        let codes = statuses.with { $0 }
        #expect(Set(codes.keys).isSubset(of: [200, 503]), "answers other than 200 and 503: \(codes)")
        for id in answered.with({ $0 }) {
            #expect(try replicas.call(0, "GET", "/decisions/\(id)", key: screenKey).status == 200, "answered decision \(id) is not on record")
        }
        #expect(try replicas.call(1, "GET", "/audit/verify", key: screenKey).json()["valid"] as? Bool == true)
    }
}
