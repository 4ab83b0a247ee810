/// A query name normalised and looked up in the index: each word with its weight and the listed words it may be
/// (exact, typo, phonetic, abbreviation), plus words it forms joined with its neighbour or split in two.
struct PreparedQuery {
    struct Token {
        var text: String
        var bytes: [UInt8]
        var weight: Double
        var expansions: [Int32: Expansion]
    }

    struct Expansion {
        var similarity: Double
        var how: String
    }

    /// Query words matching listed words across a word boundary: `inter national` → `international` (joined),
    /// `uralvagonzavod` → `uralva gonzavod` (split).
    struct Unit {
        var queryTokens: [Int]
        var words: [Int32]
        var similarity: Double
        var how: String
    }

    let original: String
    var tokens: [Token] = []
    var units: [Unit] = []
    var totalWeight: Double = 0

    static let expansionLimit = 24

    init(_ name: String, index: MatchIndex) {
        original = name
        let (_, fromArabic) = Normalizer.latinASCII(name)
        let normalized = Normalizer.tokens(name)
        for token in normalized {
            tokens.append(Self.prepare(token, index: index, fromNonLatin: fromArabic))
        }
        for i in tokens.indices.dropLast() where tokens[i].weight > 0.1 && tokens[i + 1].weight > 0.1 {
            if let id = index.tokenIDs[tokens[i].text + tokens[i + 1].text], index.roles[Int(id)] == .word {
                units.append(Unit(queryTokens: [i, i + 1], words: [id], similarity: 0.95, how: "joined"))
            }
        }
        for (i, token) in tokens.enumerated() where token.bytes.count >= 6 && index.tokenIDs[token.text] == nil && token.weight > 0 {
            for cut in 2...(token.bytes.count - 2) {
                let left = String(decoding: token.bytes[..<cut], as: UTF8.self), right = String(decoding: token.bytes[cut...], as: UTF8.self)
                if let a = index.tokenIDs[left], let b = index.tokenIDs[right], index.roles[Int(a)] == .word, index.roles[Int(b)] == .word {
                    units.append(Unit(queryTokens: [i], words: [a, b], similarity: 0.95, how: "split"))
                    break
                }
            }
        }
        totalWeight = tokens.reduce(0) { $0 + $1.weight }
    }

    static func prepare(_ token: NameToken, index: MatchIndex, fromNonLatin: Bool) -> Token {
        let bytes = Array(token.text.utf8)
        var result = Token(text: token.text, bytes: bytes, weight: 0, expansions: [:])
        switch token.role {
        case .legalForm: return result
        case .particle:
            result.weight = 0.1
            if let id = index.tokenIDs[token.text] { result.expansions[id] = Expansion(similarity: 1, how: "exact") }
            return result
        case .word: break
        }
        if bytes.count == 1 {
            result.weight = 0.25
            if let id = index.tokenIDs[token.text] { result.expansions[id] = Expansion(similarity: 1, how: "exact") }
            return result
        }
        var expansions: [Int32: Expansion] = [:]
        func offer(_ id: Int32, _ similarity: Double, _ how: String) {
            guard similarity > 0, index.roles[Int(id)] != .particle else { return }
            if let existing = expansions[id], existing.similarity >= similarity { return }
            expansions[id] = Expansion(similarity: similarity, how: how)
        }
        let exact = index.tokenIDs[token.text]
        if let exact { offer(exact, 1, "exact") }
        if bytes.count >= 4 {
            for hash in MatchIndex.deletionHashes(bytes) {
                for id in index.deletions[hash] ?? [] where id != exact {
                    offer(id, StringSimilarity.similarity(bytes, index.vocabulary[Int(id)]), "typo")
                }
            }
        }
        let key = PhoneticKey.key(token.text)
        if key.count >= 2, let sharing = index.skeletons[key], sharing.count <= 400 {
            for id in sharing where id != exact {
                let word = index.vocabulary[Int(id)]
                // Latin spellings must start alike; unvowelled transliterations (Arabic) cannot be held to that.
                guard fromNonLatin || (word[0] == bytes[0] || (Self.isVowel(word[0]) && Self.isVowel(bytes[0]))),
                      fromNonLatin || abs(word.count - bytes.count) <= 3 else { continue }
                let typo = StringSimilarity.similarity(bytes, word)
                offer(id, max(typo, key.count >= 3 ? 0.82 : 0.78), typo > 0 ? "typo" : "phonetic")
            }
        }
        for long in Vocabulary.abbreviations[token.text] ?? [] {
            if let id = index.tokenIDs[long] { offer(id, 0.9, "abbreviation") }
        }
        if bytes.count >= 3, exact == nil || Vocabulary.abbreviations[token.text] == nil,
           let longer = index.words(withPrefix: bytes, limit: 6) {
            for id in longer where index.vocabulary[Int(id)].count >= bytes.count + 2 { offer(id, 0.8, "abbreviation") }
        }
        if expansions.count > expansionLimit {
            expansions = Dictionary(uniqueKeysWithValues: expansions.sorted { $0.value.similarity > $1.value.similarity }.prefix(expansionLimit).map { ($0.key, $0.value) })
        }
        // A word that is most like a legal form (`sarl` misspelt `sall`) is treated as one.
        if exact == nil, let top = expansions.max(by: { $0.value.similarity < $1.value.similarity }), index.roles[Int(top.key)] == .legalForm {
            return result
        }
        expansions = expansions.filter { index.roles[Int($0.key)] == .word }
        result.expansions = expansions
        if let exact, index.roles[Int(exact)] == .word {
            result.weight = Double(index.weights[Int(exact)])
        } else if let top = expansions.max(by: { $0.value.similarity < $1.value.similarity }) {
            result.weight = Double(index.weights[Int(top.key)])
        } else {
            result.weight = 0.9  // a word no list has is distinctive
        }
        return result
    }

    static func isVowel(_ c: UInt8) -> Bool {
        c == UInt8(ascii: "a") || c == UInt8(ascii: "e") || c == UInt8(ascii: "i") || c == UInt8(ascii: "o") || c == UInt8(ascii: "u")
    }
}
