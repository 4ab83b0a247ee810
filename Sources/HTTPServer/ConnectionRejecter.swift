#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Synchronization

/// Answers the connections the server will not serve (over its connection limit or an address's) with a 503 and
/// closes them, all on one thread of its own: a flood of refused connections costs neither an event loop nor the
/// workers that serve requests.
///
/// Each refused socket gets the 503 in one non-blocking send (it fits any socket buffer), a half-close, and up to
/// `lingerSeconds` in which whatever the client already sent is read and dropped. Closing with unread bytes would
/// send a reset, and a reset makes the client's kernel discard the 503 before the client reads it. At most
/// `maxLingering` sockets linger at once; beyond that they are answered and closed at once. TLS connections close without an answer:
/// a 503 would need a handshake first, which is the work the limit is there to refuse.
final class ConnectionRejecter: Sendable {
    private struct Refused {
        let fd: Int32
        let isTLS: Bool
        let detail: String
    }

    private struct Lingering {
        let fd: Int32
        let until: Double
    }

    static let lingerSeconds = 0.2
    static let maxLingering = 10_000

    private let queue = Mutex<[Refused]>([])
    private let wake = DispatchSemaphore(value: 0)
    private let stopped = Atomic<Bool>(false)
    private let retryAfterSeconds: Int
    private let extraFields: [(name: String, value: String)]

    init(retryAfterSeconds: Int, extraFields: [(name: String, value: String)]) {
        self.retryAfterSeconds = retryAfterSeconds
        self.extraFields = extraFields
    }

    func start() {
        let thread = Thread { [self] in run() }
        thread.name = "http-reject"
        thread.start()
    }

    func stop() {
        stopped.store(true, ordering: .relaxed)
        wake.signal()
    }

    /// Takes over `fd`: it is answered and closed on the rejecter's thread.
    func reject(fd: Int32, isTLS: Bool, detail: String) {
        queue.withLock { $0.append(Refused(fd: fd, isTLS: isTLS, detail: detail)) }
        wake.signal()
    }

    private func run() {
        var encoder = ResponseEncoder(extraFields: extraFields)
        var lingering: [Lingering] = []
        var scratch = [UInt8](repeating: 0, count: 4096)
        while !stopped.load(ordering: .relaxed) {
            // Nothing lingering: sleep until a socket arrives. Otherwise look for new ones every 10 ms.
            if lingering.isEmpty { wake.wait() } else { _ = wake.wait(timeout: .now() + .milliseconds(10)) }
            for refused in queue.withLock({ queue in defer { queue.removeAll(keepingCapacity: true) }; return queue }) {
                guard !refused.isTLS else {
                    close(refused.fd)
                    continue
                }
                answer(refused, encoder: &encoder)
                if lingering.count < Self.maxLingering {
                    lingering.append(Lingering(fd: refused.fd, until: MonotonicClock.now() + Self.lingerSeconds))
                } else {
                    close(refused.fd)
                }
            }
            lingering = drain(lingering, scratch: &scratch)
        }
        lingering.forEach { close($0.fd) }
        queue.withLock { $0 }.forEach { close($0.fd) }
    }

    private func answer(_ refused: Refused, encoder: inout ResponseEncoder) {
        var error = HTTPError(.serviceUnavailable, detail: refused.detail)
        error.headers["Retry-After"] = String(retryAfterSeconds)
        let response = ProblemDetails.response(for: error)
        guard case .bytes(let body) = response.body else { return }
        var out = ByteBuffer(capacity: 512)
        encoder.write(response, body: body, requestID: RequestID.make(from: nil), keepAlive: false, version: .http11, isHead: false, into: &out)
        _ = fcntl(refused.fd, F_SETFL, fcntl(refused.fd, F_GETFL) | O_NONBLOCK)
        _ = out.withUnsafeBytes { send(refused.fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT)) }
        shutdown(refused.fd, Int32(SHUT_WR))
    }

    /// Reads and drops what each lingering socket has; closes those whose client closed, failed, or ran out of time.
    private func drain(_ lingering: [Lingering], scratch: inout [UInt8]) -> [Lingering] {
        let now = MonotonicClock.now()
        return lingering.filter { socket in
            var open = now < socket.until
            // A bounded number of reads a pass, so a client that keeps sending cannot keep this thread to itself.
            for _ in 0..<16 where open {
                let n = scratch.withUnsafeMutableBytes { recv(socket.fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
                if n > 0 || (n < 0 && errno == EINTR) { continue }
                open = n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)
                break
            }
            if !open { close(socket.fd) }
            return open
        }
    }
}
