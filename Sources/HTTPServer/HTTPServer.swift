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

    /// One structured access-log line per request; the record writes its own fields (see `JSONLogFields`).
    func requestCompleted(_ record: RequestRecord) {
        observer?.requestCompleted(record)
        logger.info("request", metadata: ["http": record.logValue])
    }
}

/// An HTTP/1.1 server on POSIX sockets: an acceptor thread, one epoll event loop per core that parks idle
/// connections and serves cheap routes inline, and a pool of worker threads for handlers that may block.
///
/// Idle keep-alive connections cost a parked descriptor and their buffer, no thread, so thousands of them do not
/// delay active clients (see docs/http-server.md, "Concurrency model", for the measurements behind this design).
public final class HTTPServer: Sendable {
    private struct State {
        var listener: ListeningSocket?
        var stopped = false
    }

    private let context: ServerContext
    private let state = Mutex(State())
    private let connections: ConnectionTable
    private let stoppedSignal = DispatchSemaphore(value: 0)
    private let workers: WorkerPool
    private let loops: [EventLoop]
    private let rejecter: ConnectionRejecter

    /// `workerQueue` reports how long requests wait for a worker (a liveness check can read it); pass one created
    /// before the router when a route needs it.
    public init(configuration: ServerConfiguration, router: Router, logger: Logger, observer: (any RequestObserver)? = nil,
                workerQueue: WorkerQueueProbe = WorkerQueueProbe()) throws {
        let context = ServerContext(configuration: configuration, router: router, logger: logger, observer: observer)
        self.context = context
        let workers = WorkerPool(maxThreads: configuration.maxWorkerThreads, stackSize: configuration.threadStackSize,
                                 niceness: configuration.workerNiceness, probe: workerQueue)
        self.workers = workers
        rejecter = ConnectionRejecter(retryAfterSeconds: configuration.retryAfterSeconds, extraFields: configuration.responseHeaders)
        let connections = ConnectionTable(maxConnections: configuration.maxConnections,
                                          maxPerAddress: configuration.maxConnectionsPerAddress, observer: observer)
        self.connections = connections
        let count = configuration.eventLoopCount ?? max(1, ProcessInfo.processInfo.activeProcessorCount)
        loops = try (0..<count).map { _ in try EventLoop(context: context, workers: workers, connections: connections) }
    }

    /// Binds and starts accepting; returns the bound port (useful with port 0).
    @discardableResult
    public func start() throws -> Int {
        let configuration = context.configuration
        if let spool = configuration.spoolDirectory {
            try FileManager.default.createDirectory(atPath: spool, withIntermediateDirectories: true)
            let removed = BodySink.removeLeftovers(in: spool)
            if removed > 0 { context.logger.notice("removed upload spool files left by an earlier run", metadata: ["files": "\(removed)"]) }
        }
        let listener = try ListeningSocket(host: configuration.host, port: configuration.port, backlog: configuration.backlog)
        state.withLock { $0.listener = listener }
        for (index, loop) in loops.enumerated() { loop.start(name: "http-loop-\(index)") }
        rejecter.start()
        let acceptor = Thread { [self] in acceptLoop(listener) }
        acceptor.name = "http-accept"
        acceptor.start()
        return listener.port
    }

    public var port: Int { state.withLock { $0.listener?.port ?? 0 } }
    public var eventLoopCount: Int { loops.count }
    public var openConnections: Int { connections.count }

    private func acceptLoop(_ listener: ListeningSocket) {
        let configuration = context.configuration
        var next = 0
        while let (fd, address) = listener.accept() {
            if context.isDraining() {
                Glibc.close(fd)
                continue
            }
            if let refusal = connections.admit(address) {
                context.observer?.connectionRejected()
                rejecter.reject(fd: fd, isTLS: configuration.tls != nil, detail: refusal)
                continue
            }
            let tls: TLSChannel?
            do {
                tls = try configuration.tls?.channel(fd: fd)
            } catch {
                context.logger.error("cannot start TLS on a connection", metadata: ["error": "\(error)"])
                connections.release(address)
                Glibc.close(fd)
                continue
            }
            let socket = ConnectedSocket(fd: fd, remoteAddress: address, writeTimeout: configuration.writeTimeout, tls: tls)
            let connection = Connection(socket: socket, context: context)
            connections.opened(connection)
            loops[next % loops.count].park(connection, isNew: true)
            next &+= 1
        }
    }

    /// Stops accepting, closes idle connections, lets in-flight requests finish within the grace period, then
    /// closes what is left.
    public func shutdown(gracePeriod: Double? = nil) {
        let alreadyStopped = state.withLock { state -> Bool in
            defer { state.stopped = true }
            return state.stopped
        }
        if alreadyStopped { return }
        context.startDraining()
        let listener = state.withLock { $0.listener }
        listener?.shutdown()
        let deadline = MonotonicClock.now() + (gracePeriod ?? context.configuration.shutdownGracePeriod)
        while connections.count > 0 && MonotonicClock.now() < deadline {
            usleep(5_000)
        }
        let leftovers = connections.open
        if !leftovers.isEmpty {
            context.logger.warning("closing connections still open after the grace period", metadata: ["count": "\(leftovers.count)"])
            leftovers.forEach { $0.abort() }
            let hardDeadline = MonotonicClock.now() + 2
            while connections.count > 0 && MonotonicClock.now() < hardDeadline { usleep(5_000) }
        }
        loops.forEach { $0.stop() }
        rejecter.stop()
        listener?.close()
        stoppedSignal.signal()
    }

    /// Blocks until `shutdown` has finished.
    public func waitUntilStopped() {
        stoppedSignal.wait()
        stoppedSignal.signal()
    }
}
