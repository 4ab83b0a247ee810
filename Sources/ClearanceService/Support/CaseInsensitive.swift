import Foundation

/// Case-insensitive comparison of the short texts policies compare with list entries (source list names, programs),
/// for every match of every screening. ASCII is folded byte by byte: Foundation's locale-aware search cost a tenth of
/// a screening's CPU. Other text falls back to Foundation's.
enum CaseInsensitive {
    /// Whether `part` occurs in `text`, ignoring case.
    static func contains(_ text: String, _ part: String) -> Bool {
        guard let haystack = folded(text), let needle = folded(part) else { return text.range(of: part, options: .caseInsensitive) != nil }
        return needle.isEmpty || haystack.contains(needle)
    }

    /// Whether `a` and `b` are the same text, ignoring case.
    static func equal(_ a: String, _ b: String) -> Bool {
        guard let x = folded(a), let y = folded(b) else { return a.caseInsensitiveCompare(b) == .orderedSame }
        return x == y
    }

    /// The text's bytes with ASCII capitals lowered; nil when it is not all ASCII.
    private static func folded(_ text: String) -> [UInt8]? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            guard byte < 0x80 else { return nil }
            bytes.append((UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte + 32 : byte)
        }
        return bytes
    }
}
