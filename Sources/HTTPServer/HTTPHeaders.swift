/// Header fields in arrival order. Names compare case-insensitively, as RFC 9110 requires.
public struct HTTPHeaders: Sendable, Sequence {
    public private(set) var fields: [(name: String, value: String)] = []

    public init(_ fields: [(String, String)] = []) {
        self.fields = fields.map { (name: $0.0, value: $0.1) }
    }

    /// One field (most responses carry just a `Content-Type`): one allocation instead of a literal and its copy.
    public init(name: String, value: String) {
        fields = [(name: name, value: value)]
    }

    public subscript(name: String) -> String? {
        get { fields.first { $0.name.caseInsensitiveEquals(name) }?.value }
        set {
            fields.removeAll { $0.name.caseInsensitiveEquals(name) }
            if let newValue { fields.append((name: name, value: newValue)) }
        }
    }

    /// Every value of a field that may repeat (or be smuggled twice).
    public func values(_ name: String) -> [String] {
        fields.filter { $0.name.caseInsensitiveEquals(name) }.map(\.value)
    }

    /// How many fields carry the name (no array built: this runs on every request).
    public func count(of name: String) -> Int {
        var count = 0
        for field in fields where field.name.caseInsensitiveEquals(name) { count += 1 }
        return count
    }

    public var count: Int { fields.count }

    public mutating func add(_ name: String, _ value: String) {
        fields.append((name: name, value: value))
    }

    public func makeIterator() -> IndexingIterator<[(name: String, value: String)]> {
        fields.makeIterator()
    }
}

extension String {
    /// ASCII case-insensitive equality (field names are ASCII tokens), without building lowercased copies or
    /// iterating two `UTF8View`s in step (both showed up per request in callgrind).
    func caseInsensitiveEquals(_ other: String) -> Bool {
        guard utf8.count == other.utf8.count else { return false }
        return withUTF8Bytes { x in
            other.withUTF8Bytes { y in
                for i in 0..<x.count where x[i] != y[i] {
                    let lower = x[i] | 0x20
                    guard lower == y[i] | 0x20, lower >= UInt8(ascii: "a"), lower <= UInt8(ascii: "z") else { return false }
                }
                return true
            }
        }
    }

    /// True when the comma-separated header value lists `token` (case-insensitive).
    public func headerListContains(_ token: String) -> Bool {
        split(separator: ",").contains { $0.trimmingCharacters(in: .whitespaces).lowercased() == token.lowercased() }
    }
}

import Foundation
