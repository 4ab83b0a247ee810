/// Upper bounds on what one list entry may hold, checked for every format after parsing, so a hostile or corrupted
/// file is refused with the entry and field at fault instead of being stored and matched. The real lists stay far
/// below them: the longest name in the OFAC, CSL and UN files is under 300 characters, the longest remark under
/// 10,000, the most aliases of one entry under 200.
public enum ListFieldLimits {
    public static let maxNameCharacters = 1_000
    public static let maxAliases = 2_000
    public static let maxValuesPerField = 2_000
    /// Any other text field (remarks, addresses, identifiers) and any XML element's text.
    public static let maxFieldBytes = 64 * 1024
    public static let maxIDBytes = 200
    static let maxElementName = 200

    /// Throws naming the entry and field when `entry` exceeds a limit.
    public static func check(_ entry: ListEntry, file: String?) throws(ListParseError) {
        func fail(_ field: String, _ detail: String) -> ListParseError {
            ListParseError(file: file, element: "entry \(entry.id.prefix(maxIDBytes))", "\(field): \(detail)")
        }
        if entry.id.isEmpty || entry.id.utf8.count > maxIDBytes { throw fail("id", "must be 1 to \(maxIDBytes) bytes") }
        if entry.name.count > maxNameCharacters { throw fail("name", "\(entry.name.count) characters; at most \(maxNameCharacters)") }
        if entry.aliases.count > maxAliases { throw fail("aliases", "\(entry.aliases.count) aliases; at most \(maxAliases)") }
        for alias in entry.aliases where alias.name.count > maxNameCharacters {
            throw fail("aliases", "an alias of \(alias.name.count) characters; at most \(maxNameCharacters)")
        }
        let counted: [(String, Int)] = [
            ("programs", entry.programs.count), ("sourceLists", entry.sourceLists.count), ("addresses", entry.addresses.count),
            ("countries", entry.countries.count), ("datesOfBirth", entry.datesOfBirth.count),
            ("identifiers", entry.identifiers.count), ("references", entry.references.count),
        ]
        for (field, count) in counted where count > maxValuesPerField {
            throw fail(field, "\(count) values; at most \(maxValuesPerField)")
        }
        func checkText(_ field: String, _ values: [String]) throws(ListParseError) {
            for text in values where text.utf8.count > maxFieldBytes {
                throw fail(field, "a value of \(text.utf8.count) bytes; at most \(maxFieldBytes)")
            }
        }
        try checkText("remarks", entry.remarks.map { [$0] } ?? [])
        try checkText("title", entry.title.map { [$0] } ?? [])
        try checkText("programs", entry.programs)
        try checkText("sourceLists", entry.sourceLists)
        try checkText("addresses", entry.addresses.map(\.text))
        try checkText("countries", entry.countries)
        try checkText("datesOfBirth", entry.datesOfBirth)
        try checkText("identifiers", entry.identifiers.map { $0.type + $0.value })
        try checkText("references", entry.references)
    }
}

extension ListFormat {
    /// Parses a whole upload and checks every entry against `ListFieldLimits`.
    public static func parseWithinLimits(_ files: [ListFile]) throws -> [ListEntry] {
        let entries = try parse(files)
        let file = files.count == 1 ? files.first?.name : nil
        for entry in entries { try ListFieldLimits.check(entry, file: file) }
        return entries
    }
}
