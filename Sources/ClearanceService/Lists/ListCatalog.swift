import Foundation
import ListFormats
import Store

/// Reading lists and their versions, each lookup failing with `ServiceError.notFound` naming what is missing.
extension ListService {
    /// Every list with its active version and version count.
    public func overview() throws -> [ListOverview] { try store.overview() }

    public func list(_ id: String) throws -> ListRecord {
        guard let list = try store.list(id) else { throw ServiceError.notFound("list \(id)") }
        return list
    }

    /// The list and one of its versions.
    public func version(_ listID: String, _ number: Int) throws -> (ListRecord, ListVersionRecord) {
        let list = try list(listID)
        guard let version = try store.version(list.id, number) else { throw ServiceError.notFound("version \(number) of list \(list.id)") }
        return (list, version)
    }

    public func versions(of list: ListRecord) throws -> (versions: [ListVersionRecord], activations: [ListActivation]) {
        (try store.versions(of: list.id), try store.activations(of: list.id))
    }

    public enum ChangeKind: String, CaseIterable, Sendable {
        case added, removed, changed
    }

    /// A page of a version's diff, by entry id after `cursor`.
    public func changes(_ version: ListVersionRecord, kind: ChangeKind?, after cursor: String?, limit: Int) throws
        -> [(entryID: String, change: String, before: ListEntry?, after: ListEntry?)] {
        try store.changes(version.listID, version.version, kind: kind?.rawValue, after: cursor, limit: limit).map { change in
            (change.entryID, change.change, try change.oldBody.map(Self.decodeEntry), try change.newBody.map(Self.decodeEntry))
        }
    }

    /// An entry of a version of a list: the active version when `number` is nil.
    public func entry(_ listID: String, _ entryID: String, version number: Int?) throws -> (version: Int, entry: ListEntry) {
        let list = try list(listID)
        guard let number = number ?? list.activeVersion else { throw ServiceError.notFound("an active version of list \(list.id)") }
        guard try store.version(list.id, number) != nil else { throw ServiceError.notFound("version \(number) of list \(list.id)") }
        guard let stored = try store.entry(list.id, number, entryID: entryID) else {
            throw ServiceError.notFound("entry \(entryID) in version \(number) of list \(list.id)")
        }
        return (number, try Self.decodeEntry(stored.body))
    }

    /// Whether any stored version of the list came from sync.
    public func hasSyncedVersion(_ listID: String) throws -> Bool {
        try lastSyncedVersionAt(listID) != nil
    }

    /// When the newest version that came from sync was stored; nil when none did.
    public func lastSyncedVersionAt(_ listID: String) throws -> Date? {
        guard try store.list(listID) != nil else { return nil }
        return try store.versions(of: listID).last { $0.source == "sync" }.flatMap { Timestamp.parse($0.uploadedAt) }
    }

    static func decodeEntry(_ body: String) throws -> ListEntry {
        try JSONDecoder().decode(ListEntry.self, from: Data(body.utf8))
    }
}
