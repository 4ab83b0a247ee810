import ListFormats
import Matching

/// The links between listed parties that the publishers state (a 1260H company's parent, OFAC's "Owned or
/// Controlled By", the UK list's parent companies and subsidiaries), resolved across every active list: by entry id
/// within the stating list, and by exact name (`MatchIndex.entries(named:)`) in all of them, so the parent a 1260H row
/// names is found on the FCC Covered List too. Each link is kept from both ends: a parent's subsidiary is reported
/// when the subsidiary is matched, and the other way round. Built with the corpus; read-only afterwards.
struct PartyRelations: Sendable {
    enum Kind: String, Sendable {
        /// The other party owns or controls this one.
        case parent
        /// This party owns or controls the other.
        case subsidiary
        /// Any other stated link (acting for, associate of).
        case affiliate

        /// How a publisher's relation type reads (`Owned or Controlled By`, `Parent company`, `Parent of`, `Subsidiary`).
        init(statedAs type: String) {
            let text = type.lowercased()
            if text.contains("parent of") || text.contains("subsidiar") || text.hasPrefix("owns") || text.hasPrefix("controls") {
                self = .subsidiary
            } else if text.contains("parent") || text.contains("owned") || text.contains("controlled by") {
                self = .parent
            } else {
                self = .affiliate
            }
        }

        var reversed: Kind { self == .parent ? .subsidiary : self == .subsidiary ? .parent : .affiliate }

        /// `a subsidiary of X`, read from the matched party's side.
        var phrase: String {
            switch self {
            case .parent: "a subsidiary of"
            case .subsidiary: "the parent of"
            case .affiliate: "an affiliate of"
            }
        }
    }

    struct Link: Sendable, Equatable {
        let kind: Kind
        /// The publisher's words for it (`Owned or Controlled By`).
        let statedAs: String
        /// The other party's index position.
        let target: Int
    }

    let links: [Int: [Link]]

    static let empty = PartyRelations(links: [:])

    /// A party's links.
    subscript(position: Int) -> [Link] { links[position] ?? [] }

    init(links: [Int: [Link]]) { self.links = links }

    /// `positions[list][entryId]` is an entry's index position.
    init(lists: [String: ActiveList], index: MatchIndex, positions: [String: [String: Int]]) {
        var links: [Int: [Link]] = [:]
        func add(_ from: Int, _ link: Link) {
            guard from != link.target, !(links[from]?.contains { $0.target == link.target && $0.kind == link.kind } ?? false) else { return }
            links[from, default: []].append(link)
        }
        for id in lists.keys.sorted() {
            guard let list = lists[id], let byID = positions[id] else { continue }
            for entry in list.entries {
                guard let relations = entry.relations, !relations.isEmpty, let from = byID[entry.id] else { continue }
                for relation in relations {
                    var targets = Set(relation.entryId.flatMap { byID[$0] }.map { [$0] } ?? [])
                    if let name = relation.name { targets.formUnion(index.entries(named: name)) }
                    let kind = Kind(statedAs: relation.type)
                    for target in targets.sorted() {
                        add(from, Link(kind: kind, statedAs: relation.type, target: target))
                        add(target, Link(kind: kind.reversed, statedAs: relation.type, target: from))
                    }
                }
            }
        }
        self.links = links
    }
}
