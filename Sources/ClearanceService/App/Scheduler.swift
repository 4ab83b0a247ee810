import Foundation
import Logging
import Store
import Synchronization

/// The service's background work in one place: named jobs, each on a thread of its own, started together and
/// stopped together on shutdown. A job's waits end the moment `stop` is called (no job polls for shutdown), its
/// failures are logged and counted (`clearance_job_runs_total{job,result}`), and its last run is shown in `/readyz`
/// as the check `job:NAME` (information only: a failing job does not make the service unready).
///
/// A job that is running when `stop` is called finishes its run; `stop` waits for it up to the grace period.
public final class Scheduler: Sendable {
    /// When a job runs.
    public enum Schedule: Sendable {
        /// Once, at start.
        case once
        /// Every `interval` seconds; the first run at start when `immediately`, otherwise after one interval.
        case every(Double, immediately: Bool)
    }

    private struct Job: Sendable {
        let name: String
        let schedule: Schedule
        let run: @Sendable () throws -> Void
    }

    private let jobs = Mutex<[Job]>([])
    private let stopped = Atomic<Bool>(false)
    /// Signalled once per waiting job on stop, so every wait ends at once.
    private let wake = NSCondition()
    private let running = Atomic<Int>(0)
    private let logger: Logger
    private let metrics: Metrics?
    private let readiness: Readiness?

    public init(logger: Logger, metrics: Metrics? = nil, readiness: Readiness? = nil) {
        self.logger = logger
        self.metrics = metrics
        self.readiness = readiness
    }

    /// Registers a job, before `start`.
    public func add(_ name: String, _ schedule: Schedule, _ run: @escaping @Sendable () throws -> Void) {
        jobs.withLock { $0.append(Job(name: name, schedule: schedule, run: run)) }
    }

    public var jobNames: [String] { jobs.withLock { $0.map(\.name) } }

    /// Starts every registered job on its own thread.
    public func start() {
        for job in jobs.withLock({ $0 }) {
            running.add(1, ordering: .relaxed)
            readiness?.set(check: "job:\(job.name)", "scheduled")
            let thread = Thread { [self] in
                defer { running.subtract(1, ordering: .relaxed) }
                loop(job)
            }
            thread.name = job.name
            thread.start()
        }
    }

    /// Ends every wait at once and waits up to `grace` seconds for runs in progress to finish.
    public func stop(grace: Double = 10) {
        stopped.store(true, ordering: .relaxed)
        wake.lock()
        wake.broadcast()
        wake.unlock()
        let deadline = Date().addingTimeInterval(grace)
        while running.load(ordering: .relaxed) > 0 && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
    }

    public var isStopped: Bool { stopped.load(ordering: .relaxed) }

    private func loop(_ job: Job) {
        switch job.schedule {
        case .once:
            runOnce(job)
        case .every(let interval, let immediately):
            if immediately { runOnce(job) }
            while sleep(interval) { runOnce(job) }
        }
    }

    /// Sleeps `seconds`; false when stopped meanwhile (or before).
    private func sleep(_ seconds: Double) -> Bool {
        let until = Date().addingTimeInterval(seconds)
        wake.lock()
        defer { wake.unlock() }
        while !isStopped && Date() < until { _ = wake.wait(until: until) }
        return !isStopped
    }

    private func runOnce(_ job: Job) {
        guard !isStopped else { return }
        let started = Date()
        do {
            try job.run()
            metrics?.increment("clearance_job_runs_total", ["job", job.name, "result", "ok"])
            readiness?.set(check: "job:\(job.name)", "last run \(Timestamp.format(started)) ok")
        } catch {
            metrics?.increment("clearance_job_runs_total", ["job", job.name, "result", "failed"])
            readiness?.set(check: "job:\(job.name)", "last run \(Timestamp.format(started)) failed: \(error)")
            logger.error("background job failed", metadata: ["job": .string(job.name), "error": "\(error)"])
        }
    }
}
