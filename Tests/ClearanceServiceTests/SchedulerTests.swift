import Foundation
import Logging
import Synchronization
import Testing
@testable import ClearanceService

/// Background jobs: run on their schedule, stop at once on shutdown, and report failures in metrics and /readyz.
@Suite struct SchedulerTests {
    struct Boom: Error, CustomStringConvertible { var description: String { "boom" } }

    @Test func periodicJobsRunAndStopAtOnce() {
        let metrics = Metrics(), readiness = Readiness()
        let scheduler = Scheduler(logger: Logger(label: "test"), metrics: metrics, readiness: readiness)
        let runs = Atomic<Int>(0)
        scheduler.add("tick", .every(0.02, immediately: true)) { runs.add(1, ordering: .relaxed) }
        scheduler.add("hourly", .every(3600, immediately: false)) { Issue.record("an hourly job ran at once") }
        scheduler.add("failing", .once) { throw Boom() }
        scheduler.start()
        Thread.sleep(forTimeInterval: 0.3)
        let started = Date()
        scheduler.stop()
        #expect(Date().timeIntervalSince(started) < 0.5, "stop ends an hour's wait at once")
        let counted = runs.load(ordering: .relaxed)
        #expect(counted >= 3)
        Thread.sleep(forTimeInterval: 0.1)
        #expect(runs.load(ordering: .relaxed) == counted, "nothing runs after stop")
        let exposition = metrics.render()
        #expect(exposition.contains(#"clearance_job_runs_total{job="failing",result="failed"} 1"#))
        #expect(exposition.contains(#"clearance_job_runs_total{job="tick",result="ok"}"#))
        let checks = readiness.snapshot.checks
        #expect(checks["job:failing"]?.contains("failed: boom") == true)
        #expect(checks["job:hourly"] == "scheduled")
        #expect(readiness.snapshot.checks["job:tick"]?.hasSuffix("ok") == true)
    }
}
