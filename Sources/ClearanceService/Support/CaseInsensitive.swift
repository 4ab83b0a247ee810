import Foundation

/// Case-insensitive comparison of the short texts policies compare with list entries (source list names, programs),
/// for every match of every screening. ASCII is folded byte by byte, in place: Foundation's locale-aware search cost
/// a tenth of a screening's CPU, and folded copies of the texts most of the rest. Other text falls back to
/// Foundation's.
enum CaseInsensitive {
    /// Whether `part` occurs in `text`, ignoring case.
    static func contains(_ text: String, _ part: String) -> Bool {
        asciiBytes(text, part) { text, part in
            guard !part.isEmpty else { return true }
            guard part.count <= text.count else { return false }
            return (0...(text.count - part.count)).contains { start in
                (0..<part.count).allSatisfy { folded(text[start + $0]) == folded(part[$0]) }
            }
        } ?? (text.range(of: part, options: .caseInsensitive) != nil)
    }

    /// Whether `a` and `b` are the same text, ignoring case.
    static func equal(_ a: String, _ b: String) -> Bool {
        asciiBytes(a, b) { a, b in a.count == b.count && zip(a, b).allSatisfy { folded($0) == folded($1) } }
            ?? (a.caseInsensitiveCompare(b) == .orderedSame)
    }

    /// `compare` over the two texts' UTF-8 bytes when both are ASCII; nil otherwise.
    private static func asciiBytes(_ a: String, _ b: String, _ compare: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>) -> Bool) -> Bool? {
        var (a, b) = (a, b)
        return a.withUTF8 { a in
            b.withUTF8 { b in
                a.allSatisfy { $0 < 0x80 } && b.allSatisfy { $0 < 0x80 } ? compare(a, b) : nil
            }
        }
    }

    private static func folded(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte + 32 : byte
    }
}
