#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Logging
import Synchronization

/// What every connection shares: configuration, routes, logging, and the drain flag.
final class ServerContext: Sendable {
    let configuration: ServerConfiguration
    let router: Router
    let logger: Logger
    let observer: (any RequestObserver)?
    private let draining = Atomic<Bool>(false)

    init(configuration: ServerConfiguration, router: Router, logger: Logger, observer: (any RequestObserver)?) {
        self.configuration = configuration
        self.router = router
        self.logger = logger
        self.observer = observer
    }

    func isDraining() -> Bool { draining.load(ordering: .relaxed) }
    func startDraining() { draining.store(true, ordering: .relaxed) }

    /// One structured access-log line per request.
    func requestCompleted(_ record: RequestRecord) {
        observer?.requestCompleted(record)
        logger.info("request", metadata: [
            "method": .string(record.method), "path": .string(record.path), "route": .string(record.route),
            "status": .stringConvertible(record.status), "duration_ms": .string(String(format: "%.3f", record.durationSeconds * 1000)),
            "bytes_in": .stringConvertible(record.requestBytes), "bytes_out": .stringConvertible(record.responseBytes),
            "request_id": .string(record.requestID), "remote": .string(record.remoteAddress),
        ])
    }
}

/// An HTTP/1.1 server on POSIX sockets with a thread per connection.
///
/// Each connection's thread parks in `poll` between requests, so idle keep-alive connections cost a small stack and
/// no CPU, and never delay active ones (see README, "Concurrency model", for the measurements behind this choice).
public final class HTTPServer: Sendable {
    private struct State {
        var listener: ListeningSocket?
        var connections: [Int32: ConnectedSocket] = [:]
        var stopped = false
    }

    private let context: ServerContext
    private let state = Mutex(State())
    private let connectionCount = Atomic<Int>(0)
    private let wakePipe: (read: Int32, write: Int32)
    private let stoppedSignal = DispatchSemaphore(value: 0)

    public init(configuration: ServerConfiguration, router: Router, logger: Logger, observer: (any RequestObserver)? = nil) {
        context = ServerContext(configuration: configuration, router: router, logger: logger, observer: observer)
        var fds: [Int32] = [-1, -1]
        if pipe(&fds) != 0 { fds = [-1, -1] }
        wakePipe = (fds[0], fds[1])
    }

    deinit {
        Glibc.close(wakePipe.read)
        Glibc.close(wakePipe.write)
    }

    /// Binds and starts accepting; returns the bound port (useful with port 0).
    @discardableResult
    public func start() throws -> Int {
        guard wakePipe.read >= 0 else { throw SocketError(operation: "pipe", code: errno) }
        let configuration = context.configuration
        let listener = try ListeningSocket(host: configuration.host, port: configuration.port, backlog: configuration.backlog)
        state.withLock { $0.listener = listener }
        let acceptor = Thread { [self] in acceptLoop(listener) }
        acceptor.name = "http-accept"
        acceptor.start()
        return listener.port
    }

    public var port: Int { state.withLock { $0.listener?.port ?? 0 } }
    public var openConnections: Int { connectionCount.load(ordering: .relaxed) }

    private func acceptLoop(_ listener: ListeningSocket) {
        let configuration = context.configuration
        while let (fd, address) = listener.accept() {
            if context.isDraining() {
                Glibc.close(fd)
                continue
            }
            let socket = ConnectedSocket(fd: fd, remoteAddress: address, wakeFD: wakePipe.read, writeTimeout: configuration.writeTimeout)
            if connectionCount.load(ordering: .relaxed) >= configuration.maxConnections {
                rejectOverCapacity(socket)
                continue
            }
            connectionCount.add(1, ordering: .relaxed)
            state.withLock { $0.connections[fd] = socket }
            context.observer?.connectionOpened()
            let thread = Thread { [self] in
                Connection(socket: socket, context: context).run()
                state.withLock { _ = $0.connections.removeValue(forKey: fd) }
                connectionCount.subtract(1, ordering: .relaxed)
                context.observer?.connectionClosed()
            }
            thread.stackSize = configuration.threadStackSize
            thread.start()
        }
    }

    private func rejectOverCapacity(_ socket: ConnectedSocket) {
        context.observer?.connectionRejected()
        var error = HTTPError(.serviceUnavailable, detail: "too many open connections")
        error.headers["Retry-After"] = String(context.configuration.retryAfterSeconds)
        let response = ProblemDetails.response(for: error)
        var head = "HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n"
        for field in response.headers { head += "\(field.name): \(field.value)\r\n" }
        if case .bytes(let body) = response.body {
            head += "Content-Length: \(body.count)\r\n\r\n"
            var out = Data(head.utf8)
            out.append(body)
            try? socket.write(out)
        }
        socket.close()
    }

    /// Stops accepting, lets in-flight requests finish within the grace period, then closes what is left.
    public func shutdown(gracePeriod: Double? = nil) {
        let alreadyStopped = state.withLock { state -> Bool in
            defer { state.stopped = true }
            return state.stopped
        }
        if alreadyStopped { return }
        context.startDraining()
        let listener = state.withLock { $0.listener }
        listener?.shutdown()
        var byte: UInt8 = 1
        _ = Glibc.write(wakePipe.write, &byte, 1)
        let deadline = MonotonicClock.now() + (gracePeriod ?? context.configuration.shutdownGracePeriod)
        while connectionCount.load(ordering: .relaxed) > 0 && MonotonicClock.now() < deadline {
            usleep(5_000)
        }
        let leftovers = state.withLock { Array($0.connections.values) }
        if !leftovers.isEmpty {
            context.logger.warning("closing connections still open after the grace period", metadata: ["count": "\(leftovers.count)"])
            leftovers.forEach { $0.abort() }
            let hardDeadline = MonotonicClock.now() + 2
            while connectionCount.load(ordering: .relaxed) > 0 && MonotonicClock.now() < hardDeadline { usleep(5_000) }
        }
        listener?.close()
        stoppedSignal.signal()
    }

    /// Blocks until `shutdown` has finished.
    public func waitUntilStopped() {
        stoppedSignal.wait()
        stoppedSignal.signal()
    }
}
