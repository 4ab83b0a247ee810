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
    /// Other lists' copies of this entry (the CSL's of an OFAC entry), reported here rather than as matches of their own.
    public var alsoListed: [OtherListing]?
}

/// Runs a screening request against a corpus under a policy. Deterministic: the same request, corpus and policy
/// give the same result, which is what replay relies on.
public enum ScreeningEngine {
    /// Bumped whenever matching or scoring changes, so replays can tell an engine change from tampering.
    public static let version = "clearance-match/1.6"

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
            let decided = related(to: match.entry, corpus: corpus, policy: policy, outcome: policy.rule(list: listID, entry: entry))
            var outcome = decided.outcome
            let withheld = outcome == .block
                ? blockWithheld(match, entry: entry, score: score, policy: policy,
                                weakElsewhere: corpus.isWeakElsewhere(match.explanation.matchedName, of: entry))
                : nil
            if withheld != nil { outcome = .review }
            matches.append(ScreenMatch(
                list: listID, entryId: entry.id, name: entry.name, matchedName: match.explanation.matchedName, score: score,
                type: entry.type.rawValue, sourceList: entry.sourceLists.first, sourceLists: entry.sourceLists,
                authority: ListingAuthority.of(entry), programs: entry.programs,
                references: entry.references, outcome: outcome, consequence: decided.consequence, blockWithheld: withheld, suppressedBy: nil,
                explanation: rounded(match.explanation), relations: decided.parties.isEmpty ? nil : decided.parties))
            if matches.count == limit { break }
        }
        matches = foldingCopies(matches, corpus: corpus)
        return (outcome(of: matches), matches)
    }

    /// The decision the matches lead to: the most severe outcome among those not suppressed by a false positive.
    public static func outcome(of matches: [ScreenMatch]) -> Outcome {
        matches.filter { $0.suppressedBy == nil }.map(\.outcome).max() ?? .clear
    }

    /// Why a match the policy would block must be reviewed instead, or nil when the block stands. A block needs
    /// positive evidence of identity and nothing against it (`IdentityEvidence`):
    /// - anything contradicting the match (a country, date of birth or type that disagrees) withholds it, whatever
    ///   else agrees: one listed party's name on another party is the commonest false block;
    /// - a strong identifier, or the same date of birth with a name near the block threshold, is enough;
    /// - otherwise the name alone must be the listed name exactly, word for word on both sides, through a full-strength
    ///   alias (not one the list, or another list's entry for the same party, calls weak), and distinctive: a
    ///   person's name heavy enough to point at one person (thousands are called Mohammed Ali, Zhang Wei or Sergei
    ///   Ivanov), an organisation's holding a rare word.
    static func blockWithheld(_ match: Match, entry: ListEntry, score: Double, policy: Policy, weakElsewhere: Bool) -> String? {
        let facts = IdentityEvidence(match.explanation)
        if !facts.conflicts.isEmpty {
            return "evidence against the match (\(facts.conflicts.joined(separator: "; "))): a block needs identity with nothing contradicting it"
        }
        if facts.strongIdentifier { return nil }
        if facts.weakAlias { return "matched only a weak alias, which the list itself calls too broad to identify the party" }
        if weakElsewhere {
            return "matched an alias that another list's entry for the same party calls weak, too broad to identify the party"
        }
        if facts.samePartyOnly {
            return "found as the same party as another list's entry (a shared identifier), not by its own names: a reviewer confirms the link"
        }
        // The same date of birth corroborates a name a little short of the threshold (a patronymic left out).
        let threshold = facts.sameBirthDate ? policy.blockThreshold - ScoringModel.birthDateRelief : policy.blockThreshold
        if score < threshold {
            return "the score \(score) is under the block threshold \(threshold)" + (facts.sameBirthDate ? " (lowered by \(ScoringModel.birthDateRelief) for the matching date of birth)" : "")
        }
        if facts.sameBirthDate { return nil }
        guard facts.exactFullName else {
            return "a name-only match that is not the listed name exactly (\(facts.inexactWords.isEmpty ? "words left over on either side" : facts.inexactWords.joined(separator: ", "))): "
                + "a block on the name alone needs every word of both names to agree, or else a matching date of birth or identifier"
        }
        let weight = (facts.matchedWeight * 100).rounded() / 100
        if entry.type == .person {
            let rarest = match.explanation.tokens.filter { $0.matched != nil }.map(\.weight).max() ?? 0
            let needed = ScoringModel.distinctivePersonWeight
            if facts.matchedWeight >= needed || (rarest >= ScoringModel.rareWordWeight && facts.matchedWeight >= needed * ScoringModel.rareWordShare) {
                return nil
            }
            return "a name-only match on a common name (the matched words weigh \(weight) of the "
                + "\(needed) a distinctive name needs): a block needs a matching date of birth or identifier"
        }
        if facts.matchedWeight >= ScoringModel.distinctiveOrganisationWeight { return nil }
        return "a name-only match on common words (they weigh \(weight) of the \(ScoringModel.distinctiveOrganisationWeight) a distinctive name needs): "
            + "a block needs an identifier, or a rarer name"
    }

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
