import Store

/// The decision index as readers must see it: each read first waits until every decision committed so far is indexed
/// (the audit writer indexes behind the trail; see `AuditTrail`), so a decision that was answered is always found.
struct SyncedDecisionStore: DecisionStore {
    let index: any DecisionStore
    let audit: AuditTrail

    func search(_ filter: DecisionFilter, newestFirst: Bool, after cursor: Int?, limit: Int) throws -> [DecisionHit] {
        try audit.syncIndex()
        return try index.search(filter, newestFirst: newestFirst, after: cursor, limit: limit)
    }

    func forEach(_ filter: DecisionFilter, newestFirst: Bool, _ body: (DecisionHit) throws -> Bool) throws {
        try audit.syncIndex()
        try index.forEach(filter, newestFirst: newestFirst, body)
    }

    func find(id: String) throws -> DecisionHit? {
        try audit.syncIndex()
        return try index.find(id: id)
    }

    func find(keyID: String, idempotencyKey: String) throws -> [IdempotentDecision] {
        try audit.syncIndex()
        return try index.find(keyID: keyID, idempotencyKey: idempotencyKey)
    }

    func count() throws -> Int {
        try audit.syncIndex()
        return try index.count()
    }
}
