import Foundation

/// The re-screen of the monitored counterparties that one list activation starts.
public struct RescreenJob: Sendable, Equatable {
    public var id: Int
    public var listID: String
    public var fromVersion: Int?
    public var toVersion: Int
    public var createdAt: String
    public var state: String
    public var startedAt: String?
    public var finishedAt: String?
    /// Counterparties the change may concern (known once the job has looked).
    public var candidates: Int?
    public var processed: Int
    /// Counterparties given a new decision.
    public var changed: Int
    public var alerts: Int
    /// The last counterparty done (candidates run in id order).
    public var cursor: String?
    public var error: String?
}

public protocol RescreenJobStore: Sendable {
    /// The oldest job not finished.
    func next() throws -> RescreenJob?
    /// Marks a job running with its candidate count (a resumed job keeps its progress).
    func start(_ id: Int, candidates: Int, at: String) throws
    /// Records progress: done through `cursor`, with the counts added.
    func progress(_ id: Int, processed: Int, changed: Int, cursor: String) throws
    func finish(_ id: Int, state: String, at: String, error: String?) throws
    /// Records why the job's last run stopped (it is retried).
    func note(_ id: Int, error: String) throws
    /// The version a job's re-screen diffs from: its own `fromVersion`, or, when the jobs just before it for the same
    /// list were superseded (never run), the first of those jobs' `fromVersion`, the version the counterparties were
    /// last re-screened against.
    func diffBase(of job: RescreenJob) throws -> Int?
    /// The jobs one list version's activations started, oldest first.
    func jobs(list: String, version: Int) throws -> [RescreenJob]
    /// Jobs by state.
    func countsByState() throws -> [String: Int]
}

public final class SQLRescreenJobStore: RescreenJobStore {
    private let database: any SQLDatabase

    public init(database: any SQLDatabase) { self.database = database }

    /// Queues the re-screen for an activation, inside the activation's transaction: a crash cannot leave an
    /// activation whose counterparties are never re-screened.
    static func queue(list: String, from: Int?, to: Int, at: String, _ db: any SQLConnection) throws {
        guard from != to else { return }
        try db.run("INSERT INTO rescreen_jobs (list_id, from_version, to_version, created_at) VALUES (?, ?, ?, ?)", [list, from, to, at])
    }

    /// The alert count is read from the alerts themselves (each names its job), so it is exact even when a crash
    /// fell between a batch's commit and its progress update; `processed` and `changed` are then redone or short
    /// by that batch.
    private static let columns = """
        id, list_id, from_version, to_version, created_at, state, started_at, finished_at, candidates, processed, changed,
        (SELECT count(*) FROM alerts a WHERE a.job_id = rescreen_jobs.id), cursor, error
        """

    private static func job(_ row: any SQLRow) -> RescreenJob {
        RescreenJob(id: row.int(0), listID: row.string(1), fromVersion: row.optionalInt(2), toVersion: row.int(3), createdAt: row.string(4),
                    state: row.string(5), startedAt: row.optionalString(6), finishedAt: row.optionalString(7), candidates: row.optionalInt(8),
                    processed: row.int(9), changed: row.int(10), alerts: row.int(11), cursor: row.optionalString(12), error: row.optionalString(13))
    }

    public func next() throws -> RescreenJob? {
        try database.read { db in
            try db.first("SELECT \(Self.columns) FROM rescreen_jobs WHERE state IN ('pending', 'running') ORDER BY id LIMIT 1", map: Self.job)
        }
    }

    public func start(_ id: Int, candidates: Int, at: String) throws {
        try database.writeTransaction { db in
            _ = try db.run("UPDATE rescreen_jobs SET state = 'running', started_at = coalesce(started_at, ?), candidates = ? WHERE id = ?",
                           [at, candidates, id])
        }
    }

    public func progress(_ id: Int, processed: Int, changed: Int, cursor: String) throws {
        try database.writeTransaction { db in
            _ = try db.run("""
                UPDATE rescreen_jobs SET processed = processed + ?, changed = changed + ?, cursor = ? WHERE id = ?
                """, [processed, changed, cursor, id])
        }
    }

    public func finish(_ id: Int, state: String, at: String, error: String?) throws {
        try database.writeTransaction { db in
            _ = try db.run("UPDATE rescreen_jobs SET state = ?, finished_at = ?, error = ? WHERE id = ?", [state, at, error, id])
        }
    }

    public func diffBase(of job: RescreenJob) throws -> Int? {
        try database.read { db in
            let first = try db.first("""
                SELECT from_version FROM rescreen_jobs WHERE list_id = ?1 AND id < ?2 AND state = 'superseded'
                AND id > (SELECT coalesce(max(id), 0) FROM rescreen_jobs WHERE list_id = ?1 AND id < ?2 AND state != 'superseded')
                ORDER BY id LIMIT 1
                """, [job.listID, job.id]) { row in row.optionalInt(0) }
            return first ?? job.fromVersion
        }
    }

    public func note(_ id: Int, error: String) throws {
        try database.writeTransaction { db in _ = try db.run("UPDATE rescreen_jobs SET error = ? WHERE id = ?", [error, id]) }
    }

    public func jobs(list: String, version: Int) throws -> [RescreenJob] {
        try database.read { db in
            try db.query("SELECT \(Self.columns) FROM rescreen_jobs WHERE list_id = ? AND to_version = ? ORDER BY id", [list, version], map: Self.job)
        }
    }

    public func countsByState() throws -> [String: Int] {
        try database.read { db in try db.countsByState(in: "rescreen_jobs", known: ["pending", "running", "done", "failed", "superseded"]) }
    }
}
