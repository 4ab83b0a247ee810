import Dispatch
import Synchronization

/// Waits on the calling thread for a result delivered to a completion handler, for callers that can block
/// (the batch endpoint, admin actions) of services whose hot path completes asynchronously.
enum Blocking {
    static func wait<T: Sendable>(_ start: (@escaping @Sendable (Result<T, any Error>) -> Void) -> Void) throws -> T {
        let box = ResultBox<T>()
        start { result in box.set(result) }
        return try box.wait()
    }

    private final class ResultBox<T: Sendable>: Sendable {
        private let result = Mutex<Result<T, any Error>?>(nil)
        private let done = DispatchSemaphore(value: 0)

        func set(_ value: Result<T, any Error>) {
            result.withLock { $0 = value }
            done.signal()
        }

        func wait() throws -> T {
            done.wait()
            guard let value = result.withLock({ $0 }) else { throw ServiceError.unavailable("no result was delivered") }
            return try value.get()
        }
    }
}
