import Foundation

/// A list Clearance ships itself, for publications with no machine-readable file (the FCC Covered List, the DoD
/// section 1260H list): every edition in one reviewed JSON file, each entry naming the editions that list it and
/// its source. `{"list", "title", "authority", "sourceList", "editions": [{"edition", "title"}], "edition"?,
/// "entries": [{"id", "name", "type", "aliases", "formerNames", "programs", "countries", "relations", "editions",
/// "source", "remarks"}]}`. A file stands for the edition its `edition` member names, or else its last edition: an
/// entry is in the version when that edition lists it, so the diff between two editions' versions shows what the
/// publisher added and removed, and an entry respelled from one edition to the next keeps its id.
public enum EditionedListFormat: ListFormat {
    public static let id = "clearance-editions"
    public static let defaultFileName = "list.json"

    public struct Document: Codable, Sendable {
        public var list: String
        public var title: String
        public var authority: String
        public var sourceList: String
        public var editions: [Edition]
        /// The edition the file stands for; the last one when absent.
        public var edition: String?
        /// What the publication covers that is not a named party (classes of equipment): kept with the data, never
        /// matched.
        public var notScreenedByName: [Class]?
        public var entries: [Entry]

        public var currentEdition: String? { edition ?? editions.last?.edition }
    }

    public struct Edition: Codable, Sendable {
        public var edition: String
        public var title: String
    }

    public struct Class: Codable, Sendable {
        public var since: String
        public var text: String
    }

    public struct Entry: Codable, Sendable {
        public var id: String
        public var name: String
        public var type: EntityType?
        public var aliases: [String]?
        public var formerNames: [String]?
        public var programs: [String]?
        public var countries: [String]?
        public var relations: [Relation]?
        public var editions: [String]
        public var source: String?
        public var remarks: String?
    }

    public static func decode(_ file: ListFile) throws -> Document {
        let document = try ListFormats.decodeJSON(Document.self, from: file)
        let known = Set(document.editions.map(\.edition))
        guard let current = document.currentEdition else { throw ListParseError(file: file.name, element: "/editions", "no editions") }
        guard known.contains(current) else { throw ListParseError(file: file.name, element: "/edition", "\(current) is not one of the file's editions") }
        var seen: Set<String> = []
        for (index, entry) in document.entries.enumerated() {
            guard entry.id.nonEmpty != nil else { throw ListParseError(file: file.name, element: "/entries/\(index)/id", "id is empty") }
            guard entry.name.nonEmpty != nil else { throw ListParseError(file: file.name, element: "/entries/\(index)/name", "name is empty") }
            guard seen.insert(entry.id).inserted else { throw ListParseError(file: file.name, element: "/entries/\(index)/id", "duplicate id \(entry.id)") }
            for (position, edition) in entry.editions.enumerated() where !known.contains(edition) {
                throw ListParseError(file: file.name, element: "/entries/\(index)/editions/\(position)", "\(edition) is not one of the file's editions")
            }
        }
        return document
    }

    public static func parse(_ files: [ListFile]) throws -> [ListEntry] {
        let file = try ListFormats.singleFile(files, format: id)
        let document = try decode(file)
        let entries = entries(of: document)
        if entries.isEmpty { throw ListParseError(file: file.name, element: "/entries", "no entry is in edition \(document.currentEdition ?? "")") }
        return entries
    }

    public static func edition(of files: [ListFile]) throws -> String? {
        try decode(try ListFormats.singleFile(files, format: id)).currentEdition
    }

    /// The entries of the document's current edition, in the one model.
    public static func entries(of document: Document) -> [ListEntry] {
        guard let current = document.currentEdition else { return [] }
        return document.entries.filter { $0.editions.contains(current) }.map { entry in
            let aliases = (entry.aliases ?? []).map { Alias(name: $0, kind: .aka) } + (entry.formerNames ?? []).map { Alias(name: $0, kind: .fka) }
            return ListEntry(
                id: entry.id, type: entry.type ?? .organization, name: entry.name, aliases: aliases, programs: entry.programs ?? [],
                sourceLists: [document.sourceList], countries: entry.countries ?? [],
                remarks: [entry.remarks, entry.source.map { "Source: " + $0 }].compactMap { $0 }.joined(separator: " "), authority: document.authority,
                listedOn: entry.editions.first, relations: entry.relations)
        }
    }

    /// The same file standing for another of its editions (how the built-in lists are installed edition by edition).
    public static func file(_ file: ListFile, standingFor edition: String) throws -> ListFile {
        var document = try decode(file)
        document.edition = edition
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let name = file.name.hasSuffix(".json") ? String(file.name.dropLast(5)) + "-" + edition + ".json" : file.name + "-" + edition
        return ListFile(name: name, data: try encoder.encode(document))
    }
}
