#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Synchronization

/// Why a socket read stopped without data.
enum SocketReadError: Error {
    case timedOut
    case closed
    case failed(Int32)
}

/// A connected, non-blocking TCP socket. Blocking-style reads and writes wait in `poll` against a deadline, so a
/// worker thread never waits longer than the configured timeouts.
///
/// With TLS, reads and writes go through the connection's OpenSSL channel (its `SSL` object) instead; the handshake runs on the first
/// read, within that read's deadline.
final class ConnectedSocket: @unchecked Sendable {
    let fd: Int32
    let remoteAddress: String
    private let writeTimeout: Double
    private let tls: TLSChannel?
    var isTLS: Bool { tls != nil }
    /// Set with the descriptor's close, under its lock, so `abort` (from the shutdown thread) never acts on a number
    /// the kernel may already have handed to another socket or file of this process.
    private let isClosed = Mutex(false)

    init(fd: Int32, remoteAddress: String, writeTimeout: Double, tls: TLSChannel? = nil) {
        self.fd = fd
        self.remoteAddress = remoteAddress
        self.writeTimeout = writeTimeout
        self.tls = tls
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
    }

    /// Reads what is available into `buffer`, waiting until `deadline` (monotonic seconds).
    func read(into buffer: inout [UInt8], deadline: Double) throws(SocketReadError) {
        if let tls { return try readTLS(tls, into: &buffer, deadline: deadline) }
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n > 0 {
                buffer.append(contentsOf: chunk[0..<n])
                return
            }
            if n == 0 { throw .closed }
            guard errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR else { throw .failed(errno) }
            try wait(for: Int16(POLLIN), until: deadline)
        }
    }

    /// Where a TLS handshake driven without blocking stands.
    enum HandshakeProgress {
        /// Waiting for the client's next bytes.
        case inProgress
        /// Done, and the client may already have sent application data (buffered by OpenSSL or the kernel).
        case done(dataWaiting: Bool)
        case failed
    }

    /// Takes the TLS handshake as far as the bytes already received allow, without waiting: the event loop drives it
    /// this way, so a client that stalls mid-handshake holds no worker, only its parked descriptor until the head
    /// deadline.
    func advanceHandshake() -> HandshakeProgress {
        guard let tls else { return .done(dataWaiting: true) }
        if tls.handshakeDone { return .done(dataWaiting: true) }
        switch tls.accept() {
        case .done:
            var byte: UInt8 = 0
            let peeked = recv(fd, &byte, 1, Int32(MSG_PEEK | MSG_DONTWAIT))
            // A byte waiting, or the client's close (0): either way a worker has something to read.
            return .done(dataWaiting: tls.pending > 0 || peeked >= 0)
        case .wantRead, .wantWrite: return .inProgress
        case .closed, .failed: return .failed
        }
    }

    var handshakeDone: Bool { tls?.handshakeDone ?? true }

    /// Reads what one or more TLS records decrypt to, and everything OpenSSL already holds: the socket will not signal
    /// those bytes again (edge-triggered epoll), so none may be left behind when the connection is parked.
    private func readTLS(_ tls: TLSChannel, into buffer: inout [UInt8], deadline: Double) throws(SocketReadError) {
        if !tls.handshakeDone { try drive(deadline: deadline) { tls.accept() } }
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        func readChunk() -> TLSChannel.Step {
            chunk.withUnsafeMutableBytes { raw in raw.baseAddress.map { tls.read(into: $0, count: raw.count) } ?? .closed }
        }
        let n = try drive(deadline: deadline, readChunk)
        buffer.append(contentsOf: chunk[0..<n])
        while tls.pending > 0, case .done(let more) = readChunk() {
            buffer.append(contentsOf: chunk[0..<more])
        }
    }

    /// Repeats a non-blocking TLS call, waiting for the socket as OpenSSL asks, until it completes or `deadline`.
    @discardableResult
    private func drive(deadline: Double, _ call: () -> TLSChannel.Step) throws(SocketReadError) -> Int {
        while true {
            switch call() {
            case .done(let count): return count
            case .wantRead: try wait(for: Int16(POLLIN), until: deadline)
            case .wantWrite: try wait(for: Int16(POLLOUT), until: deadline)
            case .closed: throw .closed
            case .failed: throw .failed(EPROTO)
            }
        }
    }

    private func wait(for events: Int16, until deadline: Double) throws(SocketReadError) {
        while true {
            let remaining = deadline - MonotonicClock.now()
            if remaining <= 0 { throw .timedOut }
            var fds = pollfd(fd: fd, events: events, revents: 0)
            let ready = poll(&fds, 1, Int32(min(remaining * 1000, Double(Int32.max)).rounded(.up)))
            if ready > 0 { return }
            if ready < 0 && errno != EINTR { throw .failed(errno) }
        }
    }

    /// Sends every byte; a peer that takes nothing for the write timeout, or goes away, ends the connection.
    func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard let base = bytes.baseAddress else { return }
        var offset = 0
        let deadline = MonotonicClock.now() + writeTimeout
        if let tls {
            while offset < bytes.count {
                offset += try drive(deadline: deadline) { tls.write(base + offset, count: bytes.count - offset) }
            }
            return
        }
        while offset < bytes.count {
            let n = send(fd, base + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
            if n >= 0 {
                offset += n
                continue
            }
            guard errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR else { throw SocketReadError.failed(errno) }
            try wait(for: Int16(POLLOUT), until: deadline)
        }
    }

    func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }

    /// Sends what the socket takes now; the count sent, or nil when the connection failed.
    func trySend(_ bytes: UnsafeRawBufferPointer) -> Int? {
        // TLS connections are never served where blocking is not allowed (see `EventLoop`); should one be, it writes
        // whole rather than leaving half a record.
        if tls != nil { return (try? write(bytes)) != nil ? bytes.count : nil }
        let n = send(fd, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT))
        if n >= 0 { return n }
        return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : nil
    }

    /// Half-closes, drains briefly so the peer reads the response rather than a reset, then closes.
    func close() {
        tls?.shutdown()
        shutdown(fd, Int32(SHUT_WR))
        var scratch = [UInt8](repeating: 0, count: 4096)
        let deadline = MonotonicClock.now() + 0.2
        while MonotonicClock.now() < deadline {
            let n = scratch.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n > 0 { continue }
            if n == 0 || (errno != EAGAIN && errno != EINTR) { break }
            var fds = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            if poll(&fds, 1, 50) <= 0 { break }
        }
        closeImmediately()
    }

    /// Closes at once: for idle connections, which have nothing unread.
    func closeImmediately() {
        isClosed.withLock { closed in
            guard !closed else { return }
            closed = true
            Glibc.close(fd)
        }
    }

    /// Forces any blocked read or write to fail (shutdown after the grace period); nothing once closed.
    func abort() {
        isClosed.withLock { closed in
            if !closed { shutdown(fd, Int32(SHUT_RDWR)) }
        }
    }
}

public enum MonotonicClock {
    public static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
