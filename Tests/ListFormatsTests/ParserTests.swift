import Foundation
@testable import ListFormats
import ZIPFoundation
import Testing

@Suite struct OFACCSVTests {
    @Test func parsesTheSetWithItsQuirks() throws {
        let entries = try OFACCSVFormat.parse(Fixtures.ofacSet)
        #expect(entries.map(\.id) == ["306", "1572", "9999"])
        let bank = entries[0]
        #expect(bank.type == .organization)
        #expect(bank.aliases.contains(Alias(name: "NATIONAL BANK OF CUBA", kind: .aka)))
        #expect(bank.aliases.contains(Alias(name: "BNC", kind: .weak)))
        #expect(bank.addresses == [Address(text: "Zweierstrasse 35, Zurich CH-8022, Switzerland", country: "Switzerland")])
        let noriega = entries[1]
        #expect(noriega.type == .person)
        #expect(noriega.name == "NORIEGA, Manuel Antonio")
        #expect(noriega.programs == ["CUBA", "SDNTK"])
        #expect(noriega.datesOfBirth == ["11 Feb 1934"])
        #expect(noriega.countries.contains("Panama"))
        #expect(noriega.identifiers.contains(Identifier(type: "Passport", value: "A12345", country: "Panama")))
        #expect(noriega.aliases.contains(Alias(name: "NORIEGA MORENO, Manuel", kind: .fka)))
        // The remark continues in sdn_comments.csv mid-word; a quote inside a name does not end it.
        #expect(noriega.aliases.contains(Alias(name: "EL GENERAL", kind: .weak)))
        #expect(noriega.aliases.contains(Alias(name: "O'NEILL, Tony", kind: .weak)))
        let vessel = entries[2]
        #expect(vessel.type == .vessel)
        #expect(vessel.identifiers.contains(Identifier(type: "Call Sign", value: "EPBV5")))
    }

    @Test func readsTheConsolidatedSet() throws {
        let files = [Fixtures.file("cons_prim.csv", Fixtures.sdn), Fixtures.file("cons_alt.csv", Fixtures.alt), Fixtures.file("cons_add.csv", Fixtures.add)]
        let entries = try OFACCSVFormat.parse(files)
        #expect(entries.count == 3)
        #expect(entries[0].sourceLists == ["OFAC Consolidated (non-SDN) List"])
    }

    func error(_ files: [ListFile]) -> ListParseError? {
        do {
            _ = try OFACCSVFormat.parse(files)
            return nil
        } catch { return error as? ListParseError }
    }

    @Test func refusesAWrongColumnCountWithTheLine() {
        let bad = Fixtures.sdn.replacingOccurrences(of: "\"OCEAN STAR\",", with: "")
        let failure = error([Fixtures.file("sdn.csv", bad), Fixtures.file("alt.csv", Fixtures.alt), Fixtures.file("add.csv", Fixtures.add)])
        #expect(failure?.file == "sdn.csv")
        #expect(failure?.line == 3)
        #expect(failure?.message == "expected 12 columns, found 11")
    }

    @Test func refusesBrokenQuoting() {
        let bad = "306,\"BANCO NACIONAL DE CUBA,-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n"
        let failure = error([Fixtures.file("sdn.csv", bad), Fixtures.file("alt.csv", Fixtures.alt), Fixtures.file("add.csv", Fixtures.add)])
        #expect(failure?.file == "sdn.csv")
        #expect(failure?.line == 1)
    }

    @Test func refusesDuplicateEntNums() {
        let bad = Fixtures.sdn.replacingOccurrences(of: "9999,", with: "306,")
        let failure = error([Fixtures.file("sdn.csv", bad), Fixtures.file("alt.csv", Fixtures.alt), Fixtures.file("add.csv", Fixtures.add)])
        #expect(failure?.message == "duplicate ent_num 306")
        #expect(failure?.line == 3)
    }

    @Test func refusesMissingCompanionsEmptyFilesAndStrangers() {
        #expect(error([Fixtures.file("sdn.csv", Fixtures.sdn)])?.file == "alt.csv")
        #expect(error([Fixtures.file("alt.csv", Fixtures.alt), Fixtures.file("add.csv", Fixtures.add)])?.file == "sdn.csv")
        #expect(error([Fixtures.file("sdn.csv", ""), Fixtures.file("alt.csv", Fixtures.alt), Fixtures.file("add.csv", Fixtures.add)])?.message == "the file is empty")
        #expect(error(Fixtures.ofacSet + [Fixtures.file("notes.txt", "x")])?.file == "notes.txt")
    }
}

@Suite struct CSLTests {
    @Test func mergesRowsSharingAnIDAndReadsIdentifiers() throws {
        let entries = try CSLCSVFormat.parse([Fixtures.file("consolidated.csv", Fixtures.csl)])
        #expect(entries.count == 3)
        let hikvision = entries[0]
        #expect(hikvision.references == ["ofac:30946"])
        #expect(hikvision.aliases.map(\.name) == ["HIKVISION", "HANGZHOU HIKVISION DIGITAL TECHNOLOGY"])
        #expect(hikvision.identifiers.contains(Identifier(type: "Unified Social Credit Code (USCC)", value: "91330000733796106P", country: "CN")))
        #expect(hikvision.identifiers.contains(Identifier(type: "ISIN", value: "CNE100000PM8")))
        #expect(entries[1].sourceLists == ["Entity List (EL) - Bureau of Industry and Security"])
        #expect(entries[1].type == .unknown)
        let vtb = entries[2]
        #expect(vtb.sourceLists.count == 2)
        #expect(vtb.programs == ["UKRAINE-EO13662", "RUSSIA-EO14024"])
        #expect(vtb.aliases.map(\.name) == ["VTB AFRICA"])
    }

    @Test func refusesAMissingColumnAndARaggedRow() {
        #expect(throws: ListParseError.self) { try CSLCSVFormat.parse([Fixtures.file("c.csv", "a,b\n1,2\n")]) }
        let ragged = Fixtures.csl + "\nx,y\n"
        do {
            _ = try CSLCSVFormat.parse([Fixtures.file("consolidated.csv", ragged)])
            Issue.record("expected an error")
        } catch let error as ListParseError {
            #expect(error.line == 6)
        } catch { Issue.record("\(error)") }
    }

    @Test func readsTheJSONShape() throws {
        let entries = try CSLJSONFormat.parse([Fixtures.file("consolidated.json", Fixtures.cslJSON)])
        #expect(entries.count == 2)
        #expect(entries[0].references == ["ofac:30946"])
        #expect(entries[0].identifiers == [Identifier(type: "ISIN", value: "CNE100000PM8", country: "CN")])
        #expect(entries[0].addresses.first?.text == "555 Qianmo Road, Hangzhou, CN")
        #expect(entries[1].aliases.map(\.name) == ["A", "B"])
        #expect(throws: ListParseError.self) { try CSLJSONFormat.parse([Fixtures.file("c.json", "{\"results\": [{\"name\": \"x\"}]}")]) }
        #expect(throws: ListParseError.self) { try CSLJSONFormat.parse([Fixtures.file("c.json", "{\"results\": [")]) }
    }
}

@Suite struct UNXMLTests {
    @Test func readsIndividualsAndEntities() throws {
        let entries = try UNXMLFormat.parse([Fixtures.file("consolidated.xml", Fixtures.un)])
        #expect(entries.map(\.id) == ["CDi.001", "QDe.004"])
        let person = entries[0]
        #expect(person.name == "ERIC BADEGE")
        #expect(person.aliases == [Alias(name: "Eric Badege Good", kind: .aka), Alias(name: "Badege", kind: .weak)])
        #expect(person.datesOfBirth == ["1971"])
        #expect(person.identifiers == [Identifier(type: "Passport", value: "OB0123", country: "Congo")])
        let entity = entries[1]
        #expect(entity.type == .organization)
        #expect(entity.aliases.contains(Alias(name: "القاعدة", kind: .originalScript)))
        #expect(entity.countries == ["Afghanistan"])
    }

    @Test func refusesBadXMLAndDuplicateReferences() {
        do {
            _ = try UNXMLFormat.parse([Fixtures.file("consolidated.xml", "<CONSOLIDATED_LIST>\n<INDIVIDUALS>\n</ENTITIES>")])
            Issue.record("expected an error")
        } catch let error as ListParseError {
            #expect(error.line == 3)
            #expect(error.message.hasPrefix("malformed XML"))
        } catch { Issue.record("\(error)") }
        let duplicate = Fixtures.un.replacingOccurrences(of: "QDe.004", with: "CDi.001")
        #expect { try UNXMLFormat.parse([Fixtures.file("consolidated.xml", duplicate)]) } throws: {
            ($0 as? ListParseError)?.message == "duplicate REFERENCE_NUMBER CDi.001 (first at line 4)"
        }
    }
}

/// XML list files are read one record at a time.
@Suite struct XMLRecordTests {
    @Test func recordsArriveOneAtATimeWithTheirAncestors() throws {
        let xml = """
            <ROOT><A><ITEM><NAME>one</NAME></ITEM><ITEM><NAME>two</NAME><SUB><NAME>inner</NAME></SUB></ITEM></A>
            <B><ITEM><NAME>three</NAME></ITEM></B><NOTE>skipped</NOTE></ROOT>
            """
        var seen: [String] = []
        try XMLElementNode.forEachRecord(in: Fixtures.file("f.xml", xml), root: "ROOT", recordDepth: 3) { ancestors, record in
            seen.append("\(ancestors.joined(separator: "/")) \(record.name) \(record.value("NAME") ?? "-") \(record.children.count)")
        }
        #expect(seen == ["ROOT/A ITEM one 1", "ROOT/A ITEM two 2", "ROOT/B ITEM three 1"])
    }

    /// libxml2 refuses a document over 10 MB handed to it in one piece; the reader streams it in chunks.
    @Test func readsAFileOverTenMegabytes() throws {
        let record = "<ITEM><NAME>" + String(repeating: "x", count: 2_000) + "</NAME></ITEM>\n"
        let xml = "<ROOT><A>" + String(repeating: record, count: 6_000) + "</A></ROOT>"
        #expect(xml.utf8.count > 12_000_000)
        var count = 0
        try XMLElementNode.forEachRecord(in: Fixtures.file("f.xml", xml), root: "ROOT", recordDepth: 3) { _, _ in count += 1 }
        #expect(count == 6_000)
    }

    @Test func anErrorInARecordStopsTheRead() {
        let xml = "<ROOT><A><ITEM>1</ITEM><ITEM>2</ITEM><ITEM>3</ITEM></A></ROOT>"
        var count = 0
        #expect(throws: ListParseError.self) {
            try XMLElementNode.forEachRecord(in: Fixtures.file("f.xml", xml), root: "ROOT", recordDepth: 3) { _, record in
                count += 1
                if record.text == "2" { throw ListParseError("bad record") }
            }
        }
        #expect(count == 2)
    }

    @Test func refusesTheWrongRootAndTruncation() {
        for (xml, message) in [("<OTHER><A/></OTHER>", "expected the ROOT root element"), ("<ROOT><A><ITEM>", "malformed XML"),
                               ("<ROOT><A><ITEM></A></ROOT>", "malformed XML")] {
            do {
                try XMLElementNode.forEachRecord(in: Fixtures.file("f.xml", xml), root: "ROOT", recordDepth: 3) { _, _ in }
                Issue.record("\(xml) was read without an error")
            } catch let error as ListParseError {
                #expect(error.message.contains(message), "\(xml): \(error)")
            } catch { Issue.record("\(xml): \(error)") }
        }
    }
}

@Suite struct ClearanceJSONTests {
    @Test func readsTheOwnFormat() throws {
        let entries = try ClearanceJSONFormat.parse([Fixtures.file("entries.json", Fixtures.clearanceJSON)])
        #expect(entries.count == 2)
        #expect(entries[0].aliases == [Alias(name: "Acme Shell", kind: .aka), Alias(name: "ACME ST", kind: .weak)])
        #expect(entries[0].sourceLists == ["Acme denied vendors"])
        #expect(entries[1].type == .person)
    }

    @Test func pointsAtTheFieldAtFault() {
        func element(_ text: String) -> String? {
            do {
                _ = try ClearanceJSONFormat.parse([Fixtures.file("entries.json", text)])
                return nil
            } catch { return (error as? ListParseError)?.element }
        }
        #expect(element(#"{"entries": [{"id": "1", "name": "a"}, {"id": "2"}]}"#) == "/entries/1/name")
        #expect(element(#"{"entries": [{"id": "1", "name": "a", "type": "robot"}]}"#) == "/entries/0/type")
        #expect(element(#"{"entries": [{"id": "1", "name": "a"}, {"id": "1", "name": "b"}]}"#) == "/entries/1/id")
    }
}

@Suite struct CanonicalEntryTests {
    @Test func orderOfFactsDoesNotMatter() {
        let a = ListEntry(id: "1", type: .person, name: "X", aliases: [Alias(name: "B", kind: .aka), Alias(name: "A", kind: .aka)])
        let b = ListEntry(id: "1", type: .person, name: "X", aliases: [Alias(name: "A", kind: .aka), Alias(name: "B", kind: .aka)])
        #expect(a != b)
        #expect(a.canonicalized() == b.canonicalized())
    }
}

/// OFAC's classic XML, on an excerpt of the March 2025 non-SDN file (two entries, trimmed).
@Suite struct OFACXMLTests {
    static func excerpt(namespace: String = "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/XML") -> String {
        """
        <?xml version="1.0" standalone="yes"?>
        <sdnList xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns="\(namespace)">
          <publshInformation><Publish_Date>03/28/2025</Publish_Date><Record_Count>2</Record_Count></publshInformation>
          <sdnEntry>
            <uid>9639</uid><firstName>Ismail Abdul Salah</firstName><lastName>HANIYA</lastName><sdnType>Individual</sdnType>
            <programList><program>NS-PLC</program></programList>
            <akaList>
              <aka><uid>9150</uid><type>a.k.a.</type><category>strong</category><lastName>HANIYA</lastName><firstName>Ismail</firstName></aka>
              <aka><uid>9151</uid><type>a.k.a.</type><category>weak</category><lastName>ABU AL-ABD</lastName></aka>
            </akaList>
            <nationalityList><nationality><uid>1</uid><country>Palestinian</country><mainEntry>true</mainEntry></nationality></nationalityList>
            <dateOfBirthList><dateOfBirthItem><uid>4696</uid><dateOfBirth>1962</dateOfBirth><mainEntry>true</mainEntry></dateOfBirthItem></dateOfBirthList>
          </sdnEntry>
          <sdnEntry>
            <uid>30946</uid><lastName>HANGZHOU HIKVISION DIGITAL TECHNOLOGY CO., LTD.</lastName><sdnType>Entity</sdnType>
            <programList><program>CMIC-EO13959</program></programList>
            <idList>
              <id><uid>21925</uid><idType>Unified Social Credit Code (USCC)</idType><idNumber>91330000733796106P</idNumber><idCountry>China</idCountry></id>
              <id><uid>139038</uid><idType>Equity Ticker</idType><idNumber>002415 CN</idNumber></id>
              <id><uid>141176</uid><idType>ISIN</idType><idNumber>CNE100000PM8</idNumber></id>
              <id><uid>141240</uid><idType>Listing Date (CMIC)</idType><idNumber>03 Jun 2021</idNumber></id>
            </idList>
            <akaList><aka><uid>48662</uid><type>a.k.a.</type><category>strong</category><lastName>HIKVISION</lastName></aka></akaList>
            <addressList><address><uid>48429</uid><address1>555, Qianmo Road</address1><address2>Binjiang District</address2>
              <city>Hangzhou</city><postalCode>310051</postalCode><country>China</country></address></addressList>
          </sdnEntry>
        </sdnList>
        """
    }

    static func file(_ text: String, name: String = "CONSOLIDATED.XML") -> [ListFile] { [ListFile(name: name, data: Data(text.utf8))] }

    @Test func readsEntriesAsTheCSVSetDoes() throws {
        let entries = try OFACXMLFormat.parse(Self.file(Self.excerpt()))
        #expect(entries.map(\.id) == ["9639", "30946"])
        let haniya = entries[0]
        #expect(haniya.name == "HANIYA, Ismail Abdul Salah" && haniya.type == .person && haniya.programs == ["NS-PLC"])
        #expect(haniya.aliases == [Alias(name: "HANIYA, Ismail", kind: .aka), Alias(name: "ABU AL-ABD", kind: .weak)])
        #expect(haniya.datesOfBirth == ["1962"] && haniya.countries == ["Palestinian"])
        let hikvision = entries[1]
        #expect(hikvision.type == .organization && hikvision.sourceLists == ["OFAC Consolidated (non-SDN) List"])
        #expect(hikvision.identifiers.map(\.type) == ["Unified Social Credit Code (USCC)", "Equity Ticker", "ISIN"], "listing dates are not identifiers")
        #expect(hikvision.addresses == [Address(text: "555, Qianmo Road, Binjiang District, Hangzhou, 310051, China", country: "China")])
    }

    @Test func readsTheOldNamespaceWithCRLF() throws {
        let old = Self.excerpt(namespace: "http://tempuri.org/sdnList.xsd").replacingOccurrences(of: "\n", with: "\r\n")
        let entries = try OFACXMLFormat.parse(Self.file(old, name: "SDN.XML"))
        #expect(entries.count == 2 && entries[0].sourceLists == ["Specially Designated Nationals (SDN) List"])
    }

    @Test func refusesEntriesWithoutUidOrNameAndDuplicates() {
        #expect(throws: ListParseError.self) { try OFACXMLFormat.parse(Self.file(Self.excerpt().replacingOccurrences(of: "<uid>30946</uid>", with: ""))) }
        #expect(throws: ListParseError.self) { try OFACXMLFormat.parse(Self.file(Self.excerpt().replacingOccurrences(of: "<uid>30946</uid>", with: "<uid>9639</uid>"))) }
        #expect(throws: ListParseError.self) { try OFACXMLFormat.parse(Self.file("<sdnList></sdnList>")) }
        #expect(throws: ListParseError.self) { try OFACXMLFormat.parse(Self.file("")) }
    }
}

/// Canada's SEMA list, on an excerpt of the 2025 file (a person, a ship, an entity with Cyrillic aliases) and the
/// 2020 tag set.
@Suite struct CASEMAXMLTests {
    static let current = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <data-set xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
          <record><Country>Belarus / Bélarus</Country><LastName>Balaba</LastName><GivenName>Dmitry Vladimirovich</GivenName>
            <DateOfBirthOrShipBuildDate>1972</DateOfBirthOrShipBuildDate><Schedule>1, Part 1</Schedule><Item>2</Item><DateOfListing>2020-09-28</DateOfListing></record>
          <record><Country>Russia / Russie</Country><EntityOrShip>Balitiyskiy III</EntityOrShip><TitleOrShip>General Cargo / Multi Purpose</TitleOrShip>
            <ShipIMONumber>7612448</ShipIMONumber><DateOfBirthOrShipBuildDate>1980</DateOfBirthOrShipBuildDate><Schedule>1.1</Schedule><Item>1</Item><DateOfListing>2025-02-21</DateOfListing></record>
          <record><Country>Russia / Russie</Country><EntityOrShip>Rosneft</EntityOrShip><Aliases>PAO Rosneft, Роснефть</Aliases>
            <Schedule>1, Part 2</Schedule><Item>7</Item><DateOfListing>2022-02-24</DateOfListing></record>
        </data-set>
        """
    static let older = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <data-set><record><Country>Burma / Birmanie</Country><Entity>Air Bagan</Entity><Aliases>Air Bagan Holdings Pte. Ltd., Air Bagan Limited</Aliases>
          <Schedule>1</Schedule><Item>1</Item></record>
          <record><Country>Burma / Birmanie</Country><LastName>Aung</LastName><GivenName>Ko Ko</GivenName><Title>Minister</Title><DateOfBirth>1951-08-23</DateOfBirth><Schedule>1</Schedule><Item>2</Item></record></data-set>
        """

    static func file(_ text: String) -> [ListFile] { [ListFile(name: "sema-lmes.xml", data: Data(text.utf8))] }

    @Test func readsPeopleShipsAndEntities() throws {
        let entries = try CASEMAXMLFormat.parse(Self.file(Self.current))
        #expect(entries.map(\.id) == ["Belarus/1, Part 1/2", "Russia/1.1/1", "Russia/1, Part 2/7"])
        #expect(entries[0].name == "Balaba, Dmitry Vladimirovich" && entries[0].type == .person && entries[0].datesOfBirth == ["1972"])
        #expect(entries[1].type == .vessel && entries[1].identifiers == [Identifier(type: "IMO", value: "7612448")] && entries[1].datesOfBirth.isEmpty)
        #expect(entries[2].aliases == [Alias(name: "PAO Rosneft", kind: .aka), Alias(name: "Роснефть", kind: .originalScript)])
        #expect(entries[2].programs == ["SEMA Russia"] && entries[2].sourceLists == ["Canada Consolidated Autonomous Sanctions List (SEMA)"])
    }

    @Test func readsTheOlderTagSet() throws {
        let entries = try CASEMAXMLFormat.parse(Self.file(Self.older))
        #expect(entries[0].type == .organization && entries[0].aliases.count == 2)
        #expect(entries[1].name == "Aung, Ko Ko" && entries[1].title == "Minister" && entries[1].datesOfBirth == ["1951-08-23"])
    }

    @Test func refusesRecordsWithoutNameOrItemAndDuplicates() {
        #expect(throws: ListParseError.self) { try CASEMAXMLFormat.parse(Self.file(Self.older.replacingOccurrences(of: "<Item>2</Item>", with: ""))) }
        #expect(throws: ListParseError.self) { try CASEMAXMLFormat.parse(Self.file(Self.older.replacingOccurrences(of: "<Item>2</Item>", with: "<Item>1</Item>"))) }
        #expect(throws: ListParseError.self) { try CASEMAXMLFormat.parse(Self.file(Self.older.replacingOccurrences(of: "<Entity>Air Bagan</Entity>", with: ""))) }
    }
}

/// Australia's DFAT workbook, on a two-target workbook built here (shared strings, an inline string, a date stored
/// as a day number, aliases and an original-script row).
@Suite struct AUDFATXLSXTests {
    static func workbook(rows: [[String]]) throws -> Data {
        var strings: [String] = []
        func cell(_ column: Int, _ row: Int, _ value: String) -> String {
            let reference = String(UnicodeScalar(UInt8(65 + column))) + String(row)
            if let number = Int(value) { return "<c r=\"\(reference)\"><v>\(number)</v></c>" }
            if value.hasPrefix("inline:") { return "<c r=\"\(reference)\" t=\"inlineStr\"><is><t>\(value.dropFirst(7))</t></is></c>" }
            strings.append(value)
            return "<c r=\"\(reference)\" t=\"s\"><v>\(strings.count - 1)</v></c>"
        }
        let sheetRows = rows.enumerated().map { index, values in
            "<row r=\"\(index + 1)\">" + values.enumerated().map { cell($0, index + 1, $1) }.joined() + "</row>"
        }.joined()
        let sheet = "<?xml version=\"1.0\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>\(sheetRows)</sheetData></worksheet>"
        let shared = "<?xml version=\"1.0\"?><sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
            + strings.map { "<si><r><t>\($0)</t></r></si>" }.joined() + "</sst>"
        let archive = try Archive(accessMode: .create)
        for (path, text) in [("xl/worksheets/sheet1.xml", sheet), ("xl/sharedStrings.xml", shared)] {
            let data = Data(text.utf8)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count)) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        return try #require(archive.data)
    }

    static let header = ["Reference", "Name of Individual or Entity", "Type", "Name Type", "Date of Birth", "Citizenship", "Committees"]

    @Test func groupsRowsByTargetAndReadsDates() throws {
        let data = try Self.workbook(rows: [
            Self.header,
            ["2", "MOHAMMAD HASSAN AKHUND ", "Individual", "Primary Name", "21040", "Afghanistan", "1988 (Taliban)"],
            ["2a", "Mullah Mohammad Hassan", "Individual", "aka", "", "", ""],
            ["2b", "inline:محمد حسن آخوند", "Individual", "Original Script", "", "", ""],
            ["3", "Al-Qaida", "Entity", "Primary Name", "NA", "", ""],
        ])
        let entries = try AUDFATXLSXFormat.parse([ListFile(name: "regulation8_consolidated.xlsx", data: data)])
        #expect(entries.map(\.id) == ["2", "3"])
        #expect(entries[0].name == "MOHAMMAD HASSAN AKHUND" && entries[0].type == .person && entries[0].datesOfBirth == ["1957-08-08"])
        #expect(entries[0].aliases == [Alias(name: "Mullah Mohammad Hassan", kind: .aka), Alias(name: "محمد حسن آخوند", kind: .originalScript)])
        #expect(entries[0].programs == ["1988 (Taliban)"] && entries[0].countries == ["Afghanistan"])
        #expect(entries[1].type == .organization && entries[1].datesOfBirth.isEmpty)
    }

    @Test func refusesWhatIsNotTheWorkbook() throws {
        #expect(throws: ListParseError.self) { try AUDFATXLSXFormat.parse([ListFile(name: "x.xlsx", data: Data("not a zip".utf8))]) }
        let noName = try Self.workbook(rows: [["Reference", "Type"], ["2", "Individual"]])
        #expect(throws: ListParseError.self) { try AUDFATXLSXFormat.parse([ListFile(name: "x.xlsx", data: noName)]) }
        let badReference = try Self.workbook(rows: [Self.header, ["x1", "Somebody", "Individual", "Primary Name", "", "", ""]])
        #expect(throws: ListParseError.self) { try AUDFATXLSXFormat.parse([ListFile(name: "x.xlsx", data: badReference)]) }
    }
}

/// docs/layout.md is the map of the code: it names every list format there is.
@Suite struct LayoutDocTests {
    @Test func theLayoutNamesEveryListFormat() throws {
        let layout = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/layout.md")
        let text = try String(contentsOf: layout, encoding: .utf8)
        for id in ListFormats.ids { #expect(text.contains("`\(id)`"), "docs/layout.md does not name \(id)") }
    }
}
