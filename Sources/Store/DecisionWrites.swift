/// What a screening decision writes beside its audit record, each part by the store that owns its table: a monitored
/// counterparty's new state, a re-screen's alert (with its webhook deliveries), a `review` decision's place in the
/// queue, and the row auditors search by. The audit trail runs these in the transaction that appends the record
/// (`AuditLogStore.append(_:alongside:)`), so they commit with it or not at all, and the audit store itself knows
/// only the chain.
public struct DecisionWrites: Sendable {
    /// The columns auditors search by; entered with the record's commit or a later one (the index may trail the
    /// chain, see `AuditTrail`), so it is written apart (`PendingDecision.write`).
    public var index: DecisionRow
    public var counterparty: CounterpartyUpdate?
    public var alert: NewAlert?
    public var reviewItem: NewReviewItem?

    public init(index: DecisionRow, counterparty: CounterpartyUpdate? = nil, alert: NewAlert? = nil, reviewItem: NewReviewItem? = nil) {
        self.index = index
        self.counterparty = counterparty
        self.alert = alert
        self.reviewItem = reviewItem
    }

    /// Writes, in the record's transaction, what belongs beside record `seq` (all but the index row).
    public func write(seq: Int, in transaction: any SQLConnection) throws {
        if let counterparty { try SQLCounterpartyStore.apply(counterparty, seq: seq, transaction) }
        if let alert { try SQLAlertStore.insert(alert, transaction) }
        if let reviewItem { try SQLReviewStore.queue(reviewItem, seq: seq, transaction) }
    }
}

/// A screening decision waiting to enter the search index, at its chain position.
public struct PendingDecision: Sendable {
    public var seq: Int
    public var row: DecisionRow

    public init(seq: Int, row: DecisionRow) {
        self.seq = seq
        self.row = row
    }

    /// Enters `pending` into the decision search index, in a transaction the audit store opened.
    public static func write(_ pending: [PendingDecision], in transaction: any SQLConnection) throws {
        try SQLDecisionStore.index(pending, transaction)
    }
}
