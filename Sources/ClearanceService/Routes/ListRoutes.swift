import Foundation
import HTTPServer
import ListFormats
import Store

/// Lists and versions: upload, activate (roll back), read, diff. Uploads and activation need the admin role;
/// reading needs admin, audit or review.
struct ListRoutes {
    let lists: ListService
    let rescreens: any RescreenJobStore
    let auth: Authenticator
    let maxUploadBytes: Int

    static let readers: [Role] = [.admin, .audit, .review]

    func register(on router: inout Router) {
        router.keyed(auth: auth, roles: [.admin]) { routes in
            routes.add("POST", "/lists/{list}/versions", options: RouteOptions(maxBodyBytes: maxUploadBytes, spoolBodyToDisk: true)) { [lists] request, principal in
                let listID = request.parameter("list")
                try ListService.validate(listID: listID)
                let activate = try request.boolQuery("activate", default: true)
                let format = try lists.format(for: listID, requested: request.queryValue("format"))
                let files = try UploadReader.files(from: request, format: format)
                let outcome = try lists.upload(listID: listID, format: format, files: files, activate: activate, actor: principal, source: "upload")
                var body = VersionBody(outcome.version, activeVersion: try lists.list(listID).activeVersion)
                body.unchanged = outcome.unchanged
                var response = try JSON.response(body, status: outcome.unchanged ? .ok : .created)
                response.headers["Location"] = "/lists/\(listID)/versions/\(outcome.version.version)"
                return response
            }
            routes.add("GET", "/lists", roles: Self.readers) { [lists] request, _ in
                let snapshot = lists.active?.snapshot
                let summaries = try lists.overview().map { overview -> ListSummary in
                    let list = overview.list, active = overview.active
                    return ListSummary(id: list.id, format: list.format, activeVersion: list.activeVersion, edition: active?.edition, sha256: active?.sha256,
                                       entryCount: active?.entryCount ?? 0, nameCount: active?.nameCount ?? 0,
                                       versionCount: overview.versionCount, createdAt: list.createdAt,
                                       updatedAt: list.updatedAt, indexedVersion: snapshot?.lists[list.id]?.version.version)
                }
                return try JSON.response(["lists": summaries])
            }
            routes.add("GET", "/lists/{list}/versions", roles: Self.readers) { [lists] request, _ in
                let list = try lists.list(request.parameter("list"))
                let (stored, activated) = try lists.versions(of: list)
                let versions = stored.map { VersionBody($0, activeVersion: list.activeVersion) }
                let activations = activated.map {
                    ActivationBody(version: $0.version, activatedAt: $0.activatedAt, activatedBy: $0.activatedBy, reason: $0.reason)
                }
                return try JSON.response(VersionList(list: list.id, format: list.format, activeVersion: list.activeVersion,
                                                     versions: versions, activations: activations))
            }
            routes.add("GET", "/lists/{list}/versions/{version}", roles: Self.readers) { [lists, rescreens] request, _ in
                let (list, version) = try Self.version(lists, request)
                var body = VersionBody(version, activeVersion: list.activeVersion)
                body.rescreens = try rescreens.jobs(list: list.id, version: version.version).map(RescreenBody.init)
                return try JSON.response(body)
            }
            routes.add("POST", "/lists/{list}/versions/{version}/activate", options: RouteOptions(maxBodyBytes: 4096)) { [lists] request, principal in
                let (list, version) = try Self.version(lists, request)
                let reason = (list.activeVersion ?? 0) > version.version ? "rollback" : "activation"
                let record = try lists.activate(listID: list.id, version: version.version, actor: principal, reason: reason)
                return try JSON.response(VersionBody(record, activeVersion: record.version))
            }
            routes.add("GET", "/lists/{list}/versions/{version}/diff", roles: Self.readers) { [lists] request, _ in
                let (list, version) = try Self.version(lists, request)
                let limit = try request.intQuery("limit", default: 100, range: 1...1000)
                var kind: ListService.ChangeKind?
                if let text = request.queryValue("change") {
                    guard let known = ListService.ChangeKind(rawValue: text) else {
                        throw ServiceError.invalidParameter("change", reason: "one of added, removed, changed")
                    }
                    kind = known
                }
                let page = try KeysetPage(limit: limit) { try lists.changes(version, kind: kind, after: request.queryValue("cursor"), limit: $0) }
                let changes = page.rows.map { ChangeBody(entryId: $0.entryID, change: $0.change, before: $0.before, after: $0.after) }
                return try JSON.response(DiffBody(
                    list: list.id, version: version.version, previousVersion: version.previousVersion,
                    summary: DiffSummary(added: version.added, removed: version.removed, changed: version.changed),
                    changes: changes, nextCursor: page.next(\.entryID)))
            }
            routes.add("GET", "/lists/{list}/entries/{entryId}", roles: Self.readers + [.screen]) { [lists] request, _ in
                let listID = request.parameter("list")
                let found = try lists.entry(listID, request.parameter("entryId"), version: try request.optionalIntQuery("version", range: 1...Int.max))
                return try JSON.response(EntryBody(list: listID, version: found.version, entry: found.entry))
            }
        }
    }

    /// The list and version a path names; a version that is not a number does not exist either.
    static func version(_ lists: ListService, _ request: HTTPRequest) throws -> (ListRecord, ListVersionRecord) {
        let text = request.parameter("version")
        guard let number = Int(text) else { throw ServiceError.notFound("version \(text) of list \(request.parameter("list"))") }
        return try lists.version(request.parameter("list"), number)
    }

    // MARK: Bodies

    struct ListSummary: Codable {
        var id: String
        var format: String
        var activeVersion: Int?
        /// The publisher's edition the active version holds, where the format says.
        var edition: String?
        var sha256: String?
        var entryCount: Int
        var nameCount: Int
        var versionCount: Int
        var createdAt: String
        var updatedAt: String
        /// The version the matching index holds now (equals `activeVersion` once rebuilt).
        var indexedVersion: Int?
    }

    /// A re-screen's progress.
    struct RescreenBody: Codable {
        var id: Int
        var fromVersion: Int?
        var toVersion: Int
        var state: String
        var createdAt: String
        var startedAt: String?
        var finishedAt: String?
        var candidates: Int?
        var processed: Int
        var changed: Int
        var alerts: Int
        var error: String?

        init(_ job: RescreenJob) {
            id = job.id
            fromVersion = job.fromVersion
            toVersion = job.toVersion
            state = job.state
            createdAt = job.createdAt
            startedAt = job.startedAt
            finishedAt = job.finishedAt
            candidates = job.candidates
            processed = job.processed
            changed = job.changed
            alerts = job.alerts
            error = job.error
        }
    }

    struct FileBody: Codable {
        var name: String
        var sha256: String
        var bytes: Int
    }

    struct DiffSummary: Codable {
        var added: Int
        var removed: Int
        var changed: Int
    }

    struct VersionBody: Codable {
        var list: String
        var version: Int
        var format: String
        var edition: String?
        var sha256: String
        var files: [FileBody]
        var uploadedAt: String
        var uploadedBy: String?
        var source: String
        var entryCount: Int
        var nameCount: Int
        var active: Bool
        var previousVersion: Int?
        var diff: DiffSummary
        var unchanged: Bool?
        /// The re-screens this version's activations started (`GET /lists/{list}/versions/{version}` only).
        var rescreens: [RescreenBody]?

        init(_ record: ListVersionRecord, activeVersion: Int?) {
            list = record.listID
            version = record.version
            format = record.format
            edition = record.edition
            sha256 = record.sha256
            files = record.files.map { FileBody(name: $0.name, sha256: $0.sha256, bytes: $0.bytes) }
            uploadedAt = record.uploadedAt
            uploadedBy = record.uploadedBy
            source = record.source
            entryCount = record.entryCount
            nameCount = record.nameCount
            active = activeVersion == record.version
            previousVersion = record.previousVersion
            diff = DiffSummary(added: record.added, removed: record.removed, changed: record.changed)
        }
    }

    struct ActivationBody: Codable {
        var version: Int
        var activatedAt: String
        var activatedBy: String?
        var reason: String
    }

    struct VersionList: Codable {
        var list: String
        var format: String
        var activeVersion: Int?
        var versions: [VersionBody]
        var activations: [ActivationBody]
    }

    struct ChangeBody: Codable {
        var entryId: String
        var change: String
        var before: ListEntry?
        var after: ListEntry?
    }

    struct DiffBody: Codable {
        var list: String
        var version: Int
        var previousVersion: Int?
        var summary: DiffSummary
        var changes: [ChangeBody]
        var nextCursor: String?
    }

    struct EntryBody: Codable {
        var list: String
        var version: Int
        var entry: ListEntry
    }
}
