import Foundation

/// Named leases on background work that one process at a time must do, when several share a database.
public protocol LeaseStore: Sendable {
    /// Takes or renews `name` for `holder` until `seconds` from now; false while another holder's lease runs.
    func acquire(_ name: String, holder: String, for seconds: Double) throws -> Bool
    /// Gives the lease up early, if `holder` has it.
    func release(_ name: String, holder: String) throws
}

public final class SQLLeaseStore: LeaseStore {
    private let database: any SQLDatabase

    public init(database: any SQLDatabase) { self.database = database }

    public func acquire(_ name: String, holder: String, for seconds: Double) throws -> Bool {
        let now = Date().timeIntervalSince1970
        // Write transactions are serialised (SQLDatabase), so the read and the upsert cannot interleave with another.
        return try database.writeTransaction { db in
            if let current = try db.first("SELECT holder, expires_at FROM leases WHERE name = ?", [name], map: { ($0.string(0), $0.double(1)) }),
               current.0 != holder, current.1 > now {
                return false
            }
            try db.run("""
                INSERT INTO leases (name, holder, expires_at) VALUES (?, ?, ?)
                ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
                """, [name, holder, now + seconds])
            return true
        }
    }

    public func release(_ name: String, holder: String) throws {
        try database.writeTransaction { db in _ = try db.run("DELETE FROM leases WHERE name = ? AND holder = ?", [name, holder]) }
    }
}
