/// Handles one request. Runs on the connection's thread; may block (database, group commit).
public typealias HTTPHandler = @Sendable (HTTPRequest) throws -> HTTPResponse

/// Runs on a request's head before its body is read: throwing answers at once (the body is never read, and the
/// connection closes if one was announced), so a caller without credentials cannot make the server read, spool or
/// wait for a body. It may attach what it learnt (`HTTPRequest.attachment`) for the handler.
public typealias HeadCheck = @Sendable (inout HTTPRequest) throws -> Void

/// Per-route request options.
public struct RouteOptions: Sendable {
    /// Largest accepted body; nil uses the server's default.
    public var maxBodyBytes: Int?
    /// Spool the body to a temporary file instead of memory (large uploads).
    public var spoolBodyToDisk: Bool
    /// Run the handler on the event loop thread, with no hand-off to a worker. Only for handlers that never block
    /// and answer with bytes (health, metrics); everything else runs on a worker.
    public var runsOnEventLoop: Bool
    /// Checked before the body is read (authentication, rate limits).
    public var headCheck: HeadCheck?

    public init(maxBodyBytes: Int? = nil, spoolBodyToDisk: Bool = false, runsOnEventLoop: Bool = false, headCheck: HeadCheck? = nil) {
        self.maxBodyBytes = maxBodyBytes
        self.spoolBodyToDisk = spoolBodyToDisk
        self.runsOnEventLoop = runsOnEventLoop
        self.headCheck = headCheck
    }

    /// For cheap handlers that never block.
    public static let eventLoop = RouteOptions(runsOnEventLoop: true)
}

/// Maps method and path to a handler. Patterns use `{name}` segments for path parameters.
public struct Router: Sendable {
    /// A class, so resolving a request hands out a reference instead of copying the closure and strings.
    final class Route: Sendable {
        let method: String
        let pattern: String
        let segments: [Segment]
        let options: RouteOptions
        let handler: HTTPHandler
        /// True when the pattern has no parameters (looked up by exact path).
        let isLiteral: Bool

        init(method: String, pattern: String, segments: [Segment], options: RouteOptions, handler: @escaping HTTPHandler) {
            self.method = method
            self.pattern = pattern
            self.segments = segments
            self.options = options
            self.handler = handler
            isLiteral = !segments.contains { if case .parameter = $0 { return true } else { return false } }
        }
    }

    enum Segment: Sendable, Equatable {
        case literal(String)
        case parameter(String)
    }

    enum Resolution {
        case matched(Route, parameters: [String: String])
        case methodNotAllowed(allowed: [String])
        case notFound
    }

    private var routes: [Route] = []

    public init() {}

    /// Every registered method and pattern, e.g. for checking them against an API description.
    public var endpoints: [(method: String, pattern: String)] { routes.map { ($0.method, $0.pattern) } }

    public mutating func add(_ method: String, _ pattern: String, options: RouteOptions = RouteOptions(), handler: @escaping HTTPHandler) {
        let segments = Self.split(pattern).map { part -> Segment in
            part.hasPrefix("{") && part.hasSuffix("}") ? .parameter(String(part.dropFirst().dropLast())) : .literal(String(part))
        }
        routes.append(Route(method: method, pattern: pattern, segments: segments, options: options, handler: handler))
    }

    public mutating func get(_ pattern: String, options: RouteOptions = RouteOptions(), handler: @escaping HTTPHandler) {
        add("GET", pattern, options: options, handler: handler)
    }

    public mutating func post(_ pattern: String, options: RouteOptions = RouteOptions(), handler: @escaping HTTPHandler) {
        add("POST", pattern, options: options, handler: handler)
    }

    public mutating func put(_ pattern: String, options: RouteOptions = RouteOptions(), handler: @escaping HTTPHandler) {
        add("PUT", pattern, options: options, handler: handler)
    }

    public mutating func delete(_ pattern: String, options: RouteOptions = RouteOptions(), handler: @escaping HTTPHandler) {
        add("DELETE", pattern, options: options, handler: handler)
    }

    /// Literal segments win over parameters, so `/decisions/export` is not taken for `/decisions/{id}`.
    func resolve(method: String, path: String) -> Resolution {
        // Fast path: a literal route with exactly this path and method (health checks, metrics, /screen).
        if let route = routes.first(where: { $0.isLiteral && $0.method == method && $0.pattern == path }) {
            return .matched(route, parameters: [:])
        }
        let parts = Self.split(path)
        var allowed: [String] = []
        var best: (route: Route, parameters: [String: String], literals: Int)?
        for route in routes {
            guard let (parameters, literals) = Self.match(route.segments, parts) else { continue }
            let methodMatches = route.method == method || (method == "HEAD" && route.method == "GET")
            if !allowed.contains(route.method) { allowed.append(route.method) }
            guard methodMatches else { continue }
            if let current = best {
                let better = literals > current.literals
                    || (literals == current.literals && route.method == method && current.route.method != method)
                guard better else { continue }
            }
            best = (route, parameters, literals)
        }
        if let best { return .matched(best.route, parameters: best.parameters) }
        if !allowed.isEmpty {
            if allowed.contains("GET") && !allowed.contains("HEAD") { allowed.append("HEAD") }
            return .methodNotAllowed(allowed: allowed)
        }
        return .notFound
    }

    private static func match(_ segments: [Segment], _ parts: [Substring]) -> ([String: String], Int)? {
        guard segments.count == parts.count else { return nil }
        var parameters: [String: String] = [:]
        var literals = 0
        for (segment, part) in zip(segments, parts) {
            switch segment {
            case .literal(let text):
                guard text == part else { return nil }
                literals += 1
            case .parameter(let name):
                guard !part.isEmpty else { return nil }
                parameters[name] = String(part)
            }
        }
        return (parameters, literals)
    }

    private static func split(_ path: String) -> [Substring] {
        path.split(separator: "/", omittingEmptySubsequences: true)
    }
}
