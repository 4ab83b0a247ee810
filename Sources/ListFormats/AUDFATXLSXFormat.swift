import Foundation

/// Australia's DFAT Consolidated List (`regulation8_consolidated.xlsx`): one row per name, a target's rows sharing
/// the number its `Reference` starts with (`2`, `2a`, `2b`); `Name Type` says whether a row is the primary name, an
/// alias or the name in its original script. Values come as published, with messy casing and trailing spaces.
public enum AUDFATXLSXFormat: ListFormat {
    public static let id = "au-dfat-xlsx"
    public static let defaultFileName = "regulation8_consolidated.xlsx"
    public static let readsZIPFile = true
    static let sourceList = "Australia DFAT Consolidated List"
    static let required = ["Reference", "Name of Individual or Entity", "Type", "Name Type"]

    public static func parse(_ files: [ListFile]) throws -> [ListEntry] {
        let file = try ListFormats.singleFile(files, format: id)
        guard !file.data.isEmpty else { throw ListParseError(file: file.name, "the file is empty") }
        let sheet = try XLSXSheet(file)
        guard let header = sheet.rows.first else { throw ListParseError(file: file.name, "the sheet is empty") }
        let columns = Dictionary(header.cells.enumerated().map { ($1.trimmingCharacters(in: .whitespaces), $0) }, uniquingKeysWith: { first, _ in first })
        for name in required where columns[name] == nil {
            throw ListParseError(file: file.name, line: header.line, "the header has no \(name) column")
        }
        var entries: [ListEntry] = []
        var positions: [String: Int] = [:]
        for row in sheet.rows.dropFirst() {
            func cell(_ name: String) -> String? {
                guard let index = columns[name], index < row.cells.count, let value = row.cells[index].nonEmpty, value != "NA" else { return nil }
                return value
            }
            guard let reference = cell("Reference") else {
                if row.cells.allSatisfy({ $0.nonEmpty == nil }) { continue }
                throw ListParseError(file: file.name, line: row.line, "Reference is missing")
            }
            let target = String(reference.prefix { $0.isNumber })
            guard !target.isEmpty else { throw ListParseError(file: file.name, line: row.line, "Reference \(reference) does not start with a number") }
            guard let name = cell("Name of Individual or Entity") else { throw ListParseError(file: file.name, line: row.line, "the name is empty") }
            let nameType = cell("Name Type")?.lowercased() ?? ""
            if let position = positions[target] {
                let kind: AliasKind = nameType.contains("original") ? .originalScript : .aka
                if entries[position].name != name && !entries[position].aliases.contains(where: { $0.name == name }) {
                    entries[position].aliases.append(Alias(name: name, kind: kind))
                }
                continue
            }
            var entry = ListEntry(id: target, type: cell("Type")?.lowercased() == "individual" ? .person : .organization, name: name,
                                  programs: cell("Committees").map { [$0] } ?? [], sourceLists: [sourceList],
                                  authority: "Department of Foreign Affairs and Trade (DFAT), Australia")
            if let born = cell("Date of Birth") { entry.datesOfBirth = [date(born)] }
            if let citizenship = cell("Citizenship") { entry.countries = [citizenship] }
            if let address = cell("Address") { entry.addresses = [Address(text: address)] }
            entry.remarks = [cell("Additional Information"), cell("Listing Information")].compactMap { $0 }.joined(separator: "; ").nonEmpty
            positions[target] = entries.count
            entries.append(entry)
        }
        if entries.isEmpty { throw ListParseError(file: file.name, "no rows under the header") }
        return entries
    }

    /// A date Excel stores as a day number (1899-12-30 is day 0) as `YYYY-MM-DD`; text as published.
    static func date(_ text: String) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        guard let days = Int(text), (1...80_000).contains(days),
              let date = calendar.date(byAdding: .day, value: days, to: Date(timeIntervalSince1970: -2_209_161_600)) else { return text }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: date)
    }
}
