/// Undoes the ways a name is disguised to slip past a screen while a reader still sees the listed name: letters
/// that look alike from another script (`Hіkvіsіon` with Ukrainian і), invisible characters inside a word
/// (zero-width space, soft hyphen), and letters spaced or punctuated apart (`H i k v i s i o n`, `H-i-k-v-i-s-i-o-n`).
/// Wide and mathematical letters (`Ｈｉｋｖｉｓｉｏｎ`, `𝐇𝐢𝐤𝐯𝐢𝐬𝐢𝐨𝐧`) are folded by compatibility mapping already, and
/// reported here. The same folding applies to list names, so both sides read alike; what was undone is reported, as a
/// disguised query is itself a finding for a reviewer.
public enum Disguise: String, Sendable, CaseIterable {
    case lookAlikeLetters = "look-alike letters from another script"
    case invisibleCharacters = "invisible characters inside a word"
    case spacedLetters = "letters spaced or punctuated apart"
    case styledLetters = "full-width or styled letters"
    case digitsForLetters = "digits in place of letters"

    /// The text compatibility-folded, with look-alike letters and invisible characters undone, and what was found.
    static func undo(_ text: String) -> (text: String, found: Set<Disguise>) {
        guard text.unicodeScalars.contains(where: { $0.value > 0x7F }) else { return (text, []) }
        var found: Set<Disguise> = []
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if invisible.contains(scalar.value) {
                found.insert(.invisibleCharacters)
                continue
            }
            scalars.append(scalar)
        }
        if scalars.contains(where: { (0xFF01...0xFF5E).contains($0.value) || (0x1D400...0x1D7FF).contains($0.value) }) { found.insert(.styledLetters) }
        let compatible = String(scalars).precomposedStringWithCompatibilityMapping
        // Per word: one mixing Latin with Cyrillic or Greek letters, or Cyrillic with Greek, is disguised; so is one
        // made only of look-alikes in a name whose other words are Latin. Its look-alikes are read as Latin.
        let words = compatible.split(omittingEmptySubsequences: false) { $0.isWhitespace }
        let latinElsewhere = words.contains { word in word.unicodeScalars.contains(where: isLatinLetter) }
        var result: [String] = []
        for word in words {
            let scalars = word.unicodeScalars
            let latin = scalars.contains(where: isLatinLetter)
            let cyrillic = scalars.contains { (0x0400...0x052F).contains($0.value) }
            let greek = scalars.contains { (0x0370...0x03FF).contains($0.value) }
            let lookAlikesOnly = scalars.allSatisfy { !$0.properties.isAlphabetic || lookAlikes[$0.value] != nil }
            let mixed = (latin && (cyrillic || greek)) || (cyrillic && greek)
            guard mixed || ((cyrillic || greek) && lookAlikesOnly && latinElsewhere) else {
                result.append(String(word))
                continue
            }
            found.insert(.lookAlikeLetters)
            result.append(String(String.UnicodeScalarView(scalars.map { scalar in lookAlikes[scalar.value].flatMap(Unicode.Scalar.init) ?? scalar })))
        }
        return (result.joined(separator: " "), found)
    }

    private static func isLatinLetter(_ scalar: Unicode.Scalar) -> Bool {
        (0x41...0x5A).contains(scalar.value) || (0x61...0x7A).contains(scalar.value) || (0xC0...0x24F).contains(scalar.value)
    }

    /// Format and zero-width characters that render as nothing: zero-width space, joiners, marks, word joiner,
    /// invisible operators, byte order mark, soft hyphen, Mongolian vowel separator.
    static let invisible: Set<UInt32> = [0x00AD, 0x180E, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2060, 0x2061, 0x2062, 0x2063, 0x2064, 0xFEFF]

    /// Cyrillic and Greek letters that Unicode's confusables data (`confusables.txt`, prototype mappings) gives a
    /// single Latin letter as their look-alike.
    static let lookAlikes: [UInt32: UInt32] = {
        let pairs: [(Character, Character)] = [
            // Cyrillic
            ("А", "A"), ("В", "B"), ("Е", "E"), ("З", "3"), ("К", "K"), ("М", "M"), ("Н", "H"), ("О", "O"), ("Р", "P"), ("С", "C"), ("Т", "T"),
            ("У", "Y"), ("Х", "X"), ("Ѕ", "S"), ("І", "I"), ("Ј", "J"), ("Ԛ", "Q"), ("Ԝ", "W"), ("Ү", "Y"), ("Һ", "h"), ("Ӏ", "I"),
            ("а", "a"), ("е", "e"), ("о", "o"), ("р", "p"), ("с", "c"), ("у", "y"), ("х", "x"), ("ѕ", "s"), ("і", "i"), ("ј", "j"),
            ("ԁ", "d"), ("ԛ", "q"), ("ԝ", "w"), ("һ", "h"), ("ү", "y"), ("ӏ", "l"), ("ё", "e"), ("ї", "i"),
            // Greek
            ("Α", "A"), ("Β", "B"), ("Ε", "E"), ("Ζ", "Z"), ("Η", "H"), ("Ι", "I"), ("Κ", "K"), ("Μ", "M"), ("Ν", "N"), ("Ο", "O"), ("Ρ", "P"),
            ("Τ", "T"), ("Υ", "Y"), ("Χ", "X"), ("ο", "o"), ("ν", "v"), ("ι", "i"), ("α", "a"), ("κ", "k"), ("ρ", "p"), ("υ", "u"), ("χ", "x"),
        ]
        var table: [UInt32: UInt32] = [:]
        for (from, to) in pairs {
            if let f = from.unicodeScalars.first, let t = to.unicodeScalars.first { table[f.value] = t.value }
        }
        return table
    }()

    /// A digit between two letters of a word read as the letter it stands in for (`Ig0r Sech1n`, `Ab3l`): 0 o, 1 i,
    /// 3 e, 4 a, 5 s, 7 t. A number at the start or end of a word (`3M`, `MiG29`, `T-72`) stays a number.
    static func readDigitsAsLetters(_ words: [String]) -> (words: [String], replaced: Bool) {
        var replaced = false
        let result = words.map { word -> String in
            var bytes = Array(word.utf8)
            guard bytes.count >= 3, bytes.contains(where: { (0x30...0x39).contains($0) }) else { return word }
            func isLetter(_ byte: UInt8) -> Bool { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) }
            guard bytes.filter(isLetter).count >= 2 else { return word }
            var changed = false
            for i in bytes.indices.dropFirst().dropLast() where isLetter(bytes[i - 1]) && isLetter(bytes[i + 1]) {
                if let letter = digitLetters[bytes[i]] {
                    bytes[i] = letter
                    changed = true
                }
            }
            guard changed else { return word }
            replaced = true
            return String(decoding: bytes, as: UTF8.self)
        }
        return (result, replaced)
    }

    private static let digitLetters: [UInt8: UInt8] = [
        UInt8(ascii: "0"): UInt8(ascii: "o"), UInt8(ascii: "1"): UInt8(ascii: "i"), UInt8(ascii: "3"): UInt8(ascii: "e"),
        UInt8(ascii: "4"): UInt8(ascii: "a"), UInt8(ascii: "5"): UInt8(ascii: "s"), UInt8(ascii: "7"): UInt8(ascii: "t"),
    ]

    /// Joins runs of three or more one-letter words (`h i k v i s i o n`, split at spaces, hyphens or underscores)
    /// into one word; the dots of `H.i.k.v.i.s.i.o.n` are dropped before words are split, so that one needs nothing.
    static func joinSpacedLetters(_ words: [String]) -> (words: [String], joined: Bool) {
        var result: [String] = []
        var run: [String] = []
        var joined = false
        func flush() {
            if run.count >= 3 {
                result.append(run.joined())
                joined = true
            } else {
                result += run
            }
            run.removeAll()
        }
        for word in words {
            if word.utf8.count == 1, let byte = word.utf8.first, (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) {
                run.append(word)
            } else {
                flush()
                result.append(word)
            }
        }
        flush()
        return (result, joined)
    }
}
