import Foundation
import OpenSSLCrypto

/// Time-ordered ids: a prefix, 12 hex digits of milliseconds since 1970, then 10 random bytes.
/// Sorting ids sorts by creation time, which keyset pagination relies on.
enum RecordID {
    static func make(_ prefix: String, at date: Date = Date()) -> String {
        let millis = UInt64(max(0, date.timeIntervalSince1970 * 1000))
        let time = String(millis, radix: 16)
        return prefix + "_" + String(repeating: "0", count: max(0, 12 - time.count)) + time + Hex.encode(SecureRandom.bytes(10))
    }
}
