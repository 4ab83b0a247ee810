/// A consonant skeleton that ignores the spellings transliteration varies: vowels (and `w`/`y`/`h` inside a
/// word) are dropped, similar consonants merged, doubles collapsed. `Emiro`/`Emeero`, `Suarez`/`Souarez`,
/// `Mazloom`/`mzlwm` (unvowelled Arabic) share a key.
public enum PhoneticKey {
    /// The key, and for words with `w` a second key reading it as `v` (Slavic and German spellings:
    /// `Kalinowski`/`Kalinovski`).
    public static func keys(_ token: String) -> [String] {
        let plain = key(token)
        guard token.utf8.dropFirst().contains(UInt8(ascii: "w")) else { return [plain] }
        let asV = key(token.replacingOccurrences(of: "w", with: "v"))
        return asV == plain ? [plain] : [plain, asV]
    }

    public static func key(_ token: String) -> String {
        var out: [UInt8] = []
        let bytes = Array(token.utf8)
        var i = 0
        while i < bytes.count {
            var c = bytes[i]
            let next: UInt8 = i + 1 < bytes.count ? bytes[i + 1] : 0
            // Digraphs first.
            if c == UInt8(ascii: "p") && next == UInt8(ascii: "h") { c = UInt8(ascii: "f"); i += 1 }
            else if c == UInt8(ascii: "k") && next == UInt8(ascii: "h") { c = UInt8(ascii: "h"); i += 1 }
            else if c == UInt8(ascii: "g") && next == UInt8(ascii: "h") { c = UInt8(ascii: "g"); i += 1 }
            else if (c == UInt8(ascii: "t") || c == UInt8(ascii: "d")) && next == UInt8(ascii: "h") { c = UInt8(ascii: "t"); i += 1 }
            else if (c == UInt8(ascii: "s") || c == UInt8(ascii: "c")) && next == UInt8(ascii: "h") { c = UInt8(ascii: "s"); i += 1 }
            else if c == UInt8(ascii: "d") && (next == UInt8(ascii: "j") || next == UInt8(ascii: "z")) { c = UInt8(ascii: "j"); i += 1 }
            else if c == UInt8(ascii: "z") && next == UInt8(ascii: "h") { c = UInt8(ascii: "j"); i += 1 }
            switch c {
            case UInt8(ascii: "a"), UInt8(ascii: "e"), UInt8(ascii: "i"), UInt8(ascii: "o"), UInt8(ascii: "u"): c = 0
            case UInt8(ascii: "y"), UInt8(ascii: "w"), UInt8(ascii: "h"): c = i == 0 ? c : 0
            case UInt8(ascii: "c"), UInt8(ascii: "q"): c = UInt8(ascii: "k")
            case UInt8(ascii: "z"): c = UInt8(ascii: "s")
            case UInt8(ascii: "v"): c = UInt8(ascii: "f")
            case UInt8(ascii: "x"): out.append(UInt8(ascii: "k")); c = UInt8(ascii: "s")
            default: break
            }
            if c != 0 && out.last != c { out.append(c) }
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}
