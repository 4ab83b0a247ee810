import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Threads for requests that may block (database, group commit, large uploads). Threads start on demand up to a
/// limit and end after a minute without work, so a burst does not leave hundreds behind.
final class WorkerPool: @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [() -> Void] = []
    /// When each waiting job was submitted, oldest first (parallel to `jobs`).
    private var submitted: [Double] = []
    private var idle = 0
    private var threads = 0
    private let maxThreads: Int
    private let stackSize: Int
    private let niceness: Int32

    init(maxThreads: Int, stackSize: Int, niceness: Int32) {
        self.maxThreads = maxThreads
        self.stackSize = stackSize
        self.niceness = niceness
    }

    func submit(_ job: @escaping () -> Void) {
        condition.lock()
        jobs.append(job)
        submitted.append(MonotonicClock.now())
        if idle == 0 && threads < maxThreads {
            threads += 1
            let thread = Thread { [self] in work() }
            thread.stackSize = stackSize
            thread.name = "http-worker"
            thread.start()
        } else {
            condition.signal()
        }
        condition.unlock()
    }

    /// Seconds the oldest waiting job has waited; 0 when none waits.
    func oldestWait() -> Double {
        condition.lock()
        defer { condition.unlock() }
        return submitted.first.map { MonotonicClock.now() - $0 } ?? 0
    }

    private func work() {
        // On Linux niceness is per thread, and `who` 0 names the calling thread.
        if niceness != 0 { _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, niceness) }
        condition.lock()
        while true {
            while jobs.isEmpty {
                idle += 1
                let woke = condition.wait(until: Date().addingTimeInterval(60))
                idle -= 1
                if !woke && jobs.isEmpty {
                    threads -= 1
                    condition.unlock()
                    return
                }
            }
            let job = jobs.removeFirst()
            submitted.removeFirst()
            condition.unlock()
            job()
            condition.lock()
        }
    }
}
