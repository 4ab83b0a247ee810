import Foundation

/// Clearance's own format for an organisation's internal lists (documented in `openapi.yaml` as `ClearanceList`):
/// `{"entries": [{"id", "name", "type", "aliases", "programs", "sourceList", "countries", "datesOfBirth",
/// "identifiers", "addresses", "remarks"}]}`. Ids must be unique.
public enum ClearanceJSONFormat: ListFormat {
    public static let id = "clearance-json"
    public static let defaultFileName = "entries.json"

    struct Document: Decodable {
        var entries: [Entry]
    }

    struct Entry: Decodable {
        var id: String
        var name: String
        var type: EntityType?
        var aliases: [AliasInput]?
        var programs: [String]?
        var sourceList: String?
        var countries: [String]?
        var datesOfBirth: [String]?
        var identifiers: [Identifier]?
        var addresses: [String]?
        var remarks: String?
    }

    /// An alias as a plain string (a strong a.k.a.) or `{"name", "kind"}`.
    struct AliasInput: Decodable {
        var alias: Alias

        init(from decoder: any Decoder) throws {
            if let name = try? decoder.singleValueContainer().decode(String.self) {
                alias = Alias(name: name, kind: .aka)
            } else {
                alias = try Alias(from: decoder)
            }
        }
    }

    public static func parse(_ files: [ListFile]) throws -> [ListEntry] {
        let file = try ListFormats.singleFile(files, format: id)
        let document = try ListFormats.decodeJSON(Document.self, from: file)
        var entries: [ListEntry] = []
        var seen: Set<String> = []
        for (index, input) in document.entries.enumerated() {
            guard let id = input.id.nonEmpty else { throw ListParseError(file: file.name, element: "/entries/\(index)/id", "id is empty") }
            guard let name = input.name.nonEmpty else { throw ListParseError(file: file.name, element: "/entries/\(index)/name", "name is empty") }
            guard seen.insert(id).inserted else { throw ListParseError(file: file.name, element: "/entries/\(index)/id", "duplicate id \(id)") }
            entries.append(ListEntry(
                id: id, type: input.type ?? .unknown, name: name, aliases: (input.aliases ?? []).map(\.alias),
                programs: input.programs ?? [], sourceLists: input.sourceList.map { [$0] } ?? [],
                addresses: (input.addresses ?? []).map { Address(text: $0) }, countries: input.countries ?? [],
                datesOfBirth: input.datesOfBirth ?? [], identifiers: input.identifiers ?? [], remarks: input.remarks))
        }
        if entries.isEmpty { throw ListParseError(file: file.name, element: "/entries", "no entries") }
        return entries
    }
}
