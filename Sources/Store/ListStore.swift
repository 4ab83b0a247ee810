/// A list: its id, format and which version is active.
public struct ListRecord: Sendable, Equatable {
    public var id: String
    public var format: String
    public var createdAt: String
    public var createdBy: String?
    public var activeVersion: Int?
    public var updatedAt: String
}

/// One immutable version of a list, with its diff against the version before it.
public struct ListVersionRecord: Sendable, Equatable {
    public var listID: String
    public var version: Int
    public var format: String
    public var sha256: String
    public var files: [StoredFile]
    public var uploadedAt: String
    public var uploadedBy: String?
    public var source: String
    public var entryCount: Int
    public var nameCount: Int
    public var previousVersion: Int?
    public var added: Int
    public var removed: Int
    public var changed: Int
    /// The publisher's edition, where the format says (`2026-06-08`).
    public var edition: String? = nil
}

/// A list as `GET /lists` shows it: the list, its active version and how many versions it has.
public struct ListOverview: Sendable, Equatable {
    public var list: ListRecord
    public var active: ListVersionRecord?
    public var versionCount: Int
}

/// One file of a stored version, as it was uploaded.
public struct StoredFile: Sendable, Equatable, Codable {
    public var name: String
    public var sha256: String
    public var bytes: Int

    public init(name: String, sha256: String, bytes: Int) {
        self.name = name
        self.sha256 = sha256
        self.bytes = bytes
    }
}

/// An entry as stored: its source id, the SHA-256 of its JSON body, and the body.
public struct StoredEntry: Sendable, Equatable {
    public var entryID: String
    public var hash: String
    public var body: String

    public init(entryID: String, hash: String, body: String) {
        self.entryID = entryID
        self.hash = hash
        self.body = body
    }
}

/// What an upload stores: a new version of `listID`.
public struct NewListVersion: Sendable {
    public var listID: String
    public var format: String
    public var sha256: String
    public var files: [StoredFile]
    public var uploadedAt: String
    public var uploadedBy: String?
    public var source: String
    public var entries: [StoredEntry]
    public var nameCount: Int
    public var activate: Bool
    public var edition: String?

    public init(listID: String, format: String, sha256: String, files: [StoredFile], uploadedAt: String, uploadedBy: String?,
                source: String, entries: [StoredEntry], nameCount: Int, activate: Bool, edition: String? = nil) {
        self.edition = edition
        self.listID = listID
        self.format = format
        self.sha256 = sha256
        self.files = files
        self.uploadedAt = uploadedAt
        self.uploadedBy = uploadedBy
        self.source = source
        self.entries = entries
        self.nameCount = nameCount
        self.activate = activate
    }
}

/// One entry's change in a version's diff; bodies are the entry before and after.
public struct ListChange: Sendable, Equatable {
    public var entryID: String
    public var change: String
    public var oldBody: String?
    public var newBody: String?
}

public struct ListActivation: Sendable, Equatable {
    public var version: Int
    public var activatedAt: String
    public var activatedBy: String?
    public var reason: String
}

/// What `ListStore.store` did.
public enum ListStoreOutcome: Sendable {
    case stored(ListVersionRecord)
    /// The active version already holds these bytes; it is returned and nothing was written.
    case unchanged(ListVersionRecord)
}

/// Lists and their versions. A server database can implement this for multi-replica deployments.
public protocol ListStore: Sendable {
    func lists() throws -> [ListRecord]
    /// Every list with its active version and version count, in one read.
    func overview() throws -> [ListOverview]
    func list(_ id: String) throws -> ListRecord?
    func versions(of listID: String) throws -> [ListVersionRecord]
    func version(_ listID: String, _ version: Int) throws -> ListVersionRecord?
    /// Stores a version atomically (with its diff against the latest stored version), creating the list if needed,
    /// together with the audit record `audit` makes of it; or, when the active version already has the same SHA-256
    /// (checked in the same transaction, so two identical uploads at once store one version), stores nothing.
    func store(_ version: NewListVersion, audit: (ListVersionRecord) throws -> AuditEntry) throws -> ListStoreOutcome
    /// Makes `version` the active one, together with its audit record.
    func activate(_ listID: String, version: Int, by: String?, reason: String, at: String, audit: AuditEntry) throws
    func entries(_ listID: String, _ version: Int) throws -> [StoredEntry]
    func entry(_ listID: String, _ version: Int, entryID: String) throws -> StoredEntry?
    /// A page of a version's diff, ordered by entry id, after `cursor` (an entry id).
    func changes(_ listID: String, _ version: Int, kind: String?, after cursor: String?, limit: Int) throws -> [ListChange]
    func activations(of listID: String) throws -> [ListActivation]
}
