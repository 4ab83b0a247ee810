/// A WHERE clause built from optional filters, its values always bound, never spliced into the SQL.
struct SQLConditions {
    private(set) var conditions: [String] = []
    private(set) var values: [any SQLBindable] = []

    /// Adds a condition with one `?` and its value.
    mutating func add(_ condition: String, _ value: any SQLBindable) {
        conditions.append(condition)
        values.append(value)
    }

    /// Adds a condition with as many `?` as `values`, in order.
    mutating func add(_ condition: String, values more: [any SQLBindable]) {
        conditions.append(condition)
        values += more
    }

    /// Puts a condition and its values before the others (the one that should drive the query plan).
    mutating func prepend(_ condition: String, values first: [any SQLBindable]) {
        conditions.insert(condition, at: 0)
        values.insert(contentsOf: first, at: 0)
    }

    /// The conditions joined by AND; `TRUE` when there are none (both databases read it).
    var clause: String { conditions.isEmpty ? "TRUE" : conditions.joined(separator: " AND ") }
}
