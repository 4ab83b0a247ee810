import Foundation

/// When a body must have arrived by: a base allowance plus what its size needs at the slowest accepted rate. A chunked
/// body's size is unknown up front, so its deadline grows with what has arrived.
final class BodyDeadline {
    private let start = MonotonicClock.now()
    private let base: Double
    private let rate: Double
    /// The declared length, or for a chunked body what has arrived so far.
    private var bytes: Int
    private let chunked: Bool

    init(_ configuration: ServerConfiguration, declared: Int?) {
        base = configuration.bodyReadTimeout
        rate = max(1, configuration.minBodyBytesPerSecond)
        bytes = declared ?? 0
        chunked = declared == nil
    }

    /// Seconds the body is given in all, as it stands.
    var allowance: Double { base + Double(bytes) / rate }
    var at: Double { start + allowance }

    func received(_ count: Int) {
        if chunked { bytes += count }
    }
}
