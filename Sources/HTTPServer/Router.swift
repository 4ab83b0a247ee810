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
    /// Who may call the route, as the head check enforces it: for listing the routes with their access (a test
    /// derives its role matrix from them). Nil for routes open to anyone.
    public var access: [String]?

    public init(maxBodyBytes: Int? = nil, spoolBodyToDisk: Bool = false, runsOnEventLoop: Bool = false, headCheck: HeadCheck? = nil) {
        self.maxBodyBytes = maxBodyBytes
        self.spoolBodyToDisk = spoolBodyToDisk
        self.runsOnEventLoop = runsOnEventLoop
        self.headCheck = headCheck
    }

    /// For cheap handlers that never block.
    public static let eventLoop = RouteOptions(runsOnEventLoop: true)
}

/// Maps method and path to a handler. Patterns use `{name}` segments for path parameters, and may end with a
/// `{name...}` segment that takes the rest of the path (one segment or more, joined by `/`; never `.` or `..`), e.g.
/// `/console/{asset...}` for static files.
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
            isLiteral = segments.allSatisfy { if case .literal = $0 { true } else { false } }
        }
    }

    enum Segment: Sendable, Equatable {
        case literal(String)
        case parameter(String)
        /// The rest of the path; only as the last segment.
        case remainder(String)
    }

    enum Resolution {
        case matched(Route, parameters: [String: String])
        case methodNotAllowed(allowed: [String])
        case notFound
    }

    private var routes: [Route] = []

    public init() {}

    /// Every registered method and pattern with who may call it, e.g. for checking them against an API description.
    public var endpoints: [(method: String, pattern: String, access: [String]?)] { routes.map { ($0.method, $0.pattern, $0.options.access) } }

    public mutating func add(_ method: String, _ pattern: String, options: RouteOptions = RouteOptions(), handler: @escaping HTTPHandler) {
        let segments = Self.split(pattern).map { part -> Segment in
            guard part.hasPrefix("{") && part.hasSuffix("}") else { return .literal(String(part)) }
            let name = part.dropFirst().dropLast()
            return name.hasSuffix("...") ? .remainder(String(name.dropLast(3))) : .parameter(String(name))
        }
        precondition(!segments.dropLast().contains { if case .remainder = $0 { true } else { false } },
                     "a {name...} segment must be the last of \(pattern)")
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

    /// Literal segments win over parameters, so `/decisions/export` is not taken for `/decisions/{id}`; with as many
    /// literals, a route without a `{name...}` segment wins over one with it. A path belongs to its most specific
    /// patterns whatever the method: `/counterparties/import` (POST) shadows `/counterparties/{id}` (GET, DELETE),
    /// so a GET there is a 405 with `Allow: POST`, not a lookup of a counterparty named "import".
    func resolve(method: String, path: String) -> Resolution {
        // Fast path: a literal route with exactly this path and method (health checks, metrics, /screen).
        if let route = routes.first(where: { $0.isLiteral && $0.method == method && $0.pattern == path }) {
            return .matched(route, parameters: [:])
        }
        let parts = Self.split(path)
        var matching: [(route: Route, parameters: [String: String], score: Int)] = []
        for route in routes {
            guard let (parameters, score) = Self.match(route.segments, parts) else { continue }
            matching.append((route, parameters, score))
        }
        guard let top = matching.map(\.score).max() else { return .notFound }
        let candidates = matching.filter { $0.score == top }
        if let exact = candidates.first(where: { $0.route.method == method }) ?? candidates.first(where: { method == "HEAD" && $0.route.method == "GET" }) {
            return .matched(exact.route, parameters: exact.parameters)
        }
        var allowed: [String] = []
        for candidate in candidates where !allowed.contains(candidate.route.method) { allowed.append(candidate.route.method) }
        if allowed.contains("GET") && !allowed.contains("HEAD") { allowed.append("HEAD") }
        return .methodNotAllowed(allowed: allowed)
    }

    /// The parameters and how specific the match is: two points a literal segment, one for having no remainder.
    private static func match(_ segments: [Segment], _ parts: [Substring]) -> ([String: String], Int)? {
        let hasRemainder = if case .remainder = segments.last { true } else { false }
        guard hasRemainder ? parts.count >= segments.count : parts.count == segments.count else { return nil }
        var parameters: [String: String] = [:]
        var score = hasRemainder ? 0 : 1
        for (index, segment) in segments.enumerated() {
            let part = parts[index]
            switch segment {
            case .literal(let text):
                guard text == part else { return nil }
                score += 2
            case .parameter(let name):
                guard !part.isEmpty else { return nil }
                parameters[name] = String(part)
            case .remainder(let name):
                let rest = parts[index...]
                guard !rest.contains(where: { $0 == "." || $0 == ".." }) else { return nil }
                parameters[name] = rest.joined(separator: "/")
            }
        }
        return (parameters, score)
    }

    /// Split by scalar, not by character: a combining mark or an emoji modifier right after a slash joins it into
    /// one character, which a split by character would not cut (`/lists/🏻/versions` would match no route).
    private static func split(_ path: String) -> [Substring] {
        path.unicodeScalars.split(separator: "/", omittingEmptySubsequences: true).map { Substring($0) }
    }
}
