/// Finds and scores the entries a query may be: candidates from the index (never a scan of every name), then a
/// weighted word alignment per candidate name, then secondary evidence.
public struct Matcher: Sendable {
    public let index: MatchIndex
    /// Most candidate names scored in full per query name.
    var candidateLimit: Int

    /// `candidateLimit`: screening keeps 200; looking a list entry up among counterparties, where one supplier may
    /// be held under many ids, needs more.
    public init(index: MatchIndex, candidateLimit: Int = 200) {
        self.index = index
        self.candidateLimit = candidateLimit
    }

    /// Matches at or above `minimumScore`, best first, at most `limit`.
    /// The best `limit` matches at or above `minimumScore`; `including` restricts them to some entries (by index
    /// position: a caller screening against some lists only), checked before any is scored or explained.
    public func match(_ query: MatchQuery, minimumScore: Double, limit: Int, including: ((Int) -> Bool)? = nil) -> [Match] {
        // Score every candidate cheaply; build explanations only for what is returned.
        var best: [Int: (prepared: Int, name: Int32, alignment: Alignment)] = [:]
        var prepared: [PreparedQuery] = []
        // One scratch array for all the query's names: taken from the pool once per query, not once per name.
        index.candidateScores.with { scores in
            for name in query.names.flatMap(NameParts.of) {
                let current = PreparedQuery(name, kind: query.kind, index: index)
                guard current.totalWeight > 0 else { continue }
                prepared.append(current)
                var candidates = candidateNames(current, scores: &scores)
                for identifier in query.identifiers {
                    for entry in index.identifiers[identifier] ?? [] { candidates += index.entryNames[Int(entry)] }
                }
                // In name order, keeping the first best name per entry: deterministic, as replay requires.
                for nameID in Set(candidates).sorted() {
                    let indexed = index.names[Int(nameID)]
                    let entryIndex = Int(indexed.entry)
                    if let including, !including(entryIndex) { continue }
                    // A different type is evidence against the match (see `evidence`), not a filter: callers get types wrong.
                    guard let alignment = align(current, name: indexed) else { continue }
                    if let existing = best[entryIndex], existing.alignment.score >= alignment.score { continue }
                    best[entryIndex] = (prepared.count - 1, nameID, alignment)
                }
            }
        }
        // An identical strong identifier finds its entry whatever the name: a vessel renamed and reflagged keeps its IMO
        // number. Its name is shown unmatched, and the evidence says the name differs.
        if let first = query.names.first {
            for identifier in query.identifiers {
                for entry in index.identifiers[identifier] ?? [] where best[Int(entry)] == nil && including?(Int(entry)) != false {
                    guard let nameID = index.entryNames[Int(entry)].first else { continue }
                    if prepared.isEmpty { prepared.append(PreparedQuery(first, kind: query.kind, index: index)) }
                    best[Int(entry)] = (0, nameID, Alignment.none(tokens: prepared[0].tokens.count))
                }
            }
        }
        var scored: [(entry: Int, score: Double, evidence: [Evidence])] = []
        for (entryIndex, found) in best {
            let evidence = self.evidence(query, index.entries[entryIndex], score: found.alignment.score)
            let score = min(1, max(0, found.alignment.score + evidence.reduce(0) { $0 + $1.effect }))
            if score >= minimumScore { scored.append((entryIndex, score, evidence)) }
        }
        scored.sort { $0.score != $1.score ? $0.score > $1.score : $0.entry < $1.entry }
        // The same party on another list (`SamePartyLinks`): an entry linked to one the name found is that party too,
        // whatever its own names (the UN's `Mubarak Al-Bathali` is OFAC's `AL-BATHALI, Mubarak Mushakhas Sanad`,
        // passport 101856740 on both). It is reported at the score of the entry that found it, with the link
        // as the evidence that lifts it there, and keeps its own names' alignment (or none) as the explanation.
        // Strongest first, so each is linked from its best match.
        var reported = Set(scored.map(\.entry))
        for item in scored {
            guard let source = best[item.entry], let sourceName = index.entryNames[item.entry].first else { continue }
            for link in index.sameParty[Int32(item.entry)] where !reported.contains(Int(link.entry)) && including?(Int(link.entry)) != false {
                guard let nameID = index.entryNames[Int(link.entry)].first else { continue }
                reported.insert(Int(link.entry))
                let own = best[Int(link.entry)] ?? (source.prepared, nameID, Alignment.none(tokens: prepared[source.prepared].tokens.count))
                best[Int(link.entry)] = own
                scored.append((Int(link.entry), item.score, [Evidence(kind: "sameParty", effect: item.score - own.alignment.score, detail:
                    "the same party as \(index.names[Int(sourceName)].text), which the name matched: \(link.reason)")]))
            }
        }
        scored.sort { $0.score != $1.score ? $0.score > $1.score : $0.entry < $1.entry }
        return scored.prefix(limit).compactMap { item in
            guard let found = best[item.entry] else { return nil }
            var explanation = explain(prepared[found.prepared], name: index.names[Int(found.name)], found.alignment)
            explanation.evidence += item.evidence
            return Match(entry: item.entry, score: item.score, explanation: explanation)
        }
    }

    // MARK: Candidates

    /// Names sharing weighted words (or their typo, phonetic and abbreviation variants) with the query, scored in
    /// `scores`, which it leaves cleared for the query's next name.
    private func candidateNames(_ query: PreparedQuery, scores: inout CandidateScores) -> [Int32] {
        defer { scores.clear() }
        // A flat score per name and the list of names touched: no hashing per posting.
        func add(_ word: Int32, _ gain: Float) {
            for name in index.postings[Int(word)] {
                if scores.scores[Int(name)] == 0 { scores.touched.append(name) }
                scores.scores[Int(name)] += gain
            }
        }
        // Very common words (`mohammad`, `bank`) do not find names when the query has a rarer one to find them by.
        // They still count toward the share of the query a name must reach to be kept, and rank the names when there
        // are more than can be scored in full: `China National Plant Import/Export` is found by `plant`, among
        // hundreds of names with it, and kept and ranked by all it shares. Each query word adds its closest common
        // word (not a particle, in tens of thousands of names) to the names already found.
        let hasRareWord = query.tokens.contains { $0.weight >= ScoringModel.findingWord }
        var common: [(word: Int32, gain: Float)] = []
        for token in query.tokens where token.weight > 0 {
            var closest: (word: Int32, similarity: Double)?
            for (word, expansion) in token.expansions {
                if hasRareWord && Double(index.weights[Int(word)]) < ScoringModel.findingWordCommon {
                    guard index.roles[Int(word)] == .word else { continue }
                    if closest.map({ expansion.similarity > $0.similarity || (expansion.similarity == $0.similarity && word < $0.word) }) ?? true {
                        closest = (word, expansion.similarity)
                    }
                } else {
                    add(word, Float(expansion.similarity) * Float(token.weight))
                }
            }
            if let closest { common.append((closest.word, Float(closest.similarity) * Float(token.weight))) }
        }
        for unit in query.units {
            let gain = Float(unit.similarity) * Float(unit.queryTokens.reduce(0) { $0 + query.tokens[$1].weight })
            // An article a unit includes (`al` of `Alzarooni`) is in thousands of names and finds none.
            for word in unit.words where index.roles[Int(word)] == .word { add(word, gain) }
        }
        for (word, gain) in common {
            for name in index.postings[Int(word)] where scores.scores[Int(name)] > 0 { scores.scores[Int(name)] += gain }
        }
        let floor = Float(query.totalWeight * ScoringModel.candidateShare)
        let kept = scores.touched.filter { scores.scores[Int($0)] >= floor }
        if kept.count <= candidateLimit { return kept }
        // Rank by an estimate of both coverages, so `GAZPROM, OAO` is not crowded out by a hundred longer
        // `GAZPROM ...` subsidiaries.
        let queryTotal = Float(query.totalWeight)
        var top = TopK(capacity: candidateLimit)
        for name in kept {
            let score = scores.scores[Int(name)]
            top.offer(name, score / queryTotal + score / max(index.nameWeights[Int(name)], 0.01))
        }
        return top.names
    }

    // MARK: Scoring

    /// How a query name aligned with a listed name: per query word, the similarity it matched with (or -1), how,
    /// and which listed words; and the resulting coverages and score.
    struct Alignment {
        var similarity: [Double]
        var how: [MatchHow]
        /// Up to two listed words per query word (-1 for none).
        var matched: [(Int, Int)]
        var queryCoverage: Double
        var nameCoverage: Double
        var score: Double
        var transliterationDiscount: Double

        /// No word in common (an entry found by identifier alone).
        static func none(tokens: Int) -> Alignment {
            Alignment(similarity: Array(repeating: -1, count: tokens), how: Array(repeating: .unmatched, count: tokens),
                      matched: Array(repeating: (-1, -1), count: tokens), queryCoverage: 0, nameCoverage: 0, score: 0, transliterationDiscount: 0)
        }
    }

    /// A weighted one-to-one alignment of query words and listed words; the score is the harmonic mean of the
    /// share of each side's weight that matched, so both extra and missing words cost, in proportion to their rarity.
    func align(_ query: PreparedQuery, name: MatchIndex.IndexedName) -> Alignment? {
        struct Pair {
            var similarity: Double
            var weight: Double
            var q1: Int, q2: Int
            var n1: Int, n2: Int
            var how: MatchHow
        }
        // Cheap rejection first: a one-distinctive-word query needs that word matched closely enough (unless the
        // generic words around it may corroborate it; see below).
        if let only = query.soleDistinctiveWord, query.genericWords < Self.corroboratingWords {
            let token = query.tokens[only]
            guard name.tokens.contains(where: { soleWordMatches(token.bytes, index.vocabulary[Int($0)], similarity: token.expansions[$0]?.similarity ?? 0) })
                    || query.units.contains(where: { $0.queryTokens.contains(only) && $0.words.allSatisfy(name.tokens.contains) }) else { return nil }
        }
        let count = name.tokens.count
        var nameWeights = [Double](repeating: 0, count: count)
        var nameTotal = 0.0
        for j in 0..<count {
            let id = Int(name.tokens[j])
            let weight = Double(index.weights[id])
            nameWeights[j] = index.vocabulary[id].count == 1 && index.roles[id] == .word ? min(weight, ScoringModel.singleLetterWeight) : weight
            nameTotal += nameWeights[j]
        }
        guard nameTotal > 0 else { return nil }
        var pairs: [Pair] = []
        pairs.reserveCapacity(query.tokens.count * 2)
        for (i, token) in query.tokens.enumerated() where token.weight > 0 {
            for j in 0..<count where nameWeights[j] > 0 {
                let word = name.tokens[j]
                if let expansion = token.expansions[word] {
                    pairs.append(Pair(similarity: expansion.similarity, weight: token.weight, q1: i, q2: -1, n1: j, n2: -1, how: expansion.how))
                } else if let initial = initialSimilarity(token.bytes, index.vocabulary[Int(word)]) {
                    pairs.append(Pair(similarity: initial, weight: token.weight, q1: i, q2: -1, n1: j, n2: -1, how: .initial))
                }
            }
        }
        for unit in query.units {
            guard let first = name.tokens.firstIndex(of: unit.words[0]) else { continue }
            let second = unit.words.count > 1 ? name.tokens.firstIndex(of: unit.words[1]) : -1
            guard let second else { continue }
            let q2 = unit.queryTokens.count > 1 ? unit.queryTokens[1] : -1
            let weight = query.tokens[unit.queryTokens[0]].weight + (q2 >= 0 ? query.tokens[q2].weight : 0)
            pairs.append(Pair(similarity: unit.similarity, weight: weight, q1: unit.queryTokens[0], q2: q2, n1: first, n2: second, how: unit.how))
        }
        pairs.sort { $0.similarity != $1.similarity ? $0.similarity > $1.similarity : $0.weight > $1.weight }
        var similarity = [Double](repeating: -1, count: query.tokens.count)
        var how = [MatchHow](repeating: .unmatched, count: query.tokens.count)
        var matched = [(Int, Int)](repeating: (-1, -1), count: query.tokens.count)
        /// How closely each listed word was matched; 0 while it is not (every pairing's similarity is above 0).
        var nameSimilarity = [Double](repeating: 0, count: count)
        var nameMatched = 0.0
        for pair in pairs {
            guard similarity[pair.q1] < 0, pair.q2 < 0 || similarity[pair.q2] < 0, nameSimilarity[pair.n1] == 0, pair.n2 < 0 || nameSimilarity[pair.n2] == 0 else { continue }
            similarity[pair.q1] = pair.similarity
            how[pair.q1] = pair.how
            matched[pair.q1] = (pair.n1, pair.n2)
            if pair.q2 >= 0 {
                similarity[pair.q2] = pair.similarity
                how[pair.q2] = pair.how
                matched[pair.q2] = (pair.n1, pair.n2)
            }
            nameSimilarity[pair.n1] = pair.similarity
            nameMatched += nameWeights[pair.n1] * pair.similarity
            if pair.n2 >= 0 {
                nameSimilarity[pair.n2] = pair.similarity
                nameMatched += nameWeights[pair.n2] * pair.similarity
            }
        }
        matchInitials(query, name, similarity: &similarity, how: &how, matched: &matched, nameSimilarity: &nameSimilarity,
                      nameMatched: &nameMatched, nameWeights: nameWeights)
        // Names that differ in a number name different things (`Snow Storm 1` and `Snow Storm 2`, `Fund 3` and `Fund 4`).
        func isNumber(_ bytes: [UInt8]) -> Bool { !bytes.isEmpty && bytes.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) } }
        if query.tokens.indices.contains(where: { similarity[$0] < 0 && isNumber(query.tokens[$0].bytes) }),
           (0..<count).contains(where: { nameSimilarity[$0] == 0 && isNumber(index.vocabulary[Int(name.tokens[$0])]) }) {
            return nil
        }
        var queryMatched = 0.0
        var informative = false
        for (i, token) in query.tokens.enumerated() where similarity[i] >= 0 {
            queryMatched += token.weight * similarity[i]
            if token.weight >= ScoringModel.informativeWord && token.bytes.count > 1 { informative = true }
        }
        // Only initials and particles in common is no match.
        guard informative else { return nil }
        // An alias that is one short acronym (`LET` for Lashkar-e-Tayyiba, `GI`, `TMG Ltd.`) is the initials of many
        // parties: it names the listed one only when the query is that acronym alone (legal forms aside). With other
        // words around it (`LET Group Holdings`, `GI Technologies Group`) the query is another party's name that
        // begins the same. (A primary name, `ZTE Corporation`, is the party's own: its subsidiaries add words to it.)
        if name.kind != .primary, let only = (0..<count).first(where: { nameWeights[$0] > 0 }),
           !(only + 1..<count).contains(where: { nameWeights[$0] > 0 }), Self.isAcronym(index.vocabulary[Int(name.tokens[only])]),
           query.tokens.indices.contains(where: { similarity[$0] < 0 && query.tokens[$0].weight > ScoringModel.particleWeight }) {
            return nil
        }
        // A query with one distinctive word (`Casio`, `Accor`, `ACI Worldwide`) matched loosely is how brand names
        // collide with listed ones: a short word must match exactly; a long one (seven letters or more) may have a typo.
        // Three generic words or more matched exactly around it (`China National Paant Import/Export` for `China
        // National Plant Import/Export`) say it is the listed name, misspelt, and not a brand that happens to be near.
        let corroborated = query.tokens.indices.filter { $0 != query.soleDistinctiveWord && query.tokens[$0].weight > ScoringModel.particleWeight && similarity[$0] >= 0.99 }.count
        if let only = query.soleDistinctiveWord, corroborated < Self.corroboratingWords {
            let listed = matched[only].0 >= 0 ? index.vocabulary[Int(name.tokens[matched[only].0])] : []
            if !soleWordMatches(query.tokens[only].bytes, listed, similarity: max(similarity[only], 0)) { return nil }
        }
        // A person's names differ between records by given names, a patronymic or a second surname that one record
        // carries and the other leaves out (`Yury Zherebtsov` for `ZHEREBTSOV, Yuriy Gennadyevich`, `Hadi Dehghan
        // Chenari` for `DEHGHAN, Hadi`). When the listed name says which words are the surname (`SURNAME, Given`),
        // a rare surname word matched exactly, as a known variant (0.9) or, when long, nearly, a given name matched
        // closely, and at least half of each side matched, the words left over on either side count for half. Not
        // when each side has a patronymic or a given name of its own: two fathers, or two given names, are two
        // people. (Surnames alone, `Raquel Huerta Lopez` for `LOPEZ HUERTA, Arnoldo`, or a given name alone, `Je-Son
        // Kelly` for `RI, Je-Son`, are not enough.)
        var nameTotalCounted = nameTotal
        var queryTotal = query.totalWeight
        let surname = 0..<name.surnameWords, given = name.surnameWords..<count
        // A long surname spelt otherwise but recognisably (`Tubaiqi` for `Tubaigy`, `Casaryanifard` for
        // `Kosarayanifard`): seven letters or more, matched at 0.74 or more, beginning with the same sound.
        func longSurnameNear(_ j: Int) -> Bool {
            let listed = index.vocabulary[Int(name.tokens[j])]
            guard listed.count >= 7, nameSimilarity[j] >= 0.74,
                  let i = query.tokens.indices.first(where: { matched[$0].0 == j || matched[$0].1 == j }) else { return false }
            return PreparedQuery.sameInitialSound(query.tokens[i].bytes[0], listed[0])
        }
        if query.mayBePerson, name.entryKind == .person, name.surnameWords > 0,
           queryMatched >= 0.5 * query.totalWeight, nameMatched >= 0.5 * nameTotal,
           surname.contains(where: { nameWeights[$0] >= ScoringModel.rareWord && (nameSimilarity[$0] >= ScoringModel.closeMatch || longSurnameNear($0)) }),
           given.contains(where: { nameSimilarity[$0] >= ScoringModel.closeMatch && nameWeights[$0] >= ScoringModel.informativeWord }) {
            let leftInName = (0..<count).filter { nameSimilarity[$0] == 0 }
            let leftInQuery = query.tokens.indices.filter { similarity[$0] < 0 }
            let twoFathers = query.hasPatronymic && leftInName.contains { index.isPatronymic[Int(name.tokens[$0])] }
                && leftInQuery.contains { query.tokens[$0].isPatronymic }
            // Likewise a given name on each side that the other lacks: `Yong Suk Jo` is not `JO, Yong Chol`. (One
            // written inside the other is one name: `Munir` of `Mustafamunir`.)
            let otherGiven = leftInName.filter { given.contains($0) && nameWeights[$0] >= ScoringModel.informativeWord }
            let otherInQuery = leftInQuery.filter { query.tokens[$0].weight >= ScoringModel.informativeWord }
            let twoGivenNames = !otherGiven.isEmpty && !otherInQuery.isEmpty && !otherGiven.contains { j in
                let listed = index.vocabulary[Int(name.tokens[j])]
                return otherInQuery.contains { ByteSearch.occurs(query.tokens[$0].bytes, in: listed) || ByteSearch.occurs(listed, in: query.tokens[$0].bytes) }
            }
            if !twoFathers && !twoGivenNames {
                nameTotalCounted -= ScoringModel.personLeftoverRelief * leftInName.reduce(0.0) { $0 + nameWeights[$1] }
                queryTotal -= ScoringModel.personLeftoverRelief * leftInQuery.reduce(0.0) { $0 + query.tokens[$1].weight }
            }
        } else if query.mayBePerson, name.entryKind == .person, queryMatched >= 0.5 * query.totalWeight,
                  !(query.hasPatronymic && query.tokens.indices.contains(where: { similarity[$0] < 0 && query.tokens[$0].isPatronymic })) {
            // Whatever the name's form (`Сергей Викторович Лавров`), a patronymic the record leaves out (`Sergei
            // Lavrov`) counts for half, unless the record has a father of its own.
            let fathers = (0..<count).filter { nameSimilarity[$0] == 0 && index.isPatronymic[Int(name.tokens[$0])] }
            nameTotalCounted -= ScoringModel.personLeftoverRelief * fathers.reduce(0.0) { $0 + nameWeights[$1] }
        }
        // An organisation's listed name may say where it is (`Movement for Islamic Reform in Arabia`, `Aqssa Society
        // Yemen`): when the query is all in it, two distinctive words or more with a rare one among them, the listed
        // places the query lacks count for half.
        // Both this and the registered-name rule below need a rare query word matched closely.
        let rareWordMatched = query.tokens.indices.contains { similarity[$0] >= ScoringModel.closeMatch && query.tokens[$0].weight >= ScoringModel.rareWord }
        if name.entryKind == .organization, rareWordMatched, queryMatched >= 0.9 * query.totalWeight,
           query.tokens.indices.filter({ similarity[$0] >= ScoringModel.closeMatch && query.tokens[$0].weight >= ScoringModel.distinctiveWord }).count >= 2 {
            let places = (0..<count).filter { nameSimilarity[$0] == 0 && index.isPlace[Int(name.tokens[$0])] }
            nameTotalCounted -= ScoringModel.listedPlaceRelief * places.reduce(0.0) { $0 + nameWeights[$1] }
        }
        let nameCoverage = nameMatched / nameTotalCounted
        // A registered name puts a place before the listed name and a legal form after it (`Zhejiang Dahua Technology
        // Co., Ltd.` for `Dahua Technology`, `Dalian Korea Zinc Industrial Co.` for `Korea Zinc Industrial Group`):
        // when every distinctive word of a listed name of two words or more is in the query, with a rare word among
        // them, the places in front of it count for a fifth. (After a name, or beside a one-word name, a place-like
        // word is as likely a surname: `Khamis Fuentes` is not `Khamis`.) An organisation's other added words (a
        // longer registered name, `Nam-Avaran-e Pouya Control` for `Pouya Control`) count for half. Not when the
        // listed name has a place of its own that the query leaves out: two places are two parties (`Nordic Iron
        // Ore` is not `Iran Central Iron Ore`), and the query's added words count in full.
        if rareWordMatched, (0..<count).filter({ nameWeights[$0] > 0 && nameSimilarity[$0] >= ScoringModel.closeMatch }).count >= 2,
           (0..<count).allSatisfy({ nameWeights[$0] < ScoringModel.distinctiveWord || nameSimilarity[$0] >= ScoringModel.closeMatch }), nameCoverage >= 0.75,
           !(0..<count).contains(where: { nameSimilarity[$0] == 0 && index.namesPlace(name.tokens[$0]) }),
           let firstMatched = similarity.firstIndex(where: { $0 >= 0 }) {
            let added = query.tokens.indices.filter { similarity[$0] < 0 }
            let places = added.filter { $0 < firstMatched && query.tokens[$0].isPlace }
            queryTotal -= ScoringModel.registeredPlaceRelief * places.reduce(0.0) { $0 + query.tokens[$1].weight }
            if query.kind != .person && name.entryKind == .organization {
                queryTotal -= ScoringModel.registeredAddedWordRelief * added.filter { !places.contains($0) }.reduce(0.0) { $0 + query.tokens[$1].weight }
            }
        }
        let queryCoverage = min(1, queryMatched / queryTotal)
        var score = queryCoverage + nameCoverage > 0 ? 2 * queryCoverage * nameCoverage / (queryCoverage + nameCoverage) : 0
        // Chinese, Japanese and Korean transliterate to syllables many names share, so a Latin name matched
        // through them counts for less (a listed name in the same script does not); a name of two syllables (`陈东`,
        // Chen Dong) is shared by so many that its transliteration alone says little.
        var discount = 0.0
        if query.script == .cjk && name.kind != .originalScript {
            discount = (query.tokens.filter { $0.weight > 0 }.count <= 2 ? ScoringModel.cjkTwoSyllableDiscount : ScoringModel.cjkDiscount) * score
            score -= discount
        }
        return Alignment(similarity: similarity, how: how, matched: matched, queryCoverage: queryCoverage, nameCoverage: nameCoverage,
                         score: score, transliterationDiscount: discount)
    }

    /// Two or three Latin letters: a word that is as likely anyone's initials as a name.
    static func isAcronym(_ word: [UInt8]) -> Bool {
        (2...3).contains(word.count) && word.allSatisfy { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) }
    }

    /// Generic words matched exactly that let a query's only distinctive word match loosely.
    static let corroboratingWords = 3

    /// Initials written for given names, either way (`JC` or `J.C.` for `Jean-Claude`, `Jean Claude` for `J.C.`):
    /// initials left unmatched on one side stand for as many consecutive unmatched words on the other, which match
    /// them at `ScoringModel.initial`.
    func matchInitials(_ query: PreparedQuery, _ name: MatchIndex.IndexedName, similarity: inout [Double], how: inout [MatchHow],
                       matched: inout [(Int, Int)], nameSimilarity: inout [Double], nameMatched: inout Double, nameWeights: [Double]) {
        let count = name.tokens.count
        guard query.hasInitials || name.tokens.contains(where: { index.areInitials[Int($0)] }) else { return }
        func listed(_ j: Int) -> [UInt8] { index.vocabulary[Int(name.tokens[j])] }
        for (i, token) in query.tokens.enumerated() where similarity[i] < 0 && token.areInitials {
            let n = token.bytes.count
            guard count >= n, let start = (0...(count - n)).first(where: { j in
                (0..<n).allSatisfy { nameSimilarity[j + $0] == 0 && nameWeights[j + $0] > 0 && listed(j + $0).count > 1 && listed(j + $0)[0] == token.bytes[$0] }
            }) else { continue }
            similarity[i] = ScoringModel.initial
            how[i] = .initials
            matched[i] = (start, start + 1)
            for k in start..<(start + n) {
                nameSimilarity[k] = ScoringModel.initial
                nameMatched += ScoringModel.initial * nameWeights[k]
            }
        }
        for j in 0..<count where nameSimilarity[j] == 0 && nameWeights[j] >= ScoringModel.informativeWord && index.areInitials[Int(name.tokens[j])] {
            let word = listed(j), n = word.count
            guard query.tokens.count >= n, let start = (0...(query.tokens.count - n)).first(where: { i in
                (0..<n).allSatisfy {
                    similarity[i + $0] < 0 && query.tokens[i + $0].weight > 0 && query.tokens[i + $0].bytes.count > 1 && query.tokens[i + $0].bytes[0] == word[$0]
                }
            }) else { continue }
            for k in start..<(start + n) {
                similarity[k] = ScoringModel.initial
                how[k] = .initials
                matched[k] = (j, -1)
            }
            nameSimilarity[j] = ScoringModel.initial
            nameMatched += ScoringModel.initial * nameWeights[j]
        }
    }

    /// Whether a query's only distinctive word matches a listed word closely enough to stand alone: exactly (or
    /// nearly) when short, a typo allowed from seven letters. A short word may still differ in a vowel or a doubled
    /// letter (`Lerma` as `Larma` or `Leerma`, `Opera` as `Opara`), how transliterations and typing vary it; not in a
    /// consonant (`Opera`/`Ozera`, `Casio`/`Cosmo`), how different names differ.
    func soleWordMatches(_ query: [UInt8], _ listed: [UInt8], similarity: Double) -> Bool {
        if similarity >= 0.95 || (query.count >= 7 && similarity >= 0.8) { return true }
        return similarity >= 0.75 && min(query.count, listed.count) >= 5 && StringSimilarity.sameConsonants(query, listed)
    }

    /// The explanation of an alignment, in words.
    func explain(_ query: PreparedQuery, name: MatchIndex.IndexedName, _ alignment: Alignment) -> MatchExplanation {
        let tokens = query.tokens.enumerated().map { i, token in
            let (n1, n2) = alignment.matched[i]
            return TokenMatch(query: token.text,
                       matched: n1 < 0 ? nil : [n1, n2].filter { $0 >= 0 }.map { index.word(name.tokens[$0]) }.joined(separator: " "),
                       how: (token.weight == 0 ? MatchHow.legalForm : alignment.how[i]).rawValue, similarity: max(alignment.similarity[i], 0), weight: token.weight)
        }
        var evidence: [Evidence] = []
        if !query.disguises.isEmpty {
            let ways = Disguise.allCases.filter(query.disguises.contains).map(\.rawValue).joined(separator: "; ")
            evidence.append(Evidence(kind: "disguise", effect: 0, detail: "the query was disguised (\(ways)): it is matched as a reader sees it"))
        }
        if alignment.transliterationDiscount > 0 {
            evidence.append(Evidence(kind: "transliteration", effect: -alignment.transliterationDiscount,
                                     detail: "matched through a transliteration of Chinese, Japanese or Korean script"))
        }
        return MatchExplanation(queryName: query.original, matchedName: name.text, nameKind: name.kind, nameScore: alignment.score,
                                queryCoverage: alignment.queryCoverage, nameCoverage: alignment.nameCoverage, tokens: tokens, evidence: evidence)
    }

    /// `E` for `EHSAN` (or the other way round): an initial matches a word starting with it.
    func initialSimilarity(_ a: [UInt8], _ b: [UInt8]) -> Double? {
        if a.count == 1, b.count > 1, b[0] == a[0] { return ScoringModel.initial }
        if b.count == 1, a.count > 1, a[0] == b[0] { return ScoringModel.initial }
        return nil
    }

    // MARK: Evidence

    func evidence(_ query: MatchQuery, _ entry: MatchableEntry, score: Double) -> [Evidence] {
        var evidence: [Evidence] = []
        if let country = query.country, !entry.countries.isEmpty {
            if entry.countries.contains(country) {
                evidence.append(Evidence(kind: "country", effect: ScoringModel.countryAgrees, detail: "\(country) is among the entry's countries"))
            } else {
                evidence.append(Evidence(kind: "country", effect: ScoringModel.countryConflicts,
                                         detail: "\(country) is not among the entry's countries (\(entry.countries.sorted().joined(separator: ", ")))"))
            }
        }
        if let date = query.birthDate, !entry.birthDates.isEmpty {
            if entry.birthDates.contains(where: { Self.sameDate(date, $0) }) {
                evidence.append(Evidence(kind: "dateOfBirth", effect: ScoringModel.sameBirthDate, detail: "the date of birth matches"))
            } else if entry.birthDates.contains(where: { abs($0.year - date.year) <= 1 }) {
                evidence.append(Evidence(kind: "dateOfBirth", effect: 0, detail: "the year of birth is within one year"))
            } else {
                evidence.append(Evidence(kind: "dateOfBirth", effect: ScoringModel.birthYearsConflict,
                                         detail: "born \(date.year); the entry's years are \(entry.birthDates.map { String($0.year) }.joined(separator: ", "))"))
            }
        }
        let sharedPlaces = query.addressWords.intersection(entry.addressWords)
        if !sharedPlaces.isEmpty {
            evidence.append(Evidence(kind: "address", effect: ScoringModel.addressPlaceShared, detail: "the address shares \(sharedPlaces.sorted().joined(separator: ", ")) with the entry's"))
        }
        if !query.kind.isCompatible(with: entry.kind) {
            evidence.append(Evidence(kind: "type", effect: ScoringModel.typeConflicts, detail: "screened as \(query.kind.rawValue); the entry is \(entry.kind.article) \(entry.kind.rawValue)"))
        }
        if let shared = query.identifiers.first(where: entry.identifiers.contains) {
            let adjusted = score + evidence.reduce(0) { $0 + $1.effect }
            let detail = score < 0.5 ? "identifier \(shared) is the entry's, under another name (a renamed party is itself a finding)"
                : "identifier \(shared) is the entry's"
            evidence.append(Evidence(kind: "identifier", effect: max(ScoringModel.strongIdentifierFloor, adjusted + ScoringModel.identifierLift) - adjusted, detail: detail))
        } else if let shared = query.identifiers.first(where: entry.weakIdentifiers.contains) {
            evidence.append(Evidence(kind: "identifier", effect: ScoringModel.weakIdentifierSupport, detail: "identifier \(shared) is among the entry's (a weak one: it supports the name only)"))
        }
        return evidence
    }

    static func sameDate(_ a: BirthDate, _ b: BirthDate) -> Bool {
        guard a.year == b.year else { return false }
        if let m1 = a.month, let m2 = b.month, m1 != m2 { return false }
        if let d1 = a.day, let d2 = b.day, d1 != d2 { return false }
        return true
    }
}

/// The `capacity` best names by estimate (ties: lower id), kept in a min-heap: O(n log k), no full sort.
struct TopK {
    private var heap: [(estimate: Float, name: Int32)] = []
    let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
        heap.reserveCapacity(capacity)
    }

    /// Whether `a` ranks below `b`.
    private static func below(_ a: (estimate: Float, name: Int32), _ b: (estimate: Float, name: Int32)) -> Bool {
        a.estimate != b.estimate ? a.estimate < b.estimate : a.name > b.name
    }

    mutating func offer(_ name: Int32, _ estimate: Float) {
        let item = (estimate: estimate, name: name)
        if heap.count < capacity {
            heap.append(item)
            var child = heap.count - 1
            while child > 0 {
                let parent = (child - 1) / 2
                guard Self.below(heap[child], heap[parent]) else { break }
                heap.swapAt(child, parent)
                child = parent
            }
        } else if let root = heap.first, Self.below(root, item) {
            heap[0] = item
            var parent = 0
            while true {
                let left = 2 * parent + 1, right = left + 1
                var smallest = parent
                if left < heap.count && Self.below(heap[left], heap[smallest]) { smallest = left }
                if right < heap.count && Self.below(heap[right], heap[smallest]) { smallest = right }
                if smallest == parent { break }
                heap.swapAt(parent, smallest)
                parent = smallest
            }
        }
    }

    var names: [Int32] { heap.map(\.name) }
}
