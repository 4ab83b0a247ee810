#if canImport(Glibc)
import Glibc
#endif
import CPosix
import Foundation

/// Waits on many connections with epoll and serves cheap requests (routes marked `runsOnEventLoop`) right on its
/// thread, with no hand-off. A connection with anything else (a body, a handler that may block, an error to answer)
/// goes to a worker thread, which serves it with blocking reads and writes and then parks it here again.
///
/// Connections are registered edge-triggered and the loop acts only on those in its parked table, so each is owned
/// by one thread at a time: this loop while parked, a worker while in `serveOnWorker` (events for it meanwhile are
/// ignored). A worker parks it again with EPOLL_CTL_MOD, which re-checks readiness and so reports bytes that arrived
/// while the worker held it. A request served inline costs one `recv` and one `send`, no `epoll_ctl` (re-arming a
/// one-shot registration after every request was a quarter of the system calls; see README).
final class EventLoop: @unchecked Sendable {
    private let epoll: Int32
    private let context: ServerContext
    private let workers: WorkerPool
    private let connections: ConnectionTable
    private let lock = NSLock()
    // Touched under `lock` or by the loop's own thread only: no runtime exclusivity checks (see `Connection`).
    @exclusivity(unchecked) private var parked: [Int32: Connection] = [:]
    @exclusivity(unchecked) private var stopped = false
    @exclusivity(unchecked) private var readBuffer = [UInt8](repeating: 0, count: 64 * 1024)
    /// Readable (bit 0) and edge-triggered (bit 2), see cposix.h.
    private static let readableEdgeTriggered: UInt32 = 5

    init(context: ServerContext, workers: WorkerPool, connections: ConnectionTable) throws {
        epoll = clr_epoll_create()
        guard epoll >= 0 else { throw SocketError(operation: "epoll_create", code: errno) }
        self.context = context
        self.workers = workers
        self.connections = connections
    }

    deinit { Glibc.close(epoll) }

    func start(name: String) {
        let thread = Thread { [self] in run() }
        thread.name = name
        thread.start()
    }

    func stop() { lock.withLock { stopped = true } }

    /// Takes a new connection, or one a worker finished with.
    func park(_ connection: Connection, isNew: Bool) {
        lock.withLock { parked[connection.fd] = connection }
        if clr_epoll_ctl(epoll, isNew ? 0 : 1, connection.fd, Self.readableEdgeTriggered) != 0 {
            lock.withLock { _ = parked.removeValue(forKey: connection.fd) }
            close(connection)
        }
    }

    private func run() {
        var fds = [Int32](repeating: 0, count: 256)
        var flags = [UInt32](repeating: 0, count: 256)
        var lastSweep = MonotonicClock.now()
        while !lock.withLock({ stopped }) {
            let count = clr_epoll_wait(epoll, &fds, &flags, 256, 100)
            for i in 0..<max(0, Int(count)) {
                guard let connection = lock.withLock({ parked[fds[i]] }) else { continue }
                handleReadable(connection, hungUp: flags[i] & 2 != 0)
            }
            let now = MonotonicClock.now()
            if now - lastSweep >= 0.1 {
                sweep(now: now)
                lastSweep = now
            }
        }
        for connection in lock.withLock({ Array(parked.values) }) { unpark(connection); close(connection) }
    }

    /// Edge-triggered: reads until the socket had no more to give (a short read or EAGAIN), serving as it goes, since
    /// epoll reports only bytes that arrive after this. When the event also reports a hang-up or an error, a short
    /// read is not the end: the close or reset behind the bytes (a client that sent part of a head and reset) is read
    /// too, or the connection would sit parked, its address's count held, until the head deadline.
    private func handleReadable(_ connection: Connection, hungUp: Bool) {
        // The TLS handshake runs here, without blocking; encrypted requests are read and served on a worker.
        if connection.isTLS {
            switch connection.advanceHandshake() {
            case .inProgress, .done(dataWaiting: false):
                return
            case .failed:
                unpark(connection)
                close(connection)
            case .done(dataWaiting: true):
                unpark(connection)
                serveOnWorker(connection) { connection.serveTLSOnWorker() }
            }
            return
        }
        var action: Connection.Next
        var drained = false
        repeat {
            let n = readBuffer.withUnsafeMutableBytes { recv(connection.fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            if n > 0 {
                connection.receive(readBuffer[0..<n])
                drained = n < readBuffer.count && !hungUp
            } else if n < 0 && errno == EINTR {
                drained = false
            } else {
                if n == 0 || errno != EAGAIN { connection.peerClosed = true }
                drained = true
            }
            action = connection.processOnLoop()
        } while action.isPark && !drained && !connection.peerClosed
        switch action {
        case .park:
            if connection.peerClosed {
                unpark(connection)
                close(connection)
            }
        case .handOff:
            unpark(connection)
            serveOnWorker(connection) { connection.serveOnWorker() }
        case .suspended(let promise):
            unpark(connection)
            awaitResponse(connection, promise)
        case .close:
            unpark(connection)
            close(connection)
        }
    }

    /// Runs `step` for the connection on a worker, then parks, closes or suspends it as the step left it. A
    /// connection whose turn ended with requests still buffered queues again among the yielded (see `WorkerPool`).
    private func serveOnWorker(_ connection: Connection, yielded: Bool = false, _ step: @escaping @Sendable () -> Connection.Next) {
        workers.submit(yielded: yielded) { [self] in
            switch step() {
            case .park where !context.isDraining():
                park(connection, isNew: false)
            case .handOff where !context.isDraining():
                serveOnWorker(connection, yielded: true) { connection.serveOnWorker() }
            case .suspended(let promise):
                awaitResponse(connection, promise)
            case .park, .handOff, .close:
                finish(connection)
                connection.closeLingering()
            }
        }
    }

    /// A deferred response holds no thread. The fulfilling thread sends it when that cannot block and parks the
    /// connection here again; anything more (pipelined requests, a streamed body, a close) goes to a worker.
    private func awaitResponse(_ connection: Connection, _ promise: ResponsePromise) {
        promise.whenFulfilled { [self] response in
            switch connection.resumeInline(with: response) {
            case .park?: park(connection, isNew: false)
            case .handOff?: serveOnWorker(connection) { connection.serveOnWorker() }
            case .close?, .suspended?: serveOnWorker(connection) { .close }  // never suspended: the response is here
            case nil: serveOnWorker(connection) { connection.resume(with: response) }
            }
        }
    }

    /// Closes idle connections past the keep-alive timeout and answers 408 to heads that stalled; on shutdown,
    /// closes every parked connection (none has a request in flight).
    private func sweep(now: Double) {
        let draining = context.isDraining()
        let configuration = context.configuration
        var idle: [Connection] = []
        var stalled: [Connection] = []
        lock.withLock {
            for connection in parked.values {
                if let started = connection.firstByteAt, now - started > configuration.headerReadTimeout {
                    stalled.append(connection)
                } else if draining || (connection.firstByteAt == nil && now - connection.lastActivity > configuration.idleTimeout) {
                    idle.append(connection)
                }
            }
        }
        for connection in idle {
            unpark(connection)
            close(connection)
        }
        for connection in stalled {
            unpark(connection)
            // A handshake that did not finish in time: there is no channel to answer on.
            guard connection.handshakeDone else {
                close(connection)
                continue
            }
            workers.submit { [self] in
                connection.answerHeadTimeout()
                finish(connection)
                connection.closeLingering()
            }
        }
    }

    /// Takes a connection off the parked table; epoll may still report it, but the loop ignores what it does not
    /// hold until a worker parks it again. Closing the descriptor removes it from epoll altogether.
    private func unpark(_ connection: Connection) {
        lock.withLock { _ = parked.removeValue(forKey: connection.fd) }
    }

    /// Deregisters before the descriptor is closed, so a new connection reusing the number is never confused with it.
    private func close(_ connection: Connection) {
        finish(connection)
        connection.closeNow()
    }

    private func finish(_ connection: Connection) {
        connections.closed(connection)
    }
}
