import Foundation

/// OFAC's legacy CSV set: `sdn.csv`, `alt.csv`, `add.csv`, `sdn_comments.csv` (or the consolidated non-SDN
/// `cons_prim.csv`, `cons_alt.csv`, `cons_add.csv`, `cons_comments.csv`). No header row; `-0-` is null; records are
/// linked by `ent_num`; Remarks continue in the comments file and hold weak aliases (`a.k.a. '...'`), dates of birth,
/// nationalities and identifiers.
public enum OFACCSVFormat: ListFormat {
    public static let id = "ofac-csv"
    public static let defaultFileName = "sdn.csv"

    struct FileSet {
        var primary: ListFile
        var aliases: ListFile
        var addresses: ListFile
        var comments: ListFile?
        var sourceList: String
    }

    static func fileSet(_ files: [ListFile]) throws -> FileSet {
        func named(_ name: String) -> ListFile? { files.first { $0.name.lowercased() == name } }
        let known = ["sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv", "cons_prim.csv", "cons_alt.csv", "cons_add.csv", "cons_comments.csv"]
        if let unknown = files.first(where: { !known.contains($0.name.lowercased()) }) {
            throw ListParseError(file: unknown.name, "unexpected file; the OFAC CSV set is \(known.joined(separator: ", "))")
        }
        let (prefix, primaryName, sourceList) = named("cons_prim.csv") != nil
            ? ("cons_", "cons_prim.csv", OFACLists.consolidated)
            : ("", "sdn.csv", OFACLists.sdn)
        guard let primary = named(primaryName) else {
            throw ListParseError(file: "sdn.csv", "missing file: the OFAC CSV set needs sdn.csv (or cons_prim.csv) with its companions")
        }
        let altName = prefix + "alt.csv", addName = prefix + "add.csv"
        guard let aliases = named(altName) else { throw ListParseError(file: altName, "missing companion file \(altName) for \(primaryName)") }
        guard let addresses = named(addName) else { throw ListParseError(file: addName, "missing companion file \(addName) for \(primaryName)") }
        let comments = named(prefix.isEmpty ? "sdn_comments.csv" : "cons_comments.csv")
        return FileSet(primary: primary, aliases: aliases, addresses: addresses, comments: comments, sourceList: sourceList)
    }

    public static func parse(_ files: [ListFile]) throws -> [ListEntry] {
        let set = try fileSet(files)
        var entries: [ListEntry] = []
        var positions: [String: Int] = [:]
        var remarks: [String] = []
        for (fields, line) in try records(set.primary, columns: 12) {
            let id = fields[0]
            guard !id.isEmpty else { throw ListParseError(file: set.primary.name, line: line, "ent_num is empty") }
            guard positions[id] == nil else { throw ListParseError(file: set.primary.name, line: line, "duplicate ent_num \(id)") }
            guard let name = value(fields[1]) else { throw ListParseError(file: set.primary.name, line: line, "SDN_Name is empty") }
            var entry = ListEntry(id: id, type: entityType(fields[2]), name: name,
                                  programs: value(fields[3])?.splitPrograms() ?? [], sourceLists: [set.sourceList])
            entry.title = value(fields[4])
            if entry.type == .vessel {
                for (label, index) in [("Call Sign", 5), ("Vessel Type", 6), ("Vessel Flag", 9)] {
                    if let v = value(fields[index]) { entry.identifiers.append(Identifier(type: label, value: v)) }
                }
            }
            positions[id] = entries.count
            entries.append(entry)
            remarks.append(value(fields[11]) ?? "")
        }
        if let comments = set.comments {
            // Remarks too long for sdn.csv continue here, mid-word; rows for entries not in this edition are ignored.
            for (fields, _) in try records(comments, columns: 2) {
                if let index = positions[fields[0]] { remarks[index] += fields[1] }
            }
        }
        for (fields, line) in try records(set.aliases, columns: 5) {
            guard let index = positions[fields[0]] else { continue }
            guard let name = value(fields[3]) else { throw ListParseError(file: set.aliases.name, line: line, "alt_name is empty") }
            let kind: AliasKind = switch value(fields[2])?.lowercased() {
            case "fka": .fka
            case "nka": .nka
            case "weak aka", "weak a.k.a.": .weak
            default: .aka
            }
            entries[index].aliases.append(Alias(name: name, kind: kind))
        }
        for (fields, _) in try records(set.addresses, columns: 6) {
            guard let index = positions[fields[0]] else { continue }
            let country = value(fields[4])
            let text = [value(fields[2]), value(fields[3]), country].compactMap { $0 }.joined(separator: ", ")
            if !text.isEmpty { entries[index].addresses.append(Address(text: text, country: country)) }
            if let country, !entries[index].countries.contains(country) { entries[index].countries.append(country) }
        }
        for index in entries.indices where !remarks[index].isEmpty {
            OFACRemarks.apply(remarks[index], to: &entries[index])
        }
        return entries
    }

    static func records(_ file: ListFile, columns: Int) throws -> [(fields: [String], line: Int)] {
        var reader = CSVReader(Array(file.data), file: file.name)
        var out: [(fields: [String], line: Int)] = []
        while let record = try reader.next() {
            guard record.fields.count == columns else {
                throw ListParseError(file: file.name, line: record.line,
                                     "expected \(columns) columns, found \(record.fields.count)")
            }
            out.append(record)
        }
        if out.isEmpty { throw ListParseError(file: file.name, "the file is empty") }
        return out
    }

    /// `-0-` (with or without trailing spaces) and blanks are null.
    static func value(_ field: String) -> String? {
        guard let trimmed = field.nonEmpty, trimmed != "-0-" else { return nil }
        return trimmed
    }

    static func entityType(_ field: String) -> EntityType {
        switch value(field)?.lowercased() {
        case "individual": .person
        case "vessel": .vessel
        case "aircraft": .aircraft
        default: .organization  // OFAC leaves the type blank for entities
        }
    }
}

extension String {
    /// OFAC writes several programs as `SDGT] [IRGC` inside one field.
    func splitPrograms() -> [String] {
        components(separatedBy: "] [").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "[] ")) }.filter { !$0.isEmpty }
    }
}
