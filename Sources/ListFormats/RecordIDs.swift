/// The record ids a file has given so far, so a second record under one id is refused with both lines: two records
/// under one id would make the later silently replace the earlier in a diff.
struct RecordIDs {
    let file: String
    /// How the file's id is called in messages (`uid`, `REFERENCE_NUMBER`, `record`).
    let label: String
    private var lines: [String: Int] = [:]

    init(file: String, label: String) {
        self.file = file
        self.label = label
    }

    mutating func insert(_ id: String, line: Int, element: String) throws {
        if let first = lines[id] {
            throw ListParseError(file: file, line: line, element: "\(element) \(id)", "duplicate \(label) \(id) (first at line \(first))")
        }
        lines[id] = line
    }
}

/// The reading loop every one-file XML format shares: the file must not be empty, each record `recordDepth` levels
/// down that `entry` makes an entry of becomes one (it returns nil for elements that are not records), and a file
/// with no record at all is refused naming what was expected. Ids must be unique, unless the format says its
/// publisher repeats a party under one id (`mergingRepeatedIDs`): then the records are merged into one entry.
enum XMLRecordFile {
    static func entries(_ files: [ListFile], format: String, root: String, recordDepth: Int, idLabel: String, expected: String,
                        mergingRepeatedIDs: Bool = false,
                        _ entry: (_ ancestors: [String], _ node: XMLElementNode, _ file: String) throws -> ListEntry?) throws -> [ListEntry] {
        let file = try ListFormats.singleFile(files, format: format)
        guard !file.data.isEmpty else { throw ListParseError(file: file.name, "the file is empty") }
        var entries: [ListEntry] = []
        var ids = RecordIDs(file: file.name, label: idLabel)
        var positions: [String: Int] = [:]
        try XMLElementNode.forEachRecord(in: file, root: root, recordDepth: recordDepth) { ancestors, node in
            guard let made = try entry(ancestors, node, file.name) else { return }
            if mergingRepeatedIDs, let position = positions[made.id] {
                entries[position] = entries[position].merged(with: made)
                return
            }
            try ids.insert(made.id, line: node.line, element: node.name)
            positions[made.id] = entries.count
            entries.append(made)
        }
        if entries.isEmpty { throw ListParseError(file: file.name, "no \(expected) elements") }
        return entries
    }
}
