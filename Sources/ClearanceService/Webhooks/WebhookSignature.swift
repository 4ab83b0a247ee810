import Foundation
import OpenSSLCrypto

/// How deliveries are signed, so a receiver knows an alert came from this Clearance, under this delivery id, and
/// was not replayed later:
///
///     X-Clearance-Signature: t=1764673200,v2=5f2c…(64 hex digits)
///
/// `t` is the Unix time of sending; `v2` is the hex HMAC-SHA256, keyed with the webhook's secret, of `t`, a full
/// stop, the delivery id (the `X-Clearance-Delivery` header), a full stop and the raw request body. Signing the id
/// means a captured delivery cannot be sent again under a new id to get past a receiver's de-duplication. A receiver
/// recomputes it over what it received, compares in constant time, refuses a `t` more than a few minutes old, and
/// keeps the ids it has seen for that long.
public enum WebhookSignature {
    public static let header = "X-Clearance-Signature"

    public static func sign(body: String, deliveryID: String, secret: String, at time: Int) -> String {
        "t=\(time),v2=" + HMACSHA256.hex(key: secret, message: "\(time).\(deliveryID).\(body)")
    }

    /// Checks a header as a receiver would: the signature matches and `t` is within `tolerance` seconds of `now`.
    public static func verify(header: String, body: String, deliveryID: String, secret: String, now: Int, tolerance: Int = 300) -> Bool {
        var time: Int?
        var signatures: [String] = []
        for part in header.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2 else { continue }
            if pair[0] == "t" { time = Int(pair[1]) } else if pair[0] == "v2" { signatures.append(pair[1]) }
        }
        guard let time, abs(now - time) <= tolerance else { return false }
        let expected = Array(sign(body: body, deliveryID: deliveryID, secret: secret, at: time).utf8)
        return signatures.contains { HMACSHA256.constantTimeEquals(Array("t=\(time),v2=\($0)".utf8), expected) }
    }
}
