import CPosix
import Foundation
import Synchronization

/// One long-lived thread that builds every matching index, one build at a time. An index of all lists is a few
/// hundred megabytes and is rebuilt on every list change; glibc gives each thread its own malloc arena, so builds
/// on whichever worker took the request left a freed index behind in arena after arena (a 30-minute soak with an
/// upload every 20 s grew to 1.4 GB). Built here, the memory one build frees is what the next one reuses; and a
/// few seconds after each build, once screenings still holding the old index have finished, the free memory of
/// every arena is handed back to the system (`malloc_trim`), which glibc does not do by itself for memory inside
/// its heaps.
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
        defer {
            DispatchQueue.global().asyncAfter(deadline: .now() + Self.trimDelay) { [self] in enqueue { _ = clr_malloc_trim() } }
        }
        return try Blocking.wait { done in enqueue { done(Result { try body() }) } }
    }

    /// How long after a build the old index's memory is handed back: screenings that took the old index finish well
    /// within it.
    static let trimDelay = 5.0

    private func enqueue(_ job: @escaping @Sendable () -> Void) {
        jobs.withLock { $0.append(job) }
        wake.signal()
    }
}
