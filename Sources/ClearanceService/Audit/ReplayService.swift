import Foundation
import Store

/// Re-runs a recorded decision against the exact list versions and policy it used (stored versions are immutable
/// and kept) and compares the result with what was recorded.
public final class ReplayService: @unchecked Sendable {
    private let lists: any ListStore
    private let policies: PolicyService
    private let decisions: any DecisionStore
    private let lock = NSLock()
    /// The last corpus built, by its versions: replays of decisions made together reuse it.
    private var cached: (key: String, corpus: ScreeningCorpus)?

    public init(lists: any ListStore, policies: PolicyService, decisions: any DecisionStore) {
        self.lists = lists
        self.policies = policies
        self.decisions = decisions
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
        let request = try JSONDecoder().decode(ScreenRequest.self, from: try JSONEncoder().encode(record.request))
        guard let policy = try policies.version(record.policyVersion) else { throw ServiceError.notFound("policy version \(record.policyVersion)") }
        let corpus = try corpus(for: record.listVersions)
        let result = ScreeningEngine.screen(request, corpus: corpus, policy: policy)
        var differences: [String] = []
        if result.decision != record.decision { differences.append("decision \(record.decision.rawValue) → \(result.decision.rawValue)") }
        let before = record.matches.map { "\($0.list):\($0.entryId)@\($0.score)" }
        let after = result.matches.map { "\($0.list):\($0.entryId)@\($0.score)" }
        for missing in before where !after.contains(missing) { differences.append("recorded match \(missing) not reproduced") }
        for extra in after where !before.contains(extra) { differences.append("new match \(extra)") }
        if differences.isEmpty && result.matches != record.matches { differences.append("explanations differ") }
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
