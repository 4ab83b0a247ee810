import HTTPServer

/// Routes that need an API key. Each declares the roles that may call it; the key, the role and the caller's rate
/// limit are checked from the request head, before any body is read (a caller without a key cannot make the server
/// read, spool or wait for a body), and the handler receives the authenticated principal. There is no way to add
/// a keyed route without naming its roles, so no handler can forget the check.
typealias AuthenticatedHandler = @Sendable (HTTPRequest, Principal) throws -> HTTPResponse

extension Router {
    mutating func add(_ method: String, _ pattern: String, roles: [Role], auth: Authenticator, options: RouteOptions = RouteOptions(),
                      handler: @escaping AuthenticatedHandler) {
        var options = options
        options.access = roles.map(\.rawValue)
        options.headCheck = { request in
            let principal = try auth.requireAny(roles, request)
            request.attachment = AuthenticatedCaller(principal: principal, lease: try auth.concurrency.lease(principal.keyID))
        }
        add(method, pattern, options: options) { request in
            guard let caller = request.attachment as? AuthenticatedCaller else {
                throw HTTPError(.internalServerError, detail: "the request reached its handler unauthenticated")
            }
            return try handler(request, caller.principal)
        }
    }
}
