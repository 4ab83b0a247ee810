import HTTPServer

/// Routes that need an API key, registered as a group: one authenticator and the roles that may call them, declared
/// once for the group (a route that differs names its own). The key, the role and the caller's rate limit are
/// checked from the request head, before any body is read (a caller without a key cannot make the server read,
/// spool or wait for a body), and each handler receives the authenticated principal, typed. There is no way to add
/// a keyed route without roles, so no handler can forget the check.
struct KeyedRoutes {
    typealias Handler = @Sendable (HTTPRequest, Principal) throws -> HTTPResponse

    fileprivate var router: Router
    private let auth: Authenticator
    private let roles: [Role]

    fileprivate init(router: Router, auth: Authenticator, roles: [Role]) {
        self.router = router
        self.auth = auth
        self.roles = roles
    }

    /// A keyed route the group's roles may call, or `roles` instead of them.
    mutating func add(_ method: String, _ pattern: String, roles: [Role]? = nil, options: RouteOptions = RouteOptions(),
                      handler: @escaping Handler) {
        let roles = roles ?? self.roles
        var options = options
        options.access = roles.map(\.rawValue)
        router.add(method, pattern, options: options, context: { [auth] request in
            let principal = try auth.requireAny(roles, request)
            return AuthenticatedCaller(principal: principal, lease: try auth.concurrency.lease(principal.keyID))
        }, handler: { request, caller in try handler(request, caller.principal) })
    }
}

extension Router {
    /// Registers the keyed routes `build` adds, checked by `auth` and open to `roles` unless a route says otherwise.
    mutating func keyed(auth: Authenticator, roles: [Role], _ build: (inout KeyedRoutes) -> Void) {
        var routes = KeyedRoutes(router: self, auth: auth, roles: roles)
        build(&routes)
        self = routes.router
    }
}
