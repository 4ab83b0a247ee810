#if canImport(Glibc)
import Glibc
#endif

/// The `Date` header value (IMF-fixdate). Each connection keeps its own cache, formatted at most once a second,
/// so no lock is shared between connections on the hot path.
struct HTTPDateCache {
    private var second = -1
    private var value = ""

    mutating func now() -> String {
        var seconds = time(nil)
        if seconds == second { return value }
        var parts = tm()
        gmtime_r(&seconds, &parts)
        var buffer = [CChar](repeating: 0, count: 64)
        let length = strftime(&buffer, buffer.count, "%a, %d %b %Y %H:%M:%S GMT", &parts)
        value = String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        second = seconds
        return value
    }
}
