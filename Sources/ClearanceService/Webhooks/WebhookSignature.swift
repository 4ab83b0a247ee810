import Foundation
import OpenSSLCrypto

/// How deliveries are signed, so a receiver knows an alert came from this Clearance and was not replayed later:
///
///     X-Clearance-Signature: t=1764673200,v1=5f2c…(64 hex digits)
///
/// `t` is the Unix time of sending; `v1` is the hex HMAC-SHA256, keyed with the webhook's secret, of `t`, a full
/// stop and the raw request body. A receiver recomputes it over the bytes it received, compares in constant time
/// and refuses a `t` more than a few minutes old.
public enum WebhookSignature {
    public static let header = "X-Clearance-Signature"

    public static func sign(body: String, secret: String, at time: Int) -> String {
        "t=\(time),v1=" + HMACSHA256.hex(key: secret, message: "\(time).\(body)")
    }

    /// Checks a header as a receiver would: the signature matches and `t` is within `tolerance` seconds of `now`.
    public static func verify(header: String, body: String, secret: String, now: Int, tolerance: Int = 300) -> Bool {
        var time: Int?
        var signatures: [String] = []
        for part in header.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2 else { continue }
            if pair[0] == "t" { time = Int(pair[1]) } else if pair[0] == "v1" { signatures.append(pair[1]) }
        }
        guard let time, abs(now - time) <= tolerance else { return false }
        let expected = Array(sign(body: body, secret: secret, at: time).utf8)
        return signatures.contains { HMACSHA256.constantTimeEquals(Array("t=\(time),v1=\($0)".utf8), expected) }
    }
}
