import Foundation

/// Turns a name as written anywhere into comparable tokens: compatibility folding, transliteration of non-Latin
/// scripts to Latin, diacritics and case removed, punctuation dropped, honorifics removed, legal forms and particles
/// marked.
public enum Normalizer {
    /// Normalised tokens of `text`, the same for list names and queries.
    public static func tokens(_ text: String) -> [NameToken] { analyze(text).tokens }

    /// The legal systems a name's legal forms belong to: `common-law` (Ltd, Co, Corp, Inc, LLC) or `civil-law` (S.A.,
    /// GmbH, B.V., AB, OOO, Kft, FZE, A.S.). Forms every system uses (`Joint Stock`, `Pte`) count for neither. Two
    /// names of one company agree; `GLG Corp Ltd` and `G.L.G. S.A.` do not.
    public static func legalSystems(_ text: String) -> Set<String> {
        Set(tokens(text).compactMap { token in
            guard token.role == .legalForm, let form = Vocabulary.legalForms[token.text] else { return nil }
            return Vocabulary.commonLawForms.contains(form) ? "common-law" : Vocabulary.civilLawForms.contains(form) ? "civil-law" : nil
        })
    }

    /// The tokens and the script the text was written in (transliterating once).
    static func analyze(_ text: String) -> (tokens: [NameToken], script: Script) {
        let (tokens, script, _) = analyzeDisguised(text)
        return (tokens, script)
    }

    /// The tokens, the script, and the disguises undone on the way (see `Disguise`).
    static func analyzeDisguised(_ text: String) -> (tokens: [NameToken], script: Script, disguises: Set<Disguise>) {
        let (undisguised, found) = Disguise.undo(text)
        var disguises = found
        let (ascii, script) = latinASCII(undisguised)
        var words: [String] = []
        var current: [UInt8] = []
        func flush() {
            if !current.isEmpty { words.append(String(decoding: current, as: UTF8.self)) }
            current.removeAll(keepingCapacity: true)
        }
        for byte in ascii.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): current.append(byte)
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): current.append(byte + 32)
            // Apostrophes and dots join (MI'MAR → mimar, L.L.C. → llc); everything else separates.
            case UInt8(ascii: "'"), UInt8(ascii: "`"), UInt8(ascii: "."): continue
            default: flush()
            }
        }
        flush()
        let (joined, wereSpaced) = Disguise.joinSpacedLetters(words)
        let (read, hadDigits) = Disguise.readDigitsAsLetters(joined)
        words = read
        if wereSpaced { disguises.insert(.spacedLetters) }
        if hadDigits { disguises.insert(.digitsForLetters) }
        if script == .arabic { words = words.flatMap(splitArabicArticle) }
        words = NumberWords.read(words)
        var tokens = words.map(classify)
        let withoutTitles = tokens.filter { !Vocabulary.honorifics.contains($0.text) }
        if withoutTitles.contains(where: { $0.role == .word }) { tokens = withoutTitles }
        return (tokens, script, disguises)
    }

    static func classify(_ word: String) -> NameToken {
        if Vocabulary.particles.contains(word) { return NameToken(word, role: .particle) }
        if Vocabulary.legalForms[word] != nil { return NameToken(word, role: .legalForm) }
        return NameToken(word)
    }

    /// The script a name was written in, as far as matching cares.
    public enum Script: Sendable {
        case latin, arabic, cyrillic, cjk, other
    }

    /// ASCII text, and the script it came from (Arabic writes the article `al` joined to the word; Chinese,
    /// Japanese and Korean transliterate to ambiguous syllables). `folded` is compatibility-folded already
    /// (`Disguise.undo` folds it on the way).
    static func latinASCII(_ folded: String) -> (String, Script) {
        guard folded.unicodeScalars.contains(where: { $0.value > 0x7F }) else { return (folded, .latin) }
        let scalars = folded.unicodeScalars
        let cyrillic = scalars.contains { (0x0400...0x04FF).contains($0.value) }
        let arabic = scalars.contains { (0x0600...0x06FF).contains($0.value) || (0x0750...0x077F).contains($0.value) }
        let cjk = scalars.contains { (0x3040...0x30FF).contains($0.value) || (0x3400...0x9FFF).contains($0.value) || (0xAC00...0xD7AF).contains($0.value) }
        let script: Script = arabic ? .arabic : cyrillic ? .cyrillic : cjk ? .cjk : scalars.contains { $0.properties.isAlphabetic && $0.value > 0x24F } ? .other : .latin
        let transform = cyrillic ? "Russian-Latin/BGN; Latin-ASCII" : "Any-Latin; Latin-ASCII"
        var source = folded
        if cjk {
            for form in Vocabulary.cjkForms where source.contains(form.written) { source = source.replacingOccurrences(of: form.written, with: form.read) }
        }
        let latin = source.applyingTransform(StringTransform(transform), reverse: false) ?? source
        // Marks ICU leaves (ʿ ʾ ‘ ’) and anything still outside ASCII are dropped.
        let ascii = String(String.UnicodeScalarView(latin.unicodeScalars.filter { $0.isASCII }))
        return (ascii, script)
    }

    /// `alslam` → `al` `slam`: Arabic writes the article joined to the word; Latin lists write `AL-SALAM`.
    static func splitArabicArticle(_ word: String) -> [String] {
        if word.count >= 5, word.hasPrefix("al") { return ["al", String(word.dropFirst(2))] }
        return [word]
    }
}
