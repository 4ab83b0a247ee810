extension Array where Element == UInt8 {
    /// Appends a string's UTF-8 bytes with one copy. `append(contentsOf: text.utf8)` goes element by element and was
    /// the largest single cost of writing a response head and an access-log line (callgrind, `GET /healthz`).
    public mutating func appendUTF8(_ text: String) {
        var text = text
        text.withUTF8 { append(contentsOf: $0) }
    }

    /// A decimal integer, most significant digit first (no intermediate String, no reversal).
    public mutating func appendDecimal(_ value: Int) {
        if value < 0 { append(UInt8(ascii: "-")) }
        let magnitude = value.magnitude
        var divisor: UInt = 1
        while divisor <= magnitude / 10 { divisor *= 10 }
        repeat {
            append(UInt8(48 + magnitude / divisor % 10))
            divisor /= 10
        } while divisor > 0
    }
}
