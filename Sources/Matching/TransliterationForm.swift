/// A word with the spellings that transliteration varies folded together, so `Seeam`/`Siam`, `Huree`/`Khuri`,
/// `Kompany`/`Company`, `Ashquee`/`Ashqui`, `Msc`/`Msk` compare equal: `kh`→`h`, `ph`→`f`, `c`/`q`/`ck`→`k`,
/// `ee`/`ea`/`ie`→`i`, `oo`/`ou`→`u`, `y`→`i`, `w`→`v`, `z`→`s`, `dzh`/`dj`/`zh`→`j`, `x`→`ks`, doubles collapsed.
public enum TransliterationForm {
    public static func of(_ word: String) -> [UInt8] { of(Array(word.utf8)) }

    public static func of(_ word: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(word.count)
        var i = 0
        func at(_ k: Int) -> UInt8 { k < word.count ? word[k] : 0 }
        while i < word.count {
            let c = word[i], n = at(i + 1)
            var emit: [UInt8]
            var skip = 1
            switch (c, n) {
            case (UInt8(ascii: "k"), UInt8(ascii: "h")): emit = [UInt8(ascii: "h")]; skip = 2
            case (UInt8(ascii: "p"), UInt8(ascii: "h")): emit = [UInt8(ascii: "f")]; skip = 2
            case (UInt8(ascii: "c"), UInt8(ascii: "k")): emit = [UInt8(ascii: "k")]; skip = 2
            case (UInt8(ascii: "c"), UInt8(ascii: "h")): emit = [UInt8(ascii: "c"), UInt8(ascii: "h")]; skip = 2
            case (UInt8(ascii: "d"), UInt8(ascii: "z")) where at(i + 2) == UInt8(ascii: "h"): emit = [UInt8(ascii: "j")]; skip = 3
            case (UInt8(ascii: "d"), UInt8(ascii: "j")), (UInt8(ascii: "z"), UInt8(ascii: "h")): emit = [UInt8(ascii: "j")]; skip = 2
            case (UInt8(ascii: "e"), UInt8(ascii: "e")), (UInt8(ascii: "e"), UInt8(ascii: "a")), (UInt8(ascii: "i"), UInt8(ascii: "e")):
                emit = [UInt8(ascii: "i")]; skip = 2
            case (UInt8(ascii: "o"), UInt8(ascii: "o")), (UInt8(ascii: "o"), UInt8(ascii: "u")): emit = [UInt8(ascii: "u")]; skip = 2
            case (UInt8(ascii: "c"), _), (UInt8(ascii: "q"), _): emit = [UInt8(ascii: "k")]
            case (UInt8(ascii: "y"), _): emit = [UInt8(ascii: "i")]
            case (UInt8(ascii: "w"), _): emit = [UInt8(ascii: "v")]
            case (UInt8(ascii: "z"), _): emit = [UInt8(ascii: "s")]
            case (UInt8(ascii: "x"), _): emit = [UInt8(ascii: "k"), UInt8(ascii: "s")]
            default: emit = [c]
            }
            for byte in emit where out.last != byte { out.append(byte) }
            i += skip
        }
        return out
    }
}
