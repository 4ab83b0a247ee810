import Foundation

/// The UK OFSI Consolidated List (`ConList.csv` and its xlsx twin), retired on 28 January 2026 in favour of the
/// UK Sanctions List and read for past editions, replay and diffs. One row per name; a target's rows share its
/// `Group ID`. Both layouts are read by header: the pre-2022 one (29 columns, cp1252, `Passport Details` as prose)
/// and the 2022 one (36 columns: non-Latin names, `Passport Number`, `Alias Quality`). Line 1 is `Last Updated`,
/// line 2 the header. A file starting with a ZIP signature is the xlsx workbook.
public enum UKOFSIConListFormat: ListFormat {
    public static let id = "uk-ofsi-conlist"
    public static let defaultFileName = "ConList.csv"
    public static let readsZIPFile = true
    static let sourceList = "UK OFSI Consolidated List"
    static let authority = "Office of Financial Sanctions Implementation (OFSI), HM Treasury"
    static let required = ["Name 6", "Group Type", "Regime", "Group ID"]

    public static func parse(_ files: [ListFile]) throws -> [ListEntry] {
        let file = try ListFormats.singleFile(files, format: id)
        guard !file.data.isEmpty else { throw ListParseError(file: file.name, "the file is empty") }
        let rows = try Self.rows(file)
        guard let headerIndex = rows.prefix(5).firstIndex(where: { $0.cells.first?.nonEmpty == "Name 6" }) else {
            throw ListParseError(file: file.name, line: rows.first?.line, "no header row starting with Name 6 in the first lines")
        }
        let header = rows[headerIndex]
        let columns = Dictionary(header.cells.enumerated().map { ($1.trimmingCharacters(in: .whitespaces), $0) }, uniquingKeysWith: { first, _ in first })
        for name in required where columns[name] == nil {
            throw ListParseError(file: file.name, line: header.line, "the header has no \(name) column")
        }
        var groups = GroupBuilder()
        for row in rows[(headerIndex + 1)...] {
            func cell(_ name: String) -> String? {
                guard let index = columns[name], index < row.cells.count else { return nil }
                return row.cells[index].nonEmpty
            }
            if row.cells.allSatisfy({ $0.nonEmpty == nil }) { continue }
            guard let group = cell("Group ID") else { throw ListParseError(file: file.name, line: row.line, "Group ID is missing") }
            let name = (1...5).compactMap { cell("Name \($0)") } + [cell("Name 6")].compactMap { $0 }
            guard !name.isEmpty else { throw ListParseError(file: file.name, line: row.line, "the name (Name 1 to Name 6) is empty") }
            try groups.add(group: group, name: name.joined(separator: " "), row: { cell($0) }, line: row.line, file: file.name)
        }
        if groups.entries.isEmpty { throw ListParseError(file: file.name, "no rows under the header") }
        return groups.entries
    }

    /// The rows of either layout: the workbook's first sheet, or the CSV (UTF-8, else Windows-1252 as OFSI wrote it).
    private static func rows(_ file: ListFile) throws -> [(line: Int, cells: [String])] {
        if file.data.starts(with: [0x50, 0x4B, 0x03, 0x04]) { return try XLSXSheet(file).rows }
        var bytes = [UInt8](file.data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        if String(validating: bytes, as: UTF8.self) == nil, let text = String(data: Data(bytes), encoding: .windowsCP1252) {
            bytes = Array(text.utf8)
        }
        var reader = CSVReader(bytes, file: file.name)
        return try reader.all().map { (line: $0.line, cells: $0.fields) }
    }

    /// Gathers the rows of each group into one entry, in the order groups first appear.
    private struct GroupBuilder {
        var entries: [ListEntry] = []
        private var positions: [String: Int] = [:]
        /// Groups whose entry name came from an alias row (a primary-name row seen later takes its place).
        private var namedByAlias: Set<String> = []

        mutating func add(group: String, name: String, row cell: (String) -> String?, line: Int, file: String) throws {
            let aliasType = cell("Alias Type")?.lowercased() ?? ""
            let primary = aliasType == "primary name"
            let weak = cell("Alias Quality")?.lowercased().hasPrefix("low") == true
            let position: Int
            if let known = positions[group] {
                position = known
                var entry = entries[known]
                if primary && namedByAlias.contains(group) && entry.name != name {
                    entry.aliases.append(Alias(name: entry.name, kind: .aka))
                    entry.aliases.removeAll { $0.name == name }
                    entry.name = name
                    namedByAlias.remove(group)
                } else if entry.name != name && !entry.aliases.contains(where: { $0.name == name }) {
                    entry.aliases.append(Alias(name: name, kind: weak ? .weak : .aka))
                }
                entries[known] = entry
            } else {
                guard let type = cell("Group Type") else { throw ListParseError(file: file, line: line, "Group Type is missing") }
                position = entries.count
                positions[group] = position
                if !primary { namedByAlias.insert(group) }
                entries.append(ListEntry(id: group, type: Self.type(type), name: name, sourceLists: [UKOFSIConListFormat.sourceList],
                                         authority: UKOFSIConListFormat.authority))
            }
            merge(into: position, cell)
        }

        /// Adds what a row says beyond its name; rows of one group repeat most of it, so each fact is kept once.
        private mutating func merge(into position: Int, _ cell: (String) -> String?) {
            var entry = entries[position]
            func once<T: Equatable>(_ value: T?, _ list: inout [T]) { if let value, !list.contains(value) { list.append(value) } }
            once(cell("Regime"), &entry.programs)
            if let script = cell("Name Non-Latin Script"), !entry.aliases.contains(where: { $0.name == script }) {
                entry.aliases.append(Alias(name: script, kind: .originalScript))
            }
            once(cell("DOB").map(DayMonthYear.iso), &entry.datesOfBirth)
            for country in (cell("Nationality") ?? "").numberedParts() { once(country, &entry.countries) }
            if let passport = cell("Passport Number") { once(Identifier(type: "Passport", value: passport), &entry.identifiers) }
            if let national = cell("National Identification Number") ?? cell("NI Number") {
                once(Identifier(type: "National ID", value: national), &entry.identifiers)
            }
            let address = (1...6).compactMap { cell("Address \($0)") } + [cell("Post/Zip Code"), cell("Country")].compactMap { $0 }
            if !address.isEmpty { once(Address(text: address.joined(separator: ", "), country: cell("Country")), &entry.addresses) }
            if let country = cell("Country") { once(country, &entry.countries) }
            if entry.title == nil { entry.title = cell("Title") }
            if entry.listedOn == nil { entry.listedOn = cell("Listed On").map(DayMonthYear.iso) }
            if entry.remarks == nil {
                entry.remarks = [cell("Position"), cell("Passport Details"), cell("Other Information")].compactMap { $0 }.joined(separator: "; ").nonEmpty
            }
            // The 2022 layout names the designation in the UK Sanctions List that replaced this one.
            if let other = cell("Other Information"), let range = other.range(of: "(UK Sanctions List Ref):") {
                let reference = other[range.upperBound...].prefix { !$0.isWhitespace && $0 != "." && $0 != ")" }
                if !reference.isEmpty { once("uk-sanctions-list:\(reference)", &entry.references) }
            }
            entries[position] = entry
        }

        private static func type(_ text: String) -> EntityType {
            switch text.lowercased() {
            case "individual": .person
            case "ship": .vessel
            default: .organization
            }
        }
    }
}

extension String {
    /// `1) Saudi Arabia 2) Qatar` as its parts; a plain value as itself.
    func numberedParts() -> [String] {
        guard let pattern = numberedPartMarker, contains(")") else { return nonEmpty.map { [$0] } ?? [] }
        let text = self as NSString
        var parts: [String] = []
        var start = 0
        for match in pattern.matches(in: self, range: NSRange(location: 0, length: text.length)) {
            if match.range.location > start, let part = text.substring(with: NSRange(location: start, length: match.range.location - start)).nonEmpty {
                parts.append(part)
            }
            start = match.range.location + match.range.length
        }
        if let last = text.substring(from: start).nonEmpty { parts.append(last) }
        return parts
    }
}

/// `1) `, `2) `: compiled once, not for each of the list's rows.
private let numberedPartMarker = try? NSRegularExpression(pattern: #"(?:^|\s)\d+\)\s*"#)
