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
    public var programs: [String]
    /// The same party on other lists, e.g. `ofac:30946` for a CSL entry.
    public var references: [String]
    public var outcome: Outcome
    public var consequence: String
    public var explanation: MatchExplanation
}

/// Runs a screening request against a corpus under a policy. Deterministic: the same request, corpus and policy
/// give the same result, which is what replay relies on.
public enum ScreeningEngine {
    /// Bumped whenever matching or scoring changes, so replays can tell an engine change from tampering.
    public static let version = "clearance-match/1.0"

    public static func screen(_ request: ScreenRequest, corpus: ScreeningCorpus, policy: Policy) -> (decision: Outcome, matches: [ScreenMatch]) {
        let limit = request.limit ?? 20
        let restrict = request.lists.map(Set.init)
        let candidates = Matcher(index: corpus.index).match(request.query, minimumScore: policy.reviewThreshold, limit: restrict == nil ? limit : 10_000)
        var matches: [ScreenMatch] = []
        for match in candidates {
            guard let (list, entry) = corpus.entry(at: match.entry) else { continue }
            let listID = list.version.listID
            if let restrict, !restrict.contains(listID) { continue }
            let score = (match.score * 10_000).rounded() / 10_000
            var (outcome, consequence) = policy.rule(list: listID, entry: entry)
            if outcome == .block && (score < policy.blockThreshold || match.explanation.nameKind == .weak) {
                // Weak aliases alone never block; nor does a score below the block threshold.
                outcome = .review
            }
            matches.append(ScreenMatch(
                list: listID, entryId: entry.id, name: entry.name, matchedName: match.explanation.matchedName, score: score,
                type: entry.type.rawValue, sourceList: entry.sourceLists.first, sourceLists: entry.sourceLists, programs: entry.programs,
                references: entry.references, outcome: outcome, consequence: consequence, explanation: rounded(match.explanation)))
            if matches.count == limit { break }
        }
        let decision = matches.map(\.outcome).max() ?? .clear
        return (decision, matches)
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
