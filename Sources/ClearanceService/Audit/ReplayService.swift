import Foundation
import Store

/// Re-runs a recorded decision against the exact list versions and policy it used (stored versions are immutable
/// and kept) and compares the result with what was recorded.
public final class ReplayService: @unchecked Sendable {
    private let lists: any ListStore
    private let policies: PolicyService
    private let decisions: any DecisionStore
    private let memory: FalsePositiveMemory
    private let lock = NSLock()
    /// The last corpus built, by its versions: replays of decisions made together reuse it.
    private var cached: (key: String, corpus: ScreeningCorpus)?

    init(lists: any ListStore, policies: PolicyService, decisions: any DecisionStore, memory: FalsePositiveMemory) {
        self.lists = lists
        self.policies = policies
        self.decisions = decisions
        self.memory = memory
    }

    public struct Outcome: Codable, Sendable {
        public var decision: String
        public var matches: [ScreenMatch]
    }

    public struct Result: Codable, Sendable {
        public var decisionId: String
        /// True when the replay gives the recorded decision and matches, score for score.
        public var identical: Bool
        public var differences: [String]
        public var recordedEngineVersion: String
        public var currentEngineVersion: String
        public var listVersions: [ListVersionUsed]
        public var policyVersion: Int
        public var original: Outcome
        public var replayed: Outcome
    }

    public func replay(decisionID: String) throws -> Result {
        guard let hit = try decisions.find(id: decisionID) else { throw ServiceError.notFound("decision \(decisionID)") }
        let record = try DecisionRecord.stored(hit)
        let request = try ScreenRequest.stored(record.request)
        guard let policy = try policies.version(record.policyVersion) else { throw ServiceError.notFound("policy version \(record.policyVersion)") }
        guard let screenedAt = Timestamp.parse(record.screenedAt) else { throw ServiceError.conflict("decision \(decisionID) has no readable screenedAt") }
        let corpus = try corpus(for: record.listVersions)
        // The false-positive memory as it stood when the decision was made, under the policy it was made with.
        let result = try ScreeningService.evaluate(request, corpus: corpus, policy: policy, memory: memory, listVersions: record.listVersions,
                                                   at: screenedAt)
        var differences: [String] = []
        if result.decision != record.decision { differences.append("decision \(record.decision.rawValue) → \(result.decision.rawValue)") }
        func described(_ match: ScreenMatch) -> String {
            "\(match.list):\(match.entryId)@\(match.score)" + (match.suppressedBy.map { " suppressed by \($0)" } ?? "")
        }
        let before = record.matches.map(described)
        let after = result.matches.map(described)
        for missing in before where !after.contains(missing) { differences.append("recorded match \(missing) not reproduced") }
        for extra in after where !before.contains(extra) { differences.append("new match \(extra)") }
        if differences.isEmpty && result.matches != record.matches { differences.append("explanations differ") }
        if result.ownership != record.ownership { differences.append("the owners' assessment differs") }
        if record.engineVersion != ScreeningEngine.version {
            differences.append("engine \(record.engineVersion) recorded; \(ScreeningEngine.version) replayed")
        }
        return Result(
            decisionId: record.decisionId, identical: differences.isEmpty, differences: differences, recordedEngineVersion: record.engineVersion,
            currentEngineVersion: ScreeningEngine.version, listVersions: record.listVersions, policyVersion: record.policyVersion,
            original: Outcome(decision: record.decision.rawValue, matches: record.matches),
            replayed: Outcome(decision: result.decision.rawValue, matches: result.matches))
    }

    private func corpus(for versions: [ListVersionUsed]) throws -> ScreeningCorpus {
        let key = versions.map { "\($0.list)@\($0.version)" }.sorted().joined(separator: ",")
        if let cached = lock.withLock({ cached }), cached.key == key { return cached.corpus }
        var lists: [String: ActiveList] = [:]
        for used in versions {
            guard let list = try ScreeningCorpus.load(self.lists, used.list, used.version) else {
                throw ServiceError.notFound("version \(used.version) of list \(used.list)")
            }
            guard list.version.sha256 == used.sha256 else {
                throw ServiceError.conflict("stored version \(used.version) of \(used.list) does not have the recorded SHA-256")
            }
            lists[used.list] = list
        }
        let corpus = ScreeningCorpus(lists: lists)
        lock.withLock { cached = (key, corpus) }
        return corpus
    }
}
