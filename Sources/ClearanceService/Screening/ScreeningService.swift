import Foundation
import Matching
import OpenSSLCrypto
import Store

/// Screens counterparties and records every decision in the audit trail before answering.
public final class ScreeningService: @unchecked Sendable {
    private let lists: ActiveLists
    private let policies: PolicyService
    private let audit: AuditTrail
    private let decisions: any DecisionStore
    private let memory: FalsePositiveMemory
    private let metrics: Metrics
    /// Benchmark-only: answer without recording (never set in production; see `ServiceConfiguration`).
    private let recordDecisions: Bool
    /// Idempotency keys being screened now, so a retry racing its original waits for it instead of deciding twice.
    private let inFlight = NSCondition()
    private var inFlightKeys: Set<String> = []
    /// The same across replicas sharing a database; nil for a database one process serves.
    private let sharedClaims: IdempotencyClaims?

    init(lists: ActiveLists, policies: PolicyService, audit: AuditTrail, decisions: any DecisionStore, memory: FalsePositiveMemory, metrics: Metrics,
         recordDecisions: Bool, sharedClaims: IdempotencyClaims? = nil) {
        self.sharedClaims = sharedClaims
        self.lists = lists
        self.policies = policies
        self.audit = audit
        self.decisions = decisions
        self.memory = memory
        self.metrics = metrics
        self.recordDecisions = recordDecisions
    }

    /// One subject of a request: the decoded request and the JSON it was decoded from.
    public struct Subject: Sendable {
        public var request: ScreenRequest
        public var raw: JSONValue
        public var rawHash: String
    }

    public func validate(_ subjects: [Subject], pointerPrefix: (Int) -> String) throws {
        let active = Set(lists.snapshot.lists.keys)
        for (index, subject) in subjects.enumerated() { try subject.request.validate(pointerPrefix: pointerPrefix(index), activeLists: active) }
    }

    /// What screening answers: each subject's decision record, and whether they were replayed from a previous
    /// identical request (same idempotency key).
    public typealias Answer = (records: [String], replayed: Bool)

    /// Decides and records each subject; with an idempotency key, a retry returns the recorded decisions instead.
    /// The answer to each subject is its decision record, byte for byte as the audit trail holds it (canonical JSON):
    /// a caller can hash what it received and find it in the chain, and a replayed retry is identical.
    /// `completion` runs once the decisions are durable (on the audit writer's thread: keep it quick), or at once
    /// when there is nothing to record; no thread waits meanwhile.
    public func screen(_ subjects: [Subject], batch: Bool, caller: Principal, idempotencyKey: String?,
                       completion: @escaping @Sendable (Result<Answer, any Error>) -> Void) {
        guard let idempotencyKey else {
            return decide(subjects, batch: batch, caller: caller, idempotencyKey: nil) { completion($0.map { ($0, false) }) }
        }
        // A retry racing its original waits for it (rare, so blocking here is fine) instead of deciding twice.
        let lockKey = caller.keyID + "\u{0}" + idempotencyKey
        inFlight.lock()
        while inFlightKeys.contains(lockKey) { inFlight.wait() }
        inFlightKeys.insert(lockKey)
        inFlight.unlock()
        let leave: @Sendable () -> Void = { [self] in
            inFlight.lock()
            inFlightKeys.remove(lockKey)
            inFlight.broadcast()
            inFlight.unlock()
        }
        do {
            try sharedClaims?.claim(lockKey)
        } catch {
            leave()
            return completion(.failure(error))
        }
        let finish: @Sendable (Result<Answer, any Error>) -> Void = { [self] result in
            sharedClaims?.release(lockKey)
            leave()
            completion(result)
        }
        do {
            if let replayed = try previous(subjects, batch: batch, caller: caller, idempotencyKey: idempotencyKey) { return finish(.success((replayed, true))) }
        } catch {
            return finish(.failure(error))
        }
        decide(subjects, batch: batch, caller: caller, idempotencyKey: idempotencyKey) { finish($0.map { ($0, false) }) }
    }

    /// The request's place in a batch (nil for a single screen, which `batch` says).
    static func batchItem(_ index: Int, of count: Int, batch: Bool) -> DecisionRecord.BatchItem? {
        batch ? DecisionRecord.BatchItem(index: index, count: count) : nil
    }

    /// The recorded answers of an earlier request with the same key, when it was this very request; nil when the key
    /// is new. A key used before for anything else (another body, another batch size, a batch against a single
    /// screen) is a 422.
    private func previous(_ subjects: [Subject], batch: Bool, caller: Principal, idempotencyKey: String) throws -> [String]? {
        let stored = try decisions.find(keyID: caller.keyID, idempotencyKey: idempotencyKey)
        guard !stored.isEmpty else { return nil }
        let expected = subjects.indices.map {
            DecisionRecord.indexedKey(idempotencyKey, Self.batchItem($0, of: subjects.count, batch: batch))
        }
        guard stored.map(\.storedKey) == expected, zip(stored, subjects).allSatisfy({ $0.requestHash == $1.rawHash }) else {
            throw ServiceError.idempotencyKeyReused(idempotencyKey)
        }
        return stored.map(\.hit.body)
    }

    /// Decides every subject, then records them; `completion` gets their records once durable.
    private func decide(_ subjects: [Subject], batch: Bool, caller: Principal, idempotencyKey: String?,
                        completion: @escaping @Sendable (Result<[String], any Error>) -> Void) {
        let records: [DecisionRecord], bodies: [String]
        do {
            (records, bodies) = try decideAll(subjects, batch: batch, caller: caller, idempotencyKey: idempotencyKey)
        } catch {
            return completion(.failure(error))
        }
        // Only the outcomes are kept for counting: the records themselves are freed here, on the thread that built
        // them, not on the audit writer's (freeing across threads cost that one thread a tenth of its time).
        let outcomes = records.map(\.decision.rawValue)
        let counted: @Sendable () -> Void = { [metrics] in
            for outcome in outcomes { metrics.increment("clearance_screenings_total", ["decision", outcome]) }
        }
        guard recordDecisions else {
            counted()
            return completion(.success(bodies))
        }
        let entries: [AuditTrail.Item]
        do {
            entries = try zip(records, zip(subjects, bodies)).map { record, item in
                try record.auditItem(body: item.1, actorKeyID: caller.keyID, identity: record.counterpartyId.map { _ in CounterpartyIdentity(item.0.request) })
            }
        } catch {
            return completion(.failure(error))
        }
        // Durable before answering: if the write fails, the caller gets 503 and no decision exists.
        audit.append(entries) { result in
            completion(result.map { _ in
                counted()
                return bodies
            })
        }
    }

    /// The lists screening runs against now; throws what it answers when it cannot screen at all (index not built,
    /// no active list).
    @discardableResult
    func activeCorpus() throws -> ScreeningCorpus {
        guard lists.isBuilt else { throw ServiceError.unavailable("the matching index is still being built; retry shortly") }
        let corpus = lists.snapshot
        guard !corpus.lists.isEmpty else { throw ServiceError.noActiveLists }
        return corpus
    }

    /// Matches every subject and encodes its decision record (the CPU-bound part).
    private func decideAll(_ subjects: [Subject], batch: Bool, caller: Principal, idempotencyKey: String?) throws -> ([DecisionRecord], [String]) {
        // Never "clear" for having checked nothing.
        let corpus = try activeCorpus()
        let (policyVersion, policy) = try policies.current()
        let records = try subjects.enumerated().map { index, subject in
            try Self.decide(subject.request, raw: subject.raw, rawHash: subject.rawHash, corpus: corpus, policyVersion: policyVersion, policy: policy,
                            memory: memory, caller: .init(keyId: caller.keyID, name: caller.name), idempotencyKey: idempotencyKey,
                        batchItem: Self.batchItem(index, of: subjects.count, batch: batch))
        }
        let encoder = JSON.encoder()
        return (records, try records.map { String(decoding: try encoder.encode($0), as: UTF8.self) })
    }

    /// Screens one request against `corpus` under `policy`, applies the false-positive memory, and writes its
    /// decision record. `screenedAt` is when screening began: the memory is read as it stood then, which is what
    /// replay reads it as.
    static func decide(_ request: ScreenRequest, raw: JSONValue, rawHash: String, corpus: ScreeningCorpus, policyVersion: Int, policy: Policy,
                       memory: FalsePositiveMemory, caller: DecisionRecord.CallerRef, idempotencyKey: String? = nil,
                       batchItem: DecisionRecord.BatchItem? = nil, trigger: DecisionRecord.RescreenTrigger? = nil) throws -> DecisionRecord {
        let started = Date()
        let used = (request.lists ?? corpus.lists.keys.sorted()).sorted().compactMap { id in
            corpus.lists[id].map { ListVersionUsed(list: id, version: $0.version.version, sha256: $0.version.sha256) }
        }
        let result = try evaluate(request, corpus: corpus, policy: policy, memory: memory, listVersions: used, at: started)
        let now = Date()
        return DecisionRecord(
            decisionId: RecordID.make("dec", at: now), screenedAt: Timestamp.format(started), decision: result.decision,
            reference: request.reference, caller: caller, request: raw, requestSha256: rawHash, idempotencyKey: idempotencyKey,
            batchItem: batchItem, counterpartyId: request.counterpartyId, trigger: trigger,
            normalizedQuery: request.query.names.map { Normalizer.tokens($0).map(\.text) }, listVersions: used,
            policyVersion: policyVersion, policyProfile: policy.profile, engineVersion: ScreeningEngine.version, matches: result.matches,
            ownership: result.ownership, latencyMs: (now.timeIntervalSince(started) * 1_000_000).rounded() / 1000)
    }

    /// What screening decides for a request, as a live screen and a replay both work it out: the matches, the
    /// false-positive memory as it stood at `at`, the owners, and the decision they lead to.
    struct Evaluation {
        var decision: Outcome
        var matches: [ScreenMatch]
        var ownership: OwnershipAssessment?
    }

    static func evaluate(_ request: ScreenRequest, corpus: ScreeningCorpus, policy: Policy, memory: FalsePositiveMemory,
                         listVersions: [ListVersionUsed], at: Date) throws -> Evaluation {
        var matches = ScreeningEngine.screen(request, corpus: corpus, policy: policy).matches
        matches = try memory.apply(matches, subject: ScreenedSubject(request), listVersions: listVersions, policy: policy, at: at)
        let ownership = (request.owners ?? []).isEmpty ? nil : OwnershipAssessment.assess(request.owners ?? [], lists: request.lists) {
            ScreeningEngine.screen($0, corpus: corpus, policy: policy)
        }
        return Evaluation(decision: max(ScreeningEngine.outcome(of: matches), ownership?.outcome ?? .clear), matches: matches, ownership: ownership)
    }
}
