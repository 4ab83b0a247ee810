import HTTPServer

/// Routes that need an API key. Each declares the roles that may call it; the key, the role and the caller's rate
/// limit are checked from the request head, before any body is read (a caller without a key cannot make the server
/// read, spool or wait for a body), and the handler receives the authenticated principal. There is no way to add
/// a keyed route without naming its roles, so no handler can forget the check.
typealias AuthenticatedHandler = @Sendable (HTTPRequest, Principal) throws -> HTTPResponse

extension Router {
    mutating func get(_ pattern: String, roles: [Role], auth: Authenticator, options: RouteOptions = RouteOptions(),
                      handler: @escaping AuthenticatedHandler) {
        add("GET", pattern, roles: roles, auth: auth, options: options, handler: handler)
    }

    mutating func post(_ pattern: String, roles: [Role], auth: Authenticator, options: RouteOptions = RouteOptions(),
                       handler: @escaping AuthenticatedHandler) {
        add("POST", pattern, roles: roles, auth: auth, options: options, handler: handler)
    }

    mutating func put(_ pattern: String, roles: [Role], auth: Authenticator, options: RouteOptions = RouteOptions(),
                      handler: @escaping AuthenticatedHandler) {
        add("PUT", pattern, roles: roles, auth: auth, options: options, handler: handler)
    }

    mutating func delete(_ pattern: String, roles: [Role], auth: Authenticator, options: RouteOptions = RouteOptions(),
                         handler: @escaping AuthenticatedHandler) {
        add("DELETE", pattern, roles: roles, auth: auth, options: options, handler: handler)
    }

    private mutating func add(_ method: String, _ pattern: String, roles: [Role], auth: Authenticator, options: RouteOptions,
                              handler: @escaping AuthenticatedHandler) {
        var options = options
        options.headCheck = { request in request.attachment = try auth.requireAny(roles, request) }
        add(method, pattern, options: options) { request in
            guard let principal = request.attachment as? Principal else {
                throw HTTPError(.internalServerError, detail: "the request reached its handler unauthenticated")
            }
            return try handler(request, principal)
        }
    }
}
