import Foundation

/// Writes canonical JSON: object keys sorted by their UTF-8 bytes, no whitespace, `/` unescaped, integral doubles
/// without a fraction. These are the bytes Foundation's `JSONEncoder` writes with `[.sortedKeys,
/// .withoutEscapingSlashes]` (tests hold the two to byte equality), so records written by either hash alike; this
/// encoder writes them at a fraction of the cost, which matters because every decision record is encoded on the
/// request's path.
///
/// Values are gathered into a small tree first (an object's keys can only be sorted once all are known, and a type
/// may ask for its keyed container more than once), then written into one buffer. Dates, URLs and `Data` are not
/// among the records' types; a value that encodes one is refused rather than written in some other encoder's form.
public struct CanonicalJSONEncoder: Sendable {
    public init() {}

    /// Not inlined, so a profile (`scripts/benchmarks/screen-instructions.sh`) sees what encoding costs.
    @inline(never)
    public func encode<T: Encodable>(_ value: T) throws -> Data {
        var writer = CanonicalJSONWriter()
        try writer.write(try JSONNodeEncoder.node(for: value, parent: nil, key: nil))
        return Data(writer.bytes)
    }
}

/// One value of the tree, scalars kept as they are until written.
private enum JSONNode {
    case null
    case bool(Bool)
    case integer(Int64)
    case unsigned(UInt64)
    case double(Double)
    case float(Float)
    case string(String)
    case object(JSONObjectBox)
    case array(JSONArrayBox)
}

/// An object's fields in the order they were encoded; a key encoded twice keeps its last value, as in Foundation.
private final class JSONObjectBox {
    var fields: [JSONField] = []

    func set(_ key: String, _ value: JSONNode) { fields.append(JSONField(key: key, value: value)) }
}

private struct JSONField {
    var key: String
    var value: JSONNode
}

private final class JSONArrayBox {
    var items: [JSONNode] = []
}

/// The `Encoder` a value's `encode(to:)` writes into: it holds the node its containers fill, and where the value
/// sits as a link to its parent, made into a coding path only when asked (errors, and types that read it): building
/// the path for every nested value would cost more than encoding it.
private final class JSONNodeEncoder: Encoder {
    private let parent: JSONNodeEncoder?
    private let key: (any CodingKey)?
    var node: JSONNode?

    init(parent: JSONNodeEncoder?, key: (any CodingKey)?) {
        self.parent = parent
        self.key = key
    }

    var codingPath: [any CodingKey] {
        var path: [any CodingKey] = []
        var link: JSONNodeEncoder? = self
        while let current = link {
            if let key = current.key { path.append(key) }
            link = current.parent
        }
        return path.reversed()
    }

    var userInfo: [CodingUserInfoKey: Any] { [:] }

    /// The node of `value` at `key` below `parent`: scalars directly, anything else through its own `encode(to:)`;
    /// a value that encodes nothing is an empty object, as in Foundation.
    static func node<T: Encodable>(for value: T, parent: JSONNodeEncoder?, key: (any CodingKey)?) throws -> JSONNode {
        // Metatype comparisons first: a cast attempt on every nested value would cost more than the encoding.
        if T.self == String.self, let string = value as? String { return .string(string) }
        if T.self == Double.self, let double = value as? Double { return try checked(double, parent: parent, key: key) }
        let encoder = JSONNodeEncoder(parent: parent, key: key)
        if T.self == Date.self || T.self == URL.self || T.self == Data.self || T.self == Decimal.self {
            throw EncodingError.invalidValue(value, .init(codingPath: encoder.codingPath, debugDescription: "\(T.self) has no canonical JSON form here"))
        }
        try value.encode(to: encoder)
        return encoder.node ?? .object(JSONObjectBox())
    }

    static func checked(_ value: Double, parent: JSONNodeEncoder?, key: (any CodingKey)?) throws -> JSONNode {
        guard value.isFinite else { throw notANumber(value, parent: parent, key: key) }
        return .double(value)
    }

    static func checked(_ value: Float, parent: JSONNodeEncoder?, key: (any CodingKey)?) throws -> JSONNode {
        guard value.isFinite else { throw notANumber(value, parent: parent, key: key) }
        return .float(value)
    }

    private static func notANumber(_ value: Any, parent: JSONNodeEncoder?, key: (any CodingKey)?) -> EncodingError {
        .invalidValue(value, .init(codingPath: JSONNodeEncoder(parent: parent, key: key).codingPath, debugDescription: "\(value) is not a JSON number"))
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if case .object(let existing) = node { return KeyedEncodingContainer(KeyedContainer(box: existing, encoder: self)) }
        let box = JSONObjectBox()
        node = .object(box)
        return KeyedEncodingContainer(KeyedContainer(box: box, encoder: self))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if case .array(let existing) = node { return UnkeyedContainer(box: existing, encoder: self) }
        let box = JSONArrayBox()
        node = .array(box)
        return UnkeyedContainer(box: box, encoder: self)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { SingleValueContainer(encoder: self) }

    private struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let box: JSONObjectBox
        /// Where this object sits.
        let encoder: JSONNodeEncoder
        var codingPath: [any CodingKey] { encoder.codingPath }

        private func set(_ node: JSONNode, _ key: Key) { box.set(key.stringValue, node) }

        mutating func encodeNil(forKey key: Key) throws { set(.null, key) }
        mutating func encode(_ value: Bool, forKey key: Key) throws { set(.bool(value), key) }
        mutating func encode(_ value: String, forKey key: Key) throws { set(.string(value), key) }
        mutating func encode(_ value: Double, forKey key: Key) throws { set(try JSONNodeEncoder.checked(value, parent: encoder, key: key), key) }
        mutating func encode(_ value: Float, forKey key: Key) throws { set(try JSONNodeEncoder.checked(value, parent: encoder, key: key), key) }
        mutating func encode(_ value: Int, forKey key: Key) throws { set(.integer(Int64(value)), key) }
        mutating func encode(_ value: Int8, forKey key: Key) throws { set(.integer(Int64(value)), key) }
        mutating func encode(_ value: Int16, forKey key: Key) throws { set(.integer(Int64(value)), key) }
        mutating func encode(_ value: Int32, forKey key: Key) throws { set(.integer(Int64(value)), key) }
        mutating func encode(_ value: Int64, forKey key: Key) throws { set(.integer(value), key) }
        mutating func encode(_ value: UInt, forKey key: Key) throws { set(.unsigned(UInt64(value)), key) }
        mutating func encode(_ value: UInt8, forKey key: Key) throws { set(.unsigned(UInt64(value)), key) }
        mutating func encode(_ value: UInt16, forKey key: Key) throws { set(.unsigned(UInt64(value)), key) }
        mutating func encode(_ value: UInt32, forKey key: Key) throws { set(.unsigned(UInt64(value)), key) }
        mutating func encode(_ value: UInt64, forKey key: Key) throws { set(.unsigned(value), key) }
        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
            set(try JSONNodeEncoder.node(for: value, parent: encoder, key: key), key)
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
            let nested = JSONObjectBox()
            set(.object(nested), key)
            return KeyedEncodingContainer(KeyedContainer<NestedKey>(box: nested, encoder: JSONNodeEncoder(parent: encoder, key: key)))
        }

        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            let nested = JSONArrayBox()
            set(.array(nested), key)
            return UnkeyedContainer(box: nested, encoder: JSONNodeEncoder(parent: encoder, key: key))
        }

        mutating func superEncoder() -> any Encoder { SuperEncoder(box: box, key: "super", inner: JSONNodeEncoder(parent: encoder, key: SuperKey())) }
        mutating func superEncoder(forKey key: Key) -> any Encoder {
            SuperEncoder(box: box, key: key.stringValue, inner: JSONNodeEncoder(parent: encoder, key: key))
        }
    }

    private struct UnkeyedContainer: UnkeyedEncodingContainer {
        let box: JSONArrayBox
        /// Where this array sits.
        let encoder: JSONNodeEncoder
        var codingPath: [any CodingKey] { encoder.codingPath }
        var count: Int { box.items.count }

        private var nextKey: IndexKey { IndexKey(intValue: box.items.count) }

        mutating func encodeNil() throws { box.items.append(.null) }
        mutating func encode(_ value: Bool) throws { box.items.append(.bool(value)) }
        mutating func encode(_ value: String) throws { box.items.append(.string(value)) }
        mutating func encode(_ value: Double) throws { box.items.append(try JSONNodeEncoder.checked(value, parent: encoder, key: nextKey)) }
        mutating func encode(_ value: Float) throws { box.items.append(try JSONNodeEncoder.checked(value, parent: encoder, key: nextKey)) }
        mutating func encode(_ value: Int) throws { box.items.append(.integer(Int64(value))) }
        mutating func encode(_ value: Int8) throws { box.items.append(.integer(Int64(value))) }
        mutating func encode(_ value: Int16) throws { box.items.append(.integer(Int64(value))) }
        mutating func encode(_ value: Int32) throws { box.items.append(.integer(Int64(value))) }
        mutating func encode(_ value: Int64) throws { box.items.append(.integer(value)) }
        mutating func encode(_ value: UInt) throws { box.items.append(.unsigned(UInt64(value))) }
        mutating func encode(_ value: UInt8) throws { box.items.append(.unsigned(UInt64(value))) }
        mutating func encode(_ value: UInt16) throws { box.items.append(.unsigned(UInt64(value))) }
        mutating func encode(_ value: UInt32) throws { box.items.append(.unsigned(UInt64(value))) }
        mutating func encode(_ value: UInt64) throws { box.items.append(.unsigned(value)) }
        mutating func encode<T: Encodable>(_ value: T) throws {
            box.items.append(try JSONNodeEncoder.node(for: value, parent: encoder, key: nextKey))
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
            let nested = JSONObjectBox()
            let path = JSONNodeEncoder(parent: encoder, key: nextKey)
            box.items.append(.object(nested))
            return KeyedEncodingContainer(KeyedContainer<NestedKey>(box: nested, encoder: path))
        }

        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
            let nested = JSONArrayBox()
            let path = JSONNodeEncoder(parent: encoder, key: nextKey)
            box.items.append(.array(nested))
            return UnkeyedContainer(box: nested, encoder: path)
        }

        mutating func superEncoder() -> any Encoder {
            let slot = JSONObjectBox()
            let inner = JSONNodeEncoder(parent: encoder, key: nextKey)
            inner.node = .object(slot)
            box.items.append(.object(slot))
            return inner
        }
    }

    private struct SingleValueContainer: SingleValueEncodingContainer {
        let encoder: JSONNodeEncoder
        var codingPath: [any CodingKey] { encoder.codingPath }

        private func set(_ node: JSONNode) { encoder.node = node }

        mutating func encodeNil() throws { set(.null) }
        mutating func encode(_ value: Bool) throws { set(.bool(value)) }
        mutating func encode(_ value: String) throws { set(.string(value)) }
        mutating func encode(_ value: Double) throws { set(try JSONNodeEncoder.checked(value, parent: encoder, key: nil)) }
        mutating func encode(_ value: Float) throws { set(try JSONNodeEncoder.checked(value, parent: encoder, key: nil)) }
        mutating func encode(_ value: Int) throws { set(.integer(Int64(value))) }
        mutating func encode(_ value: Int8) throws { set(.integer(Int64(value))) }
        mutating func encode(_ value: Int16) throws { set(.integer(Int64(value))) }
        mutating func encode(_ value: Int32) throws { set(.integer(Int64(value))) }
        mutating func encode(_ value: Int64) throws { set(.integer(value)) }
        mutating func encode(_ value: UInt) throws { set(.unsigned(UInt64(value))) }
        mutating func encode(_ value: UInt8) throws { set(.unsigned(UInt64(value))) }
        mutating func encode(_ value: UInt16) throws { set(.unsigned(UInt64(value))) }
        mutating func encode(_ value: UInt32) throws { set(.unsigned(UInt64(value))) }
        mutating func encode(_ value: UInt64) throws { set(.unsigned(value)) }
        mutating func encode<T: Encodable>(_ value: T) throws {
            set(try JSONNodeEncoder.node(for: value, parent: encoder.parent, key: encoder.key))
        }
    }

    /// `superEncoder()`: the parent's encoding, written under `key` of the object when it is done with.
    private final class SuperEncoder: Encoder {
        private let inner: JSONNodeEncoder
        private let box: JSONObjectBox
        private let key: String
        var codingPath: [any CodingKey] { inner.codingPath }
        var userInfo: [CodingUserInfoKey: Any] { [:] }

        init(box: JSONObjectBox, key: String, inner: JSONNodeEncoder) {
            self.box = box
            self.key = key
            self.inner = inner
        }

        deinit { box.set(key, inner.node ?? .object(JSONObjectBox())) }

        func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> { inner.container(keyedBy: type) }
        func unkeyedContainer() -> any UnkeyedEncodingContainer { inner.unkeyedContainer() }
        func singleValueContainer() -> any SingleValueEncodingContainer { inner.singleValueContainer() }
    }

    private struct IndexKey: CodingKey {
        var stringValue: String { "Index \(intValue ?? 0)" }
        var intValue: Int?
        init(intValue: Int) { self.intValue = intValue }
        init?(stringValue: String) { nil }
    }

    private struct SuperKey: CodingKey {
        var stringValue: String { "super" }
        var intValue: Int? { nil }
        init() {}
        init?(stringValue: String) { nil }
        init?(intValue: Int) { nil }
    }
}

/// Writes the tree's bytes.
private struct CanonicalJSONWriter {
    var bytes: [UInt8] = []

    init() { bytes.reserveCapacity(4096) }

    mutating func write(_ node: JSONNode) throws {
        switch node {
        case .null: bytes.append(contentsOf: "null".utf8)
        case .bool(let value): bytes.append(contentsOf: (value ? "true" : "false").utf8)
        case .integer(let value):
            if value < 0 { bytes.append(UInt8(ascii: "-")) }
            digits(value.magnitude)
        case .unsigned(let value): digits(value)
        case .double(let value): number(value.description)
        case .float(let value): number(value.description)
        case .string(let value): string(value)
        case .array(let box):
            bytes.append(UInt8(ascii: "["))
            var first = true
            for item in box.items {
                if !first { bytes.append(UInt8(ascii: ",")) }
                first = false
                try write(item)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let box):
            bytes.append(UInt8(ascii: "{"))
            var first = true
            let fields = box.fields
            for index in Self.sortedIndices(fields) {
                if !first { bytes.append(UInt8(ascii: ",")) }
                first = false
                string(fields[index].key)
                bytes.append(UInt8(ascii: ":"))
                try write(fields[index].value)
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }

    /// The fields' places, by their keys' UTF-8 bytes; of a key encoded twice, the last value's. Places are sorted
    /// rather than the fields, which would be copied, retained and released at every move.
    private static func sortedIndices(_ fields: [JSONField]) -> [Int] {
        var order = Array(fields.indices)
        order.sort { a, b in
            let (keyA, keyB) = (fields[a].key, fields[b].key)
            return keyA == keyB ? a < b : precedes(keyA, keyB)
        }
        var kept: [Int] = []
        kept.reserveCapacity(order.count)
        for index in order {
            if let last = kept.last, fields[last].key == fields[index].key { kept.removeLast() }
            kept.append(index)
        }
        return kept
    }

    /// UTF-8 byte order. `String`'s own `<` agrees with it only for text in normal form C, and request bodies keep
    /// whatever keys their senders wrote.
    private static func precedes(_ a: String, _ b: String) -> Bool {
        var (a, b) = (a, b)
        return a.withUTF8 { a in b.withUTF8 { b in
            let common = min(a.count, b.count)
            if common > 0, let baseA = a.baseAddress, let baseB = b.baseAddress {
                let order = memcmp(baseA, baseB, common)
                if order != 0 { return order < 0 }
            }
            return a.count < b.count
        } }
    }

    /// A whole number's decimal digits, written without a `String` in between.
    private mutating func digits(_ value: UInt64) {
        var scratch: (UInt64, UInt64, UInt64) = (0, 0, 0)
        withUnsafeMutableBytes(of: &scratch) { buffer in
            var rest = value
            var start = buffer.count
            repeat {
                start -= 1
                buffer[start] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            } while rest > 0
            bytes.append(contentsOf: buffer[start...])
        }
    }

    /// Swift's shortest round-trip form, an integral value without its `.0` (`1`, `-0`, `1e+21`).
    private mutating func number(_ text: String) {
        bytes.append(contentsOf: text.utf8)
        if text.utf8.count > 2 && bytes[bytes.count - 2] == UInt8(ascii: ".") && bytes[bytes.count - 1] == UInt8(ascii: "0") {
            bytes.removeLast(2)
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    private mutating func string(_ value: String) {
        var value = value
        bytes.append(UInt8(ascii: "\""))
        value.withUTF8 { text in
            // Most text needs no escape and is copied whole.
            guard text.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) else {
                bytes.append(contentsOf: text)
                return
            }
            for byte in text { escaped(byte) }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func escaped(_ byte: UInt8) {
        switch byte {
        case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
        case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
        case 0x0A: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
        case 0x0D: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
        case 0x09: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
        case 0x08: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
        case 0x0C: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
        case 0..<0x20:
            bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                      Self.hexDigits[Int(byte >> 4)], Self.hexDigits[Int(byte & 0xF)]])
        default: bytes.append(byte)
        }
    }
}
