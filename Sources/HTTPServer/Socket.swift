#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Why a socket read stopped without data.
enum SocketReadError: Error {
    case timedOut
    case closed
    case shuttingDown
    case failed(Int32)
}

/// A connected TCP socket in blocking mode; reads wait in `poll` against a deadline and the server's wake pipe.
final class ConnectedSocket: @unchecked Sendable {
    let fd: Int32
    let remoteAddress: String
    private let wakeFD: Int32

    init(fd: Int32, remoteAddress: String, wakeFD: Int32, writeTimeout: Double) {
        self.fd = fd
        self.remoteAddress = remoteAddress
        self.wakeFD = wakeFD
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        var tv = timeval(tv_sec: Int(writeTimeout), tv_usec: Int((writeTimeout - Double(Int(writeTimeout))) * 1_000_000))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    }

    /// Reads what is available into `buffer`, waiting until `deadline` (monotonic seconds).
    /// With `wakeOnShutdown`, a server shutdown interrupts the wait (used only between requests).
    func read(into buffer: inout [UInt8], deadline: Double, wakeOnShutdown: Bool) throws(SocketReadError) {
        while true {
            let remaining = deadline - MonotonicClock.now()
            if remaining <= 0 { throw .timedOut }
            var fds = [pollfd(fd: fd, events: Int16(POLLIN), revents: 0), pollfd(fd: wakeFD, events: Int16(POLLIN), revents: 0)]
            let timeoutMs = Int32(min(remaining * 1000, Double(Int32.max)).rounded(.up))
            let ready = poll(&fds, wakeOnShutdown ? 2 : 1, timeoutMs)
            if ready < 0 {
                if errno == EINTR { continue }
                throw .failed(errno)
            }
            if ready == 0 { continue }
            if wakeOnShutdown && fds[1].revents != 0 && fds[0].revents & Int16(POLLIN) == 0 { throw .shuttingDown }
            var chunk = [UInt8](repeating: 0, count: 16 * 1024)
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n > 0 {
                buffer.append(contentsOf: chunk[0..<n])
                return
            }
            if n == 0 { throw .closed }
            if errno == EINTR || errno == EAGAIN { continue }
            throw .failed(errno)
        }
    }

    /// Sends every byte; a peer that stops reading for the write timeout, or goes away, ends the connection.
    func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard let base = bytes.baseAddress else { return }
        var offset = 0
        while offset < bytes.count {
            let n = send(fd, base + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
            if n < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN || errno == EWOULDBLOCK { throw SocketReadError.timedOut }
                throw SocketReadError.failed(errno)
            }
            offset += n
        }
    }

    func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }

    func write(_ data: Data) throws {
        try data.withUnsafeBytes { try write($0) }
    }

    /// Half-closes, drains briefly so the peer sees the response rather than a reset, then closes.
    func close() {
        shutdown(fd, Int32(SHUT_WR))
        var scratch = [UInt8](repeating: 0, count: 4096)
        var fds = [pollfd(fd: fd, events: Int16(POLLIN), revents: 0)]
        let deadline = MonotonicClock.now() + 0.2
        while MonotonicClock.now() < deadline, poll(&fds, 1, 50) > 0 {
            let n = scratch.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            if n <= 0 { break }
        }
        Glibc.close(fd)
    }

    /// Forces any blocked read or write to fail (shutdown after the grace period).
    func abort() {
        shutdown(fd, Int32(SHUT_RDWR))
    }
}

enum MonotonicClock {
    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
