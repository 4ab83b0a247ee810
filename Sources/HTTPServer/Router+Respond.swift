import Foundation
import Logging
import Synchronization

extension Router {
    /// Serves one request in process, as a connection does once the request is read: the route, its head check,
    /// its handler, a problem document for what they throw, and a deferred response waited for. No socket, and so
    /// none of the connection's limits and timeouts: for tests of routing, validation and roles, which need no
    /// socket (as Hummingbird's test framework drives its router); what needs sockets is tested on a live server.
    public func respond(to request: HTTPRequest, logger: Logger = Logger(label: "in-process")) -> HTTPResponse {
        var request = request
        let response: HTTPResponse
        switch resolve(method: request.method, path: request.path) {
        case .notFound:
            return ProblemDetails.response(.notFound, detail: "no route for \(request.path)")
        case .methodNotAllowed(let allowed):
            return ProblemDetails.methodNotAllowed(request.method, path: request.path, allowed: allowed)
        case .matched(let route, let parameters):
            request.pathParameters = parameters
            request.routePattern = route.pattern
            do {
                try route.options.headCheck?(&request)
                response = try route.handler(request)
            } catch {
                return ProblemDetails.response(forThrown: error, requestID: request.requestID, logger: logger)
            }
        }
        guard case .deferred(let promise) = response.body else { return response }
        let fulfilled = Mutex<HTTPResponse?>(nil)
        let done = DispatchSemaphore(value: 0)
        promise.whenFulfilled { response in
            fulfilled.withLock { $0 = response }
            done.signal()
        }
        done.wait()
        return fulfilled.withLock { $0 } ?? ProblemDetails.response(.internalServerError)
    }
}
