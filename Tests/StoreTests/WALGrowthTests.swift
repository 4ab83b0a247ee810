import Foundation
import Testing
@testable import Store

/// Under writes that never pause, passive checkpoints never let the log start over; the pool must keep it bounded.
@Suite struct WALGrowthTests {
    @Test func theLogStaysBoundedUnderSustainedWrites() throws {
        let db = try TempDatabase()
        defer { try? FileManager.default.removeItem(at: db.directory) }
        let limit = 256 * 1024
        let pool = try DatabasePool(path: db.path, readerCount: 1, backgroundCheckpoints: true, walLimitBytes: limit)
        try pool.write { try $0.execute("CREATE TABLE t (x BLOB)") }
        let blob = Data(repeating: 7, count: 1000)
        let deadline = Date().addingTimeInterval(2.5)
        var written = 0
        while Date() < deadline {
            try pool.writeTransaction { conn in
                for _ in 0..<20 { try conn.run("INSERT INTO t (x) VALUES (?)", [blob]) }
            }
            written += 20 * blob.count
            Thread.sleep(forTimeInterval: 0.001)  // steady, not flat out: the test shares the disk with the others
        }
        let wal = try FileManager.default.attributesOfItem(atPath: db.path + "-wal")[.size] as? Int ?? 0
        #expect(written > 8 * limit, "the test wrote enough to matter")
        // Bounded by the limit plus what is written between two size checks (0.2 s); unbounded, it holds it all.
        #expect(wal < written / 4, "WAL \(wal) bytes after writing \(written)")
    }
}
