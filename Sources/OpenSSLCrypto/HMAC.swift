import COpenSSL
import Foundation

/// HMAC-SHA256 through OpenSSL (webhook signatures).
public enum HMACSHA256 {
    public static func authenticationCode(key: [UInt8], message: [UInt8]) -> [UInt8] {
        var code = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        key.withUnsafeBytes { keyBytes in
            message.withUnsafeBytes { messageBytes in
                // One-shot HMAC() fails only on an unknown digest or when out of memory; the code stays zero then and
                // no receiver would accept it.
                _ = HMAC(EVP_sha256(), keyBytes.baseAddress, Int32(keyBytes.count), messageBytes.bindMemory(to: UInt8.self).baseAddress,
                         messageBytes.count, &code, &length)
            }
        }
        return code
    }

    public static func hex(key: String, message: String) -> String {
        Hex.encode(authenticationCode(key: Array(key.utf8), message: Array(message.utf8)))
    }

    /// Compares in time independent of where the inputs differ, so a receiver cannot be probed byte by byte.
    public static func constantTimeEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        return a.withUnsafeBytes { x in b.withUnsafeBytes { y in CRYPTO_memcmp(x.baseAddress, y.baseAddress, a.count) == 0 } }
    }
}
