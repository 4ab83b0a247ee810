/// Finds and scores the entries a query may be: candidates from the index (never a scan of every name), then a
/// weighted word alignment per candidate name, then secondary evidence.
public struct Matcher: Sendable {
    public let index: MatchIndex
    /// Most candidate names scored in full per query name.
    var candidateLimit = 300

    public init(index: MatchIndex) {
        self.index = index
    }

    /// Matches at or above `minimumScore`, best first, at most `limit`.
    public func match(_ query: MatchQuery, minimumScore: Double, limit: Int) -> [Match] {
        var best: [Int: Match] = [:]
        for name in query.names {
            let prepared = PreparedQuery(name, index: index)
            guard prepared.totalWeight > 0 else { continue }
            var candidates = candidateNames(prepared)
            for identifier in query.identifiers {
                for entry in index.identifiers[identifier] ?? [] {
                    candidates += index.names.indices.filter { index.names[$0].entry == entry }.map(Int32.init)
                }
            }
            // In name order, keeping the first best name per entry: deterministic, as replay requires.
            for nameID in Set(candidates).sorted() {
                let indexed = index.names[Int(nameID)]
                let entryIndex = Int(indexed.entry)
                let entry = index.entries[entryIndex]
                guard query.kind.isCompatible(with: entry.kind) else { continue }
                guard let scored = score(prepared, name: indexed) else { continue }
                if let existing = best[entryIndex], existing.explanation.nameScore >= scored.nameScore { continue }
                best[entryIndex] = Match(entry: entryIndex, score: scored.nameScore, explanation: scored)
            }
        }
        var matches: [Match] = []
        for (entryIndex, var match) in best {
            applyEvidence(query, index.entries[entryIndex], &match)
            if match.score >= minimumScore { matches.append(match) }
        }
        matches.sort { $0.score != $1.score ? $0.score > $1.score : $0.entry < $1.entry }
        return Array(matches.prefix(limit))
    }

    // MARK: Candidates

    /// Names sharing weighted words (or their typo, phonetic and abbreviation variants) with the query.
    func candidateNames(_ query: PreparedQuery) -> [Int32] {
        var accumulated: [Int32: Float] = [:]
        for token in query.tokens where token.weight > 0 {
            for (word, expansion) in token.expansions {
                let gain = Float(expansion.similarity) * Float(token.weight)
                for name in index.postings[Int(word)] { accumulated[name, default: 0] += gain }
            }
        }
        for unit in query.units {
            let gain = Float(unit.similarity) * Float(unit.queryTokens.reduce(0) { $0 + query.tokens[$1].weight })
            for word in unit.words { for name in index.postings[Int(word)] { accumulated[name, default: 0] += gain } }
        }
        let floor = Float(query.totalWeight * 0.25)
        let kept = accumulated.filter { $0.value >= floor }
        if kept.count <= candidateLimit { return Array(kept.keys) }
        // Rank by an estimate of both coverages, so `GAZPROM, OAO` is not crowded out by a hundred longer
        // `GAZPROM ...` subsidiaries.
        let queryTotal = Float(query.totalWeight)
        let ranked = kept.map { (name: $0.key, estimate: $0.value / queryTotal + $0.value / max(index.nameWeights[Int($0.key)], 0.01)) }
        return ranked.sorted { $0.estimate != $1.estimate ? $0.estimate > $1.estimate : $0.name < $1.name }.prefix(candidateLimit).map(\.name)
    }

    // MARK: Scoring

    /// A weighted one-to-one alignment of query words and listed words; the score is the harmonic mean of the
    /// share of each side's weight that matched, so both extra and missing words cost, in proportion to their rarity.
    func score(_ query: PreparedQuery, name: MatchIndex.IndexedName) -> MatchExplanation? {
        struct Pair {
            var similarity: Double
            var queryTokens: [Int]
            var nameTokens: [Int]
            var how: String
        }
        let nameWeights = name.tokens.map { id -> Double in
            let weight = Double(index.weights[Int(id)])
            return index.vocabulary[Int(id)].count == 1 && index.roles[Int(id)] == .word ? min(weight, 0.25) : weight
        }
        let nameTotal = nameWeights.reduce(0, +)
        guard nameTotal > 0 else { return nil }
        var pairs: [Pair] = []
        for (i, token) in query.tokens.enumerated() where token.weight > 0 {
            for (j, word) in name.tokens.enumerated() where nameWeights[j] > 0 {
                if let expansion = token.expansions[word] {
                    pairs.append(Pair(similarity: expansion.similarity, queryTokens: [i], nameTokens: [j], how: expansion.how))
                } else if let initial = initialSimilarity(token.bytes, index.vocabulary[Int(word)]) {
                    pairs.append(Pair(similarity: initial, queryTokens: [i], nameTokens: [j], how: "initial"))
                }
            }
        }
        for unit in query.units {
            let positions = unit.words.compactMap { word in name.tokens.firstIndex(of: word) }
            if positions.count == unit.words.count {
                pairs.append(Pair(similarity: unit.similarity, queryTokens: unit.queryTokens, nameTokens: positions, how: unit.how))
            }
        }
        pairs.sort { a, b in
            if a.similarity != b.similarity { return a.similarity > b.similarity }
            return a.queryTokens.reduce(0) { $0 + query.tokens[$1].weight } > b.queryTokens.reduce(0) { $0 + query.tokens[$1].weight }
        }
        var queryUsed = [Double?](repeating: nil, count: query.tokens.count)
        var nameUsed = [Bool](repeating: false, count: name.tokens.count)
        var matchedWith = [String?](repeating: nil, count: query.tokens.count)
        var howMatched = [String](repeating: "unmatched", count: query.tokens.count)
        var nameMatched = 0.0
        for pair in pairs where pair.queryTokens.allSatisfy({ queryUsed[$0] == nil }) && pair.nameTokens.allSatisfy({ !nameUsed[$0] }) {
            for i in pair.queryTokens {
                queryUsed[i] = pair.similarity
                matchedWith[i] = pair.nameTokens.map { index.word(name.tokens[$0]) }.joined(separator: " ")
                howMatched[i] = pair.how
            }
            for j in pair.nameTokens {
                nameUsed[j] = true
                nameMatched += nameWeights[j] * pair.similarity
            }
        }
        var queryMatched = 0.0
        var informative = false
        for (i, token) in query.tokens.enumerated() {
            guard let similarity = queryUsed[i] else { continue }
            queryMatched += token.weight * similarity
            if token.weight >= 0.2 && token.bytes.count > 1 { informative = true }
        }
        // Only initials and particles in common is no match.
        guard informative else { return nil }
        // A query with one distinctive word (`Casio`, `Accor`, `ACI Worldwide`) matched loosely is how brand names
        // collide with listed ones: a short word must match exactly; a long one (seven letters or more) may have a typo.
        let words = query.tokens.indices.filter { query.tokens[$0].weight >= 0.3 && query.tokens[$0].bytes.count > 1 }
        if words.count == 1, let only = words.first {
            let similarity = queryUsed[only] ?? 0
            if similarity < 0.95 && (query.tokens[only].bytes.count < 7 || similarity < 0.8) { return nil }
        }
        let queryCoverage = queryMatched / query.totalWeight
        let nameCoverage = nameMatched / nameTotal
        var nameScore = queryCoverage + nameCoverage > 0 ? 2 * queryCoverage * nameCoverage / (queryCoverage + nameCoverage) : 0
        var evidence: [Evidence] = []
        // Chinese, Japanese and Korean transliterate to syllables many names share, so a Latin name matched
        // through them counts for less (a listed name in the same script does not).
        if query.script == .cjk && name.kind != .originalScript {
            evidence.append(Evidence(kind: "transliteration", effect: -0.1 * nameScore,
                                     detail: "matched through a transliteration of Chinese, Japanese or Korean script"))
            nameScore *= 0.9
        }
        let tokens = query.tokens.enumerated().map { i, token in
            TokenMatch(query: token.text, matched: matchedWith[i], how: token.weight == 0 ? "legal-form" : howMatched[i],
                       similarity: queryUsed[i] ?? 0, weight: token.weight)
        }
        return MatchExplanation(queryName: query.original, matchedName: name.text, nameKind: name.kind, nameScore: nameScore,
                                queryCoverage: queryCoverage, nameCoverage: nameCoverage, tokens: tokens, evidence: evidence)
    }

    /// `E` for `EHSAN` (or the other way round): an initial matches a word starting with it.
    func initialSimilarity(_ a: [UInt8], _ b: [UInt8]) -> Double? {
        if a.count == 1, b.count > 1, b[0] == a[0] { return 0.75 }
        if b.count == 1, a.count > 1, a[0] == b[0] { return 0.75 }
        return nil
    }

    // MARK: Evidence

    func applyEvidence(_ query: MatchQuery, _ entry: MatchableEntry, _ match: inout Match) {
        var evidence: [Evidence] = []
        if let country = query.country, !entry.countries.isEmpty {
            if entry.countries.contains(country) {
                evidence.append(Evidence(kind: "country", effect: 0.03, detail: "\(country) is among the entry's countries"))
            } else {
                evidence.append(Evidence(kind: "country", effect: -0.05,
                                         detail: "\(country) is not among the entry's countries (\(entry.countries.sorted().joined(separator: ", ")))"))
            }
        }
        if let date = query.birthDate, !entry.birthDates.isEmpty {
            if entry.birthDates.contains(where: { Self.sameDate(date, $0) }) {
                evidence.append(Evidence(kind: "dateOfBirth", effect: 0.05, detail: "the date of birth matches"))
            } else if entry.birthDates.contains(where: { abs($0.year - date.year) <= 1 }) {
                evidence.append(Evidence(kind: "dateOfBirth", effect: 0, detail: "the year of birth is within one year"))
            } else {
                evidence.append(Evidence(kind: "dateOfBirth", effect: -0.15,
                                         detail: "born \(date.year); the entry's years are \(entry.birthDates.map { String($0.year) }.joined(separator: ", "))"))
            }
        }
        if let shared = query.identifiers.first(where: entry.identifiers.contains) {
            let effect = max(0.95, match.score + 0.3) - match.score
            evidence.append(Evidence(kind: "identifier", effect: effect, detail: "identifier \(shared) is the entry's"))
        }
        match.score = min(1, max(0, match.score + evidence.reduce(0) { $0 + $1.effect }))
        match.explanation.evidence += evidence
    }

    static func sameDate(_ a: BirthDate, _ b: BirthDate) -> Bool {
        guard a.year == b.year else { return false }
        if let m1 = a.month, let m2 = b.month, m1 != m2 { return false }
        if let d1 = a.day, let d2 = b.day, d1 != d2 { return false }
        return true
    }
}
