import Foundation

/// A name written with another inside it: `Fondation Secours Mondial 'World Relief'`, `Acme Trading (Hong Kong)`,
/// `Ivan Petrov a.k.a. Vanya`. Suppliers' records and the lists write aliases and remarks so; each part is screened
/// as a name of its own beside the whole.
enum NameParts {
    /// The whole name, then the part outside quotes or brackets and each quoted part (when there are any, and each has
    /// a word of its own besides generic ones and legal forms). What brackets hold is as often a remark (`(Class C)`,
    /// `(Lotterie)`) as an alias, so it is not screened alone.
    static func of(_ name: String) -> [String] {
        var outside = ""
        var inside: [String] = []
        var current = ""
        var closing: Character?
        var previous: Character = " "
        for character in name {
            if let close = closing {
                if character == close {
                    if close != ")" && close != "]" { inside.append(current) }
                    current = ""
                    closing = nil
                } else {
                    current.append(character)
                }
            } else if let close = closers[character], previous.isWhitespace || previous == "," {
                closing = close
            } else {
                outside.append(character)
            }
            previous = character
        }
        // An unclosed quote is an apostrophe or an Arabic letter (`Jami' 'Ali`, `‘Abd al-Salam`), not an alias.
        guard closing == nil, outside.count < name.count else { return aliases(name).map { [name] + $0 } ?? [name] }
        let parts = ([outside] + inside).map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { aliases($0) ?? [$0] }.filter(hasOwnWord)
        return parts.count > 1 ? [name] + parts : [name]
    }

    /// `X a.k.a. Y` → `X`, `Y`; nil when the name names no alias so.
    static func aliases(_ name: String) -> [String]? {
        let words = name.split(whereSeparator: \.isWhitespace)
        guard let at = words.firstIndex(where: { markers.contains($0.lowercased().filter(\.isLetter)) }), at > 0, at < words.count - 1 else { return nil }
        let parts = [words[..<at].joined(separator: " "), words[(at + 1)...].joined(separator: " ")].filter(hasOwnWord)
        return parts.count == 2 ? parts : nil
    }

    static func hasOwnWord(_ part: String) -> Bool {
        Normalizer.tokens(part).contains { $0.role == .word && $0.text.count > 1 && !Vocabulary.generic.contains($0.text) }
    }

    private static let closers: [Character: Character] = ["(": ")", "[": "]", "'": "'", "\"": "\"", "‘": "’", "“": "”", "«": "»"]
    /// `aka`, `a.k.a.`, `fka`, `f/k/a`, `dba`, `d/b/a`, `formerly` (letters only, lower-cased).
    private static let markers: Set<String> = ["aka", "fka", "dba", "formerly"]
}
