@testable import ClearanceService
import ListFormats
import Matching
import Foundation
import Testing

/// Which monitored counterparties a changed list entry is looked up among: all that may match, however many.
@Suite struct CounterpartyIndexTests {
    /// 100,000 monitored look-alikes of a newly listed name and a few others: every look-alike is a candidate for the
    /// re-screen (a bound once let all but 5,000 stay `clear`), and the others are not.
    @Test func everyLookAlikeOfANewEntryIsACandidate() throws {
        func identity(_ name: String) throws -> CounterpartyIdentity {
            CounterpartyIdentity(try JSONDecoder().decode(ScreenRequest.self, from: Data("{\"name\": \"\(name)\"}".utf8)))
        }
        let listed = ListEntry(id: "1", type: .organization, name: "ZARVEX MARITIME HOLDINGS LTD")
        let lists = MatchIndex(entries: [EntryMapping.matchable(listed), EntryMapping.matchable(ListEntry(id: "2", type: .organization, name: "ACME LTD"))])
        let lookAlikes = [try identity("Zarvex Maritime Holdings Ltd"), try identity("Zarvex Maritime Holdings Limited")]
        var counterparties: [(id: String, identity: CounterpartyIdentity)] = (0..<100_000).map { i in
            (String(format: "cp-%06d", i), lookAlikes[i % 2])
        }
        for (i, name) in ["Northwind Traders", "Acme Ltd", "Maritime Supplies Ltd"].enumerated() {
            counterparties.append(("other-\(i)", try identity(name)))
        }
        let index = CounterpartyIndex(counterparties, lists: lists)
        let candidates = index.candidates(for: listed, reviewThreshold: 0.8)
        #expect(candidates.count == 100_000)
        #expect(!candidates.contains { $0.hasPrefix("other-") })
    }
}
