import Foundation
import ListFormats
import Logging
import Matching
import OpenSSLCrypto
import Store

/// Re-screens the monitored counterparties after a list activation (upload, sync, rollback), against what changed:
/// the counterparties an added or changed entry may match (looked up in a `CounterpartyIndex`) and those whose
/// latest decision matched a changed or removed entry. Each candidate is screened against the live lists; one whose
/// decision or matched entries change gets a new decision record (caller: the system, naming the activation), and an
/// alert when its decision changed or it now matches an entry it did not, both in the decision's transaction.
///
/// Jobs are queued by the activation's own transaction and run one at a time, oldest first. Progress is stored
/// after each batch; a restarted job skips the candidates done (`cursor`), and one redone after a crash between a
/// batch's commit and its progress finds those counterparties already current, so it records nothing twice.
final class Rescreener: Sendable {
    private let jobs: any RescreenJobStore
    private let counterparties: any CounterpartyStore
    private let listStore: any ListStore
    private let lists: ActiveLists
    private let policies: PolicyService
    private let memory: FalsePositiveMemory
    private let audit: AuditTrail
    private let metrics: Metrics
    private let logger: Logger
    private let batchSize: Int
    private let deliveryGiveUpAfter: Double
    /// Told after a batch raised alerts (wakes the webhook sender).
    private let alerted: @Sendable () -> Void

    init(jobs: any RescreenJobStore, counterparties: any CounterpartyStore, listStore: any ListStore, lists: ActiveLists, policies: PolicyService,
         memory: FalsePositiveMemory, audit: AuditTrail, metrics: Metrics, logger: Logger, batchSize: Int, deliveryGiveUpAfter: Double, alerted: @escaping @Sendable () -> Void) {
        self.jobs = jobs
        self.counterparties = counterparties
        self.listStore = listStore
        self.lists = lists
        self.policies = policies
        self.memory = memory
        self.audit = audit
        self.metrics = metrics
        self.logger = logger
        self.batchSize = max(1, batchSize)
        self.deliveryGiveUpAfter = deliveryGiveUpAfter
        self.alerted = alerted
    }

    /// Runs queued jobs until none is left, the live index lags an activation (the next call resumes), or `stopped`.
    func runPending(stopped: @Sendable () -> Bool) throws {
        while !stopped(), let job = try jobs.next() {
            // A later activation replaced this version before its re-screen ran: the next job covers both changes
            // (see `RescreenJobStore.diffBase`), so nobody is alerted about a version that is no longer in force.
            if try listStore.list(job.listID)?.activeVersion != job.toVersion {
                try jobs.finish(job.id, state: "superseded", at: Timestamp.now(), error: nil)
                continue
            }
            guard let corpus = try corpus(for: job) else { return }
            do {
                try run(job, corpus: corpus, stopped: stopped)
            } catch {
                // Retried at the next poll, from its cursor; the version's `rescreens` shows why meanwhile.
                try? jobs.note(job.id, error: "\(error)")
                throw error
            }
        }
    }

    /// The live corpus once it holds the job's version (the list's active one); nil while it cannot be brought up to
    /// date. An activation made by another process (`clearance lists import` beside a running server) is seen here
    /// first: the index is rebuilt for it, so screening uses it too.
    private func corpus(for job: RescreenJob) throws -> ScreeningCorpus? {
        guard lists.isBuilt else { return nil }
        if lists.snapshot.lists[job.listID]?.version.version == job.toVersion { return lists.snapshot }
        lists.rebuildAfterChange()
        let rebuilt = lists.snapshot
        return rebuilt.lists[job.listID]?.version.version == job.toVersion ? rebuilt : nil
    }

    private func run(_ job: RescreenJob, corpus: ScreeningCorpus, stopped: @Sendable () -> Bool) throws {
        let started = Date()
        let (policyVersion, policy) = try policies.current()
        let candidates = try self.candidates(job, policy: policy, corpus: corpus).filter { job.cursor == nil || $0 > job.cursor ?? "" }
        try jobs.start(job.id, candidates: job.processed + candidates.count, at: Timestamp.now())
        logger.info("re-screen started", metadata: [
            "job": .stringConvertible(job.id), "list": .string(job.listID), "version": .stringConvertible(job.toVersion),
            "candidates": .stringConvertible(candidates.count),
            "lookup_seconds": .stringConvertible((Date().timeIntervalSince(started) * 1000).rounded() / 1000),
        ])
        var changedTotal = 0
        for start in stride(from: 0, to: candidates.count, by: batchSize) {
            if stopped() { return }
            let batch = Array(candidates[start..<min(candidates.count, start + batchSize)])
            let stored = try counterparties.find(ids: batch)
            var entries: [AuditTrail.Item] = []
            var alerts = 0
            for counterparty in stored {
                guard let outcome = try rescreen(counterparty, job: job, corpus: corpus, policyVersion: policyVersion, policy: policy) else { continue }
                entries.append(outcome.entry)
                if outcome.alerted { alerts += 1 }
            }
            try audit.append(entries)
            try jobs.progress(job.id, processed: batch.count, changed: entries.count, cursor: batch.last ?? "")
            metrics.increment("clearance_rescreens_total", by: Double(batch.count))
            metrics.increment("clearance_rescreen_decisions_total", by: Double(entries.count))
            if alerts > 0 {
                metrics.increment("clearance_alerts_raised_total", by: Double(alerts))
                alerted()
            }
            changedTotal += entries.count
        }
        try jobs.finish(job.id, state: "done", at: Timestamp.now(), error: nil)  // clears an error a retried run left
        logger.notice("re-screen done", metadata: [
            "job": .stringConvertible(job.id), "list": .string(job.listID), "version": .stringConvertible(job.toVersion),
            "candidates": .stringConvertible(candidates.count), "changed": .stringConvertible(changedTotal),
            "seconds": .stringConvertible((Date().timeIntervalSince(started) * 1000).rounded() / 1000),
        ])
    }

    /// The counterparties the change from the job's previous version to its new one may concern, in id order.
    /// An arrived entry brings the parties it is related to with it: a parent newly listed concerns the
    /// counterparties matching its subsidiaries on any list.
    func candidates(_ job: RescreenJob, policy: Policy, corpus: ScreeningCorpus) throws -> [String] {
        let base = try jobs.diffBase(of: job)
        let before = try base.map { try listStore.entries(job.listID, $0) } ?? []
        let after = try listStore.entries(job.listID, job.toVersion)
        let beforeHashes = Dictionary(before.map { ($0.entryID, $0.hash) }, uniquingKeysWith: { first, _ in first })
        let afterIDs = Set(after.map(\.entryID))
        // Added or changed since the base: may match counterparties they did not. Matched now but removed or changed:
        // those counterparties may no longer match (taken from what each counterparty matched, whatever the base).
        let arrived = after.filter { beforeHashes[$0.entryID] != $0.hash }
        let arrivedIDs = Set(arrived.map(\.entryID))
        var found = Set(try counterparties.matches(list: job.listID).filter { !afterIDs.contains($0.entryID) || arrivedIDs.contains($0.entryID) }
            .map(\.counterpartyID))
        // Skipped activations (a rollback re-activated before its re-screen ran) leave counterparties screened live
        // against a version the diff does not start from: the diff cannot speak for them, so they are screened again.
        let staleAgainst = base != job.fromVersion ? base : nil
        guard !arrived.isEmpty || base != job.fromVersion else { return found.sorted() }
        let (index, stale) = try counterpartyIndex(lists: corpus.index, list: job.listID, screenedAgainstOtherThan: staleAgainst)
        found.formUnion(stale)
        if index.count > 0 {
            let decoder = JSONDecoder()
            let positions = corpus.positions(in: job.listID)
            for stored in arrived {
                let entry = try decoder.decode(ListEntry.self, from: Data(stored.body.utf8))
                found.formUnion(index.candidates(for: entry, reviewThreshold: policy.reviewThreshold))
                for link in positions[stored.entryID].map({ corpus.relations[$0] }) ?? [] {
                    guard let related = corpus.entry(at: link.target)?.entry else { continue }
                    found.formUnion(index.candidates(for: related, reviewThreshold: policy.reviewThreshold))
                }
            }
        }
        return found.sorted()
    }

    /// Every monitored counterparty, indexed; read in pages so no reader is held for long. With
    /// `screenedAgainstOtherThan`, also the counterparties whose latest decision used another version of `list`.
    private func counterpartyIndex(lists: MatchIndex, list: String, screenedAgainstOtherThan base: Int?) throws
        -> (index: CounterpartyIndex, stale: [String]) {
        var all: [(id: String, identity: CounterpartyIdentity)] = []
        var stale: [String] = []
        var cursor: String?
        let decoder = JSONDecoder()
        while true {
            let page = try counterparties.page(CounterpartyFilter(), after: cursor, limit: 5000)
            for record in page {
                all.append((record.id, try CounterpartyIdentity.decode(record.identity)))
                if let base, try decoder.decode([ListVersionUsed].self, from: Data(record.listVersions.utf8)).version(of: list) != base {
                    stale.append(record.id)
                }
            }
            guard page.count == 5000, let last = page.last else { break }
            cursor = last.id
        }
        return (CounterpartyIndex(all, lists: lists), stale)
    }

    /// Screens one counterparty again; the audit record to append when its outcome changed (nil when it did not).
    private func rescreen(_ counterparty: CounterpartyRecord, job: RescreenJob, corpus: ScreeningCorpus, policyVersion: Int,
                          policy: Policy) throws -> (entry: AuditTrail.Item, alerted: Bool)? {
        let identity = try CounterpartyIdentity.decode(counterparty.identity)
        let request = identity.request(counterpartyID: counterparty.id)
        let raw = try JSON.encoder().encode(request)
        let previous = Outcome(rawValue: counterparty.decision)
        var record = try ScreeningService.decide(
            request, raw: try JSONDecoder().decode(JSONValue.self, from: raw), rawHash: SHA256.hex(raw), corpus: corpus,
            policyVersion: policyVersion, policy: policy, memory: memory, caller: .system)
        let now = Set(record.matchedEntries)
        let before = Set(counterparty.matches)
        guard record.decision != previous || now != before else { return nil }
        record.trigger = DecisionRecord.RescreenTrigger(list: job.listID, version: job.toVersion, previousVersion: job.fromVersion, rescreenJob: job.id,
                                                        previousDecision: previous, previousDecisionId: counterparty.decisionID)
        let newlyMatched = now.subtracting(before).sorted { ($0.list, $0.entryID) < ($1.list, $1.entryID) }
        var alert: NewAlert?
        if record.decision != previous || !newlyMatched.isEmpty {
            let body = Alert(alertId: RecordID.make("alt", at: Date()), createdAt: record.screenedAt, counterpartyId: counterparty.id, name: identity.name,
                             list: job.listID, listVersion: job.toVersion, previousListVersion: job.fromVersion, previousDecision: previous,
                             previousDecisionId: counterparty.decisionID, decision: record.decision, decisionId: record.decisionId,
                             matches: record.matches.map(Alert.AlertMatch.init), newlyMatched: newlyMatched)
            alert = NewAlert(id: body.alertId, counterpartyID: counterparty.id, listID: job.listID, listVersion: job.toVersion,
                             previousDecision: counterparty.decision, decision: record.decision.rawValue, decisionID: record.decisionId, jobID: job.id,
                             body: String(decoding: try JSON.encoder().encode(body), as: UTF8.self), createdAt: record.screenedAt,
                             deliveryGiveUpAt: Date().timeIntervalSince1970 + deliveryGiveUpAfter)
        }
        let body = String(decoding: try JSON.encoder().encode(record), as: UTF8.self)
        return (try record.auditItem(body: body, actorKeyID: nil, identity: identity, alert: alert), alert != nil)
    }
}
