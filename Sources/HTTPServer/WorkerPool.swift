import Foundation

/// Threads for requests that may block (database, group commit, large uploads). Threads start on demand up to a
/// limit and end after a minute without work, so a burst does not leave hundreds behind.
final class WorkerPool: @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [() -> Void] = []
    private var idle = 0
    private var threads = 0
    private let maxThreads: Int
    private let stackSize: Int

    init(maxThreads: Int, stackSize: Int) {
        self.maxThreads = maxThreads
        self.stackSize = stackSize
    }

    func submit(_ job: @escaping () -> Void) {
        condition.lock()
        jobs.append(job)
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

    private func work() {
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
            condition.unlock()
            job()
            condition.lock()
        }
    }
}
