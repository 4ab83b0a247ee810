import Foundation
import ListFormats
import Testing

/// Parses the real files in `../shared/lists/`; skipped (with the reason) when that folder is absent.
@Suite(.enabled(if: SharedLists.available, "../shared/lists is not present beside the project"))
struct RealListTests {
    @Test func ofacSDN2021() throws {
        let entries = try OFACCSVFormat.parse(try SharedLists.files("ofac-sdn-2021"))
        #expect(entries.count == 8976)
        let bnc = try #require(entries.first { $0.id == "306" })
        #expect(bnc.name == "BANCO NACIONAL DE CUBA")
        #expect(bnc.aliases.contains(Alias(name: "NATIONAL BANK OF CUBA", kind: .aka)))
        #expect(bnc.aliases.contains(Alias(name: "BNC", kind: .weak)))
        #expect(bnc.programs == ["CUBA"])
        #expect(bnc.countries.contains("Switzerland"))
        #expect(entries.filter { $0.type == .person }.count == 4620)
        #expect(entries.filter { $0.type == .vessel }.count == 406)
    }

    @Test func ofacSDN2019() throws {
        #expect(try OFACCSVFormat.parse(try SharedLists.files("ofac-sdn-2019")).count == 7379)
    }

    @Test func ofacConsolidatedHasHikvisionUnderCMIC() throws {
        let entries = try OFACCSVFormat.parse(try SharedLists.files("ofac-consolidated"))
        #expect(entries.count == 442)
        let hikvision = try #require(entries.first { $0.name == "HANGZHOU HIKVISION DIGITAL TECHNOLOGY CO., LTD." })
        #expect(hikvision.programs == ["CMIC-EO13959"])
        #expect(hikvision.id == "30946")
        #expect(hikvision.identifiers.contains { $0.type == "ISIN" && $0.value == "CNE100000PM8" })
    }

    @Test func consolidatedScreeningList() throws {
        let entries = try CSLCSVFormat.parse(try SharedLists.files("us-csl"))
        #expect(entries.count == 14048)
        let hikvisionEL = entries.filter { $0.name.lowercased().contains("hikvision") }
        #expect(hikvisionEL.contains { $0.sourceLists.contains { $0.hasPrefix("Entity List") } })
        #expect(hikvisionEL.contains { $0.sourceLists.contains { $0.contains("(CMIC)") } && $0.references == ["ofac:30946"] })
        // 71 ids repeat; all but one (15268, twice on CAP) are on several lists.
        #expect(entries.filter { $0.sourceLists.count > 1 }.count == 70)
        let vtb = try #require(entries.first { $0.id == "18725" })
        #expect(vtb.sourceLists.count == 3)
        #expect(vtb.sourceLists.contains { $0.hasPrefix("Specially Designated Nationals") })
        #expect(vtb.sourceLists.contains { $0.hasPrefix("Sectoral Sanctions") })
    }

    @Test func unConsolidated() throws {
        let entries = try UNXMLFormat.parse(try SharedLists.files("un"))
        #expect(entries.count == 1003)
        #expect(entries.filter { $0.type == .person }.count == 730)
        #expect(entries.contains { $0.aliases.contains { $0.kind == .originalScript } })
        #expect(entries.contains { $0.aliases.contains { $0.kind == .weak } })
        let first = try #require(entries.first { $0.id == "CDi.001" })
        #expect(first.name == "ERIC BADEGE")
        #expect(first.datesOfBirth == ["1971"])
    }
}
