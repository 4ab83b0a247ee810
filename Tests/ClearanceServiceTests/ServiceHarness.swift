import ClearanceService
import Foundation
import HTTPServer
import Logging
import TestSupport

/// A live Clearance service on an ephemeral port over a fresh database (an SQLite file unless told otherwise), with an
/// admin key.
final class ServiceHarness {
    let app: ClearanceApp
    let directory: URL
    let adminKey: String
    var port: Int { app.port }

    static var projectRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// Removed with the harness unless the caller brought it (to start a second service over the same database).
    private let ownsDirectory: Bool

    /// `database` is an existing database to share (another harness's `database`); otherwise a new one of `backend`.
    init(directory: URL? = nil, backend: DatabaseBackend = .sqlite, database: String? = nil,
         configure: (inout ServiceConfiguration) -> Void = { _ in }) throws {
        self.directory = directory ?? TestFolder.make("svc")
        ownsDirectory = directory == nil
        try FileManager.default.createDirectory(at: self.directory, withIntermediateDirectories: true)
        var configuration = ServiceConfiguration()
        configuration.server.port = 0
        configuration.syncInterval = 0  // no fetching from the internet unless a test asks for it
        configuration.databasePath = try database ?? backend.newDatabase(in: self.directory)
        configuration.checkpointKeyPath = self.directory.appendingPathComponent("checkpoint-signing.key").path
        configuration.webhookAllowPrivateAddresses = true  // the tests' receivers listen on loopback
        configuration.builtInLists = false  // each test says which lists it screens against (ProcurementTests installs them)
        configure(&configuration)
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        app = try ClearanceApp(configuration: configuration, logger: logger)
        adminKey = try app.bootstrapAdminKeyIfNeeded() ?? ""
        try app.start()
        app.waitUntilIndexBuilt()
    }

    deinit {
        app.shutdown()
        if ownsDirectory { try? FileManager.default.removeItem(at: directory) }
    }

    /// The database's path or URL, for another harness or process to share.
    var database: String { app.configuration.databasePath }

    func client() throws -> RawHTTPClient { try RawHTTPClient(port: port) }

    /// One request on a fresh connection, as a JSON-speaking client would send it.
    func call(_ method: String, _ path: String, key: String? = nil, json: String? = nil, headers: [String: String] = [:]) throws -> RawResponse {
        var all = headers
        if let key { all["Authorization"] = "Bearer \(key)" }
        if json != nil { all["Content-Type"] = "application/json" }
        return try client().request(method, path, headers: all, body: json)
    }

    /// The same call served in process by the app's router (`Router.respond(to:)`): no socket, for tests of routing,
    /// validation and roles. A streamed body is not run (its status and headers are the answer).
    func handle(_ method: String, _ path: String, key: String? = nil, json: String? = nil) -> RawResponse {
        var headers = HTTPHeaders()
        if let key { headers.add("Authorization", "Bearer \(key)") }
        if json != nil { headers.add("Content-Type", "application/json") }
        let request = HTTPRequest(method: method, target: path, headers: headers, body: .bytes(Data((json ?? "").utf8)),
                                  requestID: "in-process", remoteAddress: "in-process")
        let response = app.router.respond(to: request)
        var body = Data()
        if case .bytes(let bytes) = response.body { body = bytes }
        return RawResponse(status: response.status.code, headers: response.headers.fields.map { ($0.name, $0.value) }, body: body)
    }

    /// A whole list file takes seconds to parse and store in a debug build beside the rest of the suite.
    func upload(_ list: String, query: String = "", files: [(name: String, data: Data)], key: String? = nil) throws -> RawResponse {
        let (contentType, body) = MultipartBody.make(files)
        return try RawHTTPClient(port: port, timeout: 120).request("POST", "/lists/\(list)/versions\(query)",
                                    headers: ["Authorization": "Bearer \(key ?? adminKey)", "Content-Type": contentType], data: body)
    }

    func uploadRaw(_ list: String, query: String, data: Data, contentType: String = "application/octet-stream") throws -> RawResponse {
        try RawHTTPClient(port: port, timeout: 120).request("POST", "/lists/\(list)/versions\(query)",
                             headers: ["Authorization": "Bearer \(adminKey)", "Content-Type": contentType], data: data)
    }

    /// A key for `owner`, by default a person of its own (four eyes tells people apart by owner).
    func createKey(_ roles: [String], owner: String = "person-\(UUID().uuidString.prefix(8))") throws -> String {
        let rolesJSON = roles.map { "\"\($0)\"" }.joined(separator: ",")
        let response = try call("POST", "/keys", key: adminKey, json: "{\"name\":\"t\",\"roles\":[\(rolesJSON)],\"owner\":\"\(owner)\"}")
        return try response.json()["key"] as? String ?? ""
    }
}
