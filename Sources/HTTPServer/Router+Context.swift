extension Router {
    /// A route whose head check produces a typed context (for instance the authenticated caller), which its handler
    /// receives as such. The check runs from the request head, before any body is read, as every head check does.
    public mutating func add<Context: Sendable>(
        _ method: String, _ pattern: String, options: RouteOptions = RouteOptions(),
        context: @escaping @Sendable (inout HTTPRequest) throws -> Context,
        handler: @escaping @Sendable (HTTPRequest, Context) throws -> HTTPResponse
    ) {
        var options = options
        let earlier = options.headCheck
        options.headCheck = { request in
            try earlier?(&request)
            request.attachment = RouteContext(value: try context(&request))
        }
        add(method, pattern, options: options) { request in
            // The head check above always sets it: a request reaches this handler only through it.
            guard let context = request.attachment as? RouteContext<Context> else {
                throw HTTPError(.internalServerError, detail: "the request reached its handler without its context")
            }
            return try handler(request, context.value)
        }
    }
}

/// The context a route's head check produced, carried on the request to its handler.
struct RouteContext<Value: Sendable>: Sendable {
    let value: Value
}
