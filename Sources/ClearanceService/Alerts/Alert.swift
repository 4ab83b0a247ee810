import Foundation
import Store

/// What a re-screen tells a buyer when a list change altered a counterparty's outcome: the alert as stored, listed
/// and POSTed to webhooks (canonical JSON).
public struct Alert: Codable, Sendable, Equatable {
    /// The kind of event, for receivers that take several.
    public var event = "counterparty.outcome_changed"
    public var alertId: String
    public var createdAt: String
    public var counterpartyId: String
    public var name: String
    /// The list whose new version caused it.
    public var list: String
    public var listVersion: Int
    public var previousListVersion: Int?
    public var previousDecision: Outcome?
    public var previousDecisionId: String?
    public var decision: Outcome
    public var decisionId: String
    /// The entries behind the new decision.
    public var matches: [AlertMatch]
    /// Entries matched now that the previous decision did not match.
    public var newlyMatched: [MatchedEntryRef]

    public struct AlertMatch: Codable, Sendable, Equatable {
        public var list: String
        public var entryId: String
        public var name: String
        public var matchedName: String
        public var score: Double
        public var outcome: Outcome
        public var consequence: String
        public var programs: [String]

        init(_ match: ScreenMatch) {
            list = match.list
            entryId = match.entryId
            name = match.name
            matchedName = match.matchedName
            score = match.score
            outcome = match.outcome
            consequence = match.consequence
            programs = match.programs
        }
    }
}

/// An alert with its review state, as `GET /alerts` shows it.
struct AlertView: Encodable {
    var alert: Alert
    var state: String
    var acknowledgedAt: String?
    var acknowledgedBy: String?
    var note: String?

    init(_ record: AlertRecord) throws {
        alert = try JSONDecoder().decode(Alert.self, from: Data(record.body.utf8))
        state = record.state
        acknowledgedAt = record.acknowledgedAt
        acknowledgedBy = record.acknowledgedBy
        note = record.note
    }

    private enum CodingKeys: String, CodingKey {
        case state, acknowledgedAt, acknowledgedBy, note
    }

    /// The alert's own fields, then its state.
    func encode(to encoder: any Encoder) throws {
        try alert.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(state, forKey: .state)
        try container.encodeIfPresent(acknowledgedAt, forKey: .acknowledgedAt)
        try container.encodeIfPresent(acknowledgedBy, forKey: .acknowledgedBy)
        try container.encodeIfPresent(note, forKey: .note)
    }
}
