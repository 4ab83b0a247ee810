import Synchronization

/// Request ids: the client's `X-Request-Id` when it is sane, else a process-unique one (random prefix plus a counter,
/// so no random-number syscall per request), written as hex digits straight into the new string.
enum RequestID {
    private static let prefix: [UInt8] = {
        var generator = SystemRandomNumberGenerator()
        return Array((String(generator.next() as UInt64, radix: 16) + "-").utf8)
    }()
    private static let counter = Atomic<UInt64>(0)

    static func make(from header: String?) -> String {
        if let header, !header.isEmpty, header.utf8.count <= 128,
           header.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }) {
            return header
        }
        let next = counter.add(1, ordering: .relaxed).newValue
        let digits = max(1, (64 - next.leadingZeroBitCount + 3) / 4)
        return String(unsafeUninitializedCapacity: prefix.count + digits) { buffer in
            _ = buffer.initialize(fromContentsOf: prefix)
            var value = next
            for index in stride(from: prefix.count + digits - 1, through: prefix.count, by: -1) {
                buffer[index] = ByteBuffer.hexDigit(UInt8(value & 0xF))
                value >>= 4
            }
            return prefix.count + digits
        }
    }
}
