import Foundation
import Store
import Synchronization

/// Background work that one process at a time does when replicas share a database (list sync, re-screens): a
/// lease in the database, taken before the work and renewed while it goes on. A process that dies stops renewing,
/// and another takes the work over once the lease runs out.
final class WorkLease: Sendable {
    /// This process, as lease holders are told apart: host, pid and a random suffix (a restarted pid is another holder).
    static let holder = "\(ProcessInfo.processInfo.hostName)-\(getpid())-\(UUID().uuidString.prefix(8))"

    let name: String
    private let store: any LeaseStore
    private let duration: Double
    /// When this process last took or renewed the lease (Unix seconds), 0 when it does not hold it.
    private let renewedAt = Mutex<Double>(0)

    init(_ name: String, store: any LeaseStore, duration: Double) {
        self.name = name
        self.store = store
        self.duration = duration
    }

    /// Takes or renews the lease; false while another process holds it. A lease this process took less than a third
    /// of its duration ago is not written again, so calling this between every batch of work costs nothing.
    func hold() throws -> Bool {
        let now = Date().timeIntervalSince1970
        if now - renewedAt.withLock({ $0 }) < duration / 3 { return true }
        let held = try store.acquire(name, holder: Self.holder, for: duration)
        renewedAt.withLock { $0 = held ? now : 0 }
        return held
    }

    /// Whether the work may go on: the lease is still held (a database that cannot be reached counts as lost).
    func stillHeld() -> Bool { (try? hold()) ?? false }
}
