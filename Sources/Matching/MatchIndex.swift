/// The in-memory index over every name and alias of the active list versions: a vocabulary of normalised words
/// with their rarity, postings from words to names, a deletion neighbourhood for typos, consonant skeletons for
/// transliteration variants, and identifiers. Built once per snapshot; read-only afterwards.
public final class MatchIndex: Sendable {
    struct IndexedName: Sendable {
        var entry: Int32
        /// The entry's type, kept here so scoring a name never copies its entry.
        var entryKind: EntityKind
        var kind: NameKind
        var text: String
        var tokens: [Int32]
        /// How many of the words are the surname, for a name written `SURNAME, Given` (OFAC's and the CSL's form);
        /// 0 when the name does not say.
        var surnameWords: Int
    }

    let entries: [MatchableEntry]
    let names: [IndexedName]
    let vocabulary: [[UInt8]]
    let roles: [NameToken.Role]
    let weights: [Float]
    let tokenIDs: [String: Int32]
    let postings: [[Int32]]
    let deletions: [UInt64: [Int32]]
    let skeletons: [String: [Int32]]
    /// Transliteration normal forms (`TransliterationForm`) of the words, and their deletion neighbourhoods.
    let forms: [String: [Int32]]
    /// Total weight of each name's words, to rank candidates by how much of the name a query covers.
    let nameWeights: [Float]
    /// Scratch scores of every name for the candidate step, reused from query to query.
    let candidateScores: CandidateScoresPool
    let identifiers: [String: [Int32]]
    /// Words the lists' own addresses use as places (a city or province in the addresses of three or more entries):
    /// what a registered name adds to a listed one (`Guangzhou CloudWalk Technology` for `CloudWalk Technology`).
    let placeWords: Set<String>
    /// The names of each entry, so an identifier hit finds them without scanning every name.
    let entryNames: [[Int32]]
    /// Spelling variants and word endings learnt from the names the lists give one entity.
    let learned: LearnedVariants
    /// The words that are another word with a learnt ending added, by that shorter word (`ghodrat` → `ghodratollah`):
    /// a query word finds them with one look-up.
    let wordsByStem: [String: [Int32]]
    /// Entries that are one party on several lists (see `SamePartyLinks`).
    let sameParty: SamePartyLinks
    /// Vocabulary ids sorted by word, for prefix look-ups (abbreviations).
    let sortedWords: [Int32]
    /// Per word: whether it is a patronymic, initials (`Vocabulary`) or a place (`placeWords`), decided once rather
    /// than per candidate name.
    let isPatronymic: [Bool]
    let areInitials: [Bool]
    let isPlace: [Bool]
    /// Per word: whether it is a name of several Pinyin syllables (`PinyinSyllables`).
    let isPinyinName: [Bool]

    public var entryCount: Int { entries.count }
    public var nameCount: Int { names.count }
    public var wordCount: Int { vocabulary.count }
    /// Spelling pairs and word endings learnt from the lists' aliases (see `LearnedVariants`).
    public var learnedVariantPairs: Int { learned.variants.values.reduce(0) { $0 + $1.count } / 2 }
    public var learnedEndings: [String] { learned.endings.map { String(decoding: $0, as: UTF8.self) } }

    /// `rarityFrom`: take each word's weight from that index where it holds the word, instead of from these
    /// entries. An index of the counterparties to look list entries up in (re-screening) weighs words as the list
    /// index does: a word common among the counterparties (a supplier master with 2,000 Smiths) is not thereby
    /// uninformative, and would otherwise find nobody.
    public init(entries: [MatchableEntry], rarityFrom reference: MatchIndex? = nil) {
        var vocabulary: [[UInt8]] = []
        var roles: [NameToken.Role] = []
        var tokenIDs: [String: Int32] = [:]
        var names: [IndexedName] = []
        var postings: [[Int32]] = []
        var identifiers: [String: [Int32]] = [:]
        var entryNames = [[Int32]](repeating: [], count: entries.count)
        for (entryIndex, entry) in entries.enumerated() {
            for name in entry.names {
                let tokens = Normalizer.tokens(name.text)
                guard !tokens.isEmpty else { continue }
                let nameID = Int32(names.count)
                var ids: [Int32] = []
                for token in tokens {
                    let id: Int32
                    if let existing = tokenIDs[token.text] {
                        id = existing
                    } else {
                        id = Int32(vocabulary.count)
                        tokenIDs[token.text] = id
                        vocabulary.append(Array(token.text.utf8))
                        roles.append(token.role)
                        postings.append([])
                    }
                    ids.append(id)
                    if postings[Int(id)].last != nameID { postings[Int(id)].append(nameID) }
                }
                let surnameWords = name.text.firstIndex(of: ",").map { Normalizer.tokens(String(name.text[..<$0])).count } ?? 0
                names.append(IndexedName(entry: Int32(entryIndex), entryKind: entry.kind, kind: name.kind, text: name.text, tokens: ids,
                                         surnameWords: surnameWords < tokens.count ? surnameWords : 0))
                entryNames[entryIndex].append(nameID)
            }
            for identifier in entry.identifiers where identifier.count >= 5 {
                identifiers[identifier, default: []].append(Int32(entryIndex))
            }
        }
        // Rarity: a word in one name weighs 1; in a thousand, about 0.4. Legal forms weigh nothing, particles little.
        let total = Double(max(names.count, 1))
        let scale = log(1 + total)
        var weights: [Float] = []
        weights.reserveCapacity(vocabulary.count)
        for (id, list) in postings.enumerated() {
            switch roles[id] {
            case .legalForm: weights.append(Float(ScoringModel.legalFormWeight))
            case .particle: weights.append(Float(ScoringModel.particleWeight))
            case .word:
                if let reference, let known = reference.tokenIDs[String(decoding: vocabulary[id], as: UTF8.self)], reference.roles[Int(known)] == .word {
                    weights.append(reference.weights[Int(known)])
                    continue
                }
                let rarity = Float(max(ScoringModel.minimumRarity, log(1 + total / Double(list.count)) / scale))
                weights.append(Vocabulary.generic.contains(String(decoding: vocabulary[id], as: UTF8.self)) ? min(rarity, Float(ScoringModel.genericWordCap)) : rarity)
            }
        }
        var deletions: [UInt64: [Int32]] = [:]
        var skeletons: [String: [Int32]] = [:]
        var forms: [String: [Int32]] = [:]
        for (id, word) in vocabulary.enumerated() where roles[id] != .particle && word.count >= 2 {
            let form = TransliterationForm.of(word)
            forms[String(decoding: form, as: UTF8.self), default: []].append(Int32(id))
            guard word.count >= 3 else { continue }
            var hashes = Set(Self.deletionHashes(word))
            if form.count >= 3 { hashes.formUnion(Self.deletionHashes(form)) }
            for hash in hashes { deletions[hash, default: []].append(Int32(id)) }
            guard roles[id] == .word else { continue }
            for key in PhoneticKey.keys(String(decoding: word, as: UTF8.self)) where key.count >= 2 {
                skeletons[key, default: []].append(Int32(id))
            }
        }
        self.entries = entries
        self.names = names
        self.vocabulary = vocabulary
        self.roles = roles
        self.weights = weights
        self.tokenIDs = tokenIDs
        self.postings = postings
        self.deletions = deletions
        self.skeletons = skeletons
        self.forms = forms
        self.nameWeights = names.map { name in name.tokens.reduce(Float(0)) { $0 + weights[Int($1)] } }
        self.candidateScores = CandidateScoresPool(names: names.count)
        self.identifiers = identifiers
        if let reference {
            placeWords = reference.placeWords
        } else {
            var counts: [String: Int] = [:]
            for entry in entries { for word in entry.addressWords { counts[word, default: 0] += 1 } }
            placeWords = Set(counts.filter { $0.value >= 3 }.keys)
        }
        self.entryNames = entryNames
        // Links between list entries; an index of counterparties links none (each counterparty is its own party).
        sameParty = reference == nil ? SamePartyLinks.build(entries: entries, names: names, weights: weights, identifiers: identifiers) : .empty
        // An index of counterparties (re-screening) learns nothing of its own: the lists' variation is what matters.
        learned = reference?.learned ?? LearnedVariants.mine(entryNames: entryNames, names: names, vocabulary: vocabulary, roles: roles)
        var wordsByStem: [String: [Int32]] = [:]
        for (id, word) in vocabulary.enumerated() where roles[id] == .word {
            for ending in learned.endings where LearnedVariants.word(word, endsWith: ending) {
                wordsByStem[String(decoding: word.dropLast(ending.count), as: UTF8.self), default: []].append(Int32(id))
            }
        }
        self.wordsByStem = wordsByStem
        self.isPatronymic = vocabulary.map(Vocabulary.isPatronymic)
        self.areInitials = vocabulary.indices.map { roles[$0] == .word && Vocabulary.areInitials(vocabulary[$0]) }
        self.isPlace = vocabulary.map { [placeWords] word in placeWords.contains(String(decoding: word, as: UTF8.self)) }
        self.isPinyinName = vocabulary.map(PinyinSyllables.isMultiSyllable)
        self.sortedWords = (0..<Int32(vocabulary.count)).sorted { vocabulary[Int($0)].lexicographicallyPrecedes(vocabulary[Int($1)]) }
    }

    /// Whether a word of a listed name names a place: a country (`Iran`), or a distinctive word the lists'
    /// addresses name (not `group`, which some addresses have too).
    func namesPlace(_ id: Int32) -> Bool {
        (isPlace[Int(id)] && Double(weights[Int(id)]) >= ScoringModel.distinctiveWord)
            || CountryCodes.oneWordNames.contains(String(decoding: vocabulary[Int(id)], as: UTF8.self))
    }

    /// FNV-1a of the word and of each word with one letter deleted: two words one insertion, deletion, substitution
    /// or transposition apart share a hash (the symmetric deletion method).
    static func deletionHashes(_ word: [UInt8]) -> [UInt64] {
        var hashes = [fnv(word, skipping: -1)]
        guard word.count >= 4 else { return hashes }
        var previous: UInt8 = 0
        for i in word.indices {
            if word[i] == previous { continue }  // deleting either letter of a double gives the same string
            previous = word[i]
            hashes.append(fnv(word, skipping: i))
        }
        return hashes
    }

    static func fnv(_ word: [UInt8], skipping skip: Int) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for (i, byte) in word.enumerated() where i != skip {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return hash ^ UInt64(word.count - (skip >= 0 ? 1 : 0))
    }

    func word(_ id: Int32) -> String { String(decoding: vocabulary[Int(id)], as: UTF8.self) }

    /// The entries holding a name with the same words as `text`, legal forms, particles, case, punctuation and word
    /// order set aside (`Zhejiang Dahua Technology Co., Ltd` is `ZHEJIANG DAHUA TECHNOLOGY CO. LTD.`); weak aliases
    /// do not count. How a relation a list states by name is resolved to the entries that name: exact, because a
    /// relation found by a fuzzy name would hang one party's consequences on another.
    public func entries(named text: String) -> [Int] {
        var wanted: [Int32] = []
        for token in Normalizer.tokens(text) where token.role == .word {
            guard let id = tokenIDs[token.text] else { return [] }
            wanted.append(id)
        }
        guard let rarest = wanted.min(by: { postings[Int($0)].count < postings[Int($1)].count }) else { return [] }
        let words = Set(wanted)
        var found: Set<Int> = []
        for nameID in postings[Int(rarest)] {
            let name = names[Int(nameID)]
            if name.kind != .weak && Set(name.tokens.filter { roles[Int($0)] == .word }) == words { found.insert(Int(name.entry)) }
        }
        return found.sorted()
    }

    /// Vocabulary ids of words starting with `prefix`, at most `limit` (nil when there are more).
    func words(withPrefix prefix: [UInt8], limit: Int) -> [Int32]? {
        var low = 0, high = sortedWords.count
        while low < high {
            let mid = (low + high) / 2
            if vocabulary[Int(sortedWords[mid])].lexicographicallyPrecedes(prefix) { low = mid + 1 } else { high = mid }
        }
        var out: [Int32] = []
        var i = low
        while i < sortedWords.count, vocabulary[Int(sortedWords[i])].starts(with: prefix) {
            if out.count == limit { return nil }
            out.append(sortedWords[i])
            i += 1
        }
        return out
    }
}

import Foundation
