#if canImport(Glibc)
import Glibc
#endif
import Foundation
import HTTPServer
import Synchronization

/// Where log lines go: a file descriptor (stderr), through a buffer. Routine lines (info and below, such as the
/// access log) wait up to `flushInterval`, or until 64 KiB gather, so a busy server makes one `write` per batch
/// instead of one per request (that `write` was a quarter of the system calls per request, see README); nginx's
/// `access_log ... buffer= flush=` does the same. Notices (start, stop) and worse are written at once, after
/// everything queued before them, and `flush()` runs at shutdown. A SIGKILL loses at most `flushInterval` of routine
/// lines; decisions never depend on this log (they are in the audit trail).
public final class LogOutput: Sendable {
    private let descriptor: Int32
    private let flushInterval: Double
    private let pending = Mutex(ByteBuffer(capacity: LogOutput.batchBytes + 4096))
    /// Held while writing, so batches reach the descriptor in the order they were queued.
    private let writing = Mutex<Void>(())
    private static let batchBytes = 64 * 1024

    /// `flushInterval` 0 writes every line at once.
    public init(descriptor: Int32 = 2, flushInterval: Double) {
        self.descriptor = descriptor
        self.flushInterval = flushInterval
        if flushInterval > 0 {
            let thread = Thread { [weak self] in
                while true {
                    Thread.sleep(forTimeInterval: flushInterval)
                    guard let output = self else { return }
                    output.flush()
                }
            }
            thread.name = "log-flush"
            thread.start()
        }
    }

    public func write(_ line: UnsafeBufferPointer<UInt8>, urgent: Bool) {
        let full = pending.withLock { buffer in
            buffer.append(UnsafeRawBufferPointer(line))
            return buffer.count >= Self.batchBytes
        }
        if urgent || full || flushInterval == 0 { flush() }
    }

    public func flush() {
        writing.withLock { _ in
            var batch = ByteBuffer(capacity: Self.batchBytes + 4096)
            pending.withLock { swap(&batch, &$0) }
            var offset = 0
            while offset < batch.count {
                let n = batch.withUnsafeBytes { bytes in
                    bytes.baseAddress.map { Glibc.write(descriptor, $0 + offset, bytes.count - offset) } ?? 0
                }
                if n > 0 {
                    offset += n
                } else if n < 0 && errno == EINTR {
                    continue
                } else {
                    return  // stderr closed or full disk: the lines are dropped rather than blocking requests
                }
            }
        }
    }
}
