#if canImport(Glibc)
import Glibc
#endif

/// Turns the bytes a client sent into request heads and body bytes. It owns the connection's input buffer and does
/// no I/O: the connection reads the socket into it (`fill`) and asks for the next head, body piece or chunk line,
/// each of which is there or not yet. Limits on heads are enforced here, with the status a client gets for them.
///
/// Pipelined requests simply follow one another in the buffer; whatever a request leaves unread stays for the next.
struct RequestDecoder {
    private(set) var buffer: [UInt8] = []
    /// Where the search for the end of the head, or of a chunk line, resumes, so bytes trickling in are not rescanned
    /// (no quadratic cost).
    private var scanFrom = 0
    private let maxHeaderBytes: Int
    private let maxRequestLineBytes: Int

    init(maxHeaderBytes: Int, maxRequestLineBytes: Int) {
        self.maxHeaderBytes = maxHeaderBytes
        self.maxRequestLineBytes = maxRequestLineBytes
    }

    var isEmpty: Bool { buffer.isEmpty }
    var count: Int { buffer.count }

    mutating func receive(_ bytes: ArraySlice<UInt8>) {
        buffer.append(contentsOf: bytes)
    }

    /// Lets `read` append to the buffer in place (a socket read), without a copy.
    mutating func fill<E: Error>(_ read: (inout [UInt8]) throws(E) -> Void) throws(E) {
        try read(&buffer)
    }

    // MARK: Heads

    /// Blank lines before a request line are ignored (RFC 9112, section 2.2).
    mutating func dropLeadingBlankLines() {
        var count = 0
        while count < buffer.count, buffer[count] == 0x0D || buffer[count] == 0x0A { count += 1 }
        if count > 0 {
            buffer.removeFirst(count)
            scanFrom = 0
        }
    }

    /// Where the buffered head ends: its length without the blank line, and the bytes to consume with it; nil while
    /// the blank line has not arrived. Jumps from line feed to line feed with `memchr` (a head has a few lines, so a
    /// few calls instead of a bounds-checked step per byte).
    mutating func headEnd() -> (length: Int, consumed: Int)? {
        let found: (Int, Int)? = buffer.withUnsafeBufferPointer { bytes in
            guard let base = bytes.baseAddress else { return nil }
            var i = max(0, scanFrom - 3)
            while i < bytes.count, let hit = memchr(base + i, 0x0A, bytes.count - i) {
                let lineFeed = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                let length = lineFeed > 0 && bytes[lineFeed - 1] == 0x0D ? lineFeed - 1 : lineFeed
                if lineFeed + 1 < bytes.count && bytes[lineFeed + 1] == 0x0A { return (length, lineFeed + 2) }
                if lineFeed + 2 < bytes.count && bytes[lineFeed + 1] == 0x0D && bytes[lineFeed + 2] == 0x0A { return (length, lineFeed + 3) }
                i = lineFeed + 1
            }
            return nil
        }
        if found == nil { scanFrom = buffer.count }
        return found
    }

    /// The next complete head's bytes, taken from the buffer; nil while incomplete. 431 for a head, or a request
    /// line, over its limit, whether complete or still arriving.
    mutating func nextHead() throws(ProtocolError) -> [UInt8]? {
        dropLeadingBlankLines()
        guard let end = headEnd() else {
            try checkIncompleteHead()
            return nil
        }
        if end.length > maxHeaderBytes { throw Self.headTooLarge(maxHeaderBytes) }
        return take(head: end)
    }

    /// Takes a head `headEnd` found.
    mutating func take(head end: (length: Int, consumed: Int)) -> [UInt8] {
        let head = Array(buffer[0..<end.length])
        discard(head: end)
        return head
    }

    /// Drops a head `headEnd` found, once it was parsed from the buffer in place.
    mutating func discard(head end: (length: Int, consumed: Int)) {
        buffer.removeFirst(end.consumed)
        scanFrom = 0
    }

    /// Refuses an incomplete head that is already over a limit: no point waiting for the rest.
    func checkIncompleteHead() throws(ProtocolError) {
        if buffer.count > maxHeaderBytes { throw Self.headTooLarge(maxHeaderBytes) }
        let lineLimit = min(buffer.count, maxRequestLineBytes + 2)
        if buffer.count > maxRequestLineBytes, !buffer[0..<lineLimit].contains(0x0A) {
            throw ProtocolError(status: .headerFieldsTooLarge, detail: "request line longer than \(maxRequestLineBytes) bytes")
        }
    }

    static func headTooLarge(_ limit: Int) -> ProtocolError {
        ProtocolError(status: .headerFieldsTooLarge, detail: "request head larger than \(limit) bytes")
    }

    // MARK: Bodies

    /// Hands up to `count` buffered body bytes to `use` and takes them from the buffer; how many.
    mutating func takeBody(upTo count: Int, _ use: (ArraySlice<UInt8>) throws -> Void) rethrows -> Int {
        let take = min(count, buffer.count)
        guard take > 0 else { return 0 }
        try use(buffer[0..<take])
        buffer.removeFirst(take)
        scanFrom = 0
        return take
    }

    /// The next CRLF-terminated line of chunked framing (without the CRLF), taken from the buffer; nil while
    /// incomplete. 400 for a bare LF or a line longer than `maxBytes`.
    mutating func nextChunkLine(maxBytes: Int) throws(ProtocolError) -> [UInt8]? {
        guard let lf = buffer[min(scanFrom, buffer.count)...].firstIndex(of: 0x0A) else {
            scanFrom = buffer.count
            if buffer.count > maxBytes { throw ProtocolError(status: .badRequest, detail: "chunk line too long") }
            return nil
        }
        guard lf > 0, buffer[lf - 1] == 0x0D else { throw ProtocolError(status: .badRequest, detail: "bare LF in chunked framing") }
        let line = Array(buffer[0..<(lf - 1)])
        buffer.removeFirst(lf + 1)
        scanFrom = 0
        return line
    }

    /// The CRLF after a chunk's data, taken from the buffer: true when there, nil while fewer than two bytes are
    /// buffered; 400 for anything else.
    mutating func takeChunkEnd() throws(ProtocolError) -> Bool? {
        guard buffer.count >= 2 else { return nil }
        guard buffer[0] == 0x0D && buffer[1] == 0x0A else { throw ProtocolError(status: .badRequest, detail: "chunk data not followed by CRLF") }
        buffer.removeFirst(2)
        scanFrom = 0
        return true
    }

    /// A chunk-size line's size (hex digits, extensions after `;` ignored); 400 for anything else.
    static func chunkSize(_ line: [UInt8]) throws(ProtocolError) -> Int {
        let sizeText = line.split(separator: UInt8(ascii: ";"), maxSplits: 1, omittingEmptySubsequences: false)[0]
        let trimmed = sizeText.filter { $0 != 0x20 && $0 != 0x09 }
        guard !trimmed.isEmpty, trimmed.count <= 15,
              trimmed.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x66) }),
              let size = Int(String(decoding: trimmed, as: UTF8.self), radix: 16)
        else { throw ProtocolError(status: .badRequest, detail: "invalid chunk size") }
        return size
    }
}
