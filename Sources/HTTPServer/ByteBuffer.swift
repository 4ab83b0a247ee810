#if canImport(Glibc)
import Glibc
#endif

/// A growable run of bytes for building one log line or response head. An append is a bounds check and a copy;
/// `[UInt8]`'s generic append (uniqueness check, iterator hand-off, a retain and release of the source array) cost
/// ~130 instructions a call and was the largest share of the access line (callgrind, `GET /healthz`). Non-copyable,
/// so its memory has exactly one owner and is freed when the buffer goes away. The appends are inlinable: the
/// access line is written from another module, where each was a call of its own. Sendable: being non-copyable,
/// handing it to another thread hands over its only owner.
public struct ByteBuffer: ~Copyable, @unchecked Sendable {
    @usableFromInline var base: UnsafeMutablePointer<UInt8>
    @usableFromInline var used = 0
    public var count: Int { used }
    @usableFromInline var capacity: Int

    public init(capacity: Int) {
        self.capacity = max(16, capacity)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    @inlinable
    public mutating func append(_ byte: UInt8) {
        if used == capacity { grow(to: used + 1) }
        base[used] = byte
        used += 1
    }

    @inlinable
    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        if used + bytes.count > capacity { grow(to: used + bytes.count) }
        UnsafeMutableRawPointer(base + used).copyMemory(from: source, byteCount: bytes.count)
        used += bytes.count
    }

    public mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        append(UnsafeRawBufferPointer(bytes))
    }

    /// Literal text (field names, punctuation): no reference counting at all.
    @inlinable
    public mutating func append(_ text: StaticString) {
        text.withUTF8Buffer { append($0) }
    }

    public mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { append($0) }
    }

    public mutating func appendUTF8(_ text: String) {
        text.withUTF8Bytes { append($0) }
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

    /// `value` (0...99) as two digits, for dates and times; divisions by a constant compile to multiplications.
    @inlinable
    public mutating func appendTwoDigits(_ value: Int) {
        append(UInt8(truncatingIfNeeded: 48 + value / 10))
        append(UInt8(truncatingIfNeeded: 48 + value % 10))
    }

    /// The lowercase hex digit of `value` (0...15), as an ASCII byte.
    static func hexDigit(_ value: UInt8) -> UInt8 { value < 10 ? 0x30 + value : 0x57 + value }

    public func withUnsafeBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        try body(UnsafeBufferPointer(start: base, count: used))
    }

    public var string: String { withUnsafeBytes { String(decoding: $0, as: UTF8.self) } }

    @usableFromInline
    mutating func grow(to needed: Int) {
        let newCapacity = max(needed, capacity * 2)
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.update(from: base, count: used)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }
}

extension String {
    /// The string's UTF-8 bytes, borrowed in place when it is stored contiguously (almost always): `withUTF8` needs a
    /// mutable copy, which costs a retain and a release per call.
    @inlinable
    public func withUTF8Bytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        if let result = try utf8.withContiguousStorageIfAvailable(body) { return result }
        var copy = self
        return try copy.withUTF8(body)
    }
}
