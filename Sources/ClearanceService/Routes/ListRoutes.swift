import Foundation
import HTTPServer
import ListFormats
import Store

/// Lists and versions: upload, activate (roll back), read, diff. Uploads and activation need the admin role;
/// reading needs admin, audit or review.
struct ListRoutes {
    let lists: ListService
    let auth: Authenticator
    let maxUploadBytes: Int

    static let readers: [Role] = [.admin, .audit, .review]

    func register(on router: inout Router) {
        router.add("POST", "/lists/{list}/versions", roles: [.admin], auth: auth, options: RouteOptions(maxBodyBytes: maxUploadBytes, spoolBodyToDisk: true)) { [lists] request, principal in
            let listID = request.parameter("list")
            try ListService.validate(listID: listID)
            let activate = try Self.bool(request, "activate", default: true)
            let format = try lists.format(for: listID, requested: request.queryValue("format"))
            let files = try UploadReader.files(from: request, format: format)
            let outcome = try lists.upload(listID: listID, format: format, files: files, activate: activate, actor: principal, source: "upload")
            var body = VersionBody(outcome.version, activeVersion: try lists.store.list(listID)?.activeVersion)
            body.unchanged = outcome.unchanged
            var response = try JSON.response(body, status: outcome.unchanged ? .ok : .created)
            response.headers["Location"] = "/lists/\(listID)/versions/\(outcome.version.version)"
            return response
        }
        router.add("GET", "/lists", roles: Self.readers, auth: auth) { [lists] request, _ in
            let snapshot = lists.active?.snapshot
            let summaries = try lists.store.lists().map { list -> ListSummary in
                let active = try list.activeVersion.flatMap { try lists.store.version(list.id, $0) }
                return ListSummary(id: list.id, format: list.format, activeVersion: list.activeVersion, sha256: active?.sha256,
                                   entryCount: active?.entryCount ?? 0, nameCount: active?.nameCount ?? 0,
                                   versionCount: try lists.store.versions(of: list.id).count, createdAt: list.createdAt,
                                   updatedAt: list.updatedAt, indexedVersion: snapshot?.lists[list.id]?.version.version)
            }
            return try JSON.response(["lists": summaries])
        }
        router.add("GET", "/lists/{list}/versions", roles: Self.readers, auth: auth) { [lists] request, _ in
            let list = try Self.list(lists, request)
            let versions = try lists.store.versions(of: list.id).map { VersionBody($0, activeVersion: list.activeVersion) }
            let activations = try lists.store.activations(of: list.id).map {
                ActivationBody(version: $0.version, activatedAt: $0.activatedAt, activatedBy: $0.activatedBy, reason: $0.reason)
            }
            return try JSON.response(VersionList(list: list.id, format: list.format, activeVersion: list.activeVersion,
                                                 versions: versions, activations: activations))
        }
        router.add("GET", "/lists/{list}/versions/{version}", roles: Self.readers, auth: auth) { [lists] request, _ in
            let (list, version) = try Self.version(lists, request)
            return try JSON.response(VersionBody(version, activeVersion: list.activeVersion))
        }
        router.add("POST", "/lists/{list}/versions/{version}/activate", roles: [.admin], auth: auth, options: RouteOptions(maxBodyBytes: 4096)) { [lists] request, principal in
            let (list, version) = try Self.version(lists, request)
            let reason = (list.activeVersion ?? 0) > version.version ? "rollback" : "activation"
            let record = try lists.activate(listID: list.id, version: version.version, actor: principal, reason: reason)
            return try JSON.response(VersionBody(record, activeVersion: record.version))
        }
        router.add("GET", "/lists/{list}/versions/{version}/diff", roles: Self.readers, auth: auth) { [lists] request, _ in
            let (list, version) = try Self.version(lists, request)
            let limit = try Self.int(request, "limit", default: 100, range: 1...1000)
            let kind = request.queryValue("change")
            if let kind, !["added", "removed", "changed"].contains(kind) {
                throw Problems.badQuery("change", "one of added, removed, changed")
            }
            let page = try lists.store.changes(list.id, version.version, kind: kind, after: request.queryValue("cursor"), limit: limit + 1)
            let changes = try page.prefix(limit).map { change in
                ChangeBody(entryId: change.entryID, change: change.change, before: try change.oldBody.map(Self.decode),
                           after: try change.newBody.map(Self.decode))
            }
            return try JSON.response(DiffBody(
                list: list.id, version: version.version, previousVersion: version.previousVersion,
                summary: DiffSummary(added: version.added, removed: version.removed, changed: version.changed),
                changes: changes, nextCursor: page.count > limit ? changes.last?.entryId : nil))
        }
        router.add("GET", "/lists/{list}/entries/{entryId}", roles: Self.readers + [.screen], auth: auth) { [lists] request, _ in
            let list = try Self.list(lists, request)
            let number: Int
            if request.queryValue("version") != nil {
                number = try Self.int(request, "version", default: 0, range: 1...Int.max)
            } else {
                guard let active = list.activeVersion else { throw Problems.notFound("an active version of list \(list.id)") }
                number = active
            }
            guard try lists.store.version(list.id, number) != nil else { throw Problems.notFound("version \(number) of list \(list.id)") }
            guard let stored = try lists.store.entry(list.id, number, entryID: request.parameter("entryId")) else {
                throw Problems.notFound("entry \(request.parameter("entryId")) in version \(number) of list \(list.id)")
            }
            return try JSON.response(EntryBody(list: list.id, version: number, entry: try Self.decode(stored.body)))
        }
    }

    // MARK: Helpers

    static func decode(_ body: String) throws -> ListEntry {
        try JSONDecoder().decode(ListEntry.self, from: Data(body.utf8))
    }

    static func list(_ lists: ListService, _ request: HTTPRequest) throws -> ListRecord {
        guard let list = try lists.store.list(request.parameter("list")) else { throw Problems.notFound("list \(request.parameter("list"))") }
        return list
    }

    static func version(_ lists: ListService, _ request: HTTPRequest) throws -> (ListRecord, ListVersionRecord) {
        let list = try list(lists, request)
        guard let number = Int(request.parameter("version")), let version = try lists.store.version(list.id, number) else {
            throw Problems.notFound("version \(request.parameter("version")) of list \(list.id)")
        }
        return (list, version)
    }

    static func int(_ request: HTTPRequest, _ name: String, default value: Int, range: ClosedRange<Int>) throws -> Int {
        guard let text = request.queryValue(name) else { return value }
        guard let number = Int(text), range.contains(number) else {
            throw Problems.badQuery(name, "an integer from \(range.lowerBound) to \(range.upperBound == Int.max ? "any" : String(range.upperBound))")
        }
        return number
    }

    static func bool(_ request: HTTPRequest, _ name: String, default value: Bool) throws -> Bool {
        switch request.queryValue(name)?.lowercased() {
        case nil: return value
        case "true", "1", "yes": return true
        case "false", "0", "no": return false
        default: throw Problems.badQuery(name, "true or false")
        }
    }

    // MARK: Bodies

    struct ListSummary: Codable {
        var id: String
        var format: String
        var activeVersion: Int?
        var sha256: String?
        var entryCount: Int
        var nameCount: Int
        var versionCount: Int
        var createdAt: String
        var updatedAt: String
        /// The version the matching index holds now (equals `activeVersion` once rebuilt).
        var indexedVersion: Int?
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

        init(_ record: ListVersionRecord, activeVersion: Int?) {
            list = record.listID
            version = record.version
            format = record.format
            sha256 = record.sha256
            files = (try? JSONDecoder().decode([FileBody].self, from: Data(record.files.utf8))) ?? []
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
