/// Spelling variation the lists themselves record. OFAC, the CSL and the UN give one entity several names that
/// differ the way real records do (`Yuriy`/`Yury`, `Pyotr`/`Petr`, `Mohammed`/`Muhammad`, `Ghodratollah`/`Ghodrat`);
/// two names of one entity that differ in exactly one word pair those words. A pair seen in two entities or more is
/// a variant of the language, not of one record, and a query spelling one way finds a name spelt the other. Word
/// endings that one name adds to another's word (`ollah`, `ullah`) are learnt the same way, from three entities.
///
/// Mined from whatever lists are loaded, so an entity's own aliases, once removed from the lists, teach nothing
/// about it: an evaluation that strips them measures what the engine learnt from other entities.
struct LearnedVariants: Sendable {
    /// A word → its learnt variants (both directions). Words, not vocabulary ids, so an index of counterparties
    /// can use what the lists' index learnt.
    let variants: [String: [String]]
    /// Endings added to a whole word (four letters or more) to make another name's word.
    let endings: [[UInt8]]

    static let empty = LearnedVariants(variants: [:], endings: [])

    /// Entities a word pair or an ending must be seen in.
    static let pairEvidence = 3
    static let endingEvidence = 4
    /// Names of one entity compared pairwise, at most (the largest alias lists are a few dozen).
    static let namesPerEntity = 24
    /// Two names that share a word and differ in up to this many on each side (`ZIMA, Pyotr Anatoliyovych` and
    /// `ZIMA, Petr Anatolyevich` differ in two) have their differing words paired.
    static let maxDifferingWords = 3

    /// The differing words of two names paired closest first (by edit distance), each word used once.
    static func paired(_ first: [Int32], _ second: [Int32], _ vocabulary: [[UInt8]]) -> [(Int32, Int32)] {
        guard first.count > 1 else { return [(first[0], second[0])] }
        var candidates: [(distance: Int, a: Int32, b: Int32)] = []
        for a in first {
            for b in second { candidates.append((StringSimilarity.distance(vocabulary[Int(a)], vocabulary[Int(b)], limit: 8), a, b)) }
        }
        candidates.sort { ($0.distance, $0.a, $0.b) < ($1.distance, $1.a, $1.b) }
        var usedFirst = Set<Int32>(), usedSecond = Set<Int32>()
        var pairs: [(Int32, Int32)] = []
        for candidate in candidates where !usedFirst.contains(candidate.a) && !usedSecond.contains(candidate.b) {
            usedFirst.insert(candidate.a)
            usedSecond.insert(candidate.b)
            pairs.append((candidate.a, candidate.b))
        }
        return pairs
    }

    static func mine(entryNames: [[Int32]], names: [MatchIndex.IndexedName], vocabulary: [[UInt8]], roles: [NameToken.Role]) -> LearnedVariants {
        var pairs: [PairKey: Evidence] = [:]
        var endings: [[UInt8]: Evidence] = [:]
        for (entry, nameIDs) in entryNames.enumerated() where nameIDs.count >= 2 {
            let words = nameIDs.prefix(namesPerEntity).map { id in Set(names[Int(id)].tokens.filter { roles[Int($0)] == .word }) }
            for i in words.indices {
                for j in words.indices where j > i {
                    let onlyFirst = words[i].subtracting(words[j]).sorted(), onlySecond = words[j].subtracting(words[i]).sorted()
                    guard onlyFirst.count == onlySecond.count, (1...maxDifferingWords).contains(onlyFirst.count),
                          !words[i].isDisjoint(with: words[j]) else { continue }
                    for (a, b) in Self.paired(onlyFirst, onlySecond, vocabulary) {
                        let (x, y) = (vocabulary[Int(a)], vocabulary[Int(b)])
                        // Generic words (`finance`, `financial`) keep their own, looser similarity: made variants of one
                        // another, they join business names that share nothing distinctive.
                        guard !Vocabulary.generic.contains(String(decoding: x, as: UTF8.self)),
                              !Vocabulary.generic.contains(String(decoding: y, as: UTF8.self)) else { continue }
                        if let ending = Self.ending(x, y) {
                            endings[ending, default: Evidence()].add(entry)
                        } else if Self.plausible(x, y) {
                            pairs[PairKey(a, b), default: Evidence()].add(entry)
                        }
                    }
                }
            }
        }
        var variants: [String: [String]] = [:]
        for (pair, evidence) in pairs where evidence.entities >= pairEvidence {
            let (low, high) = (String(decoding: vocabulary[Int(pair.low)], as: UTF8.self), String(decoding: vocabulary[Int(pair.high)], as: UTF8.self))
            variants[low, default: []].append(high)
            variants[high, default: []].append(low)
        }
        for key in variants.keys { variants[key]?.sort() }
        let learntEndings = endings.filter { $0.value.entities >= endingEvidence }.keys.sorted { $0.lexicographicallyPrecedes($1) }
        return LearnedVariants(variants: variants, endings: learntEndings)
    }

    /// Whether `word` is a word of four letters or more with `ending` added. A longer ending's vowels vary as a word's
    /// do (`Ghodratollah` ends as the learnt `ullah` does), so there any vowel stands for any other; a short one
    /// (`ia`, `ya`) would then be any ending.
    static func word(_ word: [UInt8], endsWith ending: [UInt8]) -> Bool {
        guard word.count >= ending.count + 4 else { return false }
        let vowelsVary = ending.count >= 4
        return zip(word.suffix(ending.count), ending).allSatisfy { $0 == $1 || (vowelsVary && PreparedQuery.isVowel($0) && PreparedQuery.isVowel($1)) }
    }

    /// The ending the longer word adds to the whole shorter one (two to six letters, on a word of four or more).
    static func ending(_ x: [UInt8], _ y: [UInt8]) -> [UInt8]? {
        let (short, long) = x.count < y.count ? (x, y) : (y, x)
        guard short.count >= 4, (2...6).contains(long.count - short.count), long.starts(with: short) else { return nil }
        return Array(long[short.count...])
    }

    /// Two spellings of one word, not two different words: three letters or more each, the same first letter
    /// (or both vowels), and one edit apart plus one for every five letters of the longer (`Petr`/`Pyotr`,
    /// `Mohammed`/`Muhammad`, but not `Finance`/`Financial`, two words an entity's names happen to swap); or the
    /// same word after a different first consonant or two (`Chang`/`Jang`).
    static func plausible(_ x: [UInt8], _ y: [UInt8]) -> Bool {
        guard x.count >= 3, y.count >= 3 else { return false }
        let vowels = Set("aeiouy".utf8)
        if !vowels.contains(x[0]) && !vowels.contains(y[0]) && initialConsonantsDiffer(x, y) { return true }
        guard x[0] == y[0] || (vowels.contains(x[0]) && vowels.contains(y[0])) else { return false }
        let limit = 1 + max(x.count, y.count) / 5
        return StringSimilarity.distance(x, y, limit: limit + 1) <= limit
    }

    /// Whether two words differ only in a first consonant or two (`Chang`/`Jang`, `Chin`/`Jin`, `Kadir`/`Qadir`): how
    /// romanisations of Korean and Arabic write one sound.
    static func initialConsonantsDiffer(_ x: [UInt8], _ y: [UInt8]) -> Bool {
        for a in 1...2 {
            for b in 1...2 where x.count - a >= 2 && x.count - a == y.count - b && x[a...].elementsEqual(y[b...]) {
                return !PreparedQuery.isVowel(x[a - 1]) && !PreparedQuery.isVowel(y[b - 1])
            }
        }
        return false
    }

    /// An unordered pair of word ids.
    struct PairKey: Hashable {
        let low: Int32, high: Int32
        init(_ a: Int32, _ b: Int32) { (low, high) = a < b ? (a, b) : (b, a) }
    }

    /// The entities something was seen in, each counted once (entries are visited in order).
    struct Evidence {
        private(set) var entities = 0
        private var last = -1
        mutating func add(_ entry: Int) {
            guard entry != last else { return }
            last = entry
            entities += 1
        }
    }
}
