import Foundation

/// Writes a streamed body as HTTP/1.1 chunks (or raw bytes for HTTP/1.0), flushing every 64 KiB.
final class ChunkedBodyWriter: ResponseBodyWriter {
    private let socket: ConnectedSocket
    private let chunked: Bool
    private var pending: [UInt8] = []
    private(set) var bytesWritten = 0
    private static let flushSize = 64 * 1024

    init(socket: ConnectedSocket, chunked: Bool) {
        self.socket = socket
        self.chunked = chunked
        pending.reserveCapacity(Self.flushSize + 1024)
    }

    func write(_ bytes: some Collection<UInt8>) throws {
        pending.append(contentsOf: bytes)
        bytesWritten += bytes.count
        if pending.count >= Self.flushSize { try flush() }
    }

    private func flush() throws {
        guard !pending.isEmpty else { return }
        if chunked {
            var framed = Array((String(pending.count, radix: 16) + "\r\n").utf8)
            framed.append(contentsOf: pending)
            framed.append(contentsOf: [0x0D, 0x0A])
            try socket.write(framed)
        } else {
            try socket.write(pending)
        }
        pending.removeAll(keepingCapacity: true)
    }

    func finish() throws {
        try flush()
        if chunked { try socket.write(Array("0\r\n\r\n".utf8)) }
    }
}
