import Foundation
import ListFormats

/// What a match leads to.
public enum Outcome: String, Codable, Sendable, Comparable, CaseIterable {
    case clear, review, block

    var severity: Int { self == .block ? 2 : self == .review ? 1 : 0 }
    public static func < (a: Outcome, b: Outcome) -> Bool { a.severity < b.severity }
}

/// Maps matches to outcomes: two thresholds, and a consequence per list, source list or program.
public struct Policy: Codable, Sendable, Equatable {
    /// Matches at or above this score are reported and lead at least to `review`.
    public var reviewThreshold: Double
    /// Matches at or above this score on a `block` rule lead to `block`.
    public var blockThreshold: Double
    /// Checked in order; a match takes the most severe rule that applies to it.
    public var rules: [PolicyRule]
    /// For matches no rule covers (an organisation's own lists, by default).
    public var defaultOutcome: Outcome
    public var defaultConsequence: String
    /// Four eyes: a false positive on a match from a blocking source counts only once a second reviewer, with
    /// another key, agrees.
    public var fourEyesClearing: Bool
    /// How long a false positive suppresses its match in later screens of the subject (nil: for as long as the entry
    /// and the subject are unchanged).
    public var falsePositiveExpiryDays: Int?
    /// Who buys, which sets whether procurement bans block (`PolicyProfile`); every decision record names it.
    public var profile: PolicyProfile

    public init(reviewThreshold: Double, blockThreshold: Double, rules: [PolicyRule], defaultOutcome: Outcome, defaultConsequence: String,
                fourEyesClearing: Bool = false, falsePositiveExpiryDays: Int? = nil, profile: PolicyProfile = .commercial) {
        self.profile = profile
        self.reviewThreshold = reviewThreshold
        self.blockThreshold = blockThreshold
        self.rules = rules
        self.defaultOutcome = defaultOutcome
        self.defaultConsequence = defaultConsequence
        self.fourEyesClearing = fourEyesClearing
        self.falsePositiveExpiryDays = falsePositiveExpiryDays
    }

    private enum CodingKeys: String, CodingKey {
        case reviewThreshold, blockThreshold, rules, defaultOutcome, defaultConsequence, fourEyesClearing, falsePositiveExpiryDays, profile
    }

    /// Policy versions stored before the review settings existed read as having them off, and those stored before
    /// profiles as `commercial` (procurement bans a review), which is how they screened.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        reviewThreshold = try container.decode(Double.self, forKey: .reviewThreshold)
        blockThreshold = try container.decode(Double.self, forKey: .blockThreshold)
        rules = try container.decode([PolicyRule].self, forKey: .rules)
        defaultOutcome = try container.decode(Outcome.self, forKey: .defaultOutcome)
        defaultConsequence = try container.decode(String.self, forKey: .defaultConsequence)
        fourEyesClearing = try container.decodeIfPresent(Bool.self, forKey: .fourEyesClearing) ?? false
        falsePositiveExpiryDays = try container.decodeIfPresent(Int.self, forKey: .falsePositiveExpiryDays)
        let profileName = try container.decodeIfPresent(String.self, forKey: .profile)
        guard let profile = PolicyProfile(rawValue: profileName ?? PolicyProfile.commercial.rawValue) else {
            throw DecodingError.dataCorruptedError(forKey: .profile, in: container,
                                                   debugDescription: "one of \(PolicyProfile.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        self.profile = profile
    }

    /// Selects entries by list id, by a source list (case-insensitive substring of the entry's source lists), or by
    /// program; every selector given must hold.
    public struct PolicyRule: Codable, Sendable, Equatable {
        public var list: String?
        public var sourceList: String?
        public var program: String?
        public var outcome: Outcome
        public var consequence: String
    }

    /// Asset-freeze lists block; export-control and investment lists need review with their consequence named.
    /// Thresholds calibrated on the development set (docs/matching.md).
    public static let `default`: Policy = {
        func source(_ name: String, _ outcome: Outcome, _ consequence: String) -> PolicyRule {
            PolicyRule(sourceList: name, outcome: outcome, consequence: consequence)
        }
        func program(_ name: String, _ outcome: Outcome, _ consequence: String) -> PolicyRule {
            PolicyRule(program: name, outcome: outcome, consequence: consequence)
        }
        let rules: [PolicyRule] = [
            source("Specially Designated Nationals", .block, "Blocked: OFAC SDN asset freeze; no dealings in property or interests"),
            source("UN Security Council", .block, "Blocked: UN Security Council asset freeze and travel ban"),
            source("Denied Persons List", .block, "Blocked: BIS Denied Persons List; export privileges denied"),
            source("Foreign Sanctions Evaders", .block, "Blocked: OFAC Foreign Sanctions Evaders; transactions prohibited"),
            source("EU Financial Sanctions", .block, "Blocked: EU asset freeze (Council of the European Union)"),
            // The UK list names each designation's measures: only an asset freeze blocks.
            PolicyRule(sourceList: "UK Sanctions List", program: "Asset freeze", outcome: .block, consequence: "Blocked: UK asset freeze"),
            source("UK Sanctions List", .review,
                   "UK sanctions without an asset freeze (travel ban, trade, port-entry or director disqualification measures): review the measure"),
            source("UK OFSI Consolidated List", .block, "Blocked: UK asset freeze (OFSI Consolidated List, retired 28 January 2026)"),
            source("Canada Consolidated Autonomous Sanctions List", .block, "Blocked: Canadian SEMA dealings ban (asset freeze)"),
            source("Australia DFAT Consolidated List", .block, "Blocked: Australian targeted financial sanctions (asset freeze)"),
            // The Entity List restricts exports to the party; it does not forbid buying from it.
            source("Entity List", .review,
                   "Export licence required for items subject to the EAR (BIS Entity List, 15 CFR 744.11); buying from the party is not prohibited by this listing"),
            source("Military End User", .review, "Export licence required for military end uses (BIS MEU List)"),
            source("Unverified List", .review, "Export red flag: end-use check and UVL statement required (BIS Unverified List)"),
            source("Chinese Military-Industrial Complex", .review, "Securities investment prohibited (NS-CMIC, EO 13959)"),
            program("CMIC-EO13959", .review, "Securities investment prohibited (NS-CMIC, EO 13959)"),
            source("Sectoral Sanctions", .review, "Restricted new debt and equity dealings (OFAC SSI directives)"),
            source("ITAR Debarred", .review, "Debarred from ITAR-controlled defence exports (State DTC)"),
            source("Nonproliferation Sanctions", .review, "Nonproliferation sanctions: restrictions by measure (State ISN)"),
            source("Capta List", .review, "Correspondent and payable-through accounts prohibited (OFAC CAPTA)"),
            source("Menu-Based Sanctions", .review, "Menu-based sanctions: restrictions by selected measure (OFAC NS-MBS)"),
            source("Palestinian Legislative Council", .review, "Dealings restricted (OFAC NS-PLC)"),
            source("OFAC Consolidated", .review, "Non-SDN OFAC sanctions: restrictions depend on the program"),
        ]
        return Policy(reviewThreshold: 0.76, blockThreshold: 0.9, rules: rules, defaultOutcome: .review,
                      defaultConsequence: "Listed by your organisation: review before dealing")
    }()

    /// Whether a false positive recorded at `effectiveAt` still suppresses its match at `at`.
    func falsePositiveHolds(effectiveAt: Date, at: Date) -> Bool {
        guard let days = falsePositiveExpiryDays else { return true }
        return at < effectiveAt.addingTimeInterval(Double(days) * 86_400)
    }

    /// The rule that decides a match on this entry of this list, and its outcome: the most severe of the policy's
    /// rules and of the procurement regimes the entry is listed under, as the profile weighs them. A regime as severe
    /// as the rules names the consequence, being what a buyer is bound by.
    func rule(list: String, entry: ListEntry) -> (outcome: Outcome, consequence: String) {
        var chosen: PolicyRule?
        for rule in rules where rule.applies(list: list, entry: entry) {
            if rule.outcome > (chosen?.outcome ?? .clear) || chosen == nil { chosen = rule }
        }
        let fromRules = chosen.map { ($0.outcome, $0.consequence) }
        return strongest(ProcurementRegime.of(entry), over: fromRules) ?? (defaultOutcome, defaultConsequence)
    }

    /// The most severe of `regimes` under the profile (the first of equals, in `ProcurementRegime`'s order), when it
    /// is at least as severe as `current`.
    func strongest(_ regimes: [ProcurementRegime], over current: (outcome: Outcome, consequence: String)?)
        -> (outcome: Outcome, consequence: String)? {
        var best: ProcurementRegime?
        for regime in ProcurementRegime.allCases where regimes.contains(regime) {
            if best.map({ profile.outcome(regime) > profile.outcome($0) }) ?? true { best = regime }
        }
        guard let regime = best else { return current }
        let outcome = profile.outcome(regime)
        if let current, current.outcome > outcome { return current }
        return (outcome, regime.consequence)
    }

    /// Refuses inconsistent policies with a pointer to the field at fault.
    func validate() throws {
        guard (0.0...1.0).contains(reviewThreshold), reviewThreshold > 0 else {
            throw JSON.invalid(pointer: "/reviewThreshold", "a score above 0 and at most 1")
        }
        guard (0.0...1.0).contains(blockThreshold), blockThreshold >= reviewThreshold else {
            throw JSON.invalid(pointer: "/blockThreshold", "a score from reviewThreshold to 1")
        }
        for (index, rule) in rules.enumerated() {
            guard rule.list != nil || rule.sourceList != nil || rule.program != nil else {
                throw JSON.invalid(pointer: "/rules/\(index)", "a rule needs list, sourceList or program")
            }
            guard !rule.consequence.isEmpty else { throw JSON.invalid(pointer: "/rules/\(index)/consequence", "must not be empty") }
        }
        if let days = falsePositiveExpiryDays, !(1...3650).contains(days) {
            throw JSON.invalid(pointer: "/falsePositiveExpiryDays", "from 1 to 3650 days, or absent for no expiry")
        }
    }
}

extension Policy.PolicyRule {
    func applies(list: String, entry: ListEntry) -> Bool {
        if let wanted = self.list, wanted != list { return false }
        if let wanted = sourceList, !entry.sourceLists.contains(where: { CaseInsensitive.contains($0, wanted) }) { return false }
        if let wanted = program, !entry.programs.contains(where: { CaseInsensitive.equal($0, wanted) }) { return false }
        return true
    }
}
