import Foundation
import ListFormats
import Matching
import Store

/// One list version, decoded.
public struct ActiveList: Sendable {
    public var version: ListVersionRecord
    public var entries: [ListEntry]

    var hasRelations: Bool { entries.contains { !($0.relations ?? []).isEmpty } }
}

/// List versions and the matching index built over them: what a screening runs against. Immutable. The live one
/// holds the active versions; a replay builds one from the versions a past decision used.
public final class ScreeningCorpus: Sendable {
    public let lists: [String: ActiveList]
    public let index: MatchIndex
    /// For each index entry: its list and position in that list.
    let references: [(list: String, position: Int)]
    /// The links the lists state between their parties (`PartyRelations`).
    let relations: PartyRelations
    /// The aliases OFAC calls weak, by the reference other lists give the party (`ofac:306`), normalised: the CSL
    /// repeats OFAC's entries without alias strength, and one party is judged with the strongest information any of
    /// its listings gives.
    let weakAliases: [String: Set<String>]
    public let builtAt: Date

    public init(lists: [String: ActiveList]) {
        self.lists = lists
        var references: [(list: String, position: Int)] = []
        var matchable: [MatchableEntry] = []
        for id in lists.keys.sorted() {
            guard let list = lists[id] else { continue }
            for (position, entry) in list.entries.enumerated() {
                references.append((id, position))
                matchable.append(EntryMapping.matchable(entry))
            }
        }
        self.references = references
        index = MatchIndex(entries: matchable)
        // Entry ids by list, for the lists that state relations (most do not).
        var positions: [String: [String: Int]] = [:]
        for (id, list) in lists where list.hasRelations { positions[id] = Self.positions(in: id, lists: lists, references: references) }
        relations = positions.isEmpty ? .empty : PartyRelations(lists: lists, index: index, positions: positions)
        var weakAliases: [String: Set<String>] = [:]
        for list in lists.values {
            for entry in list.entries {
                guard let key = Self.referenceKey(format: list.version.format, entryID: entry.id) else { break }  // a format nobody refers to
                for alias in entry.aliases where alias.kind == .weak { weakAliases[key, default: []].insert(Self.nameKey(alias.name)) }
            }
        }
        self.weakAliases = weakAliases
        builtAt = Date()
    }

    public var entryCount: Int { lists.values.reduce(0) { $0 + $1.entries.count } }

    /// The list an index position belongs to (what a request's `lists` filters on, without touching the entry).
    func listID(at indexPosition: Int) -> String { references[indexPosition].list }

    /// How other lists' entries refer to an entry of a list in `format` (`ofac:306`: the CSL repeats OFAC's entries and
    /// names the one it copies), or nil for a format no list refers to.
    static func referenceKey(format: String, entryID: String) -> String? {
        format.hasPrefix("ofac") ? "ofac:" + entryID : nil
    }

    /// `referenceKey` for an entry of one of the corpus's lists.
    func referenceKey(list listID: String, entryID: String) -> String? {
        lists[listID].flatMap { Self.referenceKey(format: $0.version.format, entryID: entryID) }
    }

    /// Whether another listing of the entry's party (an OFAC entry the CSL repeats) calls `name` a weak alias.
    func isWeakElsewhere(_ name: String, of entry: ListEntry) -> Bool {
        guard !weakAliases.isEmpty else { return false }
        let key = Self.nameKey(name)
        return entry.references.contains { weakAliases[$0]?.contains(key) == true }
    }

    private static func nameKey(_ name: String) -> String { Normalizer.tokens(name).map(\.text).joined(separator: " ") }

    /// The index positions of a list's entries, by entry id.
    func positions(in listID: String) -> [String: Int] { Self.positions(in: listID, lists: lists, references: references) }

    private static func positions(in listID: String, lists: [String: ActiveList], references: [(list: String, position: Int)]) -> [String: Int] {
        var positions: [String: Int] = [:]
        guard let list = lists[listID] else { return positions }
        for (position, reference) in references.enumerated() where reference.list == listID { positions[list.entries[reference.position].id] = position }
        return positions
    }

    func entry(at indexPosition: Int) -> (list: ActiveList, entry: ListEntry)? {
        let reference = references[indexPosition]
        guard let list = lists[reference.list] else { return nil }
        return (list, list.entries[reference.position])
    }

    /// Decodes the entries of one stored version.
    static func load(_ store: any ListStore, _ listID: String, _ version: Int) throws -> ActiveList? {
        guard let record = try store.version(listID, version) else { return nil }
        let decoder = JSONDecoder()
        let entries = try store.entries(listID, version).map { try decoder.decode(ListEntry.self, from: Data($0.body.utf8)) }
        return ActiveList(version: record, entries: entries)
    }
}

/// Holds the live corpus and rebuilds it after uploads and activations. Versions already decoded are reused, so an
/// activation only decodes the list that changed; screening keeps using the old corpus until the new one is built.
public final class ActiveLists: @unchecked Sendable {
    private let store: any ListStore
    private let lock = NSLock()
    private var current = ScreeningCorpus(lists: [:])
    private var built = false
    /// Why the last rebuild after a change failed, while a retry is pending (nil when the index is current).
    private var behind: String?
    private let builder = IndexBuilderThread()
    /// Told of every corpus that goes live (the entry-count gauges).
    private let onBuilt: @Sendable (ScreeningCorpus) -> Void

    public init(store: any ListStore, onBuilt: @escaping @Sendable (ScreeningCorpus) -> Void = { _ in }) {
        self.store = store
        self.onBuilt = onBuilt
    }

    public var snapshot: ScreeningCorpus { lock.withLock { current } }

    /// False until the first build: screening against nothing would clear everyone.
    public var isBuilt: Bool { lock.withLock { built } }

    /// Why the index lags the active versions, while it does: a change committed but its rebuild failed and is
    /// being retried.
    public var lagReason: String? { lock.withLock { behind } }

    /// Rebuilds after a committed change. The change stands whatever happens here, so a failure (a database too busy
    /// to read the new version) is not the caller's: it is retried every second in the background until the index
    /// is current, and `lagReason` says so meanwhile.
    func rebuildAfterChange() {
        do {
            try rebuild()
        } catch {
            let first = lock.withLock { () -> Bool in
                defer { behind = "\(error)" }
                return behind == nil
            }
            guard first else { return }
            let thread = Thread { [self] in
                while lagReason != nil {
                    Thread.sleep(forTimeInterval: 1)
                    do {
                        try rebuild()
                    } catch {
                        lock.withLock { behind = "\(error)" }
                    }
                }
            }
            thread.name = "index-rebuild-retry"
            thread.start()
        }
    }

    /// Rebuilds when the active versions in the store differ from those served: an activation made by another
    /// process sharing the database (a replica, `clearance lists import`). One read of the lists table otherwise.
    public func followStore() throws {
        let served = snapshot.lists.mapValues(\.version.version)
        let stored = Dictionary(uniqueKeysWithValues: try store.lists().compactMap { list in list.activeVersion.map { (list.id, $0) } })
        guard isBuilt, stored != served else { return }
        try rebuild()
    }

    /// Builds the corpus for the active versions and makes it live; builds run one at a time, on the builder thread.
    @discardableResult
    public func rebuild() throws -> ScreeningCorpus {
        try builder.run { [self] in try build() }
    }

    private func build() throws -> ScreeningCorpus {
        let previous = snapshot
        var lists: [String: ActiveList] = [:]
        for list in try store.lists() {
            guard let active = list.activeVersion else { continue }
            if let reused = previous.lists[list.id], reused.version.version == active {
                lists[list.id] = reused
            } else if let loaded = try ScreeningCorpus.load(store, list.id, active) {
                lists[list.id] = loaded
            }
        }
        let next = ScreeningCorpus(lists: lists)
        lock.withLock {
            current = next
            built = true
            behind = nil
        }
        onBuilt(next)
        return next
    }
}
