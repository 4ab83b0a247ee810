/// Whether one byte string occurs inside another. The standard library's `Collection.contains(_:)` for a
/// subsequence goes through a generic searcher that costs thousands of instructions a call, for words a few bytes
/// long, where a plain scan is the fastest there is.
enum ByteSearch {
    /// Whether `part` occurs in `text`; an empty `part` occurs everywhere.
    static func occurs(_ part: [UInt8], in text: [UInt8]) -> Bool {
        guard let first = part.first else { return true }
        guard part.count <= text.count else { return false }
        for start in 0...(text.count - part.count) where text[start] == first {
            var matched = 1
            while matched < part.count && text[start + matched] == part[matched] { matched += 1 }
            if matched == part.count { return true }
        }
        return false
    }
}
