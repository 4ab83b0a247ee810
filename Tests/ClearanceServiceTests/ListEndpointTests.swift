import Foundation
import Synchronization
import Testing
import TestSupport
import ZIPFoundation

@Suite struct ListEndpointTests {
    func activeVersion(_ service: ServiceHarness, _ list: String) throws -> Int? {
        let body = try service.call("GET", "/lists/\(list)/versions", key: service.adminKey).json()
        return body["activeVersion"] as? Int
    }

    func versionCount(_ service: ServiceHarness, _ list: String) throws -> Int {
        ((try service.call("GET", "/lists/\(list)/versions", key: service.adminKey).json()["versions"] as? [Any]) ?? []).count
    }

    /// The same bytes uploaded several times at once store one version: the rest are answered "unchanged".
    @Test(arguments: DatabaseBackend.all) func identicalUploadsAtOnceStoreOneVersion(backend: DatabaseBackend) throws {
        let service = try ServiceHarness(backend: backend)
        let statuses = Mutex<[Int]>([])
        let done = DispatchGroup()
        let port = service.app.port, key = service.adminKey
        let (contentType, body) = MultipartBody.make(ListFixtures.v1)
        for _ in 0..<4 {
            done.enter()
            Thread {
                let status = (try? RawHTTPClient(port: port).request("POST", "/lists/ofac-sdn/versions?format=ofac-csv",
                                                                     headers: ["Authorization": "Bearer \(key)", "Content-Type": contentType],
                                                                     data: body).status) ?? 0
                statuses.withLock { $0.append(status) }
                done.leave()
            }.start()
        }
        done.wait()
        #expect(statuses.withLock { $0.sorted() } == [200, 200, 200, 201])
        #expect(try versionCount(service, "ofac-sdn") == 1)
    }

    @Test(arguments: DatabaseBackend.all) func uploadAsMultipartThenRecogniseIdenticalBytesEvenReZipped(backend: DatabaseBackend) throws {
        let service = try ServiceHarness(backend: backend)
        let first = try service.upload("ofac-sdn", query: "?format=ofac-csv", files: ListFixtures.v1)
        #expect(first.status == 201)
        let body = try first.json()
        #expect(body["version"] as? Int == 1)
        #expect(body["entryCount"] as? Int == 3)
        #expect(body["nameCount"] as? Int == 5)
        #expect(body["active"] as? Bool == true)
        #expect(first.header("Location") == "/lists/ofac-sdn/versions/1")

        let again = try service.upload("ofac-sdn", files: ListFixtures.v1)
        #expect(again.status == 200)
        #expect(try again.json()["unchanged"] as? Bool == true)

        let archive = try Archive(accessMode: .create)
        for file in ListFixtures.v1 {
            try archive.addEntry(with: file.name, type: .file, uncompressedSize: Int64(file.data.count)) { position, size in
                file.data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        let zipped = try service.uploadRaw("ofac-sdn", query: "", data: try #require(archive.data), contentType: "application/zip")
        #expect(zipped.status == 200, "the same files in a ZIP are the same content")
        #expect(try versionCount(service, "ofac-sdn") == 1)
    }

    @Test(arguments: DatabaseBackend.all) func aSingleFileFormatTakesARawBody(backend: DatabaseBackend) throws {
        let service = try ServiceHarness(backend: backend)
        let json = #"{"entries": [{"id": "V-1", "name": "Acme Shell Trading LLC"}]}"#
        let response = try service.uploadRaw("acme-denied", query: "?format=clearance-json", data: Data(json.utf8), contentType: "application/json")
        #expect(response.status == 201)
        let entry = try service.call("GET", "/lists/acme-denied/entries/V-1", key: service.adminKey)
        #expect(entry.status == 200)
        #expect((try entry.json()["entry"] as? [String: Any])?["name"] as? String == "Acme Shell Trading LLC")
    }

    /// Each bad upload gets 422 naming what is wrong, and the active version stays as it was.
    @Test(arguments: [
        ("broken quoting", "?format=ofac-csv", "sdn.csv", ListFixtures.set("306,\"BANCO NACIONAL DE CUBA,-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n"), 1),
        ("wrong column count", "?format=ofac-csv", "sdn.csv", ListFixtures.set("306,\"BANCO\",-0- \r\n"), 1),
        ("duplicate ent_num", "?format=ofac-csv", "sdn.csv", ListFixtures.set(ListFixtures.sdnV1.replacingOccurrences(of: "2000,", with: "306,")), 3),
        ("empty file", "?format=ofac-csv", "sdn.csv", ListFixtures.set(""), nil),
        ("missing companion", "?format=ofac-csv", "add.csv", Array(ListFixtures.v2.prefix(2)), nil),
    ] as [(String, String, String, [(name: String, data: Data)], Int?)])
    func badOFACUploadsChangeNothing(_ label: String, _ query: String, _ file: String, _ files: [(name: String, data: Data)], _ line: Int?) throws {
        let service = try ServiceHarness()
        #expect(try service.upload("ofac-sdn", query: "?format=ofac-csv", files: ListFixtures.v1).status == 201)
        let response = try service.upload("ofac-sdn", query: query, files: files)
        #expect(response.status == 422, "\(label)")
        #expect(response.header("Content-Type") == "application/problem+json")
        let problem = try response.json()
        #expect(problem["file"] as? String == file, "\(label): \(problem)")
        #expect(problem["line"] as? Int == line, "\(label): \(problem)")
        #expect(try activeVersion(service, "ofac-sdn") == 1)
        #expect(try versionCount(service, "ofac-sdn") == 1)
    }

    @Test(arguments: DatabaseBackend.all) func otherBadUploadsChangeNothing(backend: DatabaseBackend) throws {
        let service = try ServiceHarness(backend: backend)
        #expect(try service.uploadRaw("un", query: "?format=un-xml", data: Data("<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><FIRST_NAME>A</FIRST_NAME><REFERENCE_NUMBER>X.1</REFERENCE_NUMBER></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>".utf8)).status == 201)
        let badXML = try service.uploadRaw("un", query: "", data: Data("<CONSOLIDATED_LIST>\n<INDIVIDUALS>\n</ENTITIES>".utf8))
        #expect(badXML.status == 422)
        #expect(try badXML.json()["line"] as? Int == 3)
        let duplicate = "<CONSOLIDATED_LIST><INDIVIDUALS>" + String(repeating: "<INDIVIDUAL><FIRST_NAME>A</FIRST_NAME><REFERENCE_NUMBER>X.1</REFERENCE_NUMBER></INDIVIDUAL>\n", count: 2) + "</INDIVIDUALS></CONSOLIDATED_LIST>"
        let duplicated = try service.uploadRaw("un", query: "", data: Data(duplicate.utf8))
        #expect(duplicated.status == 422)
        #expect((try duplicated.json()["detail"] as? String)?.contains("duplicate REFERENCE_NUMBER X.1") == true)
        #expect(try activeVersion(service, "un") == 1)

        let unknownFormat = try service.uploadRaw("other", query: "?format=pdf", data: Data("x".utf8))
        #expect(unknownFormat.status == 422)
        #expect(try unknownFormat.json()["parameter"] as? String == "format")
        #expect(try service.uploadRaw("other", query: "", data: Data("x".utf8)).status == 422, "a new list needs a format")
        #expect(try service.uploadRaw("Bad%20List%21", query: "?format=un-xml", data: Data("x".utf8)).status == 422)
        #expect(try service.uploadRaw("un", query: "?format=csl-csv", data: Data("x".utf8)).status == 422, "a list keeps its format")
        let empty = try service.uploadRaw("un", query: "", data: Data())
        #expect(empty.status == 422)
        let badMultipart = try service.client().request("POST", "/lists/un/versions", headers: [
            "Authorization": "Bearer \(service.adminKey)", "Content-Type": "multipart/form-data; boundary=zzz"], data: Data("garbage".utf8))
        #expect(badMultipart.status == 422)
        #expect(try service.call("GET", "/lists/other/versions", key: service.adminKey).status == 404, "no list was created")
        #expect(try versionCount(service, "un") == 1)
    }

    @Test(arguments: DatabaseBackend.all) func activateFalseThenActivateAndRollBack(backend: DatabaseBackend) throws {
        let service = try ServiceHarness(backend: backend)
        #expect(try service.upload("ofac-sdn", query: "?format=ofac-csv", files: ListFixtures.v1).status == 201)
        let staged = try service.upload("ofac-sdn", query: "?activate=false", files: ListFixtures.v2)
        #expect(staged.status == 201)
        #expect(try staged.json()["active"] as? Bool == false)
        #expect(try activeVersion(service, "ofac-sdn") == 1)
        let activated = try service.call("POST", "/lists/ofac-sdn/versions/2/activate", key: service.adminKey)
        #expect(activated.status == 200)
        #expect(try activated.json()["active"] as? Bool == true)
        #expect(try activeVersion(service, "ofac-sdn") == 2)
        #expect(try service.call("POST", "/lists/ofac-sdn/versions/1/activate", key: service.adminKey).status == 200)
        #expect(try activeVersion(service, "ofac-sdn") == 1)
        #expect(try service.call("POST", "/lists/ofac-sdn/versions/9/activate", key: service.adminKey).status == 404)
        let history = try service.call("GET", "/lists/ofac-sdn/versions", key: service.adminKey).json()
        let activations = try #require(history["activations"] as? [[String: Any]])
        #expect(activations.map { $0["version"] as? Int } == [1, 2, 1])
        #expect(activations.map { $0["reason"] as? String } == ["upload", "activation", "rollback"])
        #expect(activations.allSatisfy { ($0["activatedBy"] as? String)?.hasPrefix("key_") == true })
        // An upload identical to a stored but inactive version still stores a new version: only the active one is compared.
        let summary = try service.call("GET", "/lists", key: service.adminKey).json()
        let list = try #require((summary["lists"] as? [[String: Any]])?.first)
        #expect(list["activeVersion"] as? Int == 1 && list["indexedVersion"] as? Int == 1 && list["versionCount"] as? Int == 2)
        // Every upload and activation is in the audit trail.
        #expect(try service.app.audit.store.verify(from: nil, to: nil).checked == 1 + 2 + 2)
    }

    @Test(arguments: DatabaseBackend.all) func diffsArePaginatedAndEntriesReadByVersion(backend: DatabaseBackend) throws {
        let service = try ServiceHarness(backend: backend)
        _ = try service.upload("ofac-sdn", query: "?format=ofac-csv", files: ListFixtures.v1)
        let second = try service.upload("ofac-sdn", files: ListFixtures.v2).json()
        #expect(second["diff"] as? [String: Int] == ["added": 1, "removed": 1, "changed": 1])
        #expect(second["previousVersion"] as? Int == 1)
        var seen: [String] = []
        var cursor: String?
        repeat {
            let page = try service.call("GET", "/lists/ofac-sdn/versions/2/diff?limit=1" + (cursor.map { "&cursor=\($0)" } ?? ""), key: service.adminKey).json()
            let changes = try #require(page["changes"] as? [[String: Any]])
            #expect(changes.count <= 1)
            seen += changes.compactMap { "\($0["entryId"] ?? ""):\($0["change"] ?? "")" }
            cursor = page["nextCursor"] as? String
        } while cursor != nil
        #expect(seen == ["1572:changed", "2000:removed", "3000:added"])
        let added = try service.call("GET", "/lists/ofac-sdn/versions/2/diff?change=added", key: service.adminKey).json()
        #expect((added["changes"] as? [[String: Any]])?.count == 1)
        #expect(try service.call("GET", "/lists/ofac-sdn/versions/2/diff?limit=0", key: service.adminKey).status == 422)

        #expect(try service.call("GET", "/lists/ofac-sdn/entries/2000", key: service.adminKey).status == 404)
        #expect(try service.call("GET", "/lists/ofac-sdn/entries/2000?version=1", key: service.adminKey).status == 200)
        let noriega = try service.call("GET", "/lists/ofac-sdn/entries/1572", key: service.adminKey).json()
        #expect((noriega["entry"] as? [String: Any])?["programs"] as? [String] == ["CUBA", "SDNTK"])
        #expect(noriega["version"] as? Int == 2)
    }

    @Test(arguments: DatabaseBackend.all) func rolesGuardListEndpoints(backend: DatabaseBackend) throws {
        let service = try ServiceHarness(backend: backend)
        let screen = try service.createKey(["screen"])
        let audit = try service.createKey(["audit"])
        #expect(try service.upload("x", query: "?format=ofac-csv", files: ListFixtures.v1, key: screen).status == 403)
        #expect(try service.client().request("POST", "/lists/x/versions?format=ofac-csv").status == 401)
        _ = try service.upload("ofac-sdn", query: "?format=ofac-csv", files: ListFixtures.v1)
        #expect(try service.call("GET", "/lists", key: audit).status == 200)
        #expect(try service.call("GET", "/lists", key: screen).status == 403)
        #expect(try service.call("GET", "/lists").status == 401)
        #expect(try service.call("POST", "/lists/ofac-sdn/versions/1/activate", key: audit).status == 403)
        #expect(try service.call("GET", "/lists/ofac-sdn/versions/1", key: audit).status == 200)
    }
}
