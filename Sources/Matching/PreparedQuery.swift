/// A query name normalised and looked up in the index: each word with its weight and the listed words it may be
/// (exact, typo, phonetic, abbreviation), plus words it forms joined with its neighbour or split in two.
struct PreparedQuery {
    struct Token {
        var text: String
        var bytes: [UInt8]
        var weight: Double
        var expansions: [Int32: Expansion]
        /// A place the lists' addresses name (see `MatchIndex.placeWords`).
        var isPlace = false
        var isPatronymic: Bool { Vocabulary.isPatronymic(bytes) }
        /// Initials written as one word (`JC`), when the word weighs as one.
        var areInitials: Bool { weight >= ScoringModel.informativeWord && Vocabulary.areInitials(bytes) }
    }

    struct Expansion {
        var similarity: Double
        var how: MatchHow
    }

    /// Query words matching listed words across a word boundary: `inter national` → `international` (joined),
    /// `uralvagonzavod` → `uralva gonzavod` (split).
    struct Unit {
        var queryTokens: [Int]
        var words: [Int32]
        var similarity: Double
        var how: MatchHow
    }

    let original: String
    let script: Normalizer.Script
    /// How the query was disguised, when it was (reported in every match's explanation).
    let disguises: Set<Disguise>
    var tokens: [Token] = []
    var units: [Unit] = []
    var totalWeight: Double = 0
    /// The query's only distinctive word, when it has exactly one (see `Matcher.align`).
    var soleDistinctiveWord: Int?
    /// How many of the query's words are generic ones (weighing under `ScoringModel.distinctiveWord`: `national`, `trading`).
    var genericWords = 0
    /// Whether any word is initials, or a patronymic (checked once, not per candidate name).
    var hasInitials = false
    var hasPatronymic = false
    /// The type the caller gave, if any.
    let kind: EntityKind
    /// Whether the query may name a person (its type is a person's or not given).
    var mayBePerson: Bool { kind == .person || kind == .unknown }

    static let expansionLimit = 24

    init(_ name: String, kind: EntityKind, index: MatchIndex) {
        original = name
        self.kind = kind
        let (normalized, script, disguises) = Normalizer.analyzeDisguised(name)
        self.script = script
        self.disguises = disguises
        let fromArabic = script == .arabic
        // A person's name of two or three words, all Pinyin, one a one-syllable surname, is Chinese: its words of
        // several syllables are given names.
        // Only names of that shape are read syllable by syllable.
        let words = normalized.filter { $0.role == .word }.map(\.text)
        let mayBeChinese = kind != .organization && (2...3).contains(words.count)
        let severalSyllables = mayBeChinese ? Set(words.filter { PinyinSyllables.isMultiSyllable(Array($0.utf8)) }) : []
        let oneSyllable = mayBeChinese ? words.filter { PinyinSyllables.isSyllable(Array($0.utf8)) } : []
        let chinesePerson = !oneSyllable.isEmpty && words.allSatisfy { severalSyllables.contains($0) || oneSyllable.contains($0) }
        for (position, token) in normalized.enumerated() {
            // Legal forms close a company name, so only there is a near-legal-form word read as a misspelt one.
            let trailing = normalized[(position + 1)...].allSatisfy { $0.role == .legalForm }
            tokens.append(Self.prepare(token, index: index, fromNonLatin: fromArabic, trailing: trailing, kind: kind,
                                       pinyinGivenName: chinesePerson && token.role == .word && severalSyllables.contains(token.text)))
        }
        for i in tokens.indices.dropLast() where tokens[i].weight > ScoringModel.particleWeight && tokens[i + 1].weight > ScoringModel.particleWeight {
            if let id = index.tokenIDs[tokens[i].text + tokens[i + 1].text], index.roles[Int(id)] == .word {
                units.append(Unit(queryTokens: [i, i + 1], words: [id], similarity: ScoringModel.joinedOrSplit, how: .joined))
            }
        }
        for (i, token) in tokens.enumerated() where token.bytes.count >= 4 && token.weight > 0 {
            for cut in 2...(token.bytes.count - 2) {
                let left = String(decoding: token.bytes[..<cut], as: UTF8.self), right = String(decoding: token.bytes[cut...], as: UTF8.self)
                if let a = index.tokenIDs[left], let b = index.tokenIDs[right], index.roles[Int(a)] != .legalForm, index.roles[Int(b)] != .legalForm,
                   index.roles[Int(a)] == .word || index.roles[Int(b)] == .word {
                    units.append(Unit(queryTokens: [i], words: [a, b], similarity: ScoringModel.joinedOrSplit, how: .split))
                    break
                }
            }
        }
        if script == .latin { units += Self.articleUnits(tokens, index: index, kind: kind) }
        totalWeight = tokens.reduce(0) { $0 + $1.weight }
        let distinctive = tokens.indices.filter { tokens[$0].weight >= ScoringModel.distinctiveWord && tokens[$0].bytes.count > 1 }
        soleDistinctiveWord = distinctive.count == 1 ? distinctive.first : nil
        genericWords = tokens.filter { $0.weight > ScoringModel.particleWeight && $0.weight < ScoringModel.distinctiveWord && $0.bytes.count > 1 }.count
        hasInitials = tokens.contains(where: \.areInitials)
        hasPatronymic = tokens.contains(where: \.isPatronymic)
    }

    /// Whether a word closing a name (only legal forms after it) is a misspelt or transliterated legal form. A word no
    /// list has is, when it is one slip from a legal form and no nearer a listed word (`sall`, `salr`, `ltde`, `incn`;
    /// not `zpbk`, nearer `zpk`). In an organisation's name, so is a word some list has, when it is spelt as a legal
    /// form transliterates (`Ko` for `Co`) or is one letter from a four-letter one (`Services SAUL` for `SARL`).
    /// A person's name has no legal form: `Padó` closing `Sebastian Padó` is a surname.
    static func readsAsLegalForm(_ bytes: [UInt8], exact: Int32?, _ expansions: [(key: Int32, value: Expansion)], kind: EntityKind, index: MatchIndex) -> Bool {
        guard kind != .person else { return false }
        let legalForms = expansions.filter { index.roles[Int($0.key)] == .legalForm }.map { index.vocabulary[Int($0.key)] }
        guard !legalForms.isEmpty else { return false }
        guard exact != nil else {
            let nearestWord = expansions.filter { index.roles[Int($0.key)] == .word }
                .map { StringSimilarity.distance(bytes, index.vocabulary[Int($0.key)], limit: 3) }.min() ?? 4
            return legalForms.contains { StringSimilarity.distance(bytes, $0, limit: 3) <= nearestWord }
        }
        guard kind == .organization else { return false }
        let form = TransliterationForm.of(bytes)
        return legalForms.contains { legal in
            TransliterationForm.of(legal) == form
                || (bytes.count == 4 && legal.count == 4 && StringSimilarity.distance(bytes, legal, limit: 1) == 1)
        }
    }

    /// The Arabic article written apart in the query and joined in a list (`Al Usta` for `Elosta`), or joined in the
    /// query and apart in a list (`Alzrooni` for `Al Zarooni`), the rest perhaps spelt differently too.
    static func articleUnits(_ tokens: [Token], index: MatchIndex, kind: EntityKind) -> [Unit] {
        let articles = ["al", "el"]
        func variants(of text: String) -> [(id: Int32, similarity: Double)] {
            let prepared = prepare(NameToken(text), index: index, fromNonLatin: false, trailing: false, kind: kind)
            return prepared.expansions.filter { $0.value.similarity >= 0.75 }
                .sorted { $0.value.similarity != $1.value.similarity ? $0.value.similarity > $1.value.similarity : $0.key < $1.key }
                .prefix(4).map { ($0.key, $0.value.similarity) }
        }
        var units: [Unit] = []
        for (i, token) in tokens.enumerated() {
            if articles.contains(token.text), i + 1 < tokens.count, tokens[i + 1].weight > ScoringModel.particleWeight, tokens[i + 1].bytes.count >= 3 {
                for article in articles {
                    for variant in variants(of: article + tokens[i + 1].text) {
                        units.append(Unit(queryTokens: [i, i + 1], words: [variant.id], similarity: ScoringModel.joinedOrSplit * variant.similarity, how: .joined))
                    }
                }
            } else if token.weight > 0, token.bytes.count >= 6, articles.contains(String(decoding: token.bytes.prefix(2), as: UTF8.self)),
                      index.tokenIDs[token.text] == nil {
                let rest = variants(of: String(decoding: token.bytes.dropFirst(2), as: UTF8.self))
                for article in articles {
                    guard let articleID = index.tokenIDs[article] else { continue }
                    for variant in rest {
                        units.append(Unit(queryTokens: [i], words: [articleID, variant.id], similarity: ScoringModel.joinedOrSplit * variant.similarity, how: .split))
                    }
                }
            }
        }
        return units
    }

    /// `pinyinGivenName`: the word is a given name of several Pinyin syllables in a Chinese person's name (see
    /// `init`), which differs from another such name by a syllable, not by a typo (`PinyinSyllables`).
    static func prepare(_ token: NameToken, index: MatchIndex, fromNonLatin: Bool, trailing: Bool, kind: EntityKind,
                        pinyinGivenName: Bool = false) -> Token {
        let bytes = Array(token.text.utf8)
        var result = Token(text: token.text, bytes: bytes, weight: 0, expansions: [:], isPlace: index.placeWords.contains(token.text))
        switch token.role {
        case .legalForm: return result
        case .particle:
            result.weight = ScoringModel.particleWeight
            if let id = index.tokenIDs[token.text] { result.expansions[id] = Expansion(similarity: 1, how: .exact) }
            return result
        case .word: break
        }
        // A number is that number: `44` is not a typo of `45` (`Brigade 44`), nor `1` of `2` (`Snow Storm 1`).
        if bytes.count > 1, bytes.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) {
            let exact = index.tokenIDs[token.text]
            result.weight = exact.map { Double(index.weights[Int($0)]) } ?? ScoringModel.unknownWordWeight
            if let exact { result.expansions[exact] = Expansion(similarity: 1, how: .exact) }
            return result
        }
        if bytes.count == 1 {
            result.weight = ScoringModel.singleLetterWeight
            if let id = index.tokenIDs[token.text] { result.expansions[id] = Expansion(similarity: 1, how: .exact) }
            return result
        }
        var expansions: [Int32: Expansion] = [:]
        func offer(_ id: Int32, _ similarity: Double, _ how: MatchHow) {
            guard similarity > 0, index.roles[Int(id)] != .particle else { return }
            // Two Pinyin given names of several syllables that differ are two names, however near their letters.
            if pinyinGivenName, how == .typo || how == .phonetic, index.isPinyinName[Int(id)] { return }
            if let existing = expansions[id], existing.similarity >= similarity { return }
            expansions[id] = Expansion(similarity: similarity, how: how)
        }
        let exact = index.tokenIDs[token.text]
        if let exact { offer(exact, 1, .exact) }
        let form = TransliterationForm.of(bytes)
        let formSimilarity = ScoringModel.transliterationForm(letters: bytes.count)
        for id in index.forms[String(decoding: form, as: UTF8.self)] ?? [] where id != exact {
            offer(id, formSimilarity, .transliteration)
        }
        if bytes.count >= 3 {
            var hashes = Set(MatchIndex.deletionHashes(bytes))
            if form.count >= 3 { hashes.formUnion(MatchIndex.deletionHashes(form)) }
            for hash in hashes {
                for id in index.deletions[hash] ?? [] where id != exact {
                    let word = index.vocabulary[Int(id)]
                    let lenient = index.roles[Int(id)] == .legalForm
                    let firstLetterChanged = lenient || Self.sameInitialSound(bytes[0], word[0]) ? 0 : ScoringModel.firstLetterChanged
                    let typo = StringSimilarity.similarity(bytes, word, lenient: lenient) - firstLetterChanged
                    // One edit apart once spelling conventions are folded (`Opara`/`Opera` are not; `Okaan`/`Ocean` are).
                    let folded = min(formSimilarity, StringSimilarity.similarity(form, TransliterationForm.of(word), lenient: lenient) - ScoringModel.foldedTypoDiscount)
                    offer(id, max(typo, folded), typo >= folded ? .typo : .transliteration)
                }
            }
        }
        // Transliteration variants share a consonant skeleton. Short Latin words share skeletons by chance
        // (`Accor`/`Ecriee`), so Latin needs five letters and a three-consonant key; unvowelled transliterations
        // (Arabic) need neither.
        if fromNonLatin || bytes.count >= 5 {
            for key in PhoneticKey.keys(token.text) where key.count >= (fromNonLatin ? 2 : 3) {
                guard let sharing = index.skeletons[key], sharing.count <= 250 else { continue }
                for id in sharing where id != exact {
                    let word = index.vocabulary[Int(id)]
                    if fromNonLatin {
                        offer(id, ScoringModel.unvowelledSkeleton, .phonetic)
                        continue
                    }
                    guard Self.sameInitialSound(word[0], bytes[0]) && abs(word.count - bytes.count) <= 3 else { continue }
                    let typo = StringSimilarity.similarity(bytes, word)
                    let phonetic = ScoringModel.sharedSkeleton(edits: StringSimilarity.distance(bytes, word, limit: 4))
                    offer(id, max(typo, phonetic), typo >= phonetic ? .typo : .phonetic)
                }
            }
        }
        // Spellings the lists record as one entity's (`Yury`/`Yuriy`), and endings they add (`Ghodrat`/`Ghodratollah`).
        for variant in index.learned.variants[token.text] ?? [] {
            if let id = index.tokenIDs[variant] { offer(id, ScoringModel.learntVariant, .learntVariant) }
        }
        for ending in index.learned.endings where LearnedVariants.word(bytes, endsWith: ending) {
            if let id = index.tokenIDs[String(decoding: bytes.dropLast(ending.count), as: UTF8.self)] { offer(id, ScoringModel.learntEnding, .learntEnding) }
        }
        for id in index.wordsByStem[token.text] ?? [] { offer(id, ScoringModel.learntEnding, .learntEnding) }
        // A given name's short forms and the names a short form stands for (`Ted`/`Theodore`, `Peggy`/`Margaret`), for
        // a person. Not a form that only cuts the name short (`Rafa`/`Rafaela`): one of several names it may begin.
        if kind == .person || kind == .unknown {
            for other in Nicknames.table[token.text] ?? [] where !other.hasPrefix(token.text) && !token.text.hasPrefix(other) {
                if let id = index.tokenIDs[other] { offer(id, ScoringModel.nickname, .nickname) }
            }
        }
        for long in Vocabulary.abbreviations[token.text] ?? [] {
            if let id = index.tokenIDs[long] { offer(id, ScoringModel.abbreviation, .abbreviation) }
        }
        // A word cut short (`Rodrig`, `Constr`) may be a longer one. Not a word the lists have: `Gazprom` is not
        // `Gazprombank`.
        if bytes.count >= 3, exact == nil, let longer = index.words(withPrefix: bytes, limit: 6) {
            for id in longer where index.vocabulary[Int(id)].count >= bytes.count + 2 { offer(id, ScoringModel.prefix, .abbreviation) }
        }
        // Another form of the same word (`Administration`/`Administrative`, `Petrochemical`/`Petrochemicals`): a long
        // stem in common, each ending three letters or fewer. Not for a person's names, which are not inflected so
        // (`Mohammadi` and `Mohammadian` are two families).
        if kind != .person, bytes.count >= 9, let related = index.words(withPrefix: Array(bytes.prefix(max(8, bytes.count - 3))), limit: 12) {
            for id in related where id != exact && Self.sameWordForm(bytes, index.vocabulary[Int(id)]) { offer(id, ScoringModel.wordForm, .wordForm) }
        }
        // Best first, ties by id: the same query always expands the same way (replays must be identical).
        let ranked = expansions.sorted { $0.value.similarity != $1.value.similarity ? $0.value.similarity > $1.value.similarity : $0.key < $1.key }
        if trailing, Self.readsAsLegalForm(bytes, exact: exact, ranked, kind: kind, index: index) { return result }
        // Loose (phonetic) variants are many for short unvowelled words; a few suffice.
        var phonetic = 0
        let kept = ranked.filter { candidate in
            guard index.roles[Int(candidate.key)] == .word else { return false }
            if candidate.value.how == .phonetic {
                phonetic += 1
                return phonetic <= 8
            }
            return true
        }.prefix(expansionLimit)
        result.expansions = Dictionary(uniqueKeysWithValues: kept.map { ($0.key, $0.value) })
        if let exact, index.roles[Int(exact)] == .word {
            result.weight = Double(index.weights[Int(exact)])
        } else if let top = kept.first {
            result.weight = Double(index.weights[Int(top.key)])
        } else {
            // A word no list has is distinctive, unless it is a generic business or place word.
            result.weight = Vocabulary.generic.contains(token.text) ? ScoringModel.genericWordCap : ScoringModel.unknownWordWeight
        }
        return result
    }

    /// Two words sharing a stem of eight letters or more, each ending at most three letters past it.
    static func sameWordForm(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        let stem = zip(a, b).prefix { $0 == $1 }.count
        return stem >= 8 && a.count - stem <= 3 && b.count - stem <= 3
    }

    /// The same first letter, two vowels, or two letters transliteration swaps (`Casaryanifard`/`Kosarayanifard`).
    static func sameInitialSound(_ a: UInt8, _ b: UInt8) -> Bool {
        func sound(_ c: UInt8) -> UInt8 {
            switch c {
            case UInt8(ascii: "c"), UInt8(ascii: "q"): UInt8(ascii: "k")
            case UInt8(ascii: "w"): UInt8(ascii: "v")
            case UInt8(ascii: "z"): UInt8(ascii: "s")
            default: c
            }
        }
        return sound(a) == sound(b) || (isVowel(a) && isVowel(b))
    }

    static func isVowel(_ c: UInt8) -> Bool {
        c == UInt8(ascii: "a") || c == UInt8(ascii: "e") || c == UInt8(ascii: "i") || c == UInt8(ascii: "o") || c == UInt8(ascii: "u")
    }
}
