import Foundation
import Logging

/// One client connection, between its `RequestDecoder` (bytes in) and its `ResponseEncoder` (bytes out): it reads
/// the socket into the decoder, routes each request, runs its head check and handler under the limits and timeouts,
/// and writes each response before reading the next request (keep-alive, pipelining). It is served on its event
/// loop while it needs no blocking and on a worker thread otherwise (see `EventLoop`), one thread at a time.
///
/// Its state is touched only by the one thread that owns the connection at a time (see `EventLoop`), so its stored
/// properties skip the runtime exclusivity check: 14 such checks per request were 5% of the instructions of serving
/// `GET /healthz` (callgrind). Debug builds and tests keep the compiler's static checks.
final class Connection: @unchecked Sendable {
    private let socket: ConnectedSocket
    private let context: ServerContext
    /// What the client sent and the connection has not yet consumed, and the rules for reading it.
    @exclusivity(unchecked) private var decoder: RequestDecoder
    @exclusivity(unchecked) private(set) var lastActivity = MonotonicClock.now()
    /// When the first byte of a still incomplete head arrived (header timeout while parked on the event loop).
    @exclusivity(unchecked) private(set) var firstByteAt: Double?
    @exclusivity(unchecked) var peerClosed = false
    @exclusivity(unchecked) private var served = 0
    /// Response bytes the event loop could not send without blocking; a worker sends them.
    @exclusivity(unchecked) private var pendingOutput: [UInt8] = []
    /// Set while serving on a thread that must not block (an event loop, a promise's fulfiller): writes then send
    /// what the socket takes and leave the rest to a worker.
    @exclusivity(unchecked) private var nonBlocking = false
    /// Writes this connection's responses (with its own Date cache).
    @exclusivity(unchecked) private var encoder: ResponseEncoder

    init(socket: ConnectedSocket, context: ServerContext) {
        self.socket = socket
        self.context = context
        encoder = ResponseEncoder(extraFields: context.configuration.responseHeaders)
        decoder = RequestDecoder(maxHeaderBytes: context.configuration.maxHeaderBytes,
                                 maxRequestLineBytes: context.configuration.maxRequestLineBytes)
    }

    var remoteAddress: String { socket.remoteAddress }

    var fd: Int32 { socket.fd }
    private var configuration: ServerConfiguration { context.configuration }

    func receive(_ bytes: ArraySlice<UInt8>) {
        decoder.receive(bytes)
    }

    /// Where the connection goes after a step. Every path answers with one: the event loop, a worker, and the
    /// thread that fulfils a deferred response.
    enum Next {
        /// Stays open: parked on its event loop until more bytes come (within a worker's loop: read on).
        case park
        /// Needs a worker: a route that runs on one, a body to read, output the event loop could not finish. From a
        /// worker: the connection had its turn (`requestsPerTurn`) with requests still buffered, and queues again
        /// behind other work.
        case handOff
        case close
        /// A handler deferred its response; the connection waits for the promise without a thread.
        case suspended(ResponsePromise)

        var isPark: Bool { if case .park = self { true } else { false } }
    }

    /// The request whose response was deferred, with what sending it needs.
    @exclusivity(unchecked) private var awaiting: (request: HTTPRequest, keepAlive: Bool, started: Double)?

    /// Requests one connection has served in one turn on a thread before it gives the thread up: a client that
    /// pipelines without end (and perhaps never reads its answers) takes its turn like any other connection instead
    /// of holding a worker, or an event loop, for as long as it sends.
    static let requestsPerTurn = 8
    /// The same on an event loop, where requests are the cheap inline ones.
    static let inlineRequestsPerTurn = 64

    /// On the event loop: serves complete requests for inline routes; anything else goes to a worker.
    func processOnLoop() -> Next {
        nonBlocking = true
        defer { nonBlocking = false }
        var servedThisTurn = 0
        while true {
            decoder.dropLeadingBlankLines()
            if decoder.isEmpty {
                firstByteAt = nil
                return .park
            }
            if firstByteAt == nil { firstByteAt = MonotonicClock.now() }
            guard let end = decoder.headEnd() else {
                if (try? decoder.checkIncompleteHead()) == nil { return .handOff }  // the worker answers 431
                return peerClosed ? .close : .park
            }
            // A complete head over the limit also goes to the worker, which answers 431 for every route alike.
            guard end.length <= configuration.maxHeaderBytes else { return .handOff }
            guard let head = try? RequestHeadParser.parse(decoder.buffer[0..<end.length], configuration: configuration),
                  (try? RequestHeadParser.framing(of: head)) == BodyFraming.none, head.headers["Expect"] == nil
            else { return .handOff }
            let resolution = context.router.resolve(method: head.method, path: head.path)
            guard case .matched(let route, _) = resolution, route.options.runsOnEventLoop else { return .handOff }
            // Past its turn, the rest of a pipeline goes to a worker (which yields in turn): the loop serves others.
            if servedThisTurn == Self.inlineRequestsPerTurn { return .handOff }
            servedThisTurn += 1
            let started = firstByteAt ?? MonotonicClock.now()
            decoder.discard(head: end)
            firstByteAt = nil
            switch respond(to: head, started: started, known: (.none, resolution)) {
            case .close: return .close
            case .suspended(let promise): return .suspended(promise)
            case .park, .handOff: if !pendingOutput.isEmpty { return .handOff }
            }
        }
    }

    /// On a worker: finishes any unsent output, then serves the requests already buffered, blocking on the socket
    /// as needed, until the buffer is empty (park), the connection must close, a response is deferred, or its turn
    /// is over with requests still buffered (`handOff`: it queues again).
    func serveOnWorker() -> Next {
        if !pendingOutput.isEmpty {
            guard (try? socket.write(pendingOutput)) != nil else { return .close }
            pendingOutput.removeAll()
        }
        var servedThisTurn = 0
        while true {
            decoder.dropLeadingBlankLines()
            if decoder.isEmpty {
                firstByteAt = nil
                return peerClosed ? .close : .park
            }
            if servedThisTurn == Self.requestsPerTurn { return .handOff }
            servedThisTurn += 1
            switch serveNextRequest() {
            case .park, .handOff: continue
            case .close: return .close
            case .suspended(let promise): return .suspended(promise)
            }
        }
    }

    var isTLS: Bool { socket.isTLS }

    /// On the event loop, for a TLS connection that has not finished its handshake: advances it without blocking.
    /// The first handshake byte starts the head deadline, as the first byte of a request head does.
    func advanceHandshake() -> ConnectedSocket.HandshakeProgress {
        if firstByteAt == nil { firstByteAt = MonotonicClock.now() }
        let progress = socket.advanceHandshake()
        if case .done(dataWaiting: false) = progress { firstByteAt = nil }
        return progress
    }

    var handshakeDone: Bool { socket.handshakeDone }

    /// On a worker, for a TLS connection the event loop saw bytes on: reads what they decrypt to (completing the
    /// handshake first on a new connection) and serves it, then carries on as `serveOnWorker`. The bytes count as a
    /// request's first, so a client that sends part of a head and stalls is held to the header timeout.
    func serveTLSOnWorker() -> Next {
        if decoder.isEmpty {
            if firstByteAt == nil { firstByteAt = MonotonicClock.now() }
            switch serveNextRequest() {
            case .park, .handOff: break
            case .close: return .close
            case .suspended(let promise): return .suspended(promise)
            }
        }
        return serveOnWorker()
    }

    /// On the thread that fulfilled a deferred response: sends it when that cannot block (a byte body, nothing else
    /// buffered), so the common case needs no worker at all: park, or hand off what is left to send. Nil when a
    /// worker must send it (`resume(with:)`).
    func resumeInline(with response: HTTPResponse) -> Next? {
        guard case .bytes = response.body, decoder.isEmpty, pendingOutput.isEmpty, awaiting != nil, !socket.isTLS else { return nil }
        nonBlocking = true
        defer { nonBlocking = false }
        guard sendAwaited(response) else { return .close }
        return pendingOutput.isEmpty ? .park : .handOff
    }

    /// On a worker, once a deferred response is ready: sends it, then carries on as `serveOnWorker`.
    func resume(with response: HTTPResponse) -> Next {
        sendAwaited(response) ? serveOnWorker() : .close
    }

    /// Sends the deferred response to the request that awaited it; whether the connection stays open.
    private func sendAwaited(_ response: HTTPResponse) -> Bool {
        guard let (request, keepAlive, started) = awaiting else { return false }
        awaiting = nil
        return answer(request, with: response, keepAlive: keepAlive, started: started)
    }

    /// Answers a head that did not arrive within the header timeout.
    func answerHeadTimeout() {
        respondToProtocolError(ProtocolError(status: .requestTimeout,
                                             detail: "request head not received within \(configuration.headerReadTimeout) s"),
                               head: nil, started: firstByteAt ?? MonotonicClock.now())
    }

    func closeNow() { socket.closeImmediately() }
    func abort() { socket.abort() }
    func closeLingering() { socket.close() }

    /// Reads (blocking) and answers one request.
    private func serveNextRequest() -> Next {
        let head: RequestHead
        let started: Double
        do {
            guard let (headBytes, startTime) = try readHead() else { return .close }
            started = startTime
            head = try RequestHeadParser.parse(headBytes[...], configuration: configuration)
        } catch let error as ProtocolError {
            respondToProtocolError(error, head: nil, started: MonotonicClock.now())
            return .close
        } catch {
            return .close
        }
        return respond(to: head, started: started)
    }

    /// Reads the body if any, runs the handler and writes the response (or leaves it to a promise).
    /// The event loop passes the framing and route it already worked out, so they are not computed twice.
    private func respond(to head: RequestHead, started: Double, known: (framing: BodyFraming, resolution: Router.Resolution)? = nil) -> Next {
        served += 1
        let lastAllowed = served >= configuration.maxRequestsPerConnection
        let requestID = RequestID.make(from: head.headers["X-Request-Id"])
        var request = HTTPRequest(head: head, requestID: requestID, remoteAddress: socket.remoteAddress)
        var keepAlive = wantsKeepAlive(head) && !lastAllowed

        let framing: BodyFraming
        if let known {
            framing = known.framing
        } else {
            do {
                framing = try RequestHeadParser.framing(of: head)
            } catch {
                respondToProtocolError(error, head: request, started: started)
                return .close
            }
        }

        var response: HTTPResponse
        switch known?.resolution ?? context.router.resolve(method: head.method, path: request.path) {
        case .notFound:
            if framing != .none { keepAlive = false }
            request.routePattern = "unmatched"
            response = ProblemDetails.response(.notFound, detail: "no route for \(request.path)")
        case .methodNotAllowed(let allowed):
            if framing != .none { keepAlive = false }
            request.routePattern = "unmatched"
            response = ProblemDetails.methodNotAllowed(head.method, path: request.path, allowed: allowed)
        case .matched(let route, let parameters):
            request.pathParameters = parameters
            request.routePattern = route.pattern
            if let check = route.options.headCheck {
                do {
                    try check(&request)
                } catch {
                    // Refused from the head alone: an announced body is never read, so the connection cannot be reused.
                    if framing != .none { keepAlive = false }
                    response = ProblemDetails.response(forThrown: error, requestID: request.requestID, logger: context.logger)
                    return answer(request, with: response, keepAlive: keepAlive, started: started) ? .park : .close
                }
            }
            do {
                request.body = try readBody(framing: framing, head: head, options: route.options)
            } catch let error as ProtocolError {
                respondToProtocolError(error, head: request, started: started)
                return .close
            } catch {
                return .close
            }
            response = invoke(route.handler, request)
            if case .file(let url, _) = request.body { try? FileManager.default.removeItem(at: url) }
        }
        if case .deferred(let promise) = response.body {
            if let ready = promise.takeIfFulfilled() {
                response = ready
            } else {
                awaiting = (request, keepAlive, started)
                return .suspended(promise)
            }
        }
        return answer(request, with: response, keepAlive: keepAlive, started: started) ? .park : .close
    }

    /// Sends a handler's response, closing after it when the server drains, the response asks to, or the peer left;
    /// whether the connection stays open.
    private func answer(_ request: HTTPRequest, with response: HTTPResponse, keepAlive: Bool, started: Double) -> Bool {
        let keep = keepAlive && !(context.isDraining() || response.closeConnection || peerClosed)
        return send(response, for: request, keepAlive: keep, started: started) && keep
    }

    private func invoke(_ handler: HTTPHandler, _ request: HTTPRequest) -> HTTPResponse {
        do {
            return try handler(request)
        } catch {
            return ProblemDetails.response(forThrown: error, requestID: request.requestID, logger: context.logger)
        }
    }

    private func wantsKeepAlive(_ head: RequestHead) -> Bool {
        guard let connection = head.headers["Connection"] else { return head.version == .http11 }
        switch head.version {
        case .http11: return !connection.headerListContains("close")
        case .http10: return connection.headerListContains("keep-alive")
        }
    }

    // MARK: Reading the head

    /// The bytes of the next request head and the time its first byte arrived; nil when the peer went away.
    /// Called with the start of a head buffered, so the header timeout applies from its first byte.
    private func readHead() throws -> ([UInt8], Double)? {
        var firstByteAt: Double? = self.firstByteAt ?? (decoder.isEmpty ? nil : MonotonicClock.now())
        while true {
            if let head = try decoder.nextHead() {
                self.firstByteAt = nil
                return (head, firstByteAt ?? MonotonicClock.now())
            }
            let deadline = firstByteAt.map { $0 + configuration.headerReadTimeout } ?? lastActivity + configuration.idleTimeout
            do {
                try read(until: deadline)
            } catch .timedOut where !decoder.isEmpty {
                throw ProtocolError(status: .requestTimeout, detail: "request head not received within \(configuration.headerReadTimeout) s")
            } catch {
                return nil
            }
            if firstByteAt == nil { firstByteAt = MonotonicClock.now() }
        }
    }

    /// Reads what the socket has into the decoder, waiting until `deadline`.
    private func read(until deadline: Double) throws(SocketReadError) {
        try decoder.fill { (buffer: inout [UInt8]) throws(SocketReadError) in try socket.read(into: &buffer, deadline: deadline) }
    }

    // MARK: Reading the body

    private func readBody(framing: BodyFraming, head: RequestHead, options: RouteOptions) throws -> RequestBody {
        let limit = options.maxBodyBytes ?? configuration.maxBodyBytes
        if case .length(let length) = framing, length > limit {
            throw ProtocolError(status: .contentTooLarge, detail: "body of \(length) bytes exceeds the limit of \(limit) bytes")
        }
        if let expect = head.headers["Expect"] {
            guard expect.lowercased() == "100-continue" else {
                throw ProtocolError(status: 417, detail: "unsupported expectation \(expect)")
            }
            if framing != .none && head.version == .http11 && decoder.isEmpty {
                try socket.write(Array("HTTP/1.1 100 Continue\r\n\r\n".utf8))
            }
        }
        let sink: BodySink
        switch framing {
        case .none:
            return .bytes(Data())
        case .length(let length):
            let deadline = BodyDeadline(configuration, declared: length)
            sink = try BodySink(spoolToDisk: options.spoolBodyToDisk, directory: configuration.spoolDirectory)
            try copy(length, into: sink, deadline: deadline)
        case .chunked:
            let deadline = BodyDeadline(configuration, declared: nil)
            sink = try BodySink(spoolToDisk: options.spoolBodyToDisk, directory: configuration.spoolDirectory)
            try readChunks(into: sink, limit: limit, deadline: deadline)
        }
        return try sink.finish()
    }

    /// Reads until `count` bytes are buffered, within the body's deadline.
    private func fill(_ count: Int, deadline: BodyDeadline) throws {
        while decoder.count < count {
            do {
                try read(until: deadline.at)
            } catch .timedOut {
                throw ProtocolError(status: .requestTimeout, detail: "request body not received in time (\(Int(deadline.allowance.rounded(.up))) s for its size)")
            }
        }
    }

    /// Moves `count` body bytes from the socket to the sink in bounded pieces, so a large upload never sits in memory.
    private func copy(_ count: Int, into sink: BodySink, deadline: BodyDeadline) throws {
        var remaining = count
        while remaining > 0 {
            if decoder.isEmpty { try fill(1, deadline: deadline) }
            let taken = try decoder.takeBody(upTo: remaining) { try sink.append($0) }
            remaining -= taken
            deadline.received(taken)
        }
    }

    private func readChunks(into sink: BodySink, limit: Int, deadline: BodyDeadline) throws {
        var total = 0
        while true {
            let size = try RequestDecoder.chunkSize(try readLine(deadline: deadline, maxBytes: 1024))
            if size == 0 {
                // Trailer fields are read and ignored, up to the blank line.
                var trailerBytes = 0
                while true {
                    let trailer = try readLine(deadline: deadline, maxBytes: configuration.maxHeaderBytes)
                    if trailer.isEmpty { return }
                    trailerBytes += trailer.count
                    if trailerBytes > configuration.maxHeaderBytes {
                        throw ProtocolError(status: .headerFieldsTooLarge, detail: "trailer section too large")
                    }
                }
            }
            total += size
            if total > limit {
                throw ProtocolError(status: .contentTooLarge, detail: "chunked body exceeds the limit of \(limit) bytes")
            }
            try copy(size, into: sink, deadline: deadline)
            while try decoder.takeChunkEnd() == nil { try fill(2, deadline: deadline) }
        }
    }

    private func readLine(deadline: BodyDeadline, maxBytes: Int) throws -> [UInt8] {
        while true {
            if let line = try decoder.nextChunkLine(maxBytes: maxBytes) { return line }
            try fill(decoder.count + 1, deadline: deadline)
        }
    }

    // MARK: Writing

    private func respondToProtocolError(_ error: ProtocolError, head: HTTPRequest?, started: Double) {
        var request = head ?? HTTPRequest(method: "-", target: "/", requestID: RequestID.make(from: nil), remoteAddress: socket.remoteAddress)
        request.routePattern = request.routePattern.isEmpty ? "unmatched" : request.routePattern
        let response = ProblemDetails.response(.init(error.status.code), detail: error.detail)
        _ = send(response, for: request, keepAlive: false, started: started)
    }

    @discardableResult
    private func send(_ response: HTTPResponse, for request: HTTPRequest, keepAlive: Bool, started: Double) -> Bool {
        var out = ByteBuffer(capacity: 512)
        let isHead = request.method == "HEAD"
        var ok = true
        switch response.body {
        case .bytes(let data):
            encoder.write(response, body: data, requestID: request.requestID, keepAlive: keepAlive, version: request.version, isHead: isHead,
                          into: &out)
            // Recorded before the write, so a client that reads the response and asks /metrics sees this request.
            record(request, status: response.status.code, responseBytes: data.count, started: started)
            ok = write(out)
        case .deferred:
            // A promise fulfilled with another promise: a handler bug, answered rather than left hanging.
            return send(ProblemDetails.response(.internalServerError, detail: "the server could not complete the request"),
                        for: request, keepAlive: false, started: started)
        case .stream(let produce):
            let chunked = request.version == .http11
            encoder.writeHead(response, requestID: request.requestID, framing: chunked ? .chunked : .untilClose,
                              keepAlive: keepAlive && chunked, version: request.version, into: &out)
            ok = out.withUnsafeBytes { (try? socket.write(UnsafeRawBufferPointer($0))) != nil }
            var responseBytes = 0
            if ok && !isHead {
                let writer = ChunkedBodyWriter(socket: socket, chunked: chunked)
                do {
                    try produce(writer)
                    try writer.finish()
                } catch {
                    context.logger.warning("streamed response aborted", metadata: ["request_id": "\(request.requestID)", "error": "\(error)"])
                    ok = false
                }
                responseBytes = writer.bytesWritten
            }
            if !chunked { ok = false }
            record(request, status: response.status.code, responseBytes: responseBytes, started: started)
        }
        lastActivity = MonotonicClock.now()
        return ok
    }

    private func record(_ request: HTTPRequest, status: Int, responseBytes: Int, started: Double) {
        context.requestCompleted(RequestRecord(
            method: request.method, path: request.path, route: request.routePattern, status: status,
            durationSeconds: MonotonicClock.now() - started, requestBytes: request.body.count, responseBytes: responseBytes,
            requestID: request.requestID, remoteAddress: request.remoteAddress))
    }

    /// Where blocking is not allowed (`nonBlocking`), sends what the socket takes now and leaves the rest to a worker.
    private func write(_ out: borrowing ByteBuffer) -> Bool {
        out.withUnsafeBytes { bytes in
            guard nonBlocking else { return (try? socket.write(UnsafeRawBufferPointer(bytes))) != nil }
            guard let sent = socket.trySend(UnsafeRawBufferPointer(bytes)) else { return false }
            if sent < bytes.count { pendingOutput = Array(bytes[sent...]) }
            return true
        }
    }
}
