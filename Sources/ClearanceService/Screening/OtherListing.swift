/// Another list's entry for the party a match found, folded into that match: the CSL repeats OFAC's entries (its
/// `ofac:306` reference names the SDN entry it copies), so one party is reported once, with every listing, instead of
/// once per copy and one review item each.
public struct OtherListing: Codable, Sendable, Equatable {
    public var list: String
    public var entryId: String
    public var sourceLists: [String]
    public var programs: [String]
    public var outcome: Outcome
    public var consequence: String
}

extension ScreeningEngine {
    /// The matches with each copy of an OFAC entry folded into the match on the entry itself, when both were found.
    /// The folded match takes the copy's outcome and consequence when they are more severe: one party is judged with
    /// the strongest information any of its listings gives.
    static func foldingCopies(_ matches: [ScreenMatch], corpus: ScreeningCorpus) -> [ScreenMatch] {
        let keys = matches.map { corpus.referenceKey(list: $0.list, entryID: $0.entryId) }
        var ownEntries: [String: Int] = [:]
        for (position, key) in keys.enumerated() {
            if let key, ownEntries[key] == nil { ownEntries[key] = position }
        }
        guard !ownEntries.isEmpty else { return matches }
        var result = matches
        var folded: Set<Int> = []
        for (position, copy) in matches.enumerated() where keys[position] == nil {
            guard let target = copy.references.lazy.compactMap({ ownEntries[$0] }).first else { continue }
            var own = result[target]
            own.alsoListed = (own.alsoListed ?? []) + [OtherListing(list: copy.list, entryId: copy.entryId, sourceLists: copy.sourceLists,
                                                                    programs: copy.programs, outcome: copy.outcome, consequence: copy.consequence)]
            if copy.outcome > own.outcome {
                own.outcome = copy.outcome
                own.consequence = copy.consequence
                own.blockWithheld = copy.blockWithheld
            }
            result[target] = own
            folded.insert(position)
        }
        return result.enumerated().filter { !folded.contains($0.offset) }.map(\.element)
    }
}
