import Synchronization

/// Request ids: the client's `X-Request-Id` when it is sane, else a process-unique one (random prefix plus a counter,
/// so no random-number syscall per request).
enum RequestID {
    private static let prefix: String = {
        var generator = SystemRandomNumberGenerator()
        return String(generator.next() as UInt64, radix: 16) + "-"
    }()
    private static let counter = Atomic<UInt64>(0)

    static func make(from header: String?) -> String {
        if let header, !header.isEmpty, header.utf8.count <= 128,
           header.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }) {
            return header
        }
        let next = counter.add(1, ordering: .relaxed).newValue
        return prefix + String(next, radix: 16)
    }
}
