import ListFormats
import Matching

/// What a match says about identity, read from the explanation the reviewer sees: whether it rests on positive
/// evidence (a strong identifier, the same date of birth, the exact full name) and whether anything contradicts it.
/// A block needs the first and none of the second (`ScreeningEngine.blockWithheld`): a buyer cannot undo a block on
/// an innocent supplier, while a review costs a reviewer's minute.
struct IdentityEvidence {
    /// A strong identifier of the entry's is the subject's.
    let strongIdentifier: Bool
    /// The subject's date of birth is one of the entry's.
    let sameBirthDate: Bool
    /// Evidence against: a country, date of birth, type or legal form that disagrees, in words.
    let conflicts: [String]
    /// Every word of the subject's name and of the listed name agrees exactly (legal forms aside): no word matched
    /// only approximately, as an acronym's letters or through transliteration, and none is left over on either side.
    /// (A disguised name read as a reader sees it counts: the disguise hides nothing from the reader.)
    let exactFullName: Bool
    /// The subject's words that agree only approximately or not at all, for the explanation.
    let inexactWords: [String]
    /// The summed weight (rarity) of the matched words.
    let matchedWeight: Double
    let weakAlias: Bool
    /// Found through another list's entry for the same party, not by its own names.
    let samePartyOnly: Bool

    /// Coverage this close to 1 is all of a name: the explanation carries four decimals.
    static let whole = 0.999

    init(_ explanation: MatchExplanation) {
        let evidence = explanation.evidence
        strongIdentifier = evidence.contains { $0.kind == "identifier" && $0.effect > 0.05 }
        sameBirthDate = evidence.contains { $0.kind == "dateOfBirth" && $0.effect > 0 }
        var conflicts = evidence.filter { ["country", "dateOfBirth", "type"].contains($0.kind) && $0.effect < 0 }.map(\.detail)
        // Legal forms of different legal systems name two companies (`GLG Corp Ltd` and `G.L.G. S.A.`).
        let subjectSystems = Normalizer.legalSystems(explanation.queryName), listedSystems = Normalizer.legalSystems(explanation.matchedName)
        if !subjectSystems.isEmpty, !listedSystems.isEmpty, subjectSystems.isDisjoint(with: listedSystems) {
            conflicts.append("the legal forms are of different legal systems (\(subjectSystems.sorted().joined()) against \(listedSystems.sorted().joined()))")
        }
        self.conflicts = conflicts
        let words = explanation.tokens.filter { $0.weight > 0 }
        let inexact = words.filter { $0.how != MatchHow.exact.rawValue || $0.similarity < Self.whole }
        inexactWords = inexact.map { token in token.matched.map { "\(token.query) ~ \($0) (\(token.how))" } ?? "\(token.query) (unmatched)" }
        exactFullName = inexact.isEmpty && !words.isEmpty && explanation.queryCoverage >= Self.whole && explanation.nameCoverage >= Self.whole
            && !evidence.contains { $0.kind == "transliteration" }
        matchedWeight = explanation.tokens.filter { $0.matched != nil }.reduce(0) { $0 + $1.weight * $1.similarity }
        weakAlias = explanation.nameKind == .weak
        samePartyOnly = evidence.contains { $0.kind == "sameParty" }
    }
}
