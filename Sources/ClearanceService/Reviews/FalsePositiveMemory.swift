import Foundation
import Store

/// Reviewers' false positives, applied to later screens of the same subject: a match on an entry a reviewer found
/// to be someone else stays in the decision, marked `suppressedBy` that disposition, and no longer counts toward its
/// outcome, for as long as the entry's content (in the list version screened) and the subject are what the reviewer
/// saw, and the policy's expiry has not passed. A later true match on the same entry ends it.
final class FalsePositiveMemory: Sendable {
    private let reviews: any ReviewStore
    private let lists: any ListStore

    init(reviews: any ReviewStore, lists: any ListStore) {
        self.reviews = reviews
        self.lists = lists
    }

    /// Marks the matches the memory suppresses at `at`, as it stood then. Reads the database only when there are
    /// matches, and the entries' hashes only when a disposition concerns them. Replay passes the decision's own time
    /// and policy, so it reproduces the suppressions the decision was made with.
    /// The subject is worked out only then too: most screens match nothing, and it costs a normalisation and a hash.
    func apply(_ matches: [ScreenMatch], subject identify: @autoclosure () -> ScreenedSubject, listVersions: [ListVersionUsed], policy: Policy,
               at: Date) throws -> [ScreenMatch] {
        guard !matches.isEmpty else { return matches }
        let subject = identify()
        let memory = try reviews.memory(subjectKey: subject.key, before: Timestamp.format(at))
        guard !memory.isEmpty else { return matches }
        return try matches.map { match in
            // The latest effective disposition on this entry decides: a true match recorded after a false positive ends it.
            guard let latest = memory.first(where: { $0.listID == match.list && $0.entryID == match.entryId }),
                  latest.disposition == Disposition.Verdict.falsePositive.rawValue, latest.subjectHash == subject.hash,
                  let effective = latest.effectiveAt.flatMap(Timestamp.parse), policy.falsePositiveHolds(effectiveAt: effective, at: at),
                  let version = listVersions.version(of: match.list),
                  let entry = try lists.entry(match.list, version, entryID: match.entryId), entry.hash == latest.entryHash else { return match }
            var suppressed = match
            suppressed.suppressedBy = latest.id
            return suppressed
        }
    }
}
