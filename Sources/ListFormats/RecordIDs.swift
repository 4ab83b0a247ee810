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
