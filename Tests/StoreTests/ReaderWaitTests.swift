import Foundation
import Synchronization
import Testing
@testable import Store

/// Callers waiting for a database reader are served in the order they came, and a wait ends in `DatabaseBusy` at
/// its deadline.
@Suite struct ReaderWaitTests {
    /// A pool with one reader, held by another thread until the returned semaphore is signalled.
    func heldPool(_ db: TempDatabase, wait: Double) throws -> (DatabasePool, release: DispatchSemaphore) {
        let pool = try DatabasePool(path: db.path, readerCount: 1, readerWait: wait)
        let holding = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0)
        Thread { _ = try? pool.read { _ in holding.signal(); release.wait() } }.start()
        holding.wait()
        return (pool, release)
    }

    @Test func waitersAreServedFirstComeFirstServed() throws {
        let db = try TempDatabase()
        defer { try? FileManager.default.removeItem(at: db.directory) }
        let (pool, release) = try heldPool(db, wait: 10)
        let order = Mutex<[Int]>([])
        let done = DispatchGroup()
        for caller in 0..<8 {
            done.enter()
            Thread {
                _ = try? pool.read { _ in order.withLock { $0.append(caller) } }
                done.leave()
            }.start()
            Thread.sleep(forTimeInterval: 0.05)  // each is queued before the next asks
        }
        release.signal()
        done.wait()
        #expect(order.withLock { $0 } == Array(0..<8))
    }

    @Test func aWaitPastItsDeadlineIsBusyAndLeavesTheQueue() throws {
        let db = try TempDatabase()
        defer { try? FileManager.default.removeItem(at: db.directory) }
        let (pool, release) = try heldPool(db, wait: 0.2)
        #expect(throws: DatabaseBusy.self) { try pool.read { _ in } }
        release.signal()
        // The caller that gave up is not handed the reader: the next one gets it at once.
        let started = Date()
        #expect(try pool.read { try $0.first("SELECT 1") { $0.int(0) } } == 1)
        #expect(Date().timeIntervalSince(started) < 0.15)
    }
}
