import ListFormats

/// A listed party a matched entry is linked to, as a match reports it: `a subsidiary of Zhejiang Dahua Technology
/// Co., Ltd. (us-fcc-covered), a section 889 covered entity`.
public struct RelatedParty: Codable, Sendable, Equatable {
    /// `parent` (the other party owns or controls the matched one), `subsidiary`, or `affiliate`.
    public var relation: String
    /// The publisher's words for the link (`Parent company`, `Owned or Controlled By`).
    public var statedAs: String
    public var list: String
    public var entryId: String
    public var name: String
    public var programs: [String]
    /// What the related party's listing forbids, when its regime reaches affiliates (and so this match).
    public var inheritedConsequence: String?
    /// The link in a sentence, for the reviewer.
    public var summary: String

    /// The most a match reports: a large network (an OFAC conglomerate) is summarised by its closest links.
    static let limit = 10
}

extension ScreeningEngine {
    /// The parties a matched entry is linked to, those whose regime reaches affiliates first, and the outcome and
    /// consequence the match takes through them: a subsidiary of a section 889 entity is a section 889 entity.
    static func related(to position: Int, corpus: ScreeningCorpus, policy: Policy, outcome: (outcome: Outcome, consequence: String))
        -> (parties: [RelatedParty], outcome: Outcome, consequence: String) {
        var parties: [RelatedParty] = [], result = outcome
        for link in corpus.relations[position] {
            guard let (list, entry) = corpus.entry(at: link.target) else { continue }
            let regimes = ProcurementRegime.of(entry)
            let reaching = regimes.filter(\.coversAffiliates)
            let listID = list.version.listID
            var described = "\(link.kind.phrase) \(entry.name) (\(listID))"
            if let regime = regimes.first { described += ", \(regime.partyDescription)" } else if let program = entry.programs.first { described += ", listed under \(program)" }
            var party = RelatedParty(relation: link.kind.rawValue, statedAs: link.statedAs, list: listID, entryId: entry.id, name: entry.name,
                                     programs: entry.programs, inheritedConsequence: nil, summary: described)
            if let inherited = policy.strongest(reaching, over: nil) {
                party.inheritedConsequence = inherited.consequence
                if inherited.outcome >= result.outcome, let regime = reaching.first {
                    result = (inherited.outcome, "\(inherited.consequence): as \(link.kind.phrase) \(entry.name), \(regime.partyDescription); the statute reaches subsidiaries and affiliates")
                }
            }
            parties.append(party)
        }
        // Links whose regime reaches this party first, then parents, subsidiaries and affiliates.
        let order: [String: Int] = ["parent": 0, "subsidiary": 1, "affiliate": 2]
        parties.sort { ($0.inheritedConsequence == nil ? 1 : 0, order[$0.relation] ?? 3, $0.list, $0.entryId)
            < ($1.inheritedConsequence == nil ? 1 : 0, order[$1.relation] ?? 3, $1.list, $1.entryId) }
        return (Array(parties.prefix(RelatedParty.limit)), result.outcome, result.consequence)
    }
}
