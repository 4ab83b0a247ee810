import Foundation
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
}
