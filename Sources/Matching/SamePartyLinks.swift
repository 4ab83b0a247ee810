/// Entries that are one party on several lists. OFAC, the UN and the CSL list many parties each, under names that
/// drift apart; a name found on one list must bring the party's entries on the others with it. Two entries are linked
/// when they share a strong identifier (a passport, a registration) held by three entries at most (more is a shared
/// registry number, not one party), or carry the same distinctive full name (words weighing 1.6 or more together,
/// one of them rare) held by three entries at most, of compatible types, with no date of birth telling them apart.
struct SamePartyLinks: Sendable {
    struct Link: Sendable {
        let entry: Int32
        /// Why, for the evidence: `both carry identifier 101856740`.
        let reason: String
    }

    let links: [Int32: [Link]]

    static let empty = SamePartyLinks(links: [:])

    subscript(entry: Int32) -> [Link] { links[entry] ?? [] }

    static func build(entries: [MatchableEntry], names: [MatchIndex.IndexedName], weights: [Float], identifiers: [String: [Int32]]) -> SamePartyLinks {
        var links: [Int32: [Link]] = [:]
        func link(_ holders: [Int32], _ reason: String) {
            let distinct = Set(holders).sorted()
            guard (2...3).contains(distinct.count) else { return }
            for a in distinct {
                for b in distinct where a != b && entries[Int(a)].kind.isCompatible(with: entries[Int(b)].kind)
                    && !Self.bornApart(entries[Int(a)], entries[Int(b)]) && !(links[a]?.contains { $0.entry == b } ?? false) {
                    links[a, default: []].append(Link(entry: b, reason: reason))
                }
            }
        }
        for (identifier, holders) in identifiers.sorted(by: { $0.key < $1.key }) { link(holders, "both carry identifier \(identifier)") }
        var byName: [[Int32]: (holders: [Int32], text: String)] = [:]
        for name in names where name.kind != .weak {
            let words = name.tokens.filter { weights[Int($0)] > 0 }
            let total = words.reduce(Float(0)) { $0 + weights[Int($1)] }
            guard words.count >= 2, total >= 1.6, words.contains(where: { weights[Int($0)] >= 0.8 }) else { continue }
            let key = words.sorted()
            byName[key, default: ([], name.text)].holders.append(name.entry)
        }
        for (_, found) in byName.sorted(by: { $0.value.text < $1.value.text }) { link(found.holders, "both list the name \(found.text)") }
        return SamePartyLinks(links: links)
    }

    /// Two people whose listed years of birth are all more than a year apart are two people.
    static func bornApart(_ a: MatchableEntry, _ b: MatchableEntry) -> Bool {
        guard !a.birthDates.isEmpty, !b.birthDates.isEmpty else { return false }
        return !a.birthDates.contains { x in b.birthDates.contains { abs($0.year - x.year) <= 1 } }
    }
}
