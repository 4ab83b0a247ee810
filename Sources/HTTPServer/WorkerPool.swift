import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Threads for requests that may block (database, group commit, large uploads). Threads start on demand up to a
/// limit and end after a minute without work, so a burst does not leave hundreds behind.
///
/// Two queues: submitted jobs, and yielded ones, connections that had their turn and queue again with requests
/// still buffered (a client pipelining without end). A yielded job runs only when no submitted job waits, and at
/// most `yieldedConcurrency` at once, so however many connections pipeline, the rest of the traffic keeps its
/// workers and cores.
final class WorkerPool: @unchecked Sendable {
    private let condition = NSCondition()
    /// Waiting jobs with when each was submitted, oldest first.
    private var jobs: [(submitted: Double, run: () -> Void)] = []
    private var yielded: [() -> Void] = []
    private var runningYielded = 0
    private let yieldedConcurrency: Int
    private let probe: WorkerQueueProbe
    private var idle = 0
    private var threads = 0
    private let maxThreads: Int
    private let stackSize: Int
    private let niceness: Int32

    init(maxThreads: Int, stackSize: Int, niceness: Int32, probe: WorkerQueueProbe,
         yieldedConcurrency: Int = max(1, ProcessInfo.processInfo.activeProcessorCount)) {
        self.probe = probe
        self.maxThreads = maxThreads
        self.stackSize = stackSize
        self.niceness = niceness
        self.yieldedConcurrency = yieldedConcurrency
    }

    /// `yielded`: a connection queueing again after its turn (see above).
    func submit(yielded isYielded: Bool = false, _ job: @escaping () -> Void) {
        condition.lock()
        if isYielded {
            yielded.append(job)
        } else {
            jobs.append((MonotonicClock.now(), job))
            if jobs.count == 1 { probe.publish(oldest: jobs[0].submitted) }
        }
        // More jobs runnable than threads waiting for them: start one. Not only when none is idle: a thread signalled
        // but not yet awake still counts as idle, and a second job arriving meanwhile must not wait for the first.
        if runnable > idle && threads < maxThreads {
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

    /// Jobs a thread could take now (under the lock).
    private var runnable: Int { jobs.count + min(yielded.count, max(0, yieldedConcurrency - runningYielded)) }

    private func work() {
        // On Linux niceness is per thread, and `who` 0 names the calling thread.
        if niceness != 0 { _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, niceness) }
        condition.lock()
        while true {
            while runnable == 0 {
                idle += 1
                let woke = condition.wait(until: Date().addingTimeInterval(60))
                idle -= 1
                if !woke && runnable == 0 {
                    threads -= 1
                    condition.unlock()
                    return
                }
            }
            if !jobs.isEmpty {
                let job = jobs.removeFirst()
                probe.publish(oldest: jobs.first?.submitted)
                condition.unlock()
                job.run()
                condition.lock()
            } else {
                let job = yielded.removeFirst()
                runningYielded += 1
                condition.unlock()
                job()
                condition.lock()
                runningYielded -= 1
                // A yielded job waiting for this slot may run now.
                if !yielded.isEmpty { condition.signal() }
            }
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
