import Foundation
import ListFormats
import Testing
import TestSupport

/// The real files in `../shared/lists/`, uploaded over HTTP; skipped with the reason when the folder is absent.
enum SharedListFiles {
    static let root = ServiceHarness.projectRoot.deletingLastPathComponent().appendingPathComponent("shared/lists")
    static var available: Bool { FileManager.default.fileExists(atPath: root.appendingPathComponent("README.md").path) }

    /// Every file of a folder, or only `only` of a folder that holds several editions.
    static func files(_ folder: String, only: String? = nil) throws -> [(name: String, data: Data)] {
        let directory = root.appendingPathComponent(folder)
        return try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted().filter { only == nil || $0 == only }.map {
            ($0, try Data(contentsOf: directory.appendingPathComponent($0)))
        }
    }
}

@Suite(.enabled(if: SharedListFiles.available, "../shared/lists is not present beside the project"), .serialized)
struct RealListUploadTests {
    /// Added, removed and changed entries between two OFAC editions, computed from the raw rows: an entry changed
    /// when its sdn.csv row, its set of alt.csv and add.csv rows (without their row numbers) or its comments differ.
    static func independentDiff(_ old: String, _ new: String) throws -> (added: Int, removed: Int, changed: Int) {
        func load(_ folder: String) throws -> [String: [String]] {
            var rows: [String: [String]] = [:]
            for (file, keep) in [("sdn.csv", 0), ("alt.csv", 2), ("add.csv", 2), ("sdn_comments.csv", 1)] {
                let data = try Data(contentsOf: SharedListFiles.root.appendingPathComponent("\(folder)/\(file)"))
                var reader = CSVReader(Array(data), file: file)
                var perEntry: [String: [String]] = [:]
                while let (fields, _) = try reader.next() {
                    perEntry[fields[0], default: []].append(fields[keep...].map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: "|"))
                }
                for (id, values) in perEntry {
                    if file == "sdn.csv" { rows[id] = values } else if rows[id] != nil {
                        rows[id]?.append(file + ":" + (file == "sdn_comments.csv" ? values.joined() : values.sorted().joined(separator: "#")))
                    }
                }
            }
            return rows
        }
        let a = try load(old), b = try load(new)
        let common = Set(a.keys).intersection(b.keys)
        return (Set(b.keys).subtracting(a.keys).count, Set(a.keys).subtracting(b.keys).count, common.filter { a[$0] != b[$0] }.count)
    }

    @Test func theSDN2019To2021DiffMatchesAnIndependentCount() throws {
        let service = try ServiceHarness()
        #expect(try service.upload("ofac-sdn", query: "?format=ofac-csv", files: try SharedListFiles.files("ofac-sdn-2019")).status == 201)
        let second = try service.upload("ofac-sdn", files: try SharedListFiles.files("ofac-sdn-2021"))
        #expect(second.status == 201)
        let diff = try #require(try second.json()["diff"] as? [String: Int])
        let expected = try Self.independentDiff("ofac-sdn-2019", "ofac-sdn-2021")
        #expect(diff["added"] == expected.added)
        #expect(diff["removed"] == expected.removed)
        #expect(diff["changed"] == expected.changed)
        #expect(try second.json()["entryCount"] as? Int == 8976)
    }

    @Test func everyRealFileUploadsWithTheRightCounts() throws {
        let service = try ServiceHarness()
        let consolidated = try service.upload("ofac-consolidated", query: "?format=ofac-csv", files: try SharedListFiles.files("ofac-consolidated"))
        #expect(try consolidated.json()["entryCount"] as? Int == 442)
        let csl = try service.upload("us-csl", query: "?format=csl-csv", files: try SharedListFiles.files("us-csl"))
        #expect(try csl.json()["entryCount"] as? Int == 14048)
        let un = try service.upload("un", query: "?format=un-xml", files: try SharedListFiles.files("un"))
        #expect(try un.json()["entryCount"] as? Int == 1003)
        // An xlsx is a ZIP: sent raw or as a form part, it is the workbook, not unpacked into its members.
        let dfat = try SharedListFiles.files("au-dfat")
        #expect(try service.uploadRaw("au-dfat", query: "?format=au-dfat-xlsx", data: try #require(dfat.first?.data)).json()["entryCount"] as? Int == 3062)
        let sema = try service.upload("ca-sema", query: "?format=ca-sema-xml", files: try SharedListFiles.files("ca-sema").filter { $0.name.contains("2025") })
        #expect(try sema.json()["entryCount"] as? Int == 4759)
        let classic = try service.upload("ofac-xml", query: "?format=ofac-xml", files: try SharedListFiles.files("ofac-xml").filter { $0.name.contains("2025") })
        #expect(try classic.json()["entryCount"] as? Int == 443)
        // The ENHANCED file as OFAC ships it, zipped: unpacked like any ZIP of list files.
        let enhanced = try #require(try SharedListFiles.files("ofac-enhanced").first)
        #expect(try service.uploadRaw("ofac-enhanced", query: "?format=ofac-enhanced-xml", data: enhanced.data, contentType: "application/zip")
            .json()["entryCount"] as? Int == 443)
        #expect(try service.upload("uk-sanctions-list", query: "?format=uk-sanctions-list-xml", files: try SharedListFiles.files("uk-fcdo"))
            .json()["entryCount"] as? Int == 5)
        #expect(try service.upload("eu-fsf", query: "?format=eu-fsf-xml", files: try SharedListFiles.files("eu-fsf", only: "EXCERPT_sample_eu_fsf_export184961_2026-08-05.xml")).json()["entryCount"] as? Int == 5)
        // The 2022 edition lists 20 entities twice under one logicalId: one entry each.
        let eu2022 = try SharedListFiles.files("eu-fsf", only: "eu_fsf_2022-03-18_first1044_entities.xml")
        #expect(try service.upload("eu-fsf-2022", query: "?format=eu-fsf-xml", files: eu2022).json()["entryCount"] as? Int == 1024)

        let hikvision = try service.call("GET", "/lists/ofac-consolidated/entries/30946", key: service.adminKey).json()
        let entry = try #require(hikvision["entry"] as? [String: Any])
        #expect(entry["name"] as? String == "HANGZHOU HIKVISION DIGITAL TECHNOLOGY CO., LTD.")
        #expect(entry["programs"] as? [String] == ["CMIC-EO13959"])
        let entityList = try service.call("GET", "/lists/us-csl/entries/f095626c9f8becc70b5948507fb6de6e443b257a", key: service.adminKey).json()
        let el = try #require(entityList["entry"] as? [String: Any])
        #expect((el["sourceLists"] as? [String])?.first?.hasPrefix("Entity List") == true)
        #expect(el["name"] as? String == "Hangzhou Hikvision Digital Technology Co., Ltd.")
    }

    @Test func hikvisionOnTheRealListsGetsItsNSCMICAndEntityListConsequences() throws {
        let service = try ServiceHarness()
        _ = try service.upload("ofac-consolidated", query: "?format=ofac-csv", files: try SharedListFiles.files("ofac-consolidated"))
        _ = try service.upload("us-csl", query: "?format=csl-csv", files: try SharedListFiles.files("us-csl"))
        let key = try service.createKey(["screen"])
        for name in ["Hikvision", "HANGZHOU HIKVISION DIGITAL TECHNOLOGY CO LTD"] {
            let body = try service.call("POST", "/screen", key: key, json: #"{"name": "\#(name)"}"#).json()
            #expect(body["decision"] as? String == "review", "\(name)")
            let matches = try #require(body["matches"] as? [[String: Any]])
            #expect(matches.contains { $0["list"] as? String == "ofac-consolidated" && $0["entryId"] as? String == "30946"
                && $0["consequence"] as? String == "Securities investment prohibited (NS-CMIC, EO 13959)" }, "\(name)")
            #expect(matches.contains { ($0["sourceList"] as? String)?.hasPrefix("Entity List") == true
                && $0["consequence"] as? String == "Export licence required for items subject to the EAR (BIS Entity List, 15 CFR 744.11); buying from the party is not prohibited by this listing" }, "\(name)")
        }
    }

    /// Each match names who listed it; the EU and UK asset freezes block, and a UK designation without an asset freeze
    /// (a ship barred from ports) is a review naming the measure.
    @Test func europeanAndBritishListsBlockTheirAssetFreezesAndNameTheirAuthority() throws {
        let service = try ServiceHarness()
        _ = try service.upload("uk-sanctions-list", query: "?format=uk-sanctions-list-xml", files: try SharedListFiles.files("uk-fcdo"))
        _ = try service.upload("eu-fsf", query: "?format=eu-fsf-xml", files: try SharedListFiles.files("eu-fsf", only: "EXCERPT_sample_eu_fsf_export184961_2026-08-05.xml"))
        let enhanced = try #require(try SharedListFiles.files("ofac-enhanced").first)
        _ = try service.uploadRaw("ofac-enhanced", query: "?format=ofac-enhanced-xml", data: enhanced.data, contentType: "application/zip")
        let key = try service.createKey(["screen"])
        func screen(_ body: String) throws -> (decision: String?, match: [String: Any]?) {
            let answer = try service.call("POST", "/screen", key: key, json: body).json()
            return (answer["decision"] as? String, (answer["matches"] as? [[String: Any]])?.first)
        }
        let akhund = try screen(#"{"name": "Mohammad Hassan Akhund", "dateOfBirth": "1958-05-12"}"#)
        #expect(akhund.decision == "block" && akhund.match?["authority"] as? String == "Foreign, Commonwealth and Development Office (FCDO), United Kingdom")
        #expect((akhund.match?["programs"] as? [String]).map(Set.init) == ["The Afghanistan (Sanctions) (EU Exit) Regulations 2020", "Asset freeze", "Travel Ban"])
        let ship = try screen(#"{"name": "Petrel 8", "type": "vessel"}"#)
        #expect(ship.decision == "review" && (ship.match?["consequence"] as? String)?.contains("without an asset freeze") == true, "\(ship)")
        let ksm = try screen(#"{"name": "Khalid Sheikh Mohammed", "dateOfBirth": "1965-04-14"}"#)
        #expect(ksm.decision == "block" && ksm.match?["authority"] as? String == "Council of the European Union", "\(ksm)")
        let hikvision = try screen(#"{"name": "Hangzhou Hikvision Digital Technology Co., Ltd."}"#)
        #expect(hikvision.decision == "review" && hikvision.match?["consequence"] as? String == "Securities investment prohibited (NS-CMIC, EO 13959)")
        #expect(hikvision.match?["authority"] as? String == "Office of Foreign Assets Control (OFAC), US Department of the Treasury")
    }
}
