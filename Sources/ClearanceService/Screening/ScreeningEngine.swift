import Foundation
import ListFormats
import Matching

/// One reported match.
public struct ScreenMatch: Codable, Sendable, Equatable {
    public var list: String
    public var entryId: String
    public var name: String
    public var matchedName: String
    public var score: Double
    public var type: String
    public var sourceList: String?
    public var sourceLists: [String]
    /// Who listed the entry, in the publisher's words (`Bureau of Industry and Security`, `Council of the European Union`).
    public var authority: String?
    /// The programs, regimes or measures the entry is listed under, in the publisher's words.
    public var programs: [String]
    /// The same party on other lists, e.g. `ofac:30946` for a CSL entry.
    public var references: [String]
    public var outcome: Outcome
    public var consequence: String
    /// Why a match the policy would block is only a review: a weak alias, a score under the block threshold, or a
    /// person's common name with nothing to corroborate it.
    public var blockWithheld: String?
    /// The false-positive disposition that suppresses this match for this subject: it is shown, and does not count
    /// toward the decision.
    public var suppressedBy: String?
    public var explanation: MatchExplanation
    /// The listed parties this entry is linked to (parent, subsidiary, controlled entity), when any.
    public var relations: [RelatedParty]?
}

/// Runs a screening request against a corpus under a policy. Deterministic: the same request, corpus and policy
/// give the same result, which is what replay relies on.
public enum ScreeningEngine {
    /// Bumped whenever matching or scoring changes, so replays can tell an engine change from tampering.
    public static let version = "clearance-match/1.5"

    public static func screen(_ request: ScreenRequest, corpus: ScreeningCorpus, policy: Policy) -> (decision: Outcome, matches: [ScreenMatch]) {
        let limit = request.limit ?? 20
        let restrict = request.lists.map(Set.init)
        // A request naming its lists is filtered inside the matcher, before anything is scored or explained.
        let including = restrict.map { lists in { (position: Int) in lists.contains(corpus.listID(at: position)) } }
        let candidates = Matcher(index: corpus.index).match(request.query, minimumScore: policy.reviewThreshold, limit: limit, including: including)
        var matches: [ScreenMatch] = []
        for match in candidates {
            guard let (list, entry) = corpus.entry(at: match.entry) else { continue }
            let listID = list.version.listID
            let score = (match.score * 10_000).rounded() / 10_000
            let ruled = policy.rule(list: listID, entry: entry)
            let (parties, related, relatedConsequence) = related(to: match.entry, corpus: corpus, policy: policy, outcome: ruled)
            var (outcome, consequence) = (related, relatedConsequence)
            let withheld = outcome == .block ? blockWithheld(match, entry: entry, score: score, policy: policy) : nil
            if withheld != nil { outcome = .review }
            matches.append(ScreenMatch(
                list: listID, entryId: entry.id, name: entry.name, matchedName: match.explanation.matchedName, score: score,
                type: entry.type.rawValue, sourceList: entry.sourceLists.first, sourceLists: entry.sourceLists,
                authority: ListingAuthority.of(entry), programs: entry.programs,
                references: entry.references, outcome: outcome, consequence: consequence, blockWithheld: withheld, suppressedBy: nil,
                explanation: rounded(match.explanation), relations: parties.isEmpty ? nil : parties))
            if matches.count == limit { break }
        }
        return (outcome(of: matches), matches)
    }

    /// The decision the matches lead to: the most severe outcome among those not suppressed by a false positive.
    public static func outcome(of matches: [ScreenMatch]) -> Outcome {
        matches.filter { $0.suppressedBy == nil }.map(\.outcome).max() ?? .clear
    }

    /// Why a match the policy would block must be reviewed instead, or nil when the block stands. A block needs
    /// what a reviewer would need: a full-strength alias, a score at the block threshold, and for a person, a name
    /// distinctive enough to point at one party or a date of birth or identifier that matches. Thousands of
    /// innocent people are called Mohammed Ali, Zhang Wei or Sergei Ivanov, each an alias of someone listed.
    static func blockWithheld(_ match: Match, entry: ListEntry, score: Double, policy: Policy) -> String? {
        let explanation = match.explanation
        // A strong identifier decides by itself (its evidence lifts the score to at least 0.95).
        if explanation.evidence.contains(where: { $0.kind == "identifier" && $0.effect > 0.05 }) { return nil }
        if explanation.nameKind == .weak { return "matched only a weak alias, which the list itself calls too broad to identify the party" }
        if explanation.evidence.contains(where: { $0.kind == "sameParty" }) {
            return "found as the same party as another list's entry (a shared identifier), not by its own names: a reviewer confirms the link"
        }
        // The same date of birth corroborates a name a little short of the threshold (a patronymic left out).
        let sameBirthDate = explanation.evidence.contains { $0.kind == "dateOfBirth" && $0.effect > 0 }
        let threshold = sameBirthDate ? policy.blockThreshold - 0.1 : policy.blockThreshold
        if score < threshold {
            return "the score \(score) is under the block threshold \(threshold)" + (sameBirthDate ? " (lowered by 0.1 for the matching date of birth)" : "")
        }
        if sameBirthDate { return nil }
        guard entry.type == .person else { return nil }
        let matched = explanation.tokens.filter { $0.matched != nil }
        let weight = matched.reduce(0) { $0 + $1.weight * $1.similarity }
        let rarest = matched.map(\.weight).max() ?? 0
        if weight >= distinctiveNameWeight || (rarest >= rareWordWeight && weight >= distinctiveNameWeight * 0.64) { return nil }
        return "a name-only match on a common name (the matched words weigh \((weight * 100).rounded() / 100) of the "
            + "\(distinctiveNameWeight) a distinctive name needs): a block needs a matching date of birth or identifier"
    }

    /// The summed rarity of the matched words that makes a person's name distinctive on its own, and the rarity of
    /// one word that, with most of that sum, does too. Measured on the full shared lists: `Mohammed Ali` 0.79,
    /// `Zhang Wei` 1.30, `Sergei Ivanov` 1.34 (each an exact alias of someone listed); `Viktor Bout` 1.55 with
    /// `bout` at 0.94; `Joaquin Guzman Loera` 2.19; `Emiro del Carmen Ropero Suarez` 3.63.
    static let distinctiveNameWeight = 2.2
    static let rareWordWeight = 0.9

    /// Explanations carry four decimals, so a stored decision and its replay compare equal.
    static func rounded(_ explanation: MatchExplanation) -> MatchExplanation {
        func r(_ value: Double) -> Double { (value * 10_000).rounded() / 10_000 }
        var copy = explanation
        copy.nameScore = r(copy.nameScore)
        copy.queryCoverage = r(copy.queryCoverage)
        copy.nameCoverage = r(copy.nameCoverage)
        copy.tokens = copy.tokens.map { var t = $0; t.similarity = r(t.similarity); t.weight = r(t.weight); return t }
        copy.evidence = copy.evidence.map { var e = $0; e.effect = r(e.effect); return e }
        return copy
    }
}
