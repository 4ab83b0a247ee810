import Foundation
import ListFormats
import Testing

/// Every format read from a small cut of a real published file, committed beside the tests
/// (`RealExcerpts/`, made by `scripts/fixtures/trim-real-lists.py`): these run on a fresh clone, without
/// `../shared`; the whole-file tests in `RealListTests` stay for where the shared lists are.
@Suite struct RealExcerptTests {
    static func excerpt(_ name: String) throws -> [ListFile] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("RealExcerpts/\(name)")
        return [ListFile(name: name, data: try Data(contentsOf: url))]
    }

    /// The EU's 2022 edition: one person under two programmes is two records under one logicalId, one entry here.
    @Test func euFinancialSanctionsFiles() throws {
        let entries = try EUFSFXMLFormat.parse(try Self.excerpt("eu-fsf.xml"))
        #expect(entries.count == 15, "16 records, two of them one entity")
        #expect(Set(entries.map(\.id)).count == entries.count)
        let twice = try #require(entries.first { $0.id == "516" })
        #expect(twice.programs.count >= 2 || twice.nameCount > 1, "the merged entity holds both records")
        #expect(entries.allSatisfy { $0.authority == "Council of the European Union" })
        #expect(entries.contains { !$0.datesOfBirth.isEmpty })
    }

    @Test func ofacEnhancedXML() throws {
        let entries = try OFACEnhancedXMLFormat.parse(try Self.excerpt("ofac-enhanced.xml"))
        #expect(entries.count == 12)
        #expect(entries.allSatisfy { !$0.name.isEmpty && !$0.programs.isEmpty })
        #expect(entries.contains { $0.type == .person } && entries.contains { $0.type == .organization })
    }

    /// The ADVANCED model's parties resolve their documents, locations and relations across sections.
    @Test func ofacAdvancedXML() throws {
        let entries = try OFACAdvancedXMLFormat.parse(try Self.excerpt("ofac-advanced.xml"))
        #expect(entries.count == 11)
        #expect(entries.allSatisfy { !$0.name.isEmpty })
        #expect(entries.contains { !($0.relations ?? []).isEmpty }, "a relation between two kept parties")
        #expect(entries.contains { !$0.identifiers.isEmpty }, "identity documents")
        #expect(entries.contains { !$0.addresses.isEmpty }, "locations")
    }

    /// OFSI's pre-2022 CSV, in cp1252: one row per name, a target's rows sharing a Group ID.
    @Test func ukOFSIConsolidatedList() throws {
        let entries = try UKOFSIConListFormat.parse(try Self.excerpt("uk-ofsi-conlist.csv"))
        #expect(entries.count == 13, "13 targets in 89 rows")
        #expect(entries.contains { $0.nameCount > 1 })
        let text = entries.flatMap { [$0.name, $0.remarks ?? ""] + $0.aliases.map(\.name) + $0.addresses.map(\.text) }.joined()
        #expect(text.unicodeScalars.contains { $0.value > 127 }, "cp1252 text read as such")
        #expect(!text.contains("\u{FFFD}"), "no byte left undecoded")
    }

    @Test func ukSanctionsListXML() throws {
        let entries = try UKSanctionsListXMLFormat.parse(try Self.excerpt("uk-sanctions-list.xml"))
        #expect(entries.count == 5)
        #expect(entries.allSatisfy { !$0.name.isEmpty })
    }
}
