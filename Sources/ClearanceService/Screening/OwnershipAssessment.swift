import Foundation

/// The parties behind a supplier, screened: OFAC's 50 percent rule (an entity owned 50 percent or more in aggregate,
/// directly or indirectly, by one or more blocked persons is itself blocked, listed or not), with the EU's and the
/// UK's ownership and control tests read the cautious way (a blocked minority owner or a blocked controller is a
/// review, not a clearance). The explanation shows the arithmetic.
public struct OwnershipAssessment: Codable, Sendable, Equatable {
    /// One owner or controller as screened.
    public struct Owner: Codable, Sendable, Equatable {
        /// Its place in the request's `owners`.
        public var index: Int
        public var name: String
        public var sharePercent: Double?
        public var controls: Bool?
        /// The owner's own screening outcome: `block` is a blocked person for the rule.
        public var decision: Outcome
        public var matches: [ScreenMatch]
    }

    public var owners: [Owner]
    /// The shares of the owners whose own decision is `block`, added up.
    public var blockedSharePercent: Double
    /// The shares of the owners who may be listed (their decision is `review`), added up.
    public var possiblyBlockedSharePercent: Double
    /// What the owners make of the supplier.
    public var outcome: Outcome
    public var explanation: String

    /// How many matches an owner reports.
    static let matchesPerOwner = 5
    static let threshold = 50.0

    /// Screens each owner against `corpus` under `policy` with `screen`, and weighs what it finds.
    static func assess(_ inputs: [ScreenRequest.OwnerInput], lists: [String]?,
                       screen: (ScreenRequest) -> (decision: Outcome, matches: [ScreenMatch])) -> OwnershipAssessment {
        let owners = inputs.enumerated().map { index, input in
            let result = screen(input.request(lists: lists))
            return Owner(index: index, name: input.name, sharePercent: input.sharePercent, controls: input.controls, decision: result.decision,
                         matches: Array(result.matches.prefix(matchesPerOwner)))
        }
        let blocked = owners.filter { $0.decision == .block }
        let possible = owners.filter { $0.decision == .review }
        let blockedShare = blocked.reduce(0) { $0 + ($1.sharePercent ?? 0) }
        let possibleShare = possible.reduce(0) { $0 + ($1.sharePercent ?? 0) }
        let sum = "\(sumText(blocked)) = \(percent(blockedShare))"
        let outcome: Outcome, explanation: String
        if !blocked.isEmpty && blockedShare >= threshold {
            outcome = .block
            explanation = "Blocked owners hold \(sum) in aggregate, at or above 50%: the supplier is itself blocked as an entity owned 50 percent "
                + "or more by blocked persons (OFAC 50 percent rule; the EU and UK ownership tests agree)."
        } else if !blocked.isEmpty {
            outcome = .review
            let controllers = blocked.filter { $0.controls == true }.map(\.name)
            explanation = "Blocked owners hold \(sum) in aggregate, under 50%: the 50 percent rule does not block the supplier, but "
                + (controllers.isEmpty ? "a blocked minority owner" : "control by \(controllers.joined(separator: ", ")), a blocked person,")
                + " needs review (the EU and UK control tests; OFAC cautions against dealings a blocked person may control)."
                + (possible.isEmpty ? "" : " Owners possibly listed hold \(percent(possibleShare)) more: if confirmed, \(percent(blockedShare + possibleShare)).")
        } else if !possible.isEmpty {
            outcome = .review
            explanation = "\(possible.map(\.name).joined(separator: ", ")) may be listed (\(sumText(possible)) = \(percent(possibleShare)) of the "
                + "supplier): confirm the owners' identities" + (possibleShare >= threshold ? "; if confirmed, the 50 percent rule blocks the supplier." : ".")
        } else {
            outcome = .clear
            explanation = "No owner or controller matches a listed party."
        }
        return OwnershipAssessment(owners: owners, blockedSharePercent: blockedShare, possiblyBlockedSharePercent: possibleShare, outcome: outcome,
                                   explanation: explanation)
    }

    /// `30% (Owner A) + 25% (Owner B)`; an owner with no share given counts as 0%.
    private static func sumText(_ owners: [Owner]) -> String {
        owners.map { "\(percent($0.sharePercent ?? 0)) (\($0.name)\($0.sharePercent == nil ? ", share not given" : ""))" }.joined(separator: " + ")
    }

    /// `30%`, `12.5%`: two decimals at most.
    static func percent(_ value: Double) -> String {
        let rounded = (value * 100).rounded() / 100
        return (rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)) + "%"
    }
}
