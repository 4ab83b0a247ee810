import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Threads for requests that may block (database, group commit, large uploads). Threads start on demand up to a
/// limit and end after a minute without work, so a burst does not leave hundreds behind.
final class WorkerPool: @unchecked Sendable {
    private let condition = NSCondition()
    /// Waiting jobs with when each was submitted, oldest first.
    private var jobs: [(submitted: Double, run: () -> Void)] = []
    private let probe: WorkerQueueProbe
    private var idle = 0
    private var threads = 0
    private let maxThreads: Int
    private let stackSize: Int
    private let niceness: Int32

    init(maxThreads: Int, stackSize: Int, niceness: Int32, probe: WorkerQueueProbe) {
        self.probe = probe
        self.maxThreads = maxThreads
        self.stackSize = stackSize
        self.niceness = niceness
    }

    func submit(_ job: @escaping () -> Void) {
        condition.lock()
        jobs.append((MonotonicClock.now(), job))
        if jobs.count == 1 { probe.publish(oldest: jobs[0].submitted) }
        // More jobs waiting than threads waiting for them: start one. Comparing with `idle == 0` instead was wrong
        // when two jobs came before a signalled thread woke (it still counted as idle), so the second job waited
        // for the first to finish, up to a whole body timeout when the first was a slow upload.
        if jobs.count > idle && threads < maxThreads {
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
            probe.publish(oldest: jobs.first?.submitted)
            condition.unlock()
            job.run()
            condition.lock()
        }
    }
}

/// How long the oldest job waiting for a worker has waited, readable from any thread without the pool's lock: the
/// liveness check on the event loop reads it on every call, and in the common case (no job waiting) that is one
/// atomic load.
public final class WorkerQueueProbe: Sendable {
    /// The oldest waiting job's submission time (`MonotonicClock`) as bits; 0 when none waits.
    private let oldest = Atomic<UInt64>(0)

    public init() {}

    func publish(oldest time: Double?) {
        oldest.store(time?.bitPattern ?? 0, ordering: .relaxed)
    }

    /// Seconds the oldest waiting job has waited; 0 when none waits.
    public var delay: Double {
        let bits = oldest.load(ordering: .relaxed)
        return bits == 0 ? 0 : MonotonicClock.now() - Double(bitPattern: bits)
    }
}
