import Foundation
import Synchronization
import Testing
@testable import HTTPServer

@Suite struct WorkerPoolTests {
    /// Two jobs submitted while one worker idles both run at once: the second never waits for the first, even though
    /// the idle worker had not yet woken for the first when the second came.
    @Test func aJobNeverWaitsBehindABlockedOneWhileThreadsAreFree() {
        let pool = WorkerPool(maxThreads: 8, stackSize: 512 * 1024, niceness: 0, probe: WorkerQueueProbe())
        let warm = DispatchSemaphore(value: 0)
        pool.submit { warm.signal() }
        warm.wait()
        Thread.sleep(forTimeInterval: 0.05)  // the one thread is idle now
        let release = DispatchSemaphore(value: 0), secondRan = DispatchSemaphore(value: 0)
        pool.submit { release.wait() }
        pool.submit { secondRan.signal() }
        #expect(secondRan.wait(timeout: .now() + 2) == .success, "the second job ran while the first was blocked")
        release.signal()
    }

    /// Connections that had their turn queue again as yielded jobs: at most `yieldedConcurrency` of them run at once,
    /// and a submitted job never waits behind them, however many there are.
    @Test func yieldedJobsRunAFewAtATimeAndNeverAheadOfSubmittedOnes() {
        let pool = WorkerPool(maxThreads: 64, stackSize: 512 * 1024, niceness: 0, probe: WorkerQueueProbe(), yieldedConcurrency: 2)
        let release = DispatchSemaphore(value: 0)
        let running = Mutex(0), most = Mutex(0)
        for _ in 0..<20 {
            pool.submit(yielded: true) {
                let now = running.withLock { count in
                    count += 1
                    return count
                }
                most.withLock { $0 = max($0, now) }
                release.wait()
                running.withLock { $0 -= 1 }
            }
        }
        Thread.sleep(forTimeInterval: 0.2)
        #expect(running.withLock { $0 } == 2, "two yielded jobs run, eighteen wait")
        let submittedRan = DispatchSemaphore(value: 0)
        pool.submit { submittedRan.signal() }
        #expect(submittedRan.wait(timeout: .now() + 2) == .success, "a submitted job runs while the yielded slots are taken")
        for _ in 0..<20 { release.signal() }
        Thread.sleep(forTimeInterval: 0.3)
        #expect(most.withLock { $0 } == 2)
        #expect(running.withLock { $0 } == 0, "every yielded job ran in the end")
    }
}
