import ListFormats
import Matching

/// The monitored counterparties indexed the way the matcher indexes list entries, so the entries a list change
/// added are looked up among them (one query per entry) instead of every counterparty being screened again.
struct CounterpartyIndex {
    private let ids: [String]
    private let matcher: Matcher

    /// Words weigh as they do in `lists`, the index screening uses (see `MatchIndex.init(entries:rarityFrom:)`).
    init(_ counterparties: [(id: String, identity: CounterpartyIdentity)], lists: MatchIndex) {
        ids = counterparties.map(\.id)
        // No candidate limit: every counterparty a changed entry may concern is screened again, however many look
        // alike (a supplier must not hide behind thousands of near namesakes). The re-screen works through them in
        // batches; the ids alone are held here.
        matcher = Matcher(index: MatchIndex(entries: counterparties.map { Self.matchable($0.identity) }, rarityFrom: lists), candidateLimit: .max)
    }

    var count: Int { ids.count }

    /// The counterparty's names, and its owners' (a list change naming an owner concerns the counterparty too).
    static func matchable(_ identity: CounterpartyIdentity) -> MatchableEntry {
        let names = [MatchableEntry.Name(text: identity.name, kind: .primary)] + (identity.aliases ?? []).map { MatchableEntry.Name(text: $0, kind: .aka) }
            + (identity.owners ?? []).map { MatchableEntry.Name(text: $0.name, kind: .aka) }
        return MatchableEntry(
            kind: identity.type.flatMap(EntityKind.init(rawValue:)) ?? .unknown, names: names,
            countries: Set([identity.country?.uppercased()].compactMap { $0 }),
            birthDates: [identity.dateOfBirth.flatMap(ScreenRequest.birthDate)].compactMap { $0 },
            identifiers: Set((identity.identifiers ?? []).map { IdentifierValue.normalize($0.value) }))
    }

    /// The counterparties `entry` may match. The score runs from the entry to the counterparty, the other way from
    /// screening, so candidates are taken below the policy's review threshold (`margin`); screening each candidate
    /// against the live lists then decides.
    func candidates(for entry: ListEntry, reviewThreshold: Double, margin: Double = 0.12) -> [String] {
        let matchable = EntryMapping.matchable(entry)
        let query = MatchQuery(names: matchable.names.map(\.text), kind: matchable.kind, identifiers: matchable.identifiers.sorted())
        return matcher.match(query, minimumScore: max(0.4, reviewThreshold - margin), limit: .max).map { ids[$0.entry] }
    }
}
