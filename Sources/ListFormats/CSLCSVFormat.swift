import Foundation

/// The trade.gov Consolidated Screening List as CSV: a header row, one row per entry and source list, multi-valued
/// cells joined with `; `. Rows sharing an `_id` are one party named by several lists, merged into one entry.
public enum CSLCSVFormat: ListFormat {
    public static let id = "csl-csv"
    public static let defaultFileName = "consolidated.csv"
    static let requiredColumns = ["_id", "source", "name"]

    public static func parse(_ files: [ListFile]) throws -> [ListEntry] {
        let file = try ListFormats.singleFile(files, format: id)
        var reader = CSVReader(Array(file.data), file: file.name)
        guard let (header, _) = try reader.next() else { throw ListParseError(file: file.name, "the file is empty") }
        let columns = Dictionary(header.enumerated().map { ($1.trimmingCharacters(in: .whitespaces), $0) }) { first, _ in first }
        for required in requiredColumns where columns[required] == nil {
            throw ListParseError(file: file.name, line: 1, "the header has no \(required) column")
        }
        var rows: [CSLRow] = []
        while let (fields, line) = try reader.next() {
            guard fields.count == header.count else {
                throw ListParseError(file: file.name, line: line, "expected \(header.count) columns, found \(fields.count)")
            }
            func cell(_ name: String) -> String { columns[name].map { fields[$0] } ?? "" }
            guard let id = cell("_id").nonEmpty else { throw ListParseError(file: file.name, line: line, "_id is empty") }
            guard let name = cell("name").nonEmpty else { throw ListParseError(file: file.name, line: line, "name is empty") }
            rows.append(CSLRow(
                id: id, source: cell("source").nonEmpty, entityNumber: cell("entity_number").nonEmpty, type: cell("type"),
                programs: cell("programs").splitList(), name: name, title: cell("title").nonEmpty,
                addresses: cell("addresses").splitList(), remarks: cell("remarks").nonEmpty, altNames: cell("alt_names").splitList(),
                countries: cell("citizenships").splitList() + cell("nationalities").splitList(),
                datesOfBirth: cell("dates_of_birth").splitList(), ids: cell("ids").splitList().map(parseIdentifier)))
        }
        if rows.isEmpty { throw ListParseError(file: file.name, "the file has a header but no entries") }
        return CSLRow.merge(rows)
    }

    /// `CN, 91330000733796106P, Unified Social Credit Code (USCC)` or `002415 CN, Equity Ticker`.
    static func parseIdentifier(_ text: String) -> Identifier {
        let parts = text.components(separatedBy: ", ").map { $0.nonEmpty ?? "" }
        switch parts.count {
        case 3...: return Identifier(type: parts[parts.count - 1], value: parts[1...(parts.count - 2)].joined(separator: ", "), country: parts[0])
        case 2: return Identifier(type: parts[1], value: parts[0])
        default: return Identifier(type: "unknown", value: text)
        }
    }
}

/// One CSL row in either format, before rows sharing an `_id` are merged.
struct CSLRow {
    var id: String
    var source: String?
    var entityNumber: String?
    var type: String
    var programs: [String]
    var name: String
    var title: String?
    var addresses: [String]
    var remarks: String?
    var altNames: [String]
    var countries: [String]
    var datesOfBirth: [String]
    var ids: [Identifier]

    static func entityType(_ text: String) -> EntityType {
        switch text.lowercased() {
        case "individual": .person
        case "entity": .organization
        case "vessel": .vessel
        case "aircraft": .aircraft
        default: .unknown
        }
    }

    /// Merges rows that share an `_id`, keeping the first row's order and every source list, program and name.
    static func merge(_ rows: [CSLRow]) -> [ListEntry] {
        var entries: [ListEntry] = []
        var positions: [String: Int] = [:]
        for row in rows {
            let index: Int
            if let existing = positions[row.id] {
                index = existing
            } else {
                index = entries.count
                positions[row.id] = index
                entries.append(ListEntry(id: row.id, type: entityType(row.type), name: row.name, title: row.title))
            }
            var entry = entries[index]
            if entry.type == .unknown { entry.type = entityType(row.type) }
            if row.name != entry.name, !entry.aliases.contains(where: { $0.name == row.name }) {
                entry.aliases.append(Alias(name: row.name, kind: .aka))
            }
            appendUnique(&entry.sourceLists, row.source.map { [$0] } ?? [])
            appendUnique(&entry.programs, row.programs)
            for alt in row.altNames where alt != entry.name && !entry.aliases.contains(where: { $0.name == alt }) {
                entry.aliases.append(Alias(name: alt, kind: .aka))
            }
            for address in row.addresses where !entry.addresses.contains(where: { $0.text == address }) {
                let country = address.components(separatedBy: ", ").last.flatMap { $0.count == 2 ? $0 : nil }
                entry.addresses.append(Address(text: address, country: country))
                if let country { appendUnique(&entry.countries, [country]) }
            }
            appendUnique(&entry.countries, row.countries)
            appendUnique(&entry.datesOfBirth, row.datesOfBirth)
            for identifier in row.ids where !entry.identifiers.contains(identifier) { entry.identifiers.append(identifier) }
            if let remarks = row.remarks {
                entry.remarks = entry.remarks.map { $0.contains(remarks) ? $0 : $0 + " | " + remarks } ?? remarks
            }
            if let number = row.entityNumber { appendUnique(&entry.references, ["ofac:\(number)"]) }
            entries[index] = entry
        }
        return entries
    }

    private static func appendUnique(_ list: inout [String], _ values: [String]) {
        for value in values where !list.contains(value) { list.append(value) }
    }
}
