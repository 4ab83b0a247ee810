import Foundation
import ListFormats
import OpenSSLCrypto
import Store

/// Uploads, activation and reading of lists. Every upload is parsed and validated whole before anything is stored,
/// and stored in one transaction, so a bad file never leaves a partial version.
public final class ListService: Sendable {
    let store: any ListStore
    /// The screening snapshot to rebuild after a change; nil where nothing screens (the command line).
    public let active: ActiveLists?

    public init(store: any ListStore, active: ActiveLists?) {
        self.store = store
        self.active = active
    }

    public struct UploadOutcome: Sendable {
        public var version: ListVersionRecord
        /// The bytes matched the active version: nothing new was stored.
        public var unchanged: Bool
        public var isActive: Bool
    }

    public static func validate(listID: String) throws {
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789._-".utf8)
        guard (1...64).contains(listID.utf8.count), listID.utf8.allSatisfy(allowed.contains),
              let first = listID.utf8.first, first != UInt8(ascii: "."), first != UInt8(ascii: "_"), first != UInt8(ascii: "-")
        else {
            throw ServiceError.invalidParameter("list", reason: "a list id is 1 to 64 lowercase letters, digits, '.', '_' or '-', starting with a letter or digit")
        }
    }

    /// Resolves the format: the query's, or the list's own when it already exists.
    public func format(for listID: String, requested: String?) throws -> any ListFormat.Type {
        let existing = try store.list(listID)
        guard let name = requested ?? existing?.format else {
            throw ServiceError.invalidParameter("format", reason: "required for a new list; one of \(ListFormats.ids.joined(separator: ", "))")
        }
        guard let format = ListFormats.format(name) else {
            throw ServiceError.invalidParameter("format", reason: "unknown format \(name); one of \(ListFormats.ids.joined(separator: ", "))")
        }
        if let existing, existing.format != name {
            throw ServiceError.invalidParameter("format", reason: "list \(listID) holds \(existing.format) files, not \(name)")
        }
        return format
    }

    public func upload(listID: String, format: any ListFormat.Type, files: [ListFile], activate: Bool, actor: Principal?,
                       source: String) throws -> UploadOutcome {
        try Self.validate(listID: listID)
        let digest = Self.digest(files)
        let existing = try store.list(listID)
        if let activeNumber = existing?.activeVersion, let activeVersion = try store.version(listID, activeNumber), activeVersion.sha256 == digest {
            return UploadOutcome(version: activeVersion, unchanged: true, isActive: true)
        }
        let entries: [ListEntry], edition: String?
        do {
            entries = try format.parseWithinLimits(files).map { $0.canonicalized() }
            edition = try format.edition(of: files)
        } catch let error as ListParseError {
            throw ServiceError.invalidListFile(error)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let stored = try entries.map { entry -> StoredEntry in
            let body = String(decoding: try encoder.encode(entry), as: UTF8.self)
            return StoredEntry(entryID: entry.id, hash: SHA256.hex(body), body: body)
        }
        let storedFiles = files.map { StoredFile(name: $0.name, sha256: SHA256.hex($0.data), bytes: $0.data.count) }
        let outcome = try store.store(NewListVersion(
            listID: listID, format: format.id, sha256: digest, files: storedFiles, uploadedAt: Timestamp.now(), uploadedBy: actor?.keyID ?? source,
            source: source, entries: stored, nameCount: entries.reduce(0) { $0 + $1.nameCount }, activate: activate, edition: edition)) { record in
            try AuditTrail.adminEntry("list.upload", actor: actor, details: [
                "list": .string(listID), "version": JSONValue(record.version), "format": .string(format.id), "sha256": .string(digest),
                "entryCount": JSONValue(record.entryCount), "added": JSONValue(record.added), "removed": JSONValue(record.removed),
                "changed": JSONValue(record.changed), "activated": .bool(activate), "source": .string(source),
                "edition": edition.map(JSONValue.string) ?? .null,
            ])
        }
        switch outcome {
        case .unchanged(let active):
            // An identical upload committed between the check above and this one.
            return UploadOutcome(version: active, unchanged: true, isActive: true)
        case .stored(let record):
            if activate { active?.rebuildAfterChange() }
            return UploadOutcome(version: record, unchanged: false, isActive: activate)
        }
    }

    /// Makes a stored version the active one (also a rollback); recorded with who did it.
    public func activate(listID: String, version: Int, actor: Principal?, reason: String) throws -> ListVersionRecord {
        let (list, record) = try self.version(listID, version)
        try store.activate(listID, version: version, by: actor?.keyID ?? reason, reason: reason, at: Timestamp.now(),
                           audit: try AuditTrail.adminEntry("list.activate", actor: actor, details: [
                               "list": .string(listID), "version": JSONValue(version),
                               "previousActiveVersion": list.activeVersion.map { JSONValue($0) } ?? .null, "reason": .string(reason),
                           ]))
        active?.rebuildAfterChange()
        return record
    }

    /// The SHA-256 of a single file's bytes; for several files, of their sorted names and digests, so the same
    /// files sent again (in any order, or re-zipped) are recognised.
    static func digest(_ files: [ListFile]) -> String {
        if files.count == 1, let file = files.first { return SHA256.hex(file.data) }
        let manifest = files.map { "\($0.name.lowercased())\t\(SHA256.hex($0.data))\n" }.sorted().joined()
        return SHA256.hex(manifest)
    }
}
