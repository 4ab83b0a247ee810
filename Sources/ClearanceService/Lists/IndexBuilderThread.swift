import Foundation
import Synchronization

/// One long-lived thread that builds every matching index, one build at a time. An index of all lists is a few
/// hundred megabytes and is rebuilt on every list change; glibc gives each thread its own malloc arena, so builds
/// on whichever worker took the request left a freed index behind in arena after arena (a 30-minute soak with an
/// upload every 20 s grew to 1.4 GB). Built here, the memory one build frees is what the next one reuses.
final class IndexBuilderThread: Sendable {
    private let jobs = Mutex<[@Sendable () -> Void]>([])
    private let wake = DispatchSemaphore(value: 0)

    init() {
        let thread = Thread { [self] in
            while true {
                wake.wait()
                while let job = jobs.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) { job() }
            }
        }
        thread.name = "index-builder"
        thread.start()
    }

    /// Runs `body` on the builder thread and returns its result; the caller waits.
    func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) throws -> T {
        try Blocking.wait { done in
            jobs.withLock { $0.append { done(Result { try body() }) } }
            wake.signal()
        }
    }
}
