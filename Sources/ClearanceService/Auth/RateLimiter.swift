import Foundation
import HTTPServer
import Synchronization

/// A token bucket per API key: each key may make `rate` requests a second on average, in bursts of up to `burst`.
/// Beyond that it gets 429 with `Retry-After`, so one misbehaving client cannot take the capacity others need.
/// Checked from the head with authentication, before any body is read.
public final class RateLimiter: Sendable {
    private struct Bucket {
        var tokens: Double
        var updated: Double
    }

    private let rate: Double
    private let burst: Double
    private let buckets = Mutex<[String: Bucket]>([:])

    /// `rate` requests a second per key (0 turns limiting off), `burst` at most at once.
    public init(rate: Double, burst: Double) {
        self.rate = rate
        self.burst = max(1, burst)
    }

    /// Takes a token for `key`, or throws 429 naming when the next one is due.
    func take(_ key: String, now: Double = MonotonicClock.now()) throws {
        guard rate > 0 else { return }
        let wait: Double? = buckets.withLock { buckets in
            var bucket = buckets[key] ?? Bucket(tokens: burst, updated: now)
            bucket.tokens = min(burst, bucket.tokens + (now - bucket.updated) * rate)
            bucket.updated = now
            defer { buckets[key] = bucket }
            guard bucket.tokens >= 1 else { return (1 - bucket.tokens) / rate }
            bucket.tokens -= 1
            return nil
        }
        if let wait {
            let seconds = max(1, Int(wait.rounded(.up)))
            throw ServiceError.tooManyRequests("this key exceeded its rate limit of \(rate) requests a second; retry after \(seconds) s",
                                               retryAfterSeconds: seconds)
        }
    }
}
