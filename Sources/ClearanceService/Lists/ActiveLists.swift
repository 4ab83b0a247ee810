import Foundation
import ListFormats
import Store

/// One list's active version, decoded.
public struct ActiveList: Sendable {
    public var version: ListVersionRecord
    public var entries: [ListEntry]
}

/// What screening reads: every active list version, decoded, and the matching index built over them. Immutable;
/// a rebuild makes a new snapshot and swaps it in, so screening never waits for a rebuild.
public final class ListSnapshot: Sendable {
    public let lists: [String: ActiveList]
    public let builtAt: Date

    init(lists: [String: ActiveList]) {
        self.lists = lists
        builtAt = Date()
    }

    public var entryCount: Int { lists.values.reduce(0) { $0 + $1.entries.count } }
}

/// Holds the current snapshot and rebuilds it after uploads and activations. Versions already decoded are reused,
/// so an activation only decodes the list that changed.
public final class ActiveLists: @unchecked Sendable {
    private let store: any ListStore
    private let lock = NSLock()
    private var current = ListSnapshot(lists: [:])
    private let rebuildLock = NSLock()

    public init(store: any ListStore) {
        self.store = store
    }

    public var snapshot: ListSnapshot { lock.withLock { current } }

    /// Rebuilds from the store's active versions and swaps the result in; the previous snapshot serves meanwhile.
    @discardableResult
    public func rebuild() throws -> ListSnapshot {
        try rebuildLock.withLock {
            let previous = snapshot
            var lists: [String: ActiveList] = [:]
            for list in try store.lists() {
                guard let active = list.activeVersion, let version = try store.version(list.id, active) else { continue }
                if let reused = previous.lists[list.id], reused.version.version == active {
                    lists[list.id] = reused
                    continue
                }
                let decoder = JSONDecoder()
                let entries = try store.entries(list.id, active).map { try decoder.decode(ListEntry.self, from: Data($0.body.utf8)) }
                lists[list.id] = ActiveList(version: version, entries: entries)
            }
            let next = ListSnapshot(lists: lists)
            lock.withLock { current = next }
            return next
        }
    }
}
