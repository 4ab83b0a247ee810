import Synchronization

/// A response that another thread completes later. A handler that must wait for something slow but not CPU-bound
/// (the audit trail's group commit) returns `HTTPResponse.deferred(promise)` and fulfils the promise exactly once,
/// from any thread. The worker thread is freed at once; the connection sends the response when it is fulfilled and
/// then carries on (keep-alive, pipelined requests) as usual. A blocked worker cost two context switches per
/// request and one more thread in the pool; see docs/audit-trail.md, "On disk".
public final class ResponsePromise: Sendable {
    private enum State {
        case waiting
        case fulfilled(HTTPResponse)
        case awaited(@Sendable (HTTPResponse) -> Void)
        case done
    }

    private let state = Mutex(State.waiting)

    public init() {}

    /// Completes the response; later calls are ignored.
    public func fulfill(_ response: HTTPResponse) {
        let continuation: (@Sendable (HTTPResponse) -> Void)? = state.withLock { state in
            switch state {
            case .waiting:
                state = .fulfilled(response)
                return nil
            case .awaited(let continuation):
                state = .done
                return continuation
            case .fulfilled, .done:
                return nil
            }
        }
        continuation?(response)
    }

    /// The response if it is already there (the handler fulfilled it before returning), taking it.
    func takeIfFulfilled() -> HTTPResponse? {
        state.withLock { state in
            guard case .fulfilled(let response) = state else { return nil }
            state = .done
            return response
        }
    }

    /// Runs `continuation` once with the response: at once if it is already there, else on the fulfilling thread.
    func whenFulfilled(_ continuation: @escaping @Sendable (HTTPResponse) -> Void) {
        let ready: HTTPResponse? = state.withLock { state in
            switch state {
            case .fulfilled(let response):
                state = .done
                return response
            case .waiting:
                state = .awaited(continuation)
                return nil
            case .awaited, .done:
                return nil
            }
        }
        if let ready { continuation(ready) }
    }
}
