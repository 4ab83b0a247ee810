import Foundation
import ListFormats
import Testing
import ZIPFoundation

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

    @Test func ofacClassicXMLInBothNamespaces() throws {
        let current = try OFACXMLFormat.parse(try SharedLists.files("ofac-xml").filter { $0.name.contains("2025") })
        #expect(current.count == 443, "the file's own Record_Count")
        let hikvision = try #require(current.first { $0.id == "30946" })
        #expect(hikvision.name == "HANGZHOU HIKVISION DIGITAL TECHNOLOGY CO., LTD." && hikvision.programs == ["CMIC-EO13959"])
        #expect(hikvision.identifiers.contains(Identifier(type: "ISIN", value: "CNE100000PM8")))
        #expect(hikvision.identifiers.contains { $0.type == "Unified Social Credit Code (USCC)" && $0.value == "91330000733796106P" })
        #expect(!hikvision.identifiers.contains { $0.type.contains("Date") || $0.type == "Issuer Name" }, "notes and dates are not identifiers")
        #expect(hikvision.aliases.contains(Alias(name: "HIKVISION", kind: .aka)))
        #expect(hikvision.addresses.first?.text == "555, Qianmo Road, Binjiang District, Hangzhou, 310051, China")
        let haniya = try #require(current.first { $0.id == "9639" })
        #expect(haniya.name == "HANIYA, Ismail Abdul Salah" && haniya.type == .person && haniya.datesOfBirth == ["1962"])
        #expect(haniya.sourceLists == ["OFAC Consolidated (non-SDN) List"])
        // The 2018 edition, in the old namespace with CR LF line ends.
        #expect(try OFACXMLFormat.parse(try SharedLists.files("ofac-xml").filter { $0.name.contains("2018") }).count == 639)
    }

    /// The non-SDN list in classic XML (March 2025) and in OFAC's legacy CSV set (2021–22): on the entries both
    /// editions hold, the same ids give the same names, types and programs. What differs is the editions, not the
    /// formats: RUSSIA-EO14024 was later dropped from the non-SDN entries that carried it beside UKRAINE-EO13662, a
    /// few aliases were added or removed, one name respelt and one program added.
    @Test func ofacClassicXMLAgreesWithTheCSVSet() throws {
        let xml = Dictionary(uniqueKeysWithValues: try OFACXMLFormat.parse(try SharedLists.files("ofac-xml").filter { $0.name.contains("2025") })
            .map { ($0.id, $0) })
        let csv = try OFACCSVFormat.parse(try SharedLists.files("ofac-consolidated"))
        let shared = csv.filter { xml[$0.id] != nil }
        #expect(shared.count > 400)
        var differences: [String] = []
        var aliasChanges = 0
        for entry in shared {
            guard let other = xml[entry.id] else { continue }
            if entry.name != other.name { differences.append("\(entry.id) name: \(entry.name) / \(other.name)") }
            if entry.type != other.type { differences.append("\(entry.id) type") }
            let dropped = Set(entry.programs).subtracting(other.programs), added = Set(other.programs).subtracting(entry.programs)
            if !added.isEmpty || !dropped.isSubset(of: ["RUSSIA-EO14024"]) { differences.append("\(entry.id) programs: \(entry.programs) / \(other.programs)") }
            let strong = { (e: ListEntry) in Set(e.aliases.filter { $0.kind != .weak }.map(\.name)) }
            if strong(entry) != strong(other) { aliasChanges += 1 }
        }
        // The two other changes between the editions, each checked in the files: OFAC respelt 18284's name, and added
        // SYRIA to 18782's programs.
        #expect(differences == [
            "18284 name: RN KOMSOMOLSKIY REFINERY LLC / RN-KOMSOMOLSKY REFINERY LLC",
            "18782 programs: [\"UKRAINE-EO13662\", \"IRAN-CON-ARMS-EO\", \"RUSSIA-EO14024\"] / [\"SYRIA\", \"UKRAINE-EO13662\", \"RUSSIA-EO14024\", \"IRAN-CON-ARMS-EO\"]",
        ])
        #expect(aliasChanges < shared.count / 10, "\(aliasChanges) entries' aliases changed between the editions")
    }

    /// The ENHANCED file of January 2025 against the classic XML of March 2025, entry by entry: same ids, names,
    /// types, programs and Latin-script aliases (the classic XML against the CSV set is the test above).
    @Test func ofacEnhancedXMLAgreesWithTheClassicXML() throws {
        let zip = try #require(try SharedLists.files("ofac-enhanced").first)
        let archive = try Archive(data: zip.data, accessMode: .read)
        let member = try #require(archive.first { $0.path.uppercased().hasSuffix(".XML") })
        var data = Data()
        _ = try archive.extract(member) { data.append($0) }
        let enhanced = try OFACEnhancedXMLFormat.parse([ListFile(name: member.path, data: data)])
        #expect(enhanced.count == 443)
        let hikvision = try #require(enhanced.first { $0.name.uppercased().contains("HIKVISION") })
        #expect(hikvision.programs == ["CMIC-EO13959"] && hikvision.sourceLists.contains("Non-SDN CMIC List"))
        #expect(hikvision.identifiers.contains(Identifier(type: "ISIN", value: "CNE100000PM8")))
        #expect(hikvision.identifiers.contains { $0.type == "Unified Social Credit Code (USCC)" && $0.value == "91330000733796106P" })
        #expect(hikvision.listedOn == "2020-11-12", "the earliest of its lists' publication dates")
        #expect(enhanced.contains { $0.relations?.contains(Relation(type: "Acting for or on behalf of", entryId: "4695", name: "HAMAS")) == true },
                "links between entries are kept")
        #expect(enhanced.contains { $0.aliases.contains { $0.kind == .originalScript } }, "translations into other scripts are original-script names")
        let classic = Dictionary(uniqueKeysWithValues: try OFACXMLFormat.parse(try SharedLists.files("ofac-xml").filter { $0.name.contains("2025") })
            .map { ($0.id, $0) })
        let shared = enhanced.filter { classic[$0.id] != nil }
        #expect(shared.count > 400, "\(shared.count) entries in both")
        var differences: [String] = []
        for entry in shared {
            guard let other = classic[entry.id] else { continue }
            if entry.name != other.name { differences.append("\(entry.id) name: \(entry.name) / \(other.name)") }
            if entry.type != other.type { differences.append("\(entry.id) type: \(entry.type) / \(other.type)") }
            if Set(entry.programs) != Set(other.programs) { differences.append("\(entry.id) programs: \(entry.programs) / \(other.programs)") }
            let latin = { (e: ListEntry) in Set(e.aliases.filter { $0.kind != .originalScript }.map(\.name)) }
            if latin(entry) != latin(other) {
                differences.append("\(entry.id) aliases: -\(latin(entry).subtracting(latin(other)).sorted()) +\(latin(other).subtracting(latin(entry)).sorted())")
            }
        }
        // All 443 are in both, and one difference remains, a matter of form: the classic file repeats 18721's primary
        // name as an a.k.a., which the ENHANCED reader leaves out (an alias equal to the name adds nothing).
        #expect(shared.count == 443)
        #expect(differences == ["18721 aliases: -[] +[\"VTB BANK BELARUS CLOSED JOINT STOCK COMPANY\"]"])
    }

    @Test func ofacAdvancedXMLNonSDN2020() throws {
        let entries = try OFACAdvancedXMLFormat.parse(try SharedLists.files("ofac-advanced"))
        #expect(entries.count == 375)
        let haniya = try #require(entries.first { $0.id == "9639" })
        #expect(haniya.name == "HANIYA, Ismail Abdul Salah" && haniya.type == .person && haniya.datesOfBirth == ["1962"])
        #expect(haniya.programs == ["NS-PLC"] && haniya.sourceLists.contains("Non-SDN Palestinian Legislative Council List"))
        #expect(haniya.aliases.contains(Alias(name: "HANIYYA, Ismaeel", kind: .aka)))
        #expect(entries.contains { !$0.identifiers.isEmpty } && entries.contains { !$0.addresses.isEmpty })
        #expect(haniya.listedOn == "2006-04-12")
        let owned = try #require(entries.first { $0.id == "18267" })
        #expect(owned.relations?.first?.type == "Owned or Controlled By" && owned.relations?.first?.entryId == "17022")
    }

    /// The whole SDN list in the ADVANCED model (121 MB unpacked), November 2025 against May 2024.
    @Test func ofacAdvancedXMLWholeSDNList() throws {
        func edition(_ date: String) throws -> [ListEntry] {
            let path = SharedLists.root.appendingPathComponent("ofac-sdn-advanced/sdn_advanced_\(date).xml.bz2").path
            let unpack = Process()
            unpack.executableURL = URL(fileURLWithPath: "/usr/bin/bzip2")
            unpack.arguments = ["-dc", path]
            let pipe = Pipe()
            unpack.standardOutput = pipe
            try unpack.run()
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            return try OFACAdvancedXMLFormat.parse([ListFile(name: "sdn_advanced.xml", data: data)])
        }
        let started = Date()
        let current = try edition("2025-11-19")
        print("ofac-advanced-xml: 2025-11-19 read in \(Date().timeIntervalSince(started)) s")
        #expect(current.count == 18367)
        #expect(current.filter { $0.type == .person }.count == 7303 && current.filter { $0.type == .organization }.count == 9359)
        #expect(current.filter { $0.type == .vessel }.count == 1370 && current.filter { $0.type == .aircraft }.count == 335)
        #expect(current.allSatisfy { $0.sourceLists.contains("Specially Designated Nationals (SDN) List") })
        let programs = Dictionary(current.flatMap(\.programs).map { ($0, 1) }, uniquingKeysWith: +)
        #expect(programs.max { $0.value < $1.value }?.key == "RUSSIA-EO14024")
        #expect(current.contains { $0.aliases.contains { $0.kind == .originalScript && $0.name.unicodeScalars.contains { (0x400...0x4FF).contains($0.value) } } },
                "Cyrillic names are original-script aliases")
        let earlier = try edition("2024-05-29")
        #expect(earlier.count == 14984)
        let before = Dictionary(uniqueKeysWithValues: earlier.map { ($0.id, $0.canonicalized()) })
        let after = Dictionary(uniqueKeysWithValues: current.map { ($0.id, $0.canonicalized()) })
        let added = after.keys.filter { before[$0] == nil }.count, removed = before.keys.filter { after[$0] == nil }.count
        print("ofac-advanced-xml: 2024-05-29 → 2025-11-19: \(added) added, \(removed) removed")
        #expect(added - removed == 18367 - 14984 && added > 0 && removed > 0)
    }

    @Test func canadaSEMAInBothTagSets() throws {
        let current = try CASEMAXMLFormat.parse(try SharedLists.files("ca-sema").filter { $0.name.contains("2025") })
        #expect(current.count == 4759)
        #expect(Set(current.map(\.id)).count == 4759, "regime, schedule and item identify a record")
        let ship = try #require(current.first { $0.name == "Balitiyskiy III" })
        #expect(ship.type == .vessel && ship.identifiers == [Identifier(type: "IMO", value: "7612448")] && ship.datesOfBirth.isEmpty)
        #expect(ship.id == "Russia/1.1/1" && ship.programs == ["SEMA Russia"])
        let person = try #require(current.first { $0.name == "Barsukov, Aleksandr Petrovich" })
        #expect(person.type == .person && person.datesOfBirth == ["1965-04-29"] && person.countries == ["Belarus"])
        #expect(current.contains { $0.aliases.contains { $0.kind == .originalScript } }, "Cyrillic aliases are original script")
        let older = try CASEMAXMLFormat.parse(try SharedLists.files("ca-sema").filter { $0.name.contains("2020") })
        #expect(older.count == 1369)
        let airBagan = try #require(older.first { $0.name == "Air Bagan" })
        #expect(airBagan.type == .organization && airBagan.aliases.map(\.name) == ["Air Bagan Holdings Pte. Ltd.", "Air Bagan Limited"])
    }

    @Test func australiaDFATWorkbook() throws {
        let entries = try AUDFATXLSXFormat.parse(try SharedLists.files("au-dfat"))
        #expect(entries.count == 3062, "targets, grouped from 9,560 rows")
        let first = try #require(entries.first { $0.id == "2" })
        #expect(first.name == "MOHAMMAD HASSAN AKHUND" && first.type == .person && first.countries == ["Afghanistan"])
        #expect(entries.contains { $0.aliases.contains { $0.kind == .originalScript } })
        #expect(entries.contains { $0.type == .organization })
    }

    @Test func ukOFSIConsolidatedListInBothLayouts() throws {
        let files = try SharedLists.files("uk-ofsi")
        func edition(_ name: String) throws -> [ListEntry] { try UKOFSIConListFormat.parse(files.filter { $0.name.contains(name) }) }
        let current = try edition("2025")
        #expect(current.count == 4688, "groups, from 18,798 rows")
        #expect(current.filter { $0.programs.contains("Russia") }.count == 2181)
        let haq = try #require(current.first { $0.id == "15672" })
        #expect(haq.type == .person && haq.programs == ["Global Human Rights"] && haq.references == ["uk-sanctions-list:GHR0086"])
        #expect(current.contains { $0.aliases.contains { $0.kind == .originalScript } }, "non-Latin names are original script")
        #expect(current.contains { $0.aliases.contains { $0.kind == .weak } }, "low-quality aliases are weak")
        #expect(current.contains { $0.type == .vessel })
        let earlier = try edition("2023")
        #expect(earlier.count == 3993)
        let old = try edition("2018")
        #expect(old.count == 2106)
        let qahtani = try #require(old.first { $0.id == "13349" })
        #expect(qahtani.name == "Sheikh Farooq AL-QAHTANI" && Set(qahtani.datesOfBirth) == ["1980", "1981"])
        #expect(qahtani.countries.contains("Saudi Arabia") && qahtani.countries.contains("Qatar"))
        // The two xlsx editions diffed by Group ID: what was added, removed and changed in between.
        let before = Dictionary(uniqueKeysWithValues: earlier.map { ($0.id, $0.canonicalized()) })
        let after = Dictionary(uniqueKeysWithValues: current.map { ($0.id, $0.canonicalized()) })
        let added = after.keys.filter { before[$0] == nil }.count
        let removed = before.keys.filter { after[$0] == nil }.count
        let changed = after.filter { id, entry in before[id].map { $0 != entry } ?? false }.count
        print("uk-ofsi 2023 → 2025: \(added) added, \(removed) removed, \(changed) changed")
        #expect(added - removed == 4688 - 3993)
        #expect(added > 0 && removed > 0 && changed > 0)
    }

    @Test func ukSanctionsListExcerpt() throws {
        let entries = try UKSanctionsListXMLFormat.parse(try SharedLists.files("uk-fcdo"))
        #expect(entries.count == 5)
        let akhund = try #require(entries.first { $0.id == "AFG0006" })
        #expect(akhund.name == "MOHAMMAD HASSAN AKHUND" && akhund.type == .person)
        #expect(akhund.datesOfBirth == ["1958-05-12", "1945", "1946"])
        #expect(akhund.aliases.contains(Alias(name: "Mohammad Akhwand", kind: .aka)))
        #expect(akhund.aliases.contains { $0.kind == .originalScript })
        #expect(akhund.programs == ["The Afghanistan (Sanctions) (EU Exit) Regulations 2020", "Asset freeze", "Travel Ban"])
        #expect(akhund.references == ["uk-ofsi:7172", "un:TAi.002"] && akhund.identifiers.contains(Identifier(type: "Passport", value: "P04581926")))
        #expect(akhund.identifiers.filter { $0.type == "Passport" }.count == 1, "a passport listed twice is one identifier")
        let ship = try #require(entries.first { $0.type == .vessel })
        #expect(ship.identifiers.contains { $0.type == "IMO" } && ship.programs.contains("Prohibition of port entry"))
        #expect(entries.allSatisfy { $0.authority?.contains("FCDO") == true })
        #expect(akhund.listedOn == "2001-01-25")
        #expect(entries.contains { $0.relations?.contains(Relation(type: "Parent company", name: "CJSC Belarusian Oil Company")) == true })
    }

    @Test func euFinancialSanctionsFilesExcerpt() throws {
        let entries = try EUFSFXMLFormat.parse(try SharedLists.file("eu-fsf", "EXCERPT_sample_eu_fsf_export184961_2026-08-05.xml"))
        #expect(entries.count == 5)
        #expect(entries.reduce(0) { $0 + $1.nameCount } == 45, "every nameAlias is a name")
        let ksm = try #require(entries.first { $0.id == "191" })
        #expect(ksm.name == "Khalid Sheikh MOHAMMED" && ksm.type == .person && ksm.programs == ["TERR"])
        #expect(ksm.datesOfBirth == ["1965-04-14", "1964-03-01"] && ksm.references.contains("eu:EU.3579.2"))
        #expect(entries.contains { $0.datesOfBirth.contains("1953-1958") }, "a circa year range is kept as a range")
        #expect(entries.contains { $0.aliases.contains { $0.kind == .originalScript } }, "Arabic and Farsi names are original script")
        #expect(entries.contains { $0.type == .organization && $0.addresses.contains { $0.country == "IRAN (ISLAMIC REPUBLIC OF)" } })
    }

    /// The 2022 edition lists 20 entities twice under one logicalId (one person under two programmes): each pair is
    /// one entry with both records' names, programmes and the rest.
    @Test func euFinancialSanctionsFiles2022MergesEntitiesListedTwice() throws {
        let entries = try EUFSFXMLFormat.parse(try SharedLists.file("eu-fsf", "eu_fsf_2022-03-18_first1044_entities.xml"))
        #expect(entries.count == 1024)
        #expect(Set(entries.map(\.id)).count == 1024)
        #expect(entries.filter { $0.programs.count > 1 }.count >= 20, "a merged entity holds the programmes of both records")
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
