/// Edit distance between words, for typo tolerance.
public enum StringSimilarity {
    /// Optimal-string-alignment distance (Levenshtein plus adjacent transpositions), or `limit + 1` once it
    /// exceeds `limit` (most comparisons stop early).
    public static func distance(_ a: [UInt8], _ b: [UInt8], limit: Int) -> Int {
        if abs(a.count - b.count) > limit { return limit + 1 }
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous2 = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            var rowMinimum = current[0]
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { value = min(value, previous2[j - 2] + 1) }
                current[j] = value
                rowMinimum = min(rowMinimum, value)
            }
            if rowMinimum > limit { return limit + 1 }
            (previous2, previous, current) = (previous, current, previous2)
        }
        return previous[b.count]
    }

    /// Edits allowed for a word of this length: none up to 3 letters, one from 4, two from 8.
    public static func allowedEdits(_ length: Int) -> Int {
        length >= 8 ? 2 : length >= 4 ? 1 : 0
    }

    /// Similarity of two words in [0, 1]: 1 when equal, lower per edit relative to length; 0 beyond the allowance
    /// (set by the shorter word, or by the longer one when `lenient`, for legal forms like `lllc`).
    public static func similarity(_ a: [UInt8], _ b: [UInt8], lenient: Bool = false) -> Double {
        if a == b { return 1 }
        let longest = max(a.count, b.count)
        let shortest = min(a.count, b.count)
        // A three-letter word may lack one letter (`shp`, `imd`), and legal forms are read leniently.
        let allowed = lenient ? allowedEdits(longest) : shortest == 3 && longest == 4 ? 1 : allowedEdits(shortest)
        guard allowed > 0 else { return 0 }
        let d = distance(a, b, limit: allowed)
        guard d <= allowed else { return 0 }
        return max(0, 1 - Double(d) / Double(longest) * 1.2)
    }

    /// Whether two words differ only in their vowels or in doubled letters (`Lerma`, `Larma`, `Leerma`): the same
    /// consonants in the same order, and the same vowel positions once doubles collapse.
    static func sameConsonants(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        func shape(_ word: [UInt8]) -> [UInt8] {
            var out: [UInt8] = []
            for c in word {
                let symbol = PreparedQuery.isVowel(c) ? UInt8(ascii: "*") : c
                if out.last != symbol { out.append(symbol) }
            }
            return out
        }
        return a != b && shape(a) == shape(b)
    }
}
